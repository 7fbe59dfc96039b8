"""The listings that page themselves with filters (agreements_as_of, instruments_of_actor,
provisions_matrix) test every filter before their page is cut: a capped read is the first rows
of the whole answer also when a filter drops rows from the middle of the answer's order (a
status then, a second actor without the first, a kind, a date, the actor's own instruments, a
period), on both stores."""

from __future__ import annotations

from typing import Any

import pytest

from mineralkg.graph.catalogue import catalogue
from mineralkg.graph.reads import ReadLimits, read
from mineralkg.graph.store import GraphStore

# (query, parameters, the parameter whose filter drops rows)
CASES: list[tuple[str, dict[str, Any], str]] = [
    ("agreements_as_of", {"as_of": "2025-10-15", "status": "in-force"}, "status"),
    ("agreements_as_of", {"as_of": "2100", "other": "eu"}, "other"),
    ("instruments_of_actor", {"kind": "Stockpile"}, "kind"),
    ("instruments_of_actor", {"as_of": "2025-06"}, "as_of"),
    ("instruments_of_actor", {"actor": "us", "include_members": False}, "include_members"),
    ("provisions_matrix", {"from": "2025"}, "from"),
    ("provisions_matrix", {"to": "2025-06"}, "to"),
]
# the columns that name a row
KEYS = {
    "agreements_as_of": ("agreement",),
    "instruments_of_actor": ("instrument",),
    "provisions_matrix": ("agreement", "class"),
}


def _keys(name: str, rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [tuple(row[k] for k in KEYS[name]) for row in rows]


@pytest.mark.parametrize(
    ("name", "given", "dropping"), CASES, ids=[f"{n}-{'-'.join(g)}" for n, g, _ in CASES]
)
def test_a_filtered_page_is_the_answers_first_rows(
    loaded_store: GraphStore, name: str, given: dict[str, Any], dropping: str
) -> None:
    query = catalogue()[name]
    assert query.pages
    params = query.bind(given)
    whole = loaded_store.run(query.cypher, params, timeout=60).rows
    assert len(whole) >= 2, f"{name} {given}: too few rows to cut a page of"
    # the filter drops rows before the answer's last one: a page cut before it would be wrong
    unfiltered = query.bind({k: v for k, v in given.items() if k != dropping})
    keys = _keys(name, loaded_store.run(query.cypher, unfiltered, timeout=60).rows)
    assert _keys(name, whole) != keys[: len(whole)], f"{name}: {dropping} drops no earlier row"
    for rows in (1, len(whole) // 2, len(whole) - 1, len(whole)):
        capped = read(loaded_store, query.cypher, params, ReadLimits(60, rows))
        assert capped.rows == whole[:rows], f"{name} {given}: the first {rows} rows differ"
        assert capped.truncated == (len(whole) > rows)
