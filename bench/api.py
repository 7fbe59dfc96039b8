"""Latency and throughput of catalogue queries through the HTTP API, next to direct store calls.

    python -m bench.api --stores embedded,neo4j --clients 1,8,32 --requests 400 [--wrk]
        [--wrk-threads 2]

For each store: the curated data is loaded, the API runs in its own process (uvicorn, one
worker), and the same catalogue queries are sent (a) through the API by N concurrent
clients and (b) straight to a store of the same kind by N threads in this process. Prints
p50 and p99 latency and requests per second, side by side, and the ratio API / direct.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from mineralkg.graph.catalogue import catalogue
from mineralkg.graph.store import GraphStore
from mineralkg.loaders.dataset import load_dataset
from mineralkg.loaders.plan import build_plan
from mineralkg.settings import get_settings

ROOT = Path(__file__).resolve().parents[1]

# (query name, parameters): questions a researcher asks of the curated data
WORKLOAD: list[tuple[str, dict[str, str]]] = [
    ("agreement_parties", {"agreement": "uk-us-critical-minerals-mou"}),
    ("agreements_of_actor", {"actor": "us"}),
    ("tensions_between", {"actor_a": "us", "actor_b": "denmark"}),
    (
        "list_difference",
        {"from_list": "us-critical-minerals-list", "to_list": "eu-critical-raw-materials-list"},
    ),
]
# the same kind of questions, asked of the graph as it stood on a date (--workload as-of)
AS_OF_WORKLOAD: list[tuple[str, dict[str, str]]] = [
    ("agreements_as_of", {"as_of": "2025-06-01", "actor": "eu"}),
    ("agreements_of_actor", {"actor": "us", "as_of": "2025-10"}),
    ("tensions_between", {"actor_a": "us", "actor_b": "denmark", "as_of": "2025"}),
    (
        "list_comparison",
        {
            "list_a": "us-critical-minerals-list",
            "list_b": "eu-critical-raw-materials-list",
            "as_of": "2024",
        },
    ),
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))
    return ordered[index]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def api_server(env: dict[str, str], code: Path | None = None) -> Iterator[str]:
    """`mineralkg serve` on a free port, from this checkout or from `code` (`python -m` puts
    its working folder first on the path: the checkout served is the one it runs in)."""
    port = free_port()
    cmd = [sys.executable, "-m", "mineralkg.cli", "serve", "--port", str(port)]
    proc = subprocess.Popen(
        cmd,
        cwd=code or ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,  # never read: a pipe would block a server that logs 64 kB
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise RuntimeError("the API did not start")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


async def _through_api(base: str, clients: int, requests: int) -> tuple[list[float], float]:
    latencies: list[float] = []
    jobs = [WORKLOAD[i % len(WORKLOAD)] for i in range(requests)]
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        queue: asyncio.Queue[tuple[str, dict[str, str]]] = asyncio.Queue()
        for job in jobs:
            queue.put_nowait(job)

        async def worker() -> None:
            while not queue.empty():
                name, params = queue.get_nowait()
                started = time.perf_counter()
                response = await client.get(f"/queries/{name}", params=params)
                latencies.append(time.perf_counter() - started)
                response.raise_for_status()

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        elapsed = time.perf_counter() - started
    return latencies, elapsed


WRK_SCRIPT = """
paths = {%s}
i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
"""
WRK_THINK = """
delay = function()
  return %d
