"""BROADER at any depth, on both stores: the curated hierarchy is two levels deep (element ->
group -> super-group) and so is the synthetic one the benchmarks use, so a query that stopped
at depth 2 would pass every other test. Made-up minerals four levels deep
(tests/fixtures/deep-minerals)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mineralkg.graph.catalogue import catalogue
from mineralkg.graph.store import GraphStore
from mineralkg.loaders.dataset import Dataset, load_dataset
from mineralkg.loaders.plan import build_plan
from mineralkg.testing import STORE_KINDS

QUERIES = catalogue()
FIXTURE = Path(__file__).parent / "fixtures" / "deep-minerals"
GROUPS = ["group-1", "group-2", "group-3", "group-4"]


def run(graph: GraphStore, name: str, **params: Any) -> list[dict[str, Any]]:
    query = QUERIES[name]
    return graph.run(query.cypher, query.bind(params)).rows


@pytest.fixture(scope="module")
def deep(sources_dir: Path) -> Dataset:
    return load_dataset(FIXTURE, sources_dir)


@pytest.fixture(scope="module", params=STORE_KINDS)
def deep_graph(request: pytest.FixtureRequest, deep: Dataset) -> Iterator[GraphStore]:
    """Each store in turn holding the deep hierarchy."""
    graph: GraphStore = request.getfixturevalue(f"{request.param}_store")
    graph.clear()
    graph.load(build_plan(deep))
    yield graph
    graph.clear()


def test_the_profile_of_an_element_reaches_its_groups_at_any_depth(deep_graph: GraphStore) -> None:
    (profile,) = run(deep_graph, "mineral_profile", mineral="deepium")
    assert profile["groups"] == GROUPS
    assert profile["members"] == []
    assert profile["lists"] == [{"list": "list-deep", "entry": "group-3"}]
    assert profile["covered_by"] == [
        {"id": "ag-mid", "class": "Agreement", "via": "group-2"},
        {"id": "ag-top", "class": "Agreement", "via": "group-4"},
    ]
    assert profile["dominated_by"] == [{"actor": "atlantis", "via": "group-4"}]
    assert profile["tensions"] == [{"tension": "tension-deep", "kind": "trade", "via": "group-4"}]
    assert profile["undecidable"] == []
    (top,) = run(deep_graph, "mineral_profile", mineral="group-4")
    assert top["groups"] == [] and top["members"] == ["deepium", *GROUPS[:3]]


def test_agreements_covering_an_element_through_a_group_four_levels_up(
    deep_graph: GraphStore,
) -> None:
    rows = run(deep_graph, "agreements_covering_mineral", mineral="deepium")
    assert [(r["id"], r["covers"], r["parties"]) for r in rows] == [
        ("ag-mid", [{"mineral": "group-2", "provision": "ag-mid-provision"}], []),
        ("ag-top", [{"mineral": "group-4", "provision": None}], ["atlantis"]),
    ]
    assert (
        run(deep_graph, "agreements_covering_mineral", mineral="deepium", include_groups=False)
        == []
    )
