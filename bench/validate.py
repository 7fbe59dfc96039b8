"""`mineralkg validate` time against data size, whole command and phases (medians).

    python -m bench.validate --nodes 1000,10000 --rels-per-node 5 --repeats 3

For the curated data (data/, with the source texts of MINERALKG_SOURCES_DIR) and a synthetic
dataset of each size (mineralkg.testing.synthetic, written as YAML to a temporary folder):

- command: wall time of `mineralkg validate PATH` in a fresh process (imports included),
  with the per-file record cache (loaders/record_cache.py) warm, as in the curation loop
  (edit a file, validate); cold: the same with an empty cache (MINERALKG_VAR_DIR fresh);
- with --compare CHECKOUT (another checkout with its own .venv, e.g. /work/main): its
  `mineralkg validate` of the curated data, run in turn with ours, for a ratio measured on
  the same machine at the same time;
- import: wall time of `python -c "import mineralkg.cli"` in a fresh process;
- then each phase in this process, with the per-process caches cleared first:
  ontology (parse mineralkg.ttl), yaml (read and parse the files), records (build the
  pydantic models, check records, references, quotes), shapes (parse shapes.ttl, compile),
  store (the RDF triples and the ontology into the pyoxigraph store), shacl (all the
  shapes, as the command runs them: the two below side by side), core (the core
  constraints alone, pyshacl-turbo) and sparql (the sh:sparql constraints alone).

It prints numbers; it is not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mineralkg.loaders import schema, shacl, shacl_sparql
from mineralkg.loaders.dataset import validate_records
from mineralkg.loaders.rdf import triples
from mineralkg.loaders.yamlio import read_all
from mineralkg.ontology.model import load as load_ontology
from mineralkg.settings import get_settings

MINERALKG = Path(sys.executable).with_name("mineralkg")
PHASES = ("ontology", "yaml", "records", "shapes", "store", "shacl", "core", "sparql")


def _wall(argv: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        argv,
        capture_output=True,
        text=True,
        check=False,
        env=env and {**os.environ, **env},
        cwd=cwd,
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{done.stderr[-2000:]}")
    return elapsed


def _timed(times: dict[str, list[float]], phase: str, work: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    result = work()
    times.setdefault(phase, []).append(time.perf_counter() - start)
    return result


def _cold() -> None:
    """Forget what a process builds once (as a fresh `mineralkg validate` has to build it)."""
    for cached in (
        load_ontology,
        schema.node_model,
        schema.relation_model,
        shacl.shapes,
        shacl.core_shapes,
        shacl.sparql_constraints,
        shacl._ontology_text,
    ):
        cached.cache_clear()


def phases(path: Path, sources: Path, times: dict[str, list[float]]) -> tuple[int, int, int]:
    """One in-process run of the validation, phase by phase, caches cleared first."""
    _cold()
    ont = _timed(times, "ontology", load_ontology)
    records, errors = _timed(times, "yaml", lambda: read_all(path))
    assert not errors, errors[:3]
    dataset = _timed(times, "records", lambda: validate_records(records, sources, ont))
    _timed(times, "shapes", lambda: (shacl.core_shapes(), shacl.sparql_constraints()))
    store = _timed(times, "store", lambda: shacl.validation_store(triples(dataset, ont), ont))
    found = _timed(times, "shacl", lambda: shacl.store_violations(store))
    core = _timed(times, "core", lambda: shacl._core_violations(store))
    constraints = shacl.sparql_constraints()
    sparql = _timed(times, "sparql", lambda: shacl_sparql.violations(store, constraints))
    assert not found and not core and not sparql, (found[:3], core[:3], sparql[:3])
    return len(dataset.nodes), len(dataset.relations), len(store)


def measure(label: str, path: Path, sources: Path, repeats: int, compare: Path | None) -> None:
    times: dict[str, list[float]] = {}
    argv = [str(MINERALKG), "validate", str(path)]
    with tempfile.TemporaryDirectory() as var:
        _wall(argv, {"MINERALKG_VAR_DIR": var})  # fills the cache
        for _ in range(repeats):
            with tempfile.TemporaryDirectory() as cold:
                times.setdefault("cold", []).append(_wall(argv, {"MINERALKG_VAR_DIR": cold}))
            times.setdefault("command", []).append(_wall(argv, {"MINERALKG_VAR_DIR": var}))
            if compare is not None:
                other = [str(compare / ".venv/bin/mineralkg"), "validate", str(path)]
                times.setdefault("compare", []).append(_wall(other, cwd=compare))
    for _ in range(repeats):
        times.setdefault("import", []).append(_wall([sys.executable, "-c", "import mineralkg.cli"]))
        nodes, rels, triple_count = phases(path, sources, times)
    cells = "  ".join(f"{k} {statistics.median(times[k]):6.2f}" for k in ("import", *PHASES))
    med = {k: statistics.median(v) for k, v in times.items()}
    other = f" | {compare} {med['compare']:6.2f} s" if compare is not None else ""
    print(
        f"{label:>8}: {nodes:6d} nodes {rels:6d} rels {triple_count:8d} triples | "
        f"command {med['command']:6.2f} s, cold cache {med['cold']:6.2f} s{other} | {cells}",
        flush=True,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.validate", description=__doc__)
    parser.add_argument("--nodes", default="1000,10000", help="synthetic sizes, comma-separated")
    parser.add_argument("--rels-per-node", type=float, default=5.0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-curated", action="store_true")
    parser.add_argument("--compare", type=Path, help="another checkout with its own .venv")
    args = parser.parse_args(argv)
    settings = get_settings()
    print(f"medians of {args.repeats} run(s), seconds; phases in-process after the imports")
    if not args.no_curated:
        measure("curated", settings.data_dir, settings.sources_dir, args.repeats, args.compare)
    from mineralkg.testing.synthetic import generate, write_yaml

    for size in [int(n) for n in args.nodes.split(",") if n]:
        with tempfile.TemporaryDirectory() as tmp:
            write_yaml(generate(size, args.rels_per_node), Path(tmp))
            measure(f"{size}", Path(tmp), Path("/nonexistent-sources"), args.repeats, None)


if __name__ == "__main__":
    main()
