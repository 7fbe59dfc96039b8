"""The Neo4j fault cases of bench/faults.py (run only when named there with --cases)."""

from __future__ import annotations

import os
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import neo4j

from mineralkg.api.cache import VERSION
from mineralkg.graph.neo4j_store import Neo4jStore
from mineralkg.graph.store import OnResult, Statement
from mineralkg.loaders.dataset import load_dataset
from mineralkg.loaders.plan import build_plan
from mineralkg.settings import get_settings
from mineralkg.testing.loopback import loopback_page
from mineralkg.testing.neo4j_server import neo4j_server
from mineralkg.testing.synthetic import generate

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


PAIR = "MATCH (n) WITH count(n) AS n MATCH ()-[r]->() RETURN n, count(r) AS r"
NODES = "MATCH (n) RETURN count(n) AS n"
RELATIONSHIPS = "MATCH ()-[r]->() RETURN count(r) AS r"
Read = tuple[float, float, tuple[int, int]]  # began, ended, (nodes, relationships)


class _Timed(Neo4jStore):
    """A Neo4j store that notes when its write transaction starts to commit (its statements
    are all sent) and when the commit has returned."""

    commit: list[float]

    def write_transaction(
        self, statements: Iterable[Statement], on_result: OnResult | None = None
    ) -> None:
        def sent() -> Iterator[Statement]:
            yield from statements
            self.commit.append(time.monotonic())  # next: tx.commit()

        super().write_transaction(sent(), on_result)
        self.commit.append(time.monotonic())


def _pair_in_one_transaction(tx: neo4j.ManagedTransaction) -> tuple[int, int]:
    nodes = tx.run(NODES).single(strict=True)["n"]
    return nodes, tx.run(RELATIONSHIPS).single(strict=True)["r"]


def neo4j_readers_during_load(_: Path, size: int) -> dict[str, object]:
    """Issue #14 on Neo4j: 3 readers count nodes and relationships (one in one query, one in
    two queries of one read transaction, one in one query after reading the graph's version
    as the API's result cache does, noting only the answers read after the new version) while
    a load of `size` synthetic nodes replaces the curated graph: answers that are neither
    graph's, and whether each of them overlapped the load's commit (from its statements all
    sent to the commit's return)."""
    os.environ.setdefault("NEO4J_TX_MEMORY_MB", "0")  # a 10k-node load is one transaction
    os.environ.setdefault("NEO4J_HEAP", "2g")
    settings = get_settings()
    curated = load_dataset(settings.data_dir, settings.sources_dir)
    with neo4j_server() as uri:
        store = _Timed(uri)
        store.commit = []
        store.load(build_plan(curated))
        store.commit.clear()
        driver = neo4j.GraphDatabase.driver(uri, auth=None)
        old = tuple(store.run(PAIR).rows[0].values())
        log: dict[str, list[Read]] = {"query": [], "tx": [], "query after the new version": []}
        plan = build_plan(generate(size, 4, seed=7))
        stop = threading.Event()

        def one_query() -> None:
            while not stop.is_set():
                began = time.monotonic()
                row = store.run(PAIR).rows[0]
                log["query"].append((began, time.monotonic(), (row["n"], row["r"])))

        def one_transaction() -> None:
            with driver.session(default_access_mode=neo4j.READ_ACCESS) as session:
                while not stop.is_set():
                    began = time.monotonic()
                    pair = session.execute_read(_pair_in_one_transaction)
                    log["tx"].append((began, time.monotonic(), pair))

        def version_first() -> None:
            # as the API's result cache keeps an answer: for the version read before it
            while not stop.is_set():
                began = time.monotonic()
                version = store.run(VERSION).rows[0]["version"]
                row = store.run(PAIR).rows[0]
                if version == plan.stamp:
                    pair = (row["n"], row["r"])
                    log["query after the new version"].append((began, time.monotonic(), pair))

        readers = [threading.Thread(target=f) for f in (one_query, one_transaction, version_first)]
        for reader in readers:
            reader.start()
        began = time.monotonic()
        store.load(plan)
        loaded = time.monotonic()
        time.sleep(0.5)
        stop.set()
        for reader in readers:
            reader.join()
        new = tuple(store.run(PAIR).rows[0].values())
        driver.close()
        store.close()
    start, end = store.commit
    summary: dict[str, object] = {
        "old": old,
        "new": new,
        "load s": round(loaded - began, 2),
        "commit s": round(end - start, 3),
    }
    return summary | _mixed(log, old, new, start, end)


