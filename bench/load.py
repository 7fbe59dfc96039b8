"""Load throughput on both stores: this loader against a naive and a bare UNWIND baseline.

    python -m bench.load --nodes 10000,100000 --rels-per-node 5 --repeats 3 --stores embedded,neo4j

Methods, measured side by side in one run on the same synthetic data (mineralkg.testing.synthetic),
interleaved, medians over the repeats (rows = nodes + relationships):

- loader: `store.load(build_plan(dataset))` (loaders/plan.py, then the store's own load:
  graph/neo4j_load.py, graph/embedded_load.py) into an emptied graph, all or nothing, with
  its counts.
  Neo4j: one transaction of UNWIND batches, CREATE since the graph is empty. FalkorDB: rows
  built a batch at a time (in worker processes with `--workers`, or by default on 4 CPUs or
  more), bulk-inserted (GRAPH.BULK) into a staging graph, indexed, renamed over the live one.
- reload: the same load again into the graph that already holds the data (nothing changes),
  the everyday case of re-loading curated files: MERGE and sync-deletes on Neo4j; on
  FalkorDB the rebuild again, each block's hashes compared with the live graph's.
- bare: the same MERGE ... SET statements, UNWIND batches of `--batch-size`, each batch an
  auto-commit query through the driver/client: no validation, no stamp, no counts, no
  cleanup, no transaction around the whole. Its rows (the loader's properties without
  `_hash`) are built per batch inside the timed loop.
- bare, rows prebuilt: the same, with every row built before the clock starts (driver and
  database only).
- naive: one MERGE per row, each in its own auto-commit transaction (each FalkorDB query is
  atomic on its own), on the first
  `--naive-rows` rows of the data (a prefix closed under endpoints with the same node/rel
  mix). All rows this way would take 5 to 20 minutes per run at 600k rows, so it is not run.

Validation (YAML -> validated Dataset) is timed apart from the writes. The memory of a load
is measured in child processes (tracemalloc peak during `load`, the RSS high-water mark, the
FalkorDB server's RSS or the Neo4j load transaction's heap) at each size given, or at a
tenth of the one size and that size; with the private memory of the loader's workers.

The loader pauses Python's cycle collector while it runs (loaders/plan.py: no_cyclic_gc says why);
the baselines run with it on, as a plain script would, unless `--baseline-gc off`.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mineralkg.graph.store import GraphStore, Statement, StoreError
from mineralkg.loaders.dataset import Dataset, validate_records
from mineralkg.loaders.plan import (
    build_plan,
    by_class,
    by_type,
    label_string,
    no_cyclic_gc,
)
from mineralkg.loaders.rows import node_row, relation_row
from mineralkg.loaders.yamlio import read_all
from mineralkg.ontology.model import Ontology
from mineralkg.ontology.model import load as load_ontology
from mineralkg.testing.synthetic import check, generate, prefix, write_yaml

REPO = Path(__file__).resolve().parents[1]
# --baseline-gc off: the baselines run with the cycle collector paused, as the loader does
BASELINE_GC_PAUSED = False
WORKERS: int | None = None  # --workers; None: the loader's default


# ------------------------------------------------------------------ stores


@contextlib.contextmanager
def open_store(kind: str, neo4j_uri: str | None, workdir: Path) -> Iterator[GraphStore]:
    if kind == "embedded":
        from mineralkg.graph.embedded import EmbeddedStore

        store: GraphStore = EmbeddedStore(workdir / "falkordb" / "graph.db", "bench")
    elif kind == "neo4j":
        from mineralkg.graph.neo4j_store import Neo4jStore

        assert neo4j_uri is not None
        store = Neo4jStore(neo4j_uri)
    else:
        raise SystemExit(f"unknown store {kind!r}; expected embedded or neo4j")
    try:
        yield store
    finally:
        store.close()


@contextlib.contextmanager
def neo4j_uri_for(given: str | None, needed: bool, heap: str) -> Iterator[str | None]:
    """The given server, or a fresh one of our own (stopped and deleted afterwards)."""
    if given or not needed:
        yield given
        return
    from mineralkg.testing.neo4j_server import neo4j_server

    os.environ["NEO4J_HEAP"] = heap  # read by tools/neo4j/neo4j.sh
    # the store of 100k nodes and 500k relationships is far larger than the 64 MB default
    os.environ.setdefault("NEO4J_PAGECACHE_MB", "1024")  # read by tools/neo4j/Launcher.java
    # a load is one transaction of the whole dataset: no per-transaction memory cap
    os.environ.setdefault("NEO4J_TX_MEMORY_MB", "0")  # read by tools/neo4j/Launcher.java
    print(
        f"starting Neo4j (heap {heap}, page cache {os.environ['NEO4J_PAGECACHE_MB']} MB) ...",
        file=sys.stderr,
    )
    with neo4j_server() as uri:
        yield uri


def schema_labels(ont: Ontology) -> list[str]:
    return sorted({label for c in ont.node_classes() for label in c.labels})


def size(ds: Dataset) -> tuple[int, int]:
    return len(ds.nodes), len(ds.relations)


def size_rows(ds: Dataset) -> int:
    return len(ds.nodes) + len(ds.relations)


def counts(store: GraphStore) -> tuple[int, int]:
    nodes = store.run("MATCH (n) RETURN count(n) AS c").rows[0]["c"]
    rels = store.run("MATCH ()-[r]->() RETURN count(r) AS c").rows[0]["c"]
    return int(nodes), int(rels)


class Client:
    """The bare driver/client under a store: queries outside any GraphStore bookkeeping."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    @contextlib.contextmanager
    def session(self) -> Iterator[Callable[[str, dict[str, Any]], None]]:
        if self.store.kind == "neo4j":
            driver = self.store._driver  # type: ignore[attr-defined]
            with driver.session(database=self.store.database) as s:  # type: ignore[attr-defined]

                def run_neo4j(query: str, params: dict[str, Any]) -> None:
                    s.run(query, params).consume()  # auto-commit: its own transaction

                yield run_neo4j
        else:
            graph = self.store._db.select_graph(self.store.graph_name)  # type: ignore[attr-defined]

            def run_falkor(query: str, params: dict[str, Any]) -> None:
                graph.query(query, params)  # one query is atomic on its own

            yield run_falkor


