"""The curated graph as it stood on a date, on both stores: every agreement on a grid of dates
against the answer worked out in Python from the YAML, and every query that takes `as_of`.
(tests/test_time.py checks the rules on made-up facts at every precision boundary.)"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mineralkg.graph.catalogue import catalogue
from mineralkg.graph.store import GraphStore
from mineralkg.loaders.dataset import Dataset, Node
from mineralkg.ontology.dates import RECORD_KEEPING, PartialDate

QUERIES = catalogue()


def run(graph: GraphStore, name: str, **params: Any) -> list[dict[str, Any]]:
    query = QUERIES[name]
    return graph.run(query.cypher, query.bind(params)).rows


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


def test_every_agreement_as_of_every_date_of_a_grid(
    loaded_store: GraphStore, curated: Dataset
) -> None:
    agreements = [n for n in curated.nodes.values() if "Agreement" in n.labels]
    grid = date_grid(curated)
    assert len(grid) >= 50 and len(agreements) >= 50
    for as_of in grid:
        rows = run(loaded_store, "agreements_as_of", as_of=as_of.text)
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
    loaded_store: GraphStore, curated: Dataset, name: str
) -> None:
    params, column = AS_OF_QUERIES[name]
    now = _answer(run(loaded_store, name, **params), column)
    later = _answer(run(loaded_store, name, as_of="2100", **params), column)
    assert later == now and now  # by 2100 everything on record had happened
    earlier = _answer(run(loaded_store, name, as_of="2019", **params), column)
    assert earlier < now  # less was on record then
    first = {n.id: n.props.get("firstDatedEarliest") for n in curated.nodes.values()}
    for fact in earlier:  # and nothing first dated after 2019
        assert first.get(fact) is None or first[fact] <= "2019-12-31", fact
