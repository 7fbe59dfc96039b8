"""Every catalogue query on a synthetic graph, on both stores: p50/p95 per query.

    python -m bench.queries --nodes 100000 --rels-per-node 5 --runs 20 --stores embedded,neo4j

The graph is mineralkg.testing.synthetic's (dated facts, status histories), loaded into the
embedded store and into a Neo4j of its own (mineralkg.testing.neo4j_server, loopback only).
Every query of the catalogue (graph/queries/, picked up as it is) runs through the read path
of the API and the CLI (graph/reads.py: read-only, its timeout, its row cap), with:

- `default`: its required parameters, the optional ones at their defaults;
- `anchored`: also the optional parameters that name an entity (actor, entity, mineral, ...),
  when it has any;
- `as_of`: as `anchored` (or `default`), with `as_of`, when the query takes it (a query
  that requires it, such as agreements_as_of, always has it).

Parameters name the best-connected entities of their class in the synthetic graph (as eu and
us are in the curated data), found before the clock starts; dates are the catalogue's
examples; a query with a required parameter this script cannot fill is skipped with a note.
Each query is run once untimed, then up to `--runs` times (at least 3, and no more once
`--budget` seconds have passed), the stores interleaved query by query. A query that takes
longer than `--timeout` is stopped by the database and reported as a timeout. Rows are the
rows returned, capped at `--row-limit`: by default the API's page (MINERALKG_PAGE_SIZE, 100
rows: what a request without `limit` reads); `--row-limit 1000` reads the largest page
(MINERALKG_ROW_LIMIT, also the CLI's cap). A `*` marks a p95 over the bar.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.load import neo4j_uri_for, open_store, schema_labels
from mineralkg.graph.catalogue import NamedQuery, ParamError, catalogue
from mineralkg.graph.reads import ReadLimits, read_named
from mineralkg.graph.store import GraphStore, StoreError
from mineralkg.loaders.dataset import Dataset
from mineralkg.loaders.plan import FULLTEXT_LABEL, build_plan
from mineralkg.ontology.model import load as load_ontology
from mineralkg.settings import Settings
from mineralkg.testing.synthetic import generate

BAR_MS = 100.0
# the synthetic dates run from 2010 to 2026: as of mid-2020 some facts are known, some
# undecidable (dated 2020 or 2020-06) and some not yet
AS_OF = "2020-06"


def _hub(label: str, rel: str = "") -> str:
    """The entity of a label with the most relationships (of a type), ties by id."""
    return (
        f"MATCH (n:{label})-[r{rel}]-() WITH n, count(r) AS degree "
        "RETURN n.id AS a ORDER BY degree DESC, a LIMIT 1"
    )


def _pair(label: str, rel: str) -> str:
    """The two entities of a label with the most relationships of a type."""
    return (
        f"MATCH (n:{label})-[r{rel}]-() WITH n, count(r) AS degree "
        "ORDER BY degree DESC, n.id LIMIT 2 WITH collect(n.id) AS ids "
        "RETURN ids[0] AS a, ids[1] AS b"
    )


_ACTORS_IN_TENSION = (
    "MATCH (a:Actor)<-[:INVOLVES]-(:Tension)-[:INVOLVES]->(b:Actor) WHERE a.id < b.id "
    "WITH a.id AS a, b.id AS b, count(*) AS shared RETURN a, b ORDER BY shared DESC, a, b LIMIT 1"
)

# A parameter's value, by its name: Cypher whose first row gives it (column a)
SINGLE: dict[str, str] = {
    "actor": _hub("Actor"),
    "speaker": _hub("Actor", ":SAID"),
    "entity": _hub("Actor"),
    "agreement": _hub("Agreement"),
    "mineral": _hub("Mineral"),
    "event": _hub("Event"),
    "source": _hub("Source", ":APPEARS_IN"),
    "topic": _hub("Entity", ":ABOUT"),
    "text": _hub("Actor").replace("n.id AS a", "toLower(n.name) AS a"),
}
# parameters that go in pairs: Cypher whose first row gives both (columns a and b)
PAIRS: dict[tuple[str, str], str] = {
    ("actor_a", "actor_b"): _ACTORS_IN_TENSION,
    ("actor", "other"): _ACTORS_IN_TENSION,  # what_changed: between two actors
    ("from", "to"): _pair("Actor", ""),  # shortest_path: two hubs
    ("agreement_a", "agreement_b"): _pair("Agreement", ":HAS_PROVISION"),
    ("list_a", "list_b"): _pair("CriticalMineralList", ":LISTS"),
    ("from_list", "to_list"): _pair("CriticalMineralList", ":LISTS"),
}
_EXAMPLE = re.compile(r"e\.g\.\s+([^\s,;()]+)")


@dataclass
class Timing:
    samples: list[float] = field(default_factory=list)  # ms
    rows: int | None = None
    error: str | None = None

    def p(self, q: int) -> float | None:
        if not self.samples:
            return None
        if len(self.samples) == 1:
            return self.samples[0]
        return statistics.quantiles(self.samples, n=100, method="inclusive")[q - 1]


def pick_values(store: GraphStore) -> dict[str, str]:
    """Every value a parameter may take, by parameter name (found in the loaded graph)."""
    values: dict[str, str] = {}
    for name, cypher in SINGLE.items():
        rows = store.run(cypher).rows
        if rows and rows[0]["a"] is not None:
            values[name] = rows[0]["a"]
    for (first, second), cypher in PAIRS.items():
        rows = store.run(cypher).rows
        if rows and rows[0]["a"] is not None and rows[0]["b"] is not None:
            values.setdefault(first, rows[0]["a"])  # `actor` stays the hub of SINGLE
            values.setdefault(second, rows[0]["b"])
    return values


def variants(q: NamedQuery, values: dict[str, str]) -> tuple[dict[str, dict[str, Any]], str]:
    """The parameter sets to run the query with, by variant; or none and why."""
    base: dict[str, Any] = {}
    anchors: dict[str, Any] = {}
    for p in q.params:
        if p.name == "as_of":
            if p.required:  # a query about one date (agreements_as_of): always with it
                base[p.name] = AS_OF
            continue
        if p.type == "date":
            example = _EXAMPLE.search(p.description)
            if p.required and example is None:
                return {}, f"no example date for {p.name}"
            if p.required and example is not None:
                base[p.name] = example.group(1).rstrip(".")
        elif p.type == "string" and p.name in values:
            (base if p.required else anchors)[p.name] = values[p.name]
        elif p.required:
            return {}, f"cannot fill the required parameter {p.name} ({p.type})"
    out = {"default": base}
    if anchors:
        out["anchored"] = {**base, **anchors}
    if any(p.name == "as_of" and not p.required for p in q.params):
        out["as_of"] = {**base, **anchors, "as_of": AS_OF}
    return out, ""


def time_query(
    store: GraphStore,
    q: NamedQuery,
    params: dict[str, Any],
    runs: int,
    budget: float,
    limits: ReadLimits,
) -> Timing:
    """One untimed run, then up to `runs` timed ones (at least 3 within the budget)."""
    timing = Timing()
    try:
        timing.rows = len(read_named(store, q, params, limits).rows)
        stop = time.monotonic() + budget
        for _ in range(runs):
            t0 = time.perf_counter()
            read_named(store, q, params, limits)
            timing.samples.append((time.perf_counter() - t0) * 1000)
            if len(timing.samples) >= 3 and time.monotonic() > stop:
                break
    except (StoreError, ParamError) as exc:  # stopped, or parameters it does not take
        timing.error = type(exc).__name__
    return timing


def load(store: GraphStore, ds: Dataset, reuse: bool) -> None:
    ont = load_ontology()
    want = (len(ds.nodes), len(ds.relations))
    if reuse:
        have = store.counts()
        if (have.nodes, have.relationships) == want:
            store.ensure_schema(schema_labels(ont), [FULLTEXT_LABEL])
            print(f"{store.kind}: reusing the loaded graph", file=sys.stderr)
            return
    t0 = time.perf_counter()
    store.clear()
    store.load(build_plan(ds, ont))
    print(f"{store.kind}: loaded in {time.perf_counter() - t0:.0f}s", file=sys.stderr)


def cell(t: Timing) -> str:
    if t.error:
        return f"{t.error:>22}"
    p50, p95 = t.p(50), t.p(95)
    assert p50 is not None and p95 is not None
    flag = "*" if p95 > BAR_MS else " "
    return f"{t.rows:>6} {p50:>7.1f} {p95:>7.1f}{flag}"


def over(t: Timing) -> bool:
    p95 = t.p(95)
    return t.error is not None or (p95 is not None and p95 > BAR_MS)


@contextlib.contextmanager
def stores(args: argparse.Namespace) -> Iterator[list[GraphStore]]:
    kinds = args.stores.split(",")
    workdir = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="qbench-"))
    with (
        neo4j_uri_for(args.neo4j_uri, "neo4j" in kinds, args.heap) as uri,
        contextlib.ExitStack() as stack,
    ):
        yield [stack.enter_context(open_store(kind, uri, workdir)) for kind in kinds]


def run(args: argparse.Namespace) -> int:
    t0 = time.perf_counter()
    ds = generate(args.nodes, args.rels_per_node, seed=args.seed)
    print(
        f"generated {len(ds.nodes):,} nodes, {len(ds.relations):,} relationships "
        f"in {time.perf_counter() - t0:.0f}s",
        file=sys.stderr,
    )
    wanted = set(args.queries.split(",")) if args.queries else None
    limits = ReadLimits(args.timeout, args.row_limit)
    failed = 0
    with stores(args) as opened:
        for store in opened:
            load(store, ds, args.reuse)
        values = pick_values(opened[0])
        print(f"parameters: {values}, as_of {AS_OF}")
        head = "".join(f" | {s.kind + ': rows p50 p95 ms':>22}" for s in opened)
        print(f"{'query':<28} {'variant':<9}{head}")
        for q in catalogue().values():
            if wanted and q.name not in wanted:
                continue
            sets, why = variants(q, values)
            if not sets:
                print(f"{q.name:<28} skipped: {why}")
                continue
            for variant, params in sets.items():
                times = [time_query(s, q, params, args.runs, args.budget, limits) for s in opened]
                failed += sum(over(t) for t in times)
                cells = "".join(f" | {cell(t)}" for t in times)
                print(f"{q.name:<28} {variant:<9}{cells}", flush=True)
    print(f"{failed} over the bar (p95 > {BAR_MS:.0f} ms, or stopped)")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.queries", description=__doc__)
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--rels-per-node", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=20, help="timed runs per query and store")
    parser.add_argument("--budget", type=float, default=5.0, help="seconds per query and store")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds a query may run")
    parser.add_argument(
        "--row-limit",
        type=int,
        default=Settings().page_size,
        help="rows read (default: the API's page; the largest is MINERALKG_ROW_LIMIT)",
    )
    parser.add_argument("--stores", default="embedded,neo4j")
    parser.add_argument("--queries", help="only these queries (comma-separated names)")
    parser.add_argument("--neo4j-uri", help="a running Neo4j to use instead of our own")
    parser.add_argument(
        "--heap", default="10g", help="heap of our own Neo4j (the load is one transaction)"
    )
    parser.add_argument("--workdir", help="folder of the embedded graph (default: a new one)")
    parser.add_argument(
        "--reuse", action="store_true", help="keep a graph that already has the data's counts"
    )
    raise SystemExit(run(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