# ------------------------------------------------------------------ the baselines' statements


def _node_merge(labels: str) -> str:
    return f"MERGE (n:{labels} {{id: r.id}}) SET n = r.props"


def _rel_merge(rtype: str) -> str:
    return (
        "MATCH (a:Entity {id: r.from}) MATCH (b:Entity {id: r.to}) "
        f"MERGE (a)-[x:{rtype} {{key: r.key}}]->(b) SET x = r.props"
    )


def bare_statements(ont: Ontology, ds: Dataset, batch: int) -> Iterator[Statement]:
    """UNWIND batches of the same MERGEs, grouped by class and type; rows built per batch: the
    loader's, without its bookkeeping (`_hash`)."""
    for cls, nodes in by_class(ds.nodes.values()):
        query = "UNWIND $rows AS r " + _node_merge(label_string(ont, cls))
        for i in range(0, len(nodes), batch):
            yield query, {"rows": [node_row(ont, n, hashed=False) for n in nodes[i : i + batch]]}
    for rtype, rels in by_type(ds.relations):
        query = "UNWIND $rows AS r " + _rel_merge(rtype)
        for i in range(0, len(rels), batch):
            yield query, {"rows": [relation_row(ont, r, hashed=False) for r in rels[i : i + batch]]}


def naive_statements(ont: Ontology, ds: Dataset) -> Iterator[Statement]:
    """One MERGE per row, nodes first, with the same properties."""
    for node in ds.nodes.values():
        query = "WITH $r AS r " + _node_merge(label_string(ont, node.cls))
        yield query, {"r": node_row(ont, node, hashed=False)}
    for rel in ds.relations:
        yield "WITH $r AS r " + _rel_merge(rel.type), {"r": relation_row(ont, rel, hashed=False)}


# ------------------------------------------------------------------ one measurement each


