"""Ad-hoc Cypher reads data and nothing else, on both stores: no administration, no fetching
of URLs, only reading procedures, no internal properties in answers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from test_stores import seed

from mineralkg.graph.guard import QueryTooLarge
from mineralkg.graph.store import GraphStore, QueryRefused, StoreError
from mineralkg.testing.loopback import loopback_page


@pytest.fixture
def web() -> Iterator[tuple[str, list[str]]]:
    """A page on loopback, and the paths it was asked for (a fetch would show up here)."""
    asked: list[str] = []
    server = loopback_page(asked)
    yield f"http://127.0.0.1:{server.server_port}", asked
    server.shutdown()
    server.server_close()


def test_load_csv_is_refused_and_nothing_is_fetched(
    store: GraphStore, web: tuple[str, list[str]]
) -> None:
    url, asked = web
    with pytest.raises(QueryRefused, match="LOAD CSV"):
        store.run(f"LOAD CSV FROM '{url}/private' AS row RETURN row")
    assert asked == []


def test_only_reading_procedures_are_called(store: GraphStore) -> None:
    seed(store)
    labels = store.run("CALL db.labels() YIELD label RETURN label ORDER BY label").rows
    assert {"Entity", "State"} <= {r["label"] for r in labels}
    # a procedure each store has that lists or reads the server, not the data
    other = "dbms.procedures" if store.kind == "embedded" else "dbms.components"
    with pytest.raises(QueryRefused, match=other.replace(".", r"\.")):
        store.run(f"CALL {other}()")


def test_internal_properties_are_left_out_of_property_maps(store: GraphStore) -> None:
    seed(store)  # its nodes carry _hash
    (row,) = store.run("MATCH (n:Entity {id: 'uk'}) RETURN properties(n) AS p, n AS n").rows
    assert row["p"] == {"id": "uk", "name": "United Kingdom", "aliases": ["UK"]}
    assert "_hash" not in row["n"]["properties"]


@pytest.mark.neo4j
@pytest.mark.parametrize(
    "query",
    [
        "SHOW USERS",
        "SHOW DATABASES",
        "SHOW TRANSACTIONS",
        "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
        "CALL dbms.killConnections(['bolt-1'])",
        "CALL dbms.listConfig()",
        "CALL db.createLabel('Injected')",
        "SHOW PROCEDURES YIELD name RETURN name",
        "SHOW SETTINGS",
    ],
)
def test_neo4j_refuses_administration(neo4j_store: GraphStore, query: str) -> None:
    with pytest.raises(QueryRefused, match="refused") as info:
        neo4j_store.run(query)
    assert info.value.status == 403


@pytest.mark.neo4j
def test_neo4j_answers_schema_shows(neo4j_store: GraphStore) -> None:
    neo4j_store.ensure_schema(["Entity"], ["Entity"])
    rows = neo4j_store.run("SHOW INDEXES YIELD name RETURN name").rows
    assert any(r["name"] == "entity_names" for r in rows)


@pytest.mark.neo4j
def test_neo4j_refuses_a_transaction_that_would_exhaust_memory(neo4j_store: GraphStore) -> None:
    """db.memory.transaction.max stops it (413), not the JVM running out of heap. (A list
    comprehension of that size is not tracked by Neo4j's limit: the JVM exits and the
    launcher starts it again, tests/test_neo4j_faults.py.)"""
    with pytest.raises(QueryTooLarge, match="more memory than a transaction") as info:
        neo4j_store.run(
            "UNWIND range(1, 50000000) AS x WITH collect(toString(x) + 'padding') AS xs "
            "RETURN size(xs) AS n",
            timeout=60,
        )
    assert info.value.status == 413
    assert neo4j_store.run("RETURN 1 AS ok").rows == [{"ok": 1}]


def test_a_refusal_is_a_client_error(store: GraphStore) -> None:
    with pytest.raises(StoreError) as info:
        store.run("LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row")
    assert 400 <= info.value.status < 500
