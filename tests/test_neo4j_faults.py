"""Neo4j behind the API when its server dies: the bundled launcher starts it again and reads
recover by themselves, without a restart of the API; operations are refused through /cypher."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from mineralkg.api.app import create_app
from mineralkg.graph.neo4j_store import Neo4jStore
from mineralkg.graph.store import GraphStore
from mineralkg.settings import Settings
from mineralkg.testing.neo4j_server import Neo4jServer, running_neo4j

pytestmark = pytest.mark.neo4j

COUNT = {"query": "MATCH (n:Entity) RETURN count(n) AS n"}


@pytest.fixture(scope="module")
def server() -> Iterator[Neo4jServer]:
    with running_neo4j() as running:
        yield running


@pytest.mark.slow
def test_reads_recover_after_the_server_is_killed_and_started_again(server: Neo4jServer) -> None:
    store = Neo4jStore(server.uri)
    store.write_transaction([("UNWIND range(1, 25) AS i CREATE (:Entity {id: toString(i)})", {})])
    with TestClient(create_app(Settings(query_timeout=5.0), store=store)) as client:
        assert client.post("/cypher", json=COUNT).json()["rows"] == [{"n": 25}]
        server.kill_jvm()  # as -XX:+ExitOnOutOfMemoryError or a crashed host would end it
        down = client.post("/cypher", json=COUNT)
        assert down.status_code == 503, down.text
        assert "went away" in down.json()["error"]["message"]
        server.wait_restarted()  # the launcher started it again, on the same files
        back = time.monotonic()
        while (answer := client.post("/cypher", json=COUNT)).status_code != 200:
            # a server just back answers its first queries slowly on a busy machine: 408
            assert answer.status_code in (503, 408), answer.text
            assert time.monotonic() - back < 10, "reads did not recover within 10 s"
            time.sleep(0.2)
        assert answer.json()["rows"] == [{"n": 25}]  # nothing lost
    store.close()


@pytest.mark.parametrize(
    "query",
    [
        "SHOW USERS",
        "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
        "CALL dbms.killConnections(['bolt-1'])",
        "LOAD CSV FROM 'http://127.0.0.1:9/' AS row RETURN row",
    ],
)
def test_cypher_refuses_operations_with_403(neo4j_store: GraphStore, query: str) -> None:
    with TestClient(create_app(Settings(), store=neo4j_store)) as client:
        response = client.post("/cypher", json={"query": query})
    assert response.status_code == 403, response.text
    assert "refused" in response.json()["error"]["message"]