@dataclass
class Runs:
    store: str
    key: str
    method: str
    rows: int
    seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    nodes: int = 0  # size of the synthetic dataset the run belongs to

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else float("nan")

    @property
    def rate(self) -> float:
        return self.rows / self.median

    def attempt(self, run: Callable[[], float]) -> bool:
        """Time one run; a failure (e.g. the server's memory limit) is recorded, not fatal."""
        try:
            self.seconds.append(run())
        except (StoreError, AssertionError) as exc:
            self.errors.append(f"{type(exc).__name__}: {str(exc)[:300]}")
            print(f"  {self.store:8} {self.key:8} FAILED: {self.errors[-1]}", file=sys.stderr)
            return False
        log(self.store, self.key, self)
        return True


def time_loader(store: GraphStore, ds: Dataset, batch: int, ont: Ontology) -> float:
    store.clear()
    gc.collect()
    t0 = time.perf_counter()
    report = store.load(build_plan(ds, ont), batch_size=batch, workers=WORKERS)
    elapsed = time.perf_counter() - t0
    assert report.nodes["created"] == len(ds.nodes), report.summary()
    assert report.relationships["created"] == len(ds.relations), report.summary()
    assert counts(store) == (len(ds.nodes), len(ds.relations))
    return elapsed


def time_reload(store: GraphStore, ds: Dataset, batch: int, ont: Ontology) -> float:
    gc.collect()
    t0 = time.perf_counter()
    report = store.load(build_plan(ds, ont), batch_size=batch, workers=WORKERS)
    elapsed = time.perf_counter() - t0
    nothing = {"created": 0, "updated": 0, "deleted": 0}
    assert report.nodes == nothing and report.relationships == nothing, report.summary()
    return elapsed


def time_statements(
    store: GraphStore,
    statements: Callable[[], Iterable[Statement]],
    expect: tuple[int, int],
    ont: Ontology,
) -> float:
    """Send the statements one by one, each its own auto-commit query; time that only."""
    store.clear()
    store.ensure_schema(schema_labels(ont), ["Entity"])  # the same indexes as the loader's
    todo = statements()
    gc.collect()
    paused = no_cyclic_gc() if BASELINE_GC_PAUSED else contextlib.nullcontext()
    with Client(store).session() as run, paused:
        t0 = time.perf_counter()
        for query, params in todo:
            run(query, dict(params))
        elapsed = time.perf_counter() - t0
    del todo
    assert counts(store) == expect, (counts(store), expect)
    return elapsed


def bench_store(
    store: GraphStore, ds: Dataset, args: argparse.Namespace, ont: Ontology
) -> list[Runs]:
    total = len(ds.nodes) + len(ds.relations)
    batch = args.batch_size
    loader = Runs(store.kind, "loader", "loader", total)
    reload = Runs(store.kind, "reload", "reload (unchanged)", total)
    bare = Runs(store.kind, "bare", f"bare UNWIND (batch {batch})", total)
    prebuilt = Runs(store.kind, "prebuilt", "bare UNWIND, rows prebuilt", total)
    sub = prefix(ds, args.naive_rows)
    naive = Runs(store.kind, "naive", f"naive (first {size_rows(sub):,} rows)", size_rows(sub))

    def run_loader() -> None:
        if loader.attempt(lambda: time_loader(store, ds, batch, ont)):
            reload.attempt(lambda: time_reload(store, ds, batch, ont))

    def run_bare() -> None:
        bare.attempt(
            lambda: time_statements(store, lambda: bare_statements(ont, ds, batch), size(ds), ont)
        )
        # rows built before the clock starts (and dropped after: a heap that large would
        # slow every later garbage collection, in whichever method runs next)
        prebuilt.attempt(
            lambda: time_statements(
                store, lambda: list(bare_statements(ont, ds, batch)), size(ds), ont
            )
        )

    if args.warmup:
        # a fresh server plans every query text once and (Neo4j) JIT-compiles its code paths:
        # run each method on a small prefix first, so that no timed run pays for that alone
        small = prefix(ds, args.warmup)
        tiny = prefix(small, 500)
        time_loader(store, small, batch, ont)
        time_statements(store, lambda: bare_statements(ont, small, batch), size(small), ont)
        time_statements(store, lambda: naive_statements(ont, tiny), size(tiny), ont)
        print(f"  {store.kind:8} warmed up on {args.warmup:,} rows", file=sys.stderr, flush=True)
    for repeat in range(args.repeats):
        # alternate the order, so that neither method always runs on a warmer server
        for step in (run_loader, run_bare) if repeat % 2 == 0 else (run_bare, run_loader):
            step()
        if repeat < args.naive_repeats:
            naive.attempt(
                lambda: time_statements(store, lambda: naive_statements(ont, sub), size(sub), ont)
            )
    store.clear()
    return [loader, reload, bare, prebuilt, naive]


