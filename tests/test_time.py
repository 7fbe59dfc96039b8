"""Dates compared at their precision, and the graph as it stood on a date, on both stores.

Two checks: a table of boundary cases on made-up facts dated at every precision
(tests/fixtures/time), and the as-of answers for every curated agreement on a grid of dates,
against the same answers worked out here in Python from the YAML.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mineralkg.graph.catalogue import ParamError, catalogue
from mineralkg.graph.store import GraphStore
from mineralkg.loaders.dataset import Dataset, Node, load_dataset
from mineralkg.loaders.plan import build_plan
from mineralkg.ontology.dates import RECORD_KEEPING, PartialDate
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


# ------------------------------------------------------------- every agreement on a date grid


def expected_as_of(agreement: Node, as_of: PartialDate) -> tuple[str, str | None, list[str]]:
    """What the YAML says of an agreement as of a date, worked out without the graph."""
    steps = [PartialDate.parse(s.date) for s in agreement.history]
    own = [
        PartialDate.parse(v)
        for k, v in agreement.props.items()
        if k.endswith(("On", "From")) and k not in RECORD_KEEPING and isinstance(v, str)
    ]
    dates = own + steps
    if not dates:
        standing = "undated"
    elif any(d.latest <= as_of.latest for d in dates):
        standing = "known"
    elif any(d.earliest <= as_of.latest for d in dates):
        standing = "undecidable"
    else:
        standing = "not-yet"
    known = [i for i, d in enumerate(steps) if d.latest <= as_of.latest]
    last = known[-1] if known else -1
    status = agreement.history[last].status if known else None
    later = [
        agreement.history[i].status
        for i in range(last + 1, len(steps))
        if steps[i].earliest <= as_of.latest
    ]
    return standing, status, later


def date_grid(curated: Dataset) -> list[PartialDate]:
    """Years, quarters' last months and the days around every status change of the data."""
    texts = {str(y) for y in range(2018, 2027)}
    texts |= {f"{y}-{m:02d}" for y in range(2022, 2027) for m in (3, 6, 9, 12)}
    days: set[dt.date] = set()
    for node in curated.nodes.values():
        if "Agreement" in node.labels:
            for step in node.history:
                date = PartialDate.parse(step.date)
                days |= {date.earliest, date.latest, date.earliest - dt.timedelta(days=1)}
    texts |= {d.isoformat() for d in sorted(days)[:: max(1, len(days) // 40)]}
    return [PartialDate.parse(t) for t in sorted(texts)]


@pytest.fixture(scope="module", params=STORE_KINDS)
def curated_graph(request: pytest.FixtureRequest, curated: Dataset) -> Iterator[GraphStore]:
    yield from _loaded(request, curated)


def test_every_agreement_as_of_every_date_of_a_grid(
    curated_graph: GraphStore, curated: Dataset
) -> None:
    agreements = [n for n in curated.nodes.values() if "Agreement" in n.labels]
    grid = date_grid(curated)
    assert len(grid) >= 50 and len(agreements) >= 50
    for as_of in grid:
        rows = run(curated_graph, "agreements_as_of", as_of=as_of.text)
        got = {r["agreement"]: (r["standing"], r["status"], r["status_undecidable"]) for r in rows}
        expected = {a.id: expected_as_of(a, as_of) for a in agreements}
        want = {k: v for k, v in expected.items() if v[0] != "not-yet"}
        assert got == want, as_of.text


# ---------------------------------------------------------- every query that takes as_of

AS_OF_QUERIES = {
    "agreements_of_actor": ({"actor": "eu"}, "agreement"),
    "instruments_of_actor": ({"actor": "us"}, "instrument"),
    "tensions_between": ({"actor_a": "us", "actor_b": "eu"}, "tension"),
    "list_comparison": (
        {"list_a": "us-critical-minerals-list", "list_b": "eu-critical-raw-materials-list"},
        "minerals",
    ),
    "mineral_profile": ({"mineral": "dysprosium"}, "covered_by"),
    "actor_relations_profile": ({"actor": "us"}, "cooperation"),
}


def _answer(rows: list[dict[str, Any]], column: str) -> set[str]:
    found: set[str] = set()
    for row in rows:
        value = row[column]
        for item in value if isinstance(value, list) else [value]:
            found.add(str(item["id"] if isinstance(item, dict) else item))
    return found


def test_every_query_with_a_date_takes_as_of() -> None:
    dated = {n for n, q in QUERIES.items() if any(p.type == "date" for p in q.params)}
    with_as_of = {n for n, q in QUERIES.items() if any(p.name == "as_of" for p in q.params)}
    assert set(AS_OF_QUERIES) | {"agreements_as_of"} <= with_as_of
    assert dated - with_as_of <= {"events_in_range", "timeline"}  # ranges, not states


@pytest.mark.parametrize("name", sorted(AS_OF_QUERIES))
def test_as_of_keeps_what_was_on_record_then(
    curated_graph: GraphStore, curated: Dataset, name: str
) -> None:
    params, column = AS_OF_QUERIES[name]
    now = _answer(run(curated_graph, name, **params), column)
    later = _answer(run(curated_graph, name, as_of="2100", **params), column)
    assert later == now and now  # by 2100 everything on record had happened
    earlier = _answer(run(curated_graph, name, as_of="2019", **params), column)
    assert earlier < now  # less was on record then
    first = {n.id: n.props.get("firstDatedEarliest") for n in curated.nodes.values()}
    for fact in earlier:  # and nothing first dated after 2019
        assert first.get(fact) is None or first[fact] <= "2019-12-31", fact
