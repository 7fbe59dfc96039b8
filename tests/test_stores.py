"""Both stores behind one interface: the same Cypher, the same answers, the same refusals."""

from __future__ import annotations

import pytest

from mineralkg.graph.store import GraphStore, QueryRefused, QuerySyntaxError, QueryTimeout


def seed(store: GraphStore) -> None:
    store.write_transaction(
        [
            (
                "UNWIND $rows AS r MERGE (n:Entity:Actor:State {id: r.id}) SET n.name = r.name, "
                "n._hash = 'x', n.aliases = r.aliases",
                {
                    "rows": [
                        {"id": "uk", "name": "United Kingdom", "aliases": ["UK"]},
                        {"id": "us", "name": "United States", "aliases": ["U.S."]},
                    ]
                },
            ),
            (
                "MATCH (a:Entity {id: 'uk'}), (b:Entity {id: 'us'}) "
                "CREATE (a)-[:DEPENDS_ON {key: 'k', since: '2025-12'}]->(b)",
                {},
            ),
        ]
    )


def test_values_are_serialised_the_same_way(store: GraphStore) -> None:
    seed(store)
    result = store.run(
        "MATCH (a:Entity {id: $id})-[r]->(b) RETURN a, r, b.name AS name", {"id": "uk"}
    )
    assert result.columns == ["a", "r", "name"]
    (row,) = result.rows
    assert row["a"] == {
        "id": "uk",
        "labels": ["Actor", "Entity", "State"],
        "properties": {"id": "uk", "name": "United Kingdom", "aliases": ["UK"]},
    }
    assert row["r"] == {
        "type": "DEPENDS_ON",
        "start": "uk",
        "end": "us",
        "properties": {"key": "k", "since": "2025-12"},
    }
    assert row["name"] == "United States"


def test_paths_are_serialised_with_our_ids(store: GraphStore) -> None:
    seed(store)
    (row,) = store.run("MATCH p = (:Entity {id: 'uk'})-[*1..2]->(:Entity) RETURN p").rows
    assert [n["id"] for n in row["p"]["nodes"]] == ["uk", "us"]
    assert row["p"]["relationships"][0]["start"] == "uk"


def test_read_mode_is_enforced_by_the_database(store: GraphStore) -> None:
    seed(store)
    before = store.counts()
    with pytest.raises(QueryRefused):
        store.run("CREATE (:Entity {id: 'x'})", mode="read")
    assert store.counts() == before


def test_syntax_errors_carry_the_database_message(store: GraphStore) -> None:
    with pytest.raises(QuerySyntaxError) as info:
        store.run("MATCH (n RETURN n")
    assert str(info.value)


def test_timeout_stops_a_long_query(store: GraphStore) -> None:
    seed(store)
    with pytest.raises(QueryTimeout):
        store.run(
            "UNWIND range(1, 20000) AS a UNWIND range(1, 20000) AS b "
            "WITH a, b WHERE a * b % 7 = 1 RETURN count(*) AS c",
            timeout=0.2,
        )


def test_row_limit_marks_the_result_truncated(store: GraphStore) -> None:
    result = store.run("UNWIND range(1, 10) AS x RETURN x", limit=3)
    assert [r["x"] for r in result.rows] == [1, 2, 3]
    assert result.truncated


def test_a_failed_transaction_changes_nothing(store: GraphStore) -> None:
    seed(store)
    before = store.counts()
    with pytest.raises(QuerySyntaxError):
        store.write_transaction([("CREATE (:Entity {id: 'new'})", {}), ("THIS IS NOT CYPHER", {})])
    assert store.counts() == before
    assert store.run("MATCH (n:Entity {id: 'new'}) RETURN n").rows == []


def test_fulltext_finds_names_and_aliases(store: GraphStore) -> None:
    store.ensure_schema(["Entity", "State"], ["Entity"])
    store.write_transaction(
        [
            (
                "CREATE (:Entity:State {id: 'us', name: 'United States', _aliases: $aliases})",
                {"aliases": "U.S. Washington"},
            )
        ]
    )
    assert [i for i, _ in store.fulltext("washington", 5)] == ["us"]
    assert [i for i, _ in store.fulltext("unit", 5)] == ["us"]
    assert store.fulltext("greenland", 5) == []