def _mixed(
    log: dict[str, list[Read]], old: object, new: object, start: float, end: float
) -> dict[str, object]:
    """Per reader: its reads, those that overlapped the commit, those that were neither graph's
    and when (seconds after the commit started), the longest read that overlapped the commit,
    and its reads that overlapped the span in which any reader got a mixed answer."""
    wrong = [(b, e) for reads in log.values() for b, e, pair in reads if pair not in (old, new)]
    span = (min(b for b, _ in wrong), max(e for _, e in wrong)) if wrong else None
    result: dict[str, object] = {
        "neither, s after the commit started (first began, last ended)": (
            [round(span[0] - start, 3), round(span[1] - start, 3)] if span else None
        )
    }
    for kind, reads in log.items():
        during = [(b, e) for b, e, _ in reads if b <= end and e >= start]
        mixed = [(b, e, pair) for b, e, pair in reads if pair not in (old, new)]
        result[kind] = {
            "reads": len(reads),
            "first began, s after the commit started": (
                round(min(b for b, _, _ in reads) - start, 3) if reads else None
            ),
            "during the commit": len(during),
            "longest of them s": round(max((e - b for b, e in during), default=0.0), 3),
            "during the span of mixed answers": (
                sum(b <= span[1] and e >= span[0] for b, e, _ in reads) if span else 0
            ),
            "neither": len(mixed),
            "neither, outside the commit": sum(not (b <= end and e >= start) for b, e, _ in mixed),
            "examples": sorted({pair for _, _, pair in mixed})[:3],
        }
    return result


ENTITY = "MATCH (n:Entity {id: $id}) RETURN n.name AS name"
PROBE = "MATCH (v:_GraphVersion) RETURN v.seq AS seq"


def _entity(tx: neo4j.ManagedTransaction, probed: bool) -> object:
    """One small catalogue-like read; `probed`: between two reads of a version node, as a
    reader would that retries when a load's commit began or ended meanwhile."""
    before = tx.run(PROBE).single() if probed else None
    name = tx.run(ENTITY, id="uk").single(strict=True)["name"]
    after = tx.run(PROBE).single() if probed else None
    return name, before == after


def neo4j_version_probe(_: Path, reads: int) -> dict[str, object]:
    """What a version check around each read would cost (candidate fix of issue #14): the
    median of a one-entity read alone and between two reads of a version node, alternated in
    one run on the curated graph. `--load-nodes` is the number of reads of each."""
    settings = get_settings()
    curated = load_dataset(settings.data_dir, settings.sources_dir)
    timings: dict[bool, list[float]] = {False: [], True: []}
    with neo4j_server() as uri:
        store = Neo4jStore(uri)
        store.load(build_plan(curated))
        store.write_transaction([("CREATE (:_GraphVersion {seq: 0})", {})])
        driver = neo4j.GraphDatabase.driver(uri, auth=None)
        with driver.session(default_access_mode=neo4j.READ_ACCESS) as session:
            for index in range(2 * reads + 100):  # the first 100: warm-up
                probed = index % 2 == 1
                began = time.perf_counter()
                session.execute_read(_entity, probed)
                if index >= 100:
                    timings[probed].append(time.perf_counter() - began)
        driver.close()
        store.close()
    alone, checked = (statistics.median(timings[k]) * 1000 for k in (False, True))
    return {
        "reads each": reads,
        "median ms alone": round(alone, 3),
        "median ms with the probes": round(checked, 3),
        "ratio": round(checked / alone, 2),
    }


CASES: dict[str, Callable[[Path, int], dict[str, object]]] = {
    "neo4j_operations": neo4j_operations,
    "neo4j_killed": neo4j_killed,
    "neo4j_readers_during_load": neo4j_readers_during_load,
    "neo4j_version_probe": neo4j_version_probe,
}