end
"""


def run_wrk(
    base: str,
    paths: list[str],
    clients: int,
    seconds: float,
    threads: int = 1,
    think_ms: int = 0,
) -> dict[str, float]:
    """`paths` requested in turn (per wrk thread) by `clients` connections for `seconds`,
    with wrk (a C load generator: no Python client on the machine's cores). Returns the p50,
    p99 and largest latency in ms, the requests, their rate, and the errors (answers other
    than 2xx or 3xx, and socket errors). `think_ms`: each connection's pause between an
    answer and its next request, as a person or an app makes (0: none, the most load)."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: bash tools/install-system-deps.sh --bench")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % ", ".join(json.dumps(p) for p in paths))
        if think_ms:
            script.write(WRK_THINK % think_ms)
    try:
        out = subprocess.run(
            ["wrk", f"-t{min(threads, clients)}", f"-c{clients}", f"-d{round(seconds)}s"]
            + ["--timeout", "120s", "--latency", "-s", script.name, base],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    lines = [x.strip() for x in out.splitlines()]

    def ms(text: str) -> float:
        for unit, scale in (("us", 0.001), ("ms", 1.0), ("s", 1000.0), ("m", 60_000.0)):
            if text.endswith(unit):
                return float(text[: -len(unit)]) * scale
        raise ValueError(f"not a wrk latency: {text!r}")

    def line(label: str) -> list[str]:
        return next(x for x in lines if x.startswith(label)).split()

    # "Socket errors: connect 0, read 0, write 0, timeout 0" and "Non-2xx or 3xx responses: 3"
    counted = [x.split(":", 1)[1] for x in lines if x.startswith(("Socket errors", "Non-2xx"))]
    errors = sum(int(w) for text in counted for w in text.replace(",", " ").split() if w.isdigit())
    return {
        "p50_ms": ms(line("50%")[-1]),
        "p99_ms": ms(line("99%")[-1]),
        "max_ms": ms(line("Latency")[3]),
        "requests": int(next(x for x in lines if "requests in" in x).split()[0]),
        "rps": float(line("Requests/sec")[-1]),
        "errors": errors,
    }


def _through_wrk(base: str, clients: int, seconds: float, threads: int) -> dict[str, float]:
    """The API under wrk: the catalogue workload."""
    from urllib.parse import urlencode

    paths = [f"/queries/{n}?{urlencode(p)}" for n, p in WORKLOAD]
    found = run_wrk(base, paths, clients, seconds, threads)
    return {k: found[k] for k in ("p50_ms", "p99_ms", "rps")}


def _direct(store: GraphStore, clients: int, requests: int) -> tuple[list[float], float]:
    queries = catalogue()
    jobs = [WORKLOAD[i % len(WORKLOAD)] for i in range(requests)]
    bound = [(queries[n].cypher, queries[n].bind(p)) for n, p in jobs]
    timeout = get_settings().query_timeout

    def one(item: tuple[str, dict[str, Any]]) -> float:
        started = time.perf_counter()
        store.run(item[0], item[1], mode="read", timeout=timeout, limit=1000)
        return time.perf_counter() - started

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        latencies = list(pool.map(one, bound))
    return latencies, time.perf_counter() - started


def row(kind: str, path: str, clients: int, lat: list[float], elapsed: float) -> dict[str, Any]:
    return {
        "store": kind,
        "path": path,
        "clients": clients,
        "p50_ms": statistics.median(lat) * 1000,
        "p99_ms": percentile(lat, 99) * 1000,
        "rps": len(lat) / elapsed,
    }


def bench_store(
    kind: str, make_store: Callable[[], GraphStore], env: dict[str, str], args: argparse.Namespace
) -> list[dict[str, Any]]:
    settings = get_settings()
    dataset = load_dataset(settings.data_dir, settings.sources_dir)
    store = make_store()
    store.load(build_plan(dataset))
    results = []
    with api_server(env) as base:
        httpx.post(f"{base}/cypher", json={"query": "RETURN 1 AS x"})  # warm up
        # and each query of the workload once through the API, as `_direct` warms up its
        # own: on a fresh Neo4j the first requests took about 1 s (0.1 s once Neo4j had run
        # the queries), and wrk, which corrects for the requests a stall held back, counted
        # that one stall into the p99 of the first level (80-115 ms at one client, 3 ms warm)
        for name, params in WORKLOAD:
            httpx.get(f"{base}/queries/{name}", params=params, timeout=120).raise_for_status()
        for clients in args.clients:
            _direct(store, clients, min(args.requests, 50))  # warm up
            if args.wrk:
                api = {
                    "store": kind,
                    "path": "api",
                    "clients": clients,
                    **_through_wrk(base, clients, args.seconds, args.wrk_threads),
                }
            else:
                api_lat, api_time = asyncio.run(_through_api(base, clients, args.requests))
                api = row(kind, "api", clients, api_lat, api_time)
            direct_lat, direct_time = _direct(store, clients, args.requests)
            results.append(api)
            results.append(row(kind, "direct", clients, direct_lat, direct_time))
            print(f"  {kind} {clients} clients done", file=sys.stderr)
    store.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stores", default="embedded,neo4j")
    parser.add_argument(
        "--clients", default="1,8,32", type=lambda s: [int(x) for x in s.split(",")]
    )
    parser.add_argument("--requests", type=int, default=400, help="requests per level")
    parser.add_argument("--neo4j-uri", default=None, help="default: start a local server")
    parser.add_argument("--wrk", action="store_true", help="load the API with wrk, not httpx")
    parser.add_argument("--seconds", type=float, default=5.0, help="wrk run per level")
    parser.add_argument(
        "--wrk-threads",
        type=int,
        default=2,
        help="wrk threads (at most one per connection)",
    )
    parser.add_argument("--workers", type=int, default=1, help="API server processes")
    parser.add_argument(
        "--workload",
        choices=["default", "as-of"],
        default="default",
        help="as-of: the same questions with an as_of date",
    )
    args = parser.parse_args()
    if args.workload == "as-of":
        WORKLOAD[:] = AS_OF_WORKLOAD
    missing = [n for n, _ in WORKLOAD if n not in catalogue()]
    if missing:
        sys.exit(f"catalogue lacks {missing}")

    results: list[dict[str, Any]] = []
    for kind in args.stores.split(","):
        if kind == "embedded":
            from mineralkg.graph.embedded import EmbeddedStore

            api_dir, direct_dir = tempfile.mkdtemp(), tempfile.mkdtemp()
            # load the API's copy first, through the CLI, so the server finds its data on disk
            env = {
                "MINERALKG_STORE": "embedded",
                "MINERALKG_VAR_DIR": api_dir,
                "MINERALKG_WORKERS": str(args.workers),
            }
            subprocess.run(
                [sys.executable, "-m", "mineralkg.cli", "load", "-q"],
                cwd=ROOT,
                env={**os.environ, **env},
                check=True,
                stdout=subprocess.DEVNULL,
            )
            results += bench_store(
                kind, lambda d=direct_dir: EmbeddedStore(Path(d) / "graph.db"), env, args
            )
        else:
            from mineralkg.graph.neo4j_store import Neo4jStore
            from mineralkg.testing.neo4j_server import neo4j_server

            with _maybe_server(args.neo4j_uri, neo4j_server) as uri:
                env = {
                    "MINERALKG_STORE": "neo4j",
                    "MINERALKG_NEO4J_URI": uri,
                    "MINERALKG_WORKERS": str(args.workers),
                }
                results += bench_store(kind, lambda u=uri: Neo4jStore(u), env, args)

    client = (
        f"wrk -t{args.wrk_threads} for {args.seconds:g} s"
        if args.wrk
        else f"httpx, {args.requests} requests"
    )
    settings = get_settings()
    print(
        f"\nAPI loaded by {client} per level ({args.workers} worker(s), cache ttl "
        f"{settings.cache_ttl:g} s, access log {'on' if settings.access_log else 'off'}); "
        f"direct: {args.requests} calls; workload: {', '.join(n for n, _ in WORKLOAD)}"
    )
    print(
        f"{'store':9} {'clients':>7} {'api p50':>9} {'api p99':>9} {'api rps':>8} "
        f"{'direct p50':>11} {'direct p99':>11} {'direct rps':>11} {'p50 api/direct':>15}"
    )
    for i in range(0, len(results), 2):
        api, direct = results[i], results[i + 1]
        print(
            f"{api['store']:9} {api['clients']:>7} {api['p50_ms']:>8.2f}ms {api['p99_ms']:>8.2f}ms "
            f"{api['rps']:>8.0f} {direct['p50_ms']:>10.2f}ms {direct['p99_ms']:>10.2f}ms "
            f"{direct['rps']:>11.0f} {api['p50_ms'] / direct['p50_ms']:>14.2f}x"
        )


@contextmanager
def _maybe_server(uri: str | None, start: Callable[[], Any]) -> Iterator[str]:
    if uri:
        yield uri
    else:
        with start() as started:
            yield started


if __name__ == "__main__":
    main()
