"""Shared fixtures: paths, the ontology and the curated dataset (validated once per session)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from mineralkg.graph.store import GraphStore
from mineralkg.loaders.dataset import Dataset, load_dataset
from mineralkg.ontology.model import Ontology
from mineralkg.ontology.model import load as load_ontology
from mineralkg.settings import get_settings
from mineralkg.testing import STORE_KINDS
from mineralkg.testing.neo4j_server import neo4j_server

FIXTURES = Path(__file__).parent / "fixtures"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark what needs a Neo4j server or a browser, so that `pytest -m "not neo4j and not
    browser"` is a fast inner loop; tests that reach a store dynamically carry the mark
    themselves."""
    for item in items:
        names = getattr(item, "fixturenames", ())
        params = getattr(getattr(item, "callspec", None), "params", {})
        if "neo4j_uri" in names or "neo4j" in params.values():
            item.add_marker(pytest.mark.neo4j)
        if "driver" in names:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def ontology() -> Ontology:
    return load_ontology()


CAPTURED = get_settings().sources_dir
"""The captured source texts (../shared/sources/); a clone without them still runs the suite."""


@pytest.fixture(scope="session")
def captured_texts() -> Path:
    """The real captured texts, for tests of the curated quotes: skipped where they are
    absent, but never in CI."""
    if not CAPTURED.is_dir():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI must check the quotes: the captured texts are not in {CAPTURED}")
        pytest.skip(f"the captured source texts are not in {CAPTURED}")
    return CAPTURED


@pytest.fixture(scope="session")
def sources_dir() -> Path:
    """The folder the fixtures' quotes are checked against: the captured texts, or a stand-in
    (tests/fixtures/sources/) holding the sentences the fixtures quote."""
    return CAPTURED if CAPTURED.is_dir() else FIXTURES / "sources"


@pytest.fixture(scope="session")
def curated(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    """The curated data; without the captured texts its quotes go unchecked (with warnings)."""
    texts = CAPTURED if CAPTURED.is_dir() else tmp_path_factory.mktemp("no-texts")
    return load_dataset(get_settings().data_dir, texts)


@pytest.fixture(scope="session")
def mini(sources_dir: Path) -> Dataset:
    return load_dataset(FIXTURES / "mini", sources_dir)


@pytest.fixture(scope="session")
def neo4j_uri() -> Iterator[str]:
    """A real Neo4j server for the whole session (or MINERALKG_TEST_NEO4J_URI if set)."""
    given = os.environ.get("MINERALKG_TEST_NEO4J_URI")
    if given:
        yield given
        return
    with neo4j_server() as uri:
        yield uri


@pytest.fixture(scope="session")
def embedded_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    from mineralkg.graph.embedded import EmbeddedStore

    store = EmbeddedStore(tmp_path_factory.mktemp("falkordb") / "graph.db", "test")
    yield store
    store.close()


@pytest.fixture(scope="session")
def neo4j_store(neo4j_uri: str) -> Iterator[GraphStore]:
    from mineralkg.graph.neo4j_store import Neo4jStore

    store = Neo4jStore(neo4j_uri)
    yield store
    store.close()


@pytest.fixture(params=STORE_KINDS)
def store(request: pytest.FixtureRequest) -> Iterator[GraphStore]:
    """Each store in turn, emptied before and after the test."""
    graph_store: GraphStore = request.getfixturevalue(f"{request.param}_store")
    graph_store.clear()
    yield graph_store
    graph_store.clear()


@pytest.fixture(scope="module", params=STORE_KINDS)
def loaded_store(request: pytest.FixtureRequest, curated: Dataset) -> Iterator[GraphStore]:
    """Each store in turn holding the curated data, loaded once per test module."""
    from mineralkg.loaders.plan import build_plan

    graph_store: GraphStore = request.getfixturevalue(f"{request.param}_store")
    graph_store.clear()
    graph_store.load(build_plan(curated))
    yield graph_store
    graph_store.clear()
