"""A read stops at a size in bytes, not only at a number of rows: on Neo4j the rows beyond it
are never fetched, so 1,000 rows of 1 MB strings cannot take the API's memory."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from mineralkg.api.app import create_app
from mineralkg.graph.guard import QueryTooLarge
from mineralkg.graph.reads import ReadLimits, read
from mineralkg.graph.store import AnswerTooLarge, GraphStore
from mineralkg.settings import Settings

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


# FalkorDB sends an answer whole: it is read up to four times the byte limit, then refused.
# (FalkorDB 4.22 loses one character of `s + s` past 512: these strings are 511 long)
SMALL_ROWS = (
    "UNWIND range(1, $n) AS i "
    "RETURN i, reduce(s = '0123456789abcdef', k IN range(1, 6) | s + s) AS big"
)


def test_an_embedded_answer_past_its_reply_cap_is_refused_and_the_store_goes_on(
    embedded_store: GraphStore,
) -> None:
    pid = embedded_store.server_pid  # type: ignore[attr-defined]
    with pytest.raises(AnswerTooLarge, match="fewer rows") as refused:
        read(embedded_store, SMALL_ROWS, {"n": 400}, ReadLimits(30.0, 1000, 20_000))
    assert refused.value.status == 413
    # the dropped connection was not taken for a crash: same server, and the query is not
    # refused by the crash breaker when it asks for less
    assert embedded_store.server_pid == pid  # type: ignore[attr-defined]
    small = read(embedded_store, SMALL_ROWS, {"n": 10}, ReadLimits(30.0, 1000, 20_000))
    assert [row["i"] for row in small.rows] == list(range(1, 11))
    assert len(small.rows[0]["big"]) == 511


def test_an_embedded_answer_within_its_reply_cap_is_read_whole(
    embedded_store: GraphStore,
) -> None:
    # 60 rows of half a kilobyte: about one and a half times the byte limit, under four
    result = read(embedded_store, SMALL_ROWS, {"n": 60}, ReadLimits(30.0, 1000, 20_000))
    assert [row["i"] for row in result.rows] == list(range(1, 61))


def test_reads_without_a_byte_limit_are_not_capped(embedded_store: GraphStore) -> None:
    # loads and exports read without a byte limit, even after a capped read on this thread
    with pytest.raises(AnswerTooLarge):
        embedded_store.run(SMALL_ROWS, {"n": 400}, max_bytes=1_000)
    result = embedded_store.run(SMALL_ROWS, {"n": 400})
    assert len(result.rows) == 400


def test_the_api_answers_413_to_a_huge_embedded_answer(embedded_store: GraphStore) -> None:
    app = create_app(Settings(result_limit_bytes=20_000), store=embedded_store)
    with TestClient(app) as http:
        query = {"query": SMALL_ROWS, "params": {"n": 400}}
        answer = http.post("/cypher", json=query)
        assert answer.status_code == 413
        assert answer.json()["error"]["code"] == "AnswerTooLarge"
        assert http.post("/cypher", json={"query": "RETURN 1 AS one"}).json()["rows"] == [
            {"one": 1}
        ]


def test_an_embedded_query_past_its_memory_capacity_is_413(embedded_store: GraphStore) -> None:
    conn = embedded_store.connection  # type: ignore[attr-defined]
    (_, before) = conn.execute_command("GRAPH.CONFIG", "GET", "QUERY_MEM_CAPACITY")
    conn.execute_command("GRAPH.CONFIG", "SET", "QUERY_MEM_CAPACITY", 16 * 2**20)
    try:
        with pytest.raises(QueryTooLarge, match="more memory than one query may use") as exc:
            embedded_store.run("UNWIND range(1, 5000000) AS x RETURN collect(x) AS xs")
        assert exc.value.status == 413
    finally:
        conn.execute_command("GRAPH.CONFIG", "SET", "QUERY_MEM_CAPACITY", before)
