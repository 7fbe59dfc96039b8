"""Where an entity request's time goes, one request at a time, embedded next to Neo4j.

    python -m bench.entity_reads [--stores embedded,neo4j] [--repeat 40] [--neo4j-uri URI]
        [--code DIR]

For each store the curated data is loaded, the API is built in this process (its lanes and
its bounded store, as served) and each entity endpoint of `bench.hostile`'s normal traffic is
requested `--repeat` times, one after another. Each store call the request makes is
recorded. Prints, per endpoint, medians side by side: the whole request, the number of store
calls, their time in the store's Python client (`store.run`), and on Neo4j the time the
server itself reports for the same queries (`result_available_after` +
`result_consumed_after`, run again afterwards); the rest of the request is the API's own
share; and the CPU time per request of this process (the API and its client) and of the
database's process (on a 2-core machine under concurrent traffic, CPU is what queues).
Then the cost of one trivial read on Neo4j by each way the driver offers. `--code DIR`
measures another checkout of the project first, in the same run, for "before" numbers
(`git archive <commit> | tar -x -C DIR`).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psutil
from fastapi.testclient import TestClient

from bench.processes import redis_servers
from mineralkg.api.app import create_app
from mineralkg.api.cache import REFRESHER
from mineralkg.graph.lanes import BoundedStore
from mineralkg.graph.store import GraphStore, Result
from mineralkg.loaders.dataset import load_dataset
from mineralkg.loaders.plan import build_plan
from mineralkg.settings import Settings, get_settings

ENDPOINTS = [
    "/entities?q=greenland",
    "/entities/uk",
    "/entities?q=lithium",
    "/view/entity/uk?format=json",
]
WARM_UP = 20  # requests before the measured ones: plans, the JVM's compiled code, connections
Call = tuple[str, dict[str, Any], float]


class Recording(BoundedStore):
    """The store, with each read's text, parameters and client-side seconds recorded."""

    def __init__(self, inner: GraphStore) -> None:
        super().__init__(inner, timeout=30.0)
        self.calls: list[Call] = []

    def run(self, query: str, params: Mapping[str, Any] | None = None, **kw: Any) -> Result:
        started = time.perf_counter()
        try:
            return self.inner.run(query, params, **kw)
        finally:
            if threading.current_thread().name != REFRESHER:  # the cache's, not the request's
                self.calls.append((query, dict(params or {}), time.perf_counter() - started))


def ms(values: list[float]) -> float:
    return statistics.median(values) * 1000 if values else 0.0


def server_ms(store: GraphStore, calls: list[Call]) -> float | None:
    """What Neo4j reports it spent on these queries (planning, running, streaming)."""
    driver = getattr(store, "_driver", None)
    if driver is None:
        return None
    total = 0
    with driver.session(database=getattr(store, "database", None)) as session:
        for query, params, _ in calls:
            summary = session.run(query, params).consume()
            total += (summary.result_available_after or 0) + (summary.result_consumed_after or 0)
    return float(total)


def measure(kind: str, store: GraphStore, settings: Settings, repeat: int) -> list[dict[str, Any]]:
    recording = Recording(store)
    db = database_process(store)
    app = create_app(settings, store=recording)
    out = []
    with TestClient(app) as client:
        app.state.store = app.state.adhoc_store = recording  # after the lifespan's own
        for path in ENDPOINTS:
            for _ in range(WARM_UP):
                client.get(path).raise_for_status()
            whole, store_s, counts, server = [], [], [], []
            cpu_api, cpu_store = time.process_time(), cpu_seconds(db)
            for _ in range(repeat):
                recording.calls = []
                started = time.perf_counter()
                client.get(path).raise_for_status()
                whole.append(time.perf_counter() - started)
                store_s.append(sum(c[2] for c in recording.calls))
                counts.append(len(recording.calls))
            cpu_api, cpu_store = time.process_time() - cpu_api, cpu_seconds(db) - cpu_store
            for _ in range(min(repeat, 10)):
                recording.calls = []
                client.get(path)
                found = server_ms(store, recording.calls)
                if found is not None:
                    server.append(found / 1000)
            out.append(
                {
                    "store": kind,
                    "path": path,
                    "request": ms(whole),
                    "calls": statistics.median(counts),
                    "client": ms(store_s),
                    "server": ms(server) if server else None,
                    "api": ms([w - s for w, s in zip(whole, store_s, strict=True)]),
                    "cpu_api": cpu_api / repeat * 1000,
                    "cpu_store": cpu_store / repeat * 1000,
                }
            )
    return out


def database_process(store: GraphStore) -> psutil.Process | None:
    """Neo4j's JVM (listening on the store's port) or the embedded store's redis-server (run
    in the store's folder)."""
    if store.kind == "neo4j":
        port = int(store.address.rsplit(":", 1)[1])
        for conn in psutil.net_connections("tcp"):
            if conn.status == psutil.CONN_LISTEN and conn.laddr.port == port and conn.pid:
                return psutil.Process(conn.pid)
        return None
    folder = str(Path(store.address).parent.resolve())
    return next(iter(redis_servers(lambda cwd: cwd == folder)), None)


def cpu_seconds(proc: psutil.Process | None) -> float:
    if proc is None:
        return 0.0
    times = proc.cpu_times()
    return float(times.user + times.system)