def log(kind: str, what: str, runs: Runs) -> None:
    print(
        f"  {kind:8} {what:8} run {len(runs.seconds)}: {runs.seconds[-1]:8.2f}s "
        f"({runs.rows / runs.seconds[-1]:,.0f} rows/s)",
        file=sys.stderr,
        flush=True,
    )


# ------------------------------------------------------------------ validation


def bench_validation(nodes: int, rels_per_node: float, seed: int, workdir: Path) -> dict[str, Any]:
    """YAML -> validated Dataset, timed apart: parsing (read_all) and validate_records."""
    ont = load_ontology()
    ds = generate(nodes, rels_per_node, seed=seed, ont=ont)
    folder = workdir / f"yaml-{nodes}"
    files = write_yaml(ds, folder, ont=ont)
    size = sum(p.stat().st_size for p in files)
    gc.collect()
    t0 = time.perf_counter()
    records, errors = read_all(folder)
    t1 = time.perf_counter()
    validated = validate_records(records, workdir / "no-sources", ont)
    t2 = time.perf_counter()
    assert not errors and len(validated.relations) == len(ds.relations)
    del records, validated
    gc.collect()
    t3 = time.perf_counter()
    check(ds, ont)  # validate_records on in-memory records: the validation without YAML
    t4 = time.perf_counter()
    rows = len(ds.nodes) + len(ds.relations)
    return {
        "nodes": len(ds.nodes),
        "relations": len(ds.relations),
        "rows": rows,
        "yaml_mb": size / 1e6,
        "parse_s": t1 - t0,
        "validate_s": t2 - t1,
        "validate_in_memory_s": t4 - t3,
    }


# ------------------------------------------------------------------ memory (child processes)


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def _hwm() -> int:
    """This process's RSS high-water mark (VmHWM; unlike ru_maxrss, not inherited at exec)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def _reset_hwm() -> bool:
    """Reset VmHWM to the current RSS (Linux >= 4.0); False where that is not allowed."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


class TxMemorySampler:
    """Highest heap estimate of any running Neo4j transaction (the load's), every 0.2 s."""

    def __init__(self, uri: str) -> None:
        from neo4j import GraphDatabase

        self.driver = GraphDatabase.driver(uri, auth=None)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(Exception):
                records, _, _ = self.driver.execute_query(
                    "SHOW TRANSACTIONS YIELD estimatedUsedHeapMemory AS m, currentQuery AS q "
                    "WHERE NOT q STARTS WITH 'SHOW' RETURN max(m) AS m"
                )
                self.peak = max(self.peak, int(records[0]["m"] or 0))
            time.sleep(0.2)

    def __enter__(self) -> TxMemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.driver.close()


def _children(pid: int) -> list[int]:
    out: list[int] = []
    with contextlib.suppress(OSError):
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                out += [int(c) for c in f.read().split()]
    return out


def _private(pid: int) -> int:
    """Memory of its own a process holds (USS: pages it shares with no other process)."""
    total = 0
    with contextlib.suppress(OSError), open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            if line.startswith(("Private_Clean:", "Private_Dirty:")):
                total += int(line.split()[1]) * 1024
    return total


