"""Dates compared at their precision, and the graph as it stood on a date, on both stores: a
table of boundary cases on made-up facts dated at every precision (tests/fixtures/time).
tests/test_time_curated.py checks the curated data against the YAML on a grid of dates.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mineralkg.graph.catalogue import ParamError, catalogue
from mineralkg.graph.store import GraphStore
from mineralkg.loaders.dataset import Dataset, load_dataset
from mineralkg.loaders.plan import build_plan
from mineralkg.testing import STORE_KINDS

QUERIES = catalogue()
TIME_FIXTURE = Path(__file__).parent / "fixtures" / "time"


def run(graph: GraphStore, name: str, **params: Any) -> list[dict[str, Any]]:
    query = QUERIES[name]
    return graph.run(query.cypher, query.bind(params)).rows


def _loaded(request: pytest.FixtureRequest, dataset: Dataset) -> Iterator[GraphStore]:
    graph: GraphStore = request.getfixturevalue(f"{request.param}_store")
    graph.clear()
    graph.load(build_plan(dataset))
    yield graph
    graph.clear()


@pytest.fixture(scope="module")
def timed(sources_dir: Path) -> Dataset:
    return load_dataset(TIME_FIXTURE, sources_dir)


@pytest.fixture(scope="module", params=STORE_KINDS)
def time_graph(request: pytest.FixtureRequest, timed: Dataset) -> Iterator[GraphStore]:
    """Each store in turn holding the made-up dated facts."""
    yield from _loaded(request, timed)


# ------------------------------------------------------------------ boundary cases, made-up facts

# (as_of, {agreement: (standing, status then, later statuses straddling the date)})
AS_OF_CASES: list[tuple[str, dict[str, tuple[str, str | None, list[str]]]]] = [
    # a year straddles a day inside it; a month's step is not known before the month ends
    (
        "2025-10-14",
        {
            "ag-year": ("undecidable", None, ["signed"]),
            "ag-month": ("undecidable", None, ["announced"]),
            "ag-leap": ("known", "signed", []),
            "ag-suspended": ("known", "suspended", []),
        },
    ),
    # signed on the 15th is known by the end of the 15th, though "announced in 2025-10" is not
    (
        "2025-10-15",
        {
            "ag-year": ("undecidable", None, ["signed"]),
            "ag-month": ("known", "signed", []),
            "ag-leap": ("known", "signed", []),
            "ag-suspended": ("known", "suspended", []),
        },
    ),
    # as of a month: by its last day
    (
        "2025-10",
        {
            "ag-year": ("undecidable", None, ["signed"]),
            "ag-month": ("known", "signed", []),
            "ag-leap": ("known", "signed", []),
            "ag-suspended": ("known", "suspended", []),
        },
    ),
    (
        "2025-11-30",
        {
            "ag-year": ("undecidable", None, ["signed"]),
            "ag-month": ("known", "in-force", []),
            "ag-leap": ("known", "signed", []),
            "ag-suspended": ("known", "suspended", []),
        },
    ),
    # as of a year: by 31 December; the day after is another year
    (
        "2025",
        {
            "ag-year": ("known", "signed", []),
            "ag-month": ("known", "in-force", []),
            "ag-day": ("known", "signed", []),
            "ag-leap": ("known", "signed", []),
            "ag-suspended": ("known", "suspended", []),
        },
    ),
    (
        "2026-01-01",
        {
            "ag-year": ("known", "signed", []),
            "ag-month": ("known", "in-force", []),
            "ag-day": ("known", "in-force", []),
            "ag-leap": ("known", "signed", []),
            "ag-suspended": ("known", "suspended", []),
        },
    ),
    # the last day of a month, a day before it
    (
        "2025-03-30",
        {
            "ag-year": ("undecidable", None, ["signed"]),
            "ag-leap": ("known", "signed", []),
            "ag-suspended": ("known", "in-force", []),
        },
    ),
    (
        "2025-03-31",
        {
            "ag-year": ("undecidable", None, ["signed"]),
            "ag-leap": ("known", "signed", []),
            "ag-suspended": ("known", "suspended", []),
        },
    ),
    # a leap day, and the day before it; a year's step straddles both
    (
        "2024-02-28",
        {"ag-suspended": ("known", "signed", ["in-force"])},
    ),
    (
        "2024-02-29",
        {"ag-leap": ("known", "signed", []), "ag-suspended": ("known", "signed", ["in-force"])},
    ),
    (
        "2024",
        {"ag-leap": ("known", "signed", []), "ag-suspended": ("known", "in-force", [])},
    ),
    # a month straddles a day inside it, is known by its last day
    ("2023-06-15", {"ag-suspended": ("undecidable", None, ["signed"])}),
    ("2023-06-30", {"ag-suspended": ("known", "signed", [])}),
    ("2023-05", {}),
    ("2022", {}),
]
UNDATED = {"ag-undated": ("undated", None, [])}


@pytest.mark.parametrize(("as_of", "expected"), AS_OF_CASES, ids=[c[0] for c in AS_OF_CASES])
def test_agreements_as_of_a_date_at_every_precision(
    time_graph: GraphStore, as_of: str, expected: dict[str, tuple[str, str | None, list[str]]]
) -> None:
    rows = run(time_graph, "agreements_as_of", as_of=as_of)
    got = {r["agreement"]: (r["standing"], r["status"], r["status_undecidable"]) for r in rows}
    assert got == {**expected, **UNDATED}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"as_of": "2025-10-14"}, {"ag-year", "ag-month", "ag-leap", "ag-suspended", "ag-undated"}),
        ({"as_of": "2025-10-15", "status": "signed"}, {"ag-month", "ag-leap"}),  # status then
        ({"as_of": "2025-10-15", "status": "suspended"}, {"ag-suspended"}),
        ({"as_of": "2024", "status": "in-force"}, {"ag-suspended"}),
    ],
)
def test_agreements_of_an_actor_as_of_a_date(
    time_graph: GraphStore, params: dict[str, str], expected: set[str]
) -> None:
    rows = run(time_graph, "agreements_of_actor", actor="atlantis", **params)
    assert {r["agreement"] for r in rows} == expected


# (query, parameters, the ids expected): a date is in a range when their days overlap
RANGE_CASES: list[tuple[str, dict[str, str], set[str]]] = [
    ("agreements_of_actor", {"from": "2025-10-16", "to": "2025-10-16"}, {"ag-year", "ag-month"}),
    ("agreements_of_actor", {"from": "2025-11"}, {"ag-year", "ag-month", "ag-day"}),
    ("agreements_of_actor", {"to": "2024-02-28"}, {"ag-suspended"}),
    (
        "agreements_of_actor",
        {"from": "2024-02-29", "to": "2024-02-29"},
        {"ag-leap", "ag-suspended"},
    ),
    ("agreements_of_actor", {"from": "2026"}, {"ag-day"}),
    ("agreements_of_actor", {"from": "2025-04", "to": "2025-09"}, {"ag-year"}),
    (
        "agreements_of_actor",
        {"from": "2025-03-31", "to": "2025-03-31"},
        {"ag-year", "ag-suspended"},
    ),
    ("events_in_range", {"from": "2026-02-01", "to": "2026-02-01"}, {"ev-month", "ev-span"}),
    ("events_in_range", {"from": "2026-01-31", "to": "2026-01-31"}, {"ev-span"}),
    ("events_in_range", {"from": "2026-02-28", "to": "2026-03"}, {"ev-month", "ev-day"}),
    ("events_in_range", {"from": "2026-03", "to": "2026"}, set()),
    ("events_in_range", {"from": "2026", "to": "2026"}, {"ev-month", "ev-day", "ev-span"}),
    ("timeline", {"from": "2025-12-31", "to": "2025-12-31"}, {"ag-year", "ag-day"}),
    ("timeline", {"from": "2024-02-29", "to": "2024-02"}, {"ag-leap", "ag-suspended"}),
    ("timeline", {"from": "2026-02-02", "to": "2026-02-27"}, {"ev-month", "fp-2026-02-26"}),
    ("timeline", {"from": "2026-02-27", "to": "2026-02-27"}, {"ev-month"}),
]
ID_COLUMN = {"agreements_of_actor": "agreement", "events_in_range": "event", "timeline": "subject"}


@pytest.mark.parametrize(("name", "params", "expected"), RANGE_CASES)
def test_date_ranges_at_every_precision(
    time_graph: GraphStore, name: str, params: dict[str, str], expected: set[str]
) -> None:
    if name == "agreements_of_actor":
        params = {"actor": "atlantis", **params}
    rows = run(time_graph, name, **params)
    found = {str(r[ID_COLUMN[name]]).split("-status-")[0] for r in rows}
    assert found == expected


@pytest.mark.parametrize("bad", ["2025-02-29", "2025-13", "25-10", "2025-10-15T00:00"])
def test_an_impossible_date_is_refused_by_name(bad: str) -> None:
    with pytest.raises(ParamError) as err:
        QUERIES["agreements_as_of"].bind({"as_of": bad})
    assert set(err.value.problems) == {"as_of"}


# ---------------------------------------------- the whole graph's first page, from the index

# timeline and what_changed find the whole graph's first page from the nodes whose first fact is
# earliest (loaders/lookups.py); a lower bound (`from`, `since`) of year 1000 keeps every fact and
# reads every node: the reference order
FIRST_PAGE_CASES = [
    ("timeline", {}, {"from": "1000"}),
    ("timeline", {"to": "2025-10"}, {"from": "1000", "to": "2025-10"}),
    ("what_changed", {}, {"since": "1000"}),
    ("what_changed", {"until": "2025-12-31"}, {"since": "1000", "until": "2025-12-31"}),
]


def first_pages_match(
    graph: GraphStore, name: str, params: dict[str, str], every: dict[str, str]
) -> None:
    query = QUERIES[name]
    reference = graph.run(query.cypher, query.bind(every)).rows
    assert len(reference) > 5
    for size in (1, 2, 3, 7, 50, len(reference) - 1, len(reference) + 5):
        page = graph.run(query.cypher, {**query.bind(params), "row_limit": size}).rows
        assert page == reference[:size], (name, params, size)


@pytest.mark.parametrize(("name", "params", "every"), FIRST_PAGE_CASES)
def test_the_whole_graphs_first_page_is_its_first_facts_at_every_precision(
    time_graph: GraphStore, name: str, params: dict[str, str], every: dict[str, str]
) -> None:
    first_pages_match(time_graph, name, params, every)


@pytest.mark.parametrize(("name", "params", "every"), FIRST_PAGE_CASES)
def test_the_whole_graphs_first_page_is_its_first_facts_on_the_curated_data(
    loaded_store: GraphStore, name: str, params: dict[str, str], every: dict[str, str]
) -> None:
    first_pages_match(loaded_store, name, params, every)
