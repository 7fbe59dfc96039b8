"""Queries that page themselves (`$row_limit`, graph/catalogue.py) answer a capped read with the
first rows of their whole answer, in the same order, on both stores: the page is the answer's
beginning, not a sample, and `truncated` says when more rows exist."""

from __future__ import annotations

from typing import Any

import pytest

from mineralkg.graph.catalogue import NO_ROW_LIMIT, ROW_LIMIT, CatalogueError, catalogue, parse
from mineralkg.graph.examples import example
from mineralkg.graph.reads import ReadLimits, read
from mineralkg.graph.store import GraphStore

PAGING = [q for q in catalogue().values() if q.pages]


def test_some_queries_page_themselves() -> None:
    assert PAGING, "no catalogue query uses $row_limit"


def _params(name: str, optional: bool) -> dict[str, Any]:
    query = catalogue()[name]
    given = {p.name: example(p) for p in query.params if p.required or optional}
    return query.bind({k: v for k, v in given.items() if v is not None})


@pytest.mark.parametrize("optional", [False, True], ids=["required", "examples"])
@pytest.mark.parametrize("name", [q.name for q in PAGING])
def test_a_capped_read_is_the_answers_first_rows(
    loaded_store: GraphStore, name: str, optional: bool
) -> None:
    query = catalogue()[name]
    params = _params(name, optional)
    assert params[ROW_LIMIT] == NO_ROW_LIMIT  # bound without a reader: every row
    whole = loaded_store.run(query.cypher, params, timeout=60).rows
    for rows in (1, 2, 5):
        capped = read(loaded_store, query.cypher, params, ReadLimits(60, rows))
        assert capped.rows == whole[:rows], f"{name}: the first {rows} rows differ"
        assert capped.truncated == (len(whole) > rows)


def test_row_limit_is_reserved(tmp_path: Any) -> None:
    path = tmp_path / "q.cypher"
    path.write_text(
        "// name: q\n// description: d\n// param row_limit: integer = 5 -- no\n"
        "MATCH (n) RETURN n LIMIT $row_limit\n"
    )
    with pytest.raises(CatalogueError, match="reserved"):
        parse(path)