def driver_ways(store: GraphStore, repeat: int) -> dict[str, float]:
    """Median ms of `RETURN 1` by each way of reading with the Neo4j driver."""
    import neo4j

    driver: neo4j.Driver = store._driver  # type: ignore[attr-defined]
    db = getattr(store, "database", None)

    def tx_read(tx: neo4j.ManagedTransaction) -> Any:
        return list(tx.run("RETURN 1 AS x"))

    kept = driver.session(database=db, default_access_mode=neo4j.READ_ACCESS)
    ways: dict[str, Callable[[], Any]] = {
        "store.run (as the API reads)": lambda: store.run("RETURN 1 AS x"),
        "new session + execute_read": lambda: _session_read(driver, db, tx_read),
        "kept session + execute_read": lambda: kept.execute_read(tx_read),
        "kept session, auto-commit run": lambda: list(kept.run("RETURN 1 AS x")),
        "driver.execute_query (READ)": lambda: driver.execute_query(
            "RETURN 1 AS x", database_=db, routing_=neo4j.RoutingControl.READ
        ),
    }
    out = {}
    for name, way in ways.items():
        for _ in range(20):
            way()
        times = []
        for _ in range(repeat * 5):
            started = time.perf_counter()
            way()
            times.append(time.perf_counter() - started)
        out[name] = ms(times)
    kept.close()
    return out


def _session_read(driver: Any, db: str | None, work: Callable[..., Any]) -> Any:
    with driver.session(database=db) as session:
        return session.execute_read(work)


@contextmanager
def opened(kind: str, uri: str | None) -> Iterator[GraphStore]:
    if kind == "embedded":
        from mineralkg.graph.embedded import EmbeddedStore

        with tempfile.TemporaryDirectory() as folder:
            store: GraphStore = EmbeddedStore(Path(folder) / "graph.db", "bench")
            yield store
            store.close()
        return
    from mineralkg.graph.neo4j_store import Neo4jStore
    from mineralkg.testing.neo4j_server import neo4j_server

    if uri:
        store = Neo4jStore(uri)
        yield store
        store.close()
        return
    with neo4j_server() as started:
        store = Neo4jStore(started)
        yield store
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stores", default="embedded,neo4j")
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--neo4j-uri", default=None, help="default: start a local server")
    parser.add_argument("--code", type=Path, help="also measure another checkout, first")
    parser.add_argument("--json", type=Path, help=argparse.SUPPRESS)  # a --code child's output
    args = parser.parse_args()
    rows: list[dict[str, Any]] = []
    ways: dict[str, dict[str, float]] = {}
    if args.code:
        before = _before(args)
        rows, ways = before["rows"], before["ways"]
    settings = get_settings()
    plan = build_plan(load_dataset(settings.data_dir, settings.sources_dir))
    label = " (now)" if args.code else ""
    for kind in args.stores.split(","):
        with opened(kind, args.neo4j_uri) as store:
            store.load(plan)
            rows += [
                {**r, "store": kind + label} for r in measure(kind, store, settings, args.repeat)
            ]
            if kind == "neo4j":
                ways["now"] = driver_ways(store, args.repeat)
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "ways": ways}))
        return
    show(rows, ways, args.repeat)


def _before(args: argparse.Namespace) -> dict[str, Any]:
    """The same measures of the code in `args.code` (this script copied there), run first."""
    shutil.copy(__file__, args.code / "bench" / "entity_reads.py")
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "before.json"
        cmd = [sys.executable, "-m", "bench.entity_reads", "--stores", args.stores]
        cmd += ["--repeat", str(args.repeat), "--json", str(out)]
        cmd += ["--neo4j-uri", args.neo4j_uri] if args.neo4j_uri else []
        env = {**os.environ, "PYTHONPATH": str(args.code)}
        subprocess.run(cmd, cwd=args.code, env=env, check=True)
        found: dict[str, Any] = json.loads(out.read_text())
    found["rows"] = [{**r, "store": r["store"] + " (before)"} for r in found["rows"]]
    found["ways"] = {"before": found["ways"]["now"]} if found["ways"] else {}
    return found


def show(rows: list[dict[str, Any]], ways: dict[str, dict[str, float]], repeat: int) -> None:
    print(f"\nmedians of {repeat} sequential requests each (ms)")
    print(
        f"{'store':<18} {'endpoint':<28} {'request':>8} {'calls':>6} {'client':>7} "
        f"{'server':>7} {'api':>6} {'cpu api':>8} {'cpu db':>7}"
    )
    for r in sorted(rows, key=lambda r: (ENDPOINTS.index(r["path"]), r["store"])):
        server = f"{r['server']:.1f}" if r["server"] is not None else "-"
        print(
            f"{r['store']:<18} {r['path']:<28} {r['request']:>8.1f} {r['calls']:>6.0f} "
            f"{r['client']:>7.1f} {server:>7} {r['api']:>6.1f} {r['cpu_api']:>8.1f} "
            f"{r['cpu_store']:>7.1f}"
        )
    for label, measured in ways.items():
        print(f"\none `RETURN 1` on Neo4j, median ms ({label})")
        for name, value in measured.items():
            print(f"  {name:<32} {value:6.2f}")


if __name__ == "__main__":
    main()
