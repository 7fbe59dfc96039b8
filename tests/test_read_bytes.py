"""A read stops at a size in bytes, not only at a number of rows: on Neo4j the rows beyond it
are never fetched, so 1,000 rows of 1 MB strings cannot take the API's memory."""

from __future__ import annotations

from mineralkg.graph.reads import ReadLimits, read
from mineralkg.graph.store import GraphStore

MEGABYTE_ROWS = (
    "UNWIND range(1, 1000) AS i "
    "RETURN i, reduce(s = '0123456789abcdef', k IN range(1, 16) | s + s) AS big"
)


def test_a_read_of_huge_rows_stops_past_its_byte_limit(neo4j_store: GraphStore) -> None:
    result = read(neo4j_store, MEGABYTE_ROWS, {}, ReadLimits(30.0, 1000, 3_000_000))
    assert result.truncated
    assert 3 <= len(result.rows) <= 4  # about 1 MB each: stopped just past 3 MB
    assert [row["i"] for row in result.rows] == list(range(1, len(result.rows) + 1))


def test_rows_within_the_byte_limit_are_all_read(neo4j_store: GraphStore) -> None:
    result = read(
        neo4j_store, "UNWIND range(1, 50) AS i RETURN i", {}, ReadLimits(30.0, 1000, 10_000)
    )
    assert not result.truncated
    assert len(result.rows) == 50
