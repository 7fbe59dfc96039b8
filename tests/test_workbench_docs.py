"""docs/cypher.md cannot drift: every worked query on it answers rows on both stores."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mineralkg.graph.store import GraphStore

DOC = Path(__file__).resolve().parents[1] / "docs" / "cypher.md"
QUERIES = re.findall(r"```cypher\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def test_the_page_documents_every_provenance_and_bookkeeping_property() -> None:
    from mineralkg.loaders import stored

    text = DOC.read_text(encoding="utf-8")
    for key in (*stored.BOOKKEEPING, stored.HASH, stored.LOAD, stored.ALIASES_TEXT):
        assert f"`{key}`" in text, key
    for key in sorted(stored.CATALOGUE_INTERNAL):
        assert f"`{key}`" in text, key
    worked = " ".join(QUERIES)
    for key in (*stored.BOOKKEEPING, "sourceCount", "sourceKinds", "recordedOn"):
        assert re.search(rf"\.{key}\b", worked), f"no worked query uses {key}"


@pytest.mark.parametrize("query", QUERIES, ids=[f"q{i}" for i in range(len(QUERIES))])
def test_every_worked_query_answers(loaded_store: GraphStore, query: str) -> None:
    result = loaded_store.run(query, timeout=30)
    assert result.rows, query