class RssSampler:
    """Highest RSS of some processes while a block runs, sampled every few milliseconds, and
    the highest sum of the private memory of this process's children (the load's worker
    processes)."""

    def __init__(self, pids: list[int], every: float = 0.005) -> None:
        self.pids, self.every = pids, every
        self.peak = dict.fromkeys(pids, 0)
        self.workers_peak = 0
        self.workers_seen = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            for pid in self.pids:
                self.peak[pid] = max(self.peak[pid], _rss(pid))
            children = _children(me)
            if children:
                self.workers_seen = max(self.workers_seen, len(children))
                self.workers_peak = max(self.workers_peak, sum(map(_private, children)))
            time.sleep(self.every)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def probe_memory(args: argparse.Namespace) -> dict[str, Any]:
    """Run in a child process: one load under an RSS sampler, one under tracemalloc."""
    ont = load_ontology()
    ds = generate(args.nodes, args.rels_per_node, seed=args.seed, ont=ont)
    gc.collect()
    out: dict[str, Any] = {"store": args.probe, "rows": len(ds.nodes) + len(ds.relations)}
    with tempfile.TemporaryDirectory(prefix="mineralkg-bench-") as tmp:
        with open_store(args.probe, args.neo4j_uri, Path(tmp)) as store:
            store.clear()
            server = [store._db.client.pid] if store.kind == "embedded" else []  # type: ignore[attr-defined]
            gc.collect()
            rss_before = _rss(os.getpid())
            out["hwm_reset"] = _reset_hwm()
            if server:
                out["server_rss_before"] = _rss(server[0])
            tx_memory = (
                TxMemorySampler(args.neo4j_uri)
                if store.kind == "neo4j"
                else contextlib.nullcontext()
            )
            with tx_memory, RssSampler([os.getpid(), *server]) as sampler:
                store.load(build_plan(ds, ont), batch_size=args.batch_size, workers=WORKERS)
            if isinstance(tx_memory, TxMemorySampler):
                out["server_tx_heap_peak"] = tx_memory.peak
            out["rss_before"] = rss_before
            out["rss_sampled_peak"] = sampler.peak[os.getpid()]
            out["rss_hwm"] = _hwm()
            out["workers"] = sampler.workers_seen
            out["workers_private_peak"] = sampler.workers_peak
            if server:
                out["server_rss_peak"] = sampler.peak[server[0]]
                out["server_rss_after"] = _rss(server[0])
            store.clear()
            gc.collect()
            tracemalloc.start()
            tracemalloc.reset_peak()
            base, _ = tracemalloc.get_traced_memory()
            store.load(build_plan(ds, ont), batch_size=args.batch_size, workers=WORKERS)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            out["tracemalloc_peak"] = peak - base
            store.clear()
    return out


def run_probe(kind: str, nodes: int, args: argparse.Namespace) -> dict[str, Any]:
    cmd = [
        sys.executable,
        "-m",
        "bench.load",
        "--probe",
        kind,
        "--nodes",
        str(nodes),
        "--rels-per-node",
        str(args.rels_per_node),
        "--seed",
        str(args.seed),
        "--batch-size",
        str(args.batch_size),
        "--workers",
        str(args.workers),
    ]
    if args.neo4j_uri:
        cmd += ["--neo4j-uri", args.neo4j_uri]
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"memory probe failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# ------------------------------------------------------------------ report


