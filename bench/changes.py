"""Change digests on the curated data, both stores side by side: `service.changes` (the query
`what_changed`, then the sources resolved: what `GET /changes` does) for periods of a year, a
month and a day, the whole record, and one actor pair.

    python -m bench.changes --runs 15

Both stores are loaded with the curated data first (the embedded store in a temporary file,
Neo4j Community from `mineralkg.testing.neo4j_server`); each case is run once to warm up (Neo4j
plans the query), then `--runs` times; medians in milliseconds and the Neo4j/embedded ratio.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from mineralkg import service
from mineralkg.graph.embedded import EmbeddedStore
from mineralkg.graph.neo4j_store import Neo4jStore
from mineralkg.graph.store import GraphStore
from mineralkg.loaders.plan import build_plan
from mineralkg.settings import Settings
from mineralkg.testing.neo4j_server import neo4j_server

CASES: dict[str, dict[str, str | None]] = {
    "year 2025": {"since": "2025", "until": "2025"},
    "month 2025-10": {"since": "2025-10", "until": "2025-10"},
    "day 2026-02-04": {"since": "2026-02-04", "until": "2026-02-04"},
    "whole record": {},
    "us and eu, 2025-2026": {"since": "2025", "until": "2026", "actor": "us", "other": "eu"},
}
SETTINGS = Settings(query_timeout=60.0, row_limit=5000)


def median_ms(store: GraphStore, params: dict[str, str | None], runs: int) -> tuple[float, int]:
    found = service.changes(store, **params, settings=SETTINGS)  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        service.changes(store, **params, settings=SETTINGS)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), len(found.changes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    plan = build_plan(service.checked_dataset())
    with tempfile.TemporaryDirectory() as tmp, neo4j_server() as uri:
        stores: dict[str, GraphStore] = {
            "embedded": EmbeddedStore(Path(tmp) / "graph.db", "bench"),
            "neo4j": Neo4jStore(uri),
        }
        for store in stores.values():
            store.load(plan)
        print("| case | changes | embedded median ms | Neo4j median ms | Neo4j / embedded |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for name, params in CASES.items():
            (emb, count), (neo, _) = (median_ms(s, params, runs) for s in stores.values())
            print(f"| {name} | {count} | {emb:.1f} | {neo:.1f} | {neo / emb:.2f} |")
        for store in stores.values():
            store.close()


if __name__ == "__main__":
    main()
