"""The Neo4j fault cases of bench/faults.py (run only when named there with --cases)."""

from __future__ import annotations

import os
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from mineralkg.testing.loopback import loopback_page

COUNT = "MATCH (n) RETURN count(n) AS n"


OPERATIONS = [
    "SHOW USERS",
    "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
    "CALL dbms.killConnections(['bolt-1'])",
    "LOAD CSV FROM 'http://127.0.0.1:{port}/' AS row RETURN row",
]


def neo4j_operations(_: Path, __: int) -> dict[str, object]:
    """The operations of issue #14 sent to /cypher on Neo4j (MINERALKG_NEO4J_URI): how many
    were accepted, and whether LOAD CSV fetched the loopback page."""
    from fastapi.testclient import TestClient

    from mineralkg.api.app import create_app
    from mineralkg.graph.neo4j_store import Neo4jStore
    from mineralkg.settings import Settings

    fetched: list[str] = []
    page = loopback_page(fetched)
    store = Neo4jStore(os.environ["MINERALKG_NEO4J_URI"])
    answers = {}
    with TestClient(create_app(Settings(), store=store)) as client:
        for query in OPERATIONS:
            text = query.replace("{port}", str(page.server_port))
            answers[query.split(" (")[0][:30]] = client.post("/cypher", json={"query": text})
    page.shutdown()
    page.server_close()
    store.close()
    return {
        "accepted (200)": sum(r.status_code == 200 for r in answers.values()),
        "statuses": {q: r.status_code for q, r in answers.items()},
        "LOAD CSV fetched the page": bool(fetched),
    }


def neo4j_killed(_: Path, __: int) -> dict[str, object]:
    """A Neo4j of our own (tools/neo4j/neo4j.sh run, which starts it again when it dies)
    read through the API by 2 clients while its JVM is killed: answers by status, time from
    the kill to the server's return and to the first 200 after it, nothing lost."""
    from fastapi.testclient import TestClient

    from mineralkg.api.app import create_app
    from mineralkg.graph.neo4j_store import Neo4jStore
    from mineralkg.settings import Settings
    from mineralkg.testing.neo4j_server import running_neo4j

    with running_neo4j() as server:
        store = Neo4jStore(server.uri)
        store.write_transaction([("UNWIND range(1, 300) AS i CREATE (:Entity {id: i})", {})])
        log: list[tuple[float, int]] = []
        stop = threading.Event()
        with TestClient(create_app(Settings(), store=store)) as client:

            def read() -> None:
                while not stop.is_set():
                    r = client.post("/cypher", json={"query": COUNT})
                    log.append((time.monotonic(), r.status_code))

            readers = [threading.Thread(target=read) for _ in range(2)]
            for reader in readers:
                reader.start()
            time.sleep(2)
            killed = time.monotonic()
            server.kill_jvm()
            server.wait_restarted()
            returned = time.monotonic()
            while not any(t > returned and s == 200 for t, s in log[-50:]):
                time.sleep(0.1)
                if time.monotonic() - returned > 60:
                    break
            stop.set()
            for reader in readers:
                reader.join()
            found = client.post("/cypher", json={"query": COUNT}).json()["rows"][0]["n"]
        store.close()
    after = [(t, s) for t, s in log if t > killed]
    back = next((t - returned for t, s in after if s == 200 and t > returned), None)
    return {
        "answers after the kill": dict(Counter(s for _, s in after)),
        "server back after s": returned - killed,
        "first 200 after its return s": back,
        "nodes before/after": f"300 / {found}",
    }


CASES: dict[str, Callable[[Path, int], dict[str, object]]] = {
    "neo4j_operations": neo4j_operations,
    "neo4j_killed": neo4j_killed,
}