def machine() -> dict[str, Any]:
    model = "unknown"
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem = 0
    with contextlib.suppress(OSError), open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal"):
                mem = int(line.split()[1]) * 1024
    return {
        "nproc": os.cpu_count(),
        "memory_gb": round(mem / 2**30, 1),
        "cpu": model,
        "python": platform.python_version(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def workers(probe: dict[str, Any]) -> str:
    if not probe.get("workers"):
        return "none"
    return f"{probe['workers']}: {mb(probe['workers_private_peak'])}"


def met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def mb(n: float) -> str:
    return f"{n / 2**20:,.0f} MB"


def print_report(
    results: list[Runs],
    validation: dict[str, Any] | None,
    memory: list[dict[str, Any]],
    args: argparse.Namespace,
    sizes: dict[int, tuple[int, int]],
) -> None:
    m = machine()
    print()
    print(f"machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory_gb']} GB RAM, Python {m['python']}")
    print(f"date: {m['date']}")
    start, end = args.loadavg_start, os.getloadavg()
    print(
        "load average (1/5/15 min): at start "
        + " ".join(f"{x:.1f}" for x in start)
        + ", at end "
        + " ".join(f"{x:.1f}" for x in end)
    )
    print(
        f"seed {args.seed}; batch size {args.batch_size}; repeats {args.repeats} "
        f"(naive {args.naive_repeats}); rows = nodes + relationships; cycle collector during "
        f"the baselines: {args.baseline_gc}; loader workers: {args.workers or 'auto'}"
    )
    for nodes, (n_nodes, n_rels) in sizes.items():
        print()
        print(f"== {n_nodes:,} nodes, {n_rels:,} relationships")
        print(f"{'store':9} {'method':28} {'rows':>9} {'runs':>4} {'median s':>9} {'rows/s':>9}")
        mine_all = [r for r in results if r.nodes == nodes]
        for r in mine_all:
            if not r.seconds:
                # not run (--naive-repeats 0), or every run failed
                outcome = f"FAILED: {r.errors[0]}" if r.errors else "not run"
                print(f"{r.store:9} {r.method:28} {r.rows:>9,} {outcome}")
                continue
            failed = f"  ({len(r.errors)} failed)" if r.errors else ""
            print(
                f"{r.store:9} {r.method:28} {r.rows:>9,} {len(r.seconds):>4} "
                f"{r.median:>9.2f} {r.rate:>9,.0f}{failed}"
            )
        for kind in dict.fromkeys(r.store for r in mine_all):
            mine = {r.key: r for r in mine_all if r.store == kind}
            if not all(mine[k].seconds for k in ("loader", "naive", "bare", "prebuilt")):
                print(f"{kind:9} ratios: n/a (a method was not run or failed)")
                continue
            loader = mine["loader"].rate
            vs_naive = loader / mine["naive"].rate
            vs_bare = loader / mine["bare"].rate
            vs_prebuilt = loader / mine["prebuilt"].rate
            print(
                f"{kind:9} loader/naive = {vs_naive:.1f}x (bar >= 20: {met(vs_naive >= 20)}); "
                f"loader/bare = {vs_bare:.2f}x (bar >= 0.7: {met(vs_bare >= 0.7)}); "
                f"loader/bare with rows prebuilt = {vs_prebuilt:.2f}x "
                f"({met(vs_prebuilt >= 0.7)})"
            )
    if validation:
        v = validation
        print()
        print(
            f"validation ({v['nodes']:,} nodes + {v['relations']:,} rels = {v['rows']:,} records, "
            f"{v['yaml_mb']:.0f} MB YAML): parse {v['parse_s']:.1f}s "
            f"({v['rows'] / v['parse_s']:,.0f} rec/s), validate_records "
            f"{v['validate_s']:.1f}s ({v['rows'] / v['validate_s']:,.0f} rec/s); "
            f"in-memory records {v['validate_in_memory_s']:.1f}s"
        )
        if "full_rows" in v:
            print(
                f"validate_records at full size ({v['full_rows']:,} in-memory records, no YAML): "
                f"{v['full_in_memory_s']:.1f}s "
                f"({v['full_rows'] / v['full_in_memory_s']:,.0f} rec/s)"
            )
    if memory:
        print()
        print(
            f"{'store':9} {'rows':>9} {'tracemalloc peak':>17} {'RSS before':>11} "
            f"{'RSS high-water':>15} {'(+ load)':>9} {'workers (private)':>18}  server"
        )
        for p in memory:
            if "server_rss_peak" in p:
                server = (
                    f"redis-server RSS {mb(p['server_rss_before'])} -> peak "
                    f"{mb(p['server_rss_peak'])}"
                )
            elif "server_tx_heap_peak" in p:
                server = f"load transaction heap peak {mb(p['server_tx_heap_peak'])}"
            else:
                server = "-"
            print(
                f"{p['store']:9} {p['rows']:>9,} {mb(p['tracemalloc_peak']):>17} "
                f"{mb(p['rss_before']):>11} {mb(p['rss_hwm']):>15} "
                f"{mb(p['rss_hwm'] - p['rss_before']):>9} "
                f"{workers(p):>18}  {server}"
            )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--nodes", default="10000", help="node count, or several: 10000,100000 (one run each)"
    )
    parser.add_argument("--rels-per-node", type=float, default=5.0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--stores", default="embedded,neo4j")
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--naive-rows", type=int, default=5000)
    parser.add_argument(
        "--naive-repeats", type=int, default=None, help="naive runs per store (default: --repeats)"
    )
    parser.add_argument("--neo4j-uri", help="use this server instead of starting one")
    parser.add_argument(
        "--neo4j-heap",
        default="8g",
        help="heap of the server started here (a load is one transaction: 100k nodes + 500k "
        "relationships need about 4 GB of transaction memory, 70%% of the heap at most)",
    )
    parser.add_argument(
        "--warmup", type=int, default=20_000, help="rows of the warm-up run per store (0: none)"
    )
    parser.add_argument(
        "--validate-nodes",
        type=int,
        default=None,
        help="nodes for the YAML->Dataset timing (default: the smallest size, at most 10000; "
        "0 skips it)",
    )
    parser.add_argument(
        "--memory",
        default="auto",
        help="node counts for the memory probes (default: the --nodes sizes, or a tenth of a "
        "single size and that size; 'none' skips them)",
    )
    parser.add_argument(
        "--workers", type=int, default=0, help="loader worker processes (default 0: auto)"
    )
    parser.add_argument(
        "--baseline-gc",
        choices=["on", "off"],
        default="on",
        help="the cycle collector during the baselines (default on, as in a plain script; the "
        "loader pauses it)",
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--probe", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    global BASELINE_GC_PAUSED, WORKERS
    BASELINE_GC_PAUSED = args.baseline_gc == "off"
    WORKERS = args.workers or None
    args.sizes = [int(n) for n in str(args.nodes).split(",")]
    if args.probe:
        args.nodes = args.sizes[0]
        print(json.dumps(probe_memory(args)))
        return

    args.loadavg_start = os.getloadavg()
    if args.naive_repeats is None:
        args.naive_repeats = args.repeats
    kinds = [k.strip() for k in args.stores.split(",") if k.strip()]
    ont = load_ontology()
    results: list[Runs] = []
    memory: list[dict[str, Any]] = []
    validation = None
    sizes: dict[int, tuple[int, int]] = {}
    with (
        tempfile.TemporaryDirectory(prefix="mineralkg-bench-") as tmp,
        neo4j_uri_for(args.neo4j_uri, "neo4j" in kinds, args.neo4j_heap) as uri,
    ):
        args.neo4j_uri = uri
        for nodes in args.sizes:
            t0 = time.perf_counter()
            ds = generate(nodes, args.rels_per_node, seed=args.seed, ont=ont)
            sizes[nodes] = size(ds)
            print(
                f"generated {len(ds.nodes):,} nodes, {len(ds.relations):,} relationships "
                f"in {time.perf_counter() - t0:.1f}s",
                file=sys.stderr,
            )
            for kind in kinds:
                with open_store(kind, uri, Path(tmp)) as store:
                    for runs in bench_store(store, ds, args, ont):
                        runs.nodes = nodes
                        results.append(runs)
            if nodes == args.sizes[-1] and args.validate_nodes != 0:
                validate_nodes = args.validate_nodes or min(args.sizes[0], 10_000)
                print(f"  validation at {validate_nodes:,} nodes", file=sys.stderr, flush=True)
                validation = bench_validation(
                    validate_nodes, args.rels_per_node, args.seed, Path(tmp)
                )
                gc.collect()
                t0 = time.perf_counter()
                check(ds, ont)  # validate_records at the full size, records from memory
                validation["full_rows"] = size_rows(ds)
                validation["full_in_memory_s"] = time.perf_counter() - t0
            del ds
            gc.collect()
        if args.memory != "none":
            probe_sizes = (
                ([max(1000, args.sizes[0] // 10)] if len(args.sizes) == 1 else []) + args.sizes
                if args.memory == "auto"
                else [int(n) for n in args.memory.split(",")]
            )
            for kind in kinds:
                for n in probe_sizes:
                    print(f"  memory probe: {kind} at {n:,} nodes", file=sys.stderr, flush=True)
                    memory.append(run_probe(kind, n, args))
    print_report(results, validation, memory, args, sizes)
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "machine": machine(),
                    "args": {k: str(v) for k, v in vars(args).items()},
                    "results": [asdict(r) | {"rows_per_s": r.rate} for r in results],
                    "validation": validation,
                    "memory": memory,
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
