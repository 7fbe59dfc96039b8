"""What the API answers on Neo4j while a load replaces the graph (issue #14).

A load is one write transaction: until it commits, every reader sees exactly the old graph
(counts and content); once it has committed, exactly the new one; a load that fails or is
killed half-way leaves the old graph. (While the commit itself is applied, a reader can see
neither: README, "A known limit on Neo4j"; `python -m bench.faults --cases
neo4j_readers_during_load` measures it.)
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mineralkg.api.app import create_app
from mineralkg.graph.store import GraphStore
from mineralkg.loaders.dataset import Dataset
from mineralkg.loaders.plan import build_plan
from mineralkg.settings import Settings
from mineralkg.testing.synthetic import generate

pytestmark = pytest.mark.neo4j

NEW = generate(300, 2, seed=3)
GRAPH = (
    "MATCH (n) WITH count(n) AS nodes, collect(n.id) AS ids "
    "OPTIONAL MATCH (a)-[r]->(b) "
    "RETURN nodes, count(r) AS relationships, ids, collect([a.id, type(r), b.id]) AS edges"
)
WAIT = 120  # seconds a step may take on a busy machine before the test gives up


def graph_of(dataset: Dataset) -> dict[str, Any]:
    """The graph a load of `dataset` leaves, as GRAPH answers it: counts, ids, edges."""
    ids = set(dataset.nodes)
    edges = {(r.start, r.type, r.end) for r in dataset.relations}
    return {"nodes": len(ids), "relationships": len(edges), "ids": ids, "edges": edges}


def seen(client: TestClient) -> dict[str, Any]:
    """The whole graph as an API reader sees it, in one read query."""
    response = client.post("/cypher", json={"query": GRAPH})
    assert response.status_code == 200, response.text
    row = response.json()["rows"][0]
    return {
        "nodes": row["nodes"],
        "relationships": row["relationships"],
        "ids": set(row["ids"]),
        "edges": {tuple(edge) for edge in row["edges"]},
    }


@pytest.fixture
def old(neo4j_store: GraphStore, mini: Dataset) -> Iterator[GraphStore]:
    """The one Neo4j database holding the mini dataset (the old graph), emptied afterwards."""
    neo4j_store.clear()
    neo4j_store.load(build_plan(mini))
    yield neo4j_store
    neo4j_store.clear()


@pytest.fixture
def client(old: GraphStore) -> Iterator[TestClient]:
    # no result cache: each answer is read from the store when it is asked for
    with TestClient(create_app(Settings(cache_ttl=0), store=old)) as api:
        yield api


def test_readers_see_the_old_graph_until_the_load_commits_then_the_new_one(
    old: GraphStore, client: TestClient, mini: Dataset
) -> None:
    before, after = graph_of(mini), graph_of(NEW)
    assert before != after and seen(client) == before
    written, paused, resume = [0], threading.Event(), threading.Event()

    def pause_half_way(rows: int) -> None:  # called between the load's batches
        written[0] += rows
        if written[0] >= len(NEW.nodes) and not paused.is_set():
            paused.set()  # every node and some relationships are written, not committed
            assert resume.wait(WAIT)

    failed: list[BaseException] = []

    def load() -> None:
        try:
            old.load(build_plan(NEW), batch_size=50, progress=pause_half_way)
        except BaseException as exc:  # noqa: BLE001 - reported by the test's thread
            failed.append(exc)

    loader = threading.Thread(target=load)
    loader.start()
    try:
        assert paused.wait(WAIT), failed
        for _ in range(3):
            assert seen(client) == before
        entity = client.get("/entities/uk")
        assert entity.status_code == 200 and entity.json()["name"] == "United Kingdom"
    finally:
        resume.set()
        loader.join(WAIT)
    assert not failed and not loader.is_alive()
    assert seen(client) == after
    assert client.get("/entities/uk").status_code == 404


def test_a_load_that_fails_half_way_leaves_the_old_graph(
    old: GraphStore, client: TestClient, mini: Dataset
) -> None:
    written = [0]

    def fail_half_way(rows: int) -> None:
        written[0] += rows
        if written[0] >= len(NEW.nodes):
            raise RuntimeError("the load stops here")

    with pytest.raises(RuntimeError, match="stops here"):
        old.load(build_plan(NEW), batch_size=50, progress=fail_half_way)
    assert written[0] >= len(NEW.nodes)
    assert seen(client) == graph_of(mini)


KILLED_LOAD = """
import sys
from mineralkg.graph.neo4j_store import Neo4jStore
from mineralkg.loaders.plan import build_plan
from mineralkg.testing.synthetic import generate
store = Neo4jStore(sys.argv[1])
def told(rows):
    print(rows, flush=True)
    sys.stdin.readline()  # until the test has killed this process
store.load(build_plan(generate(300, 2, seed=3)), batch_size=50, progress=told)
"""


def test_a_load_killed_half_way_leaves_the_old_graph(
    old: GraphStore, client: TestClient, mini: Dataset
) -> None:
    uri = getattr(old, "address")  # noqa: B009 - the Neo4j store's URI
    loader = subprocess.Popen(
        [sys.executable, "-c", KILLED_LOAD, uri],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert loader.stdout is not None and loader.stdin is not None
    try:
        assert int(loader.stdout.readline()) > 0  # a batch is written, not committed
        assert seen(client) == graph_of(mini)
    finally:
        loader.kill()  # SIGKILL: no rollback from the client's side
        loader.wait(WAIT)
    assert seen(client) == graph_of(mini)
    old.load(build_plan(NEW))  # its locks went with it: the next load is not held up
    assert seen(client) == graph_of(NEW)
