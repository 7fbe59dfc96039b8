"""`mineralkg validate` time against data size, whole command and phases (medians).

    python -m bench.validate --nodes 1000,10000 --rels-per-node 5 --repeats 3

For the curated data (data/, with the source texts of MINERALKG_SOURCES_DIR) and a synthetic
dataset of each size (mineralkg.testing.synthetic, written as YAML to a temporary folder):

- command: wall time of `mineralkg validate PATH` in a fresh process (imports included),
  with the per-file record cache (loaders/record_cache.py) warm, as in the curation loop
  (edit a file, validate); cold: the same with an empty cache (MINERALKG_VAR_DIR fresh);
- with --compare CHECKOUT (another checkout, e.g. `git archive COMMIT | tar -x -C DIR`): its
  `mineralkg validate` of the same data, warm and cold, run in turn with ours, for ratios
  measured on the same machine at the same time (with the CHECKOUT's .venv if it has one,
  else with this interpreter and the CHECKOUT first on the module path; both check the
  quotes against the same MINERALKG_SOURCES_DIR);
- import: wall time of `python -c "import mineralkg.cli"` in a fresh process;
- then each phase in this process, with the per-process caches cleared first:
  ontology (parse mineralkg.ttl), yaml (read and parse the files), records (build the
  pydantic models, check records, references, quotes), shapes (parse shapes.ttl, compile),
  text (the dataset as N-Triples), store (the text and the ontology into a pyoxigraph store),
  shacl (all the shapes, as the command runs them from the text: the core constraints on
  the part of the data they read and the sh:sparql ones on a store of all of it, side by
  side), core (the core constraints alone, pyshacl-turbo, on the whole store) and sparql
  (the sh:sparql constraints alone).

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
from mineralkg.loaders.rdf_text import dataset_ntriples
from mineralkg.loaders.yamlio import read_all
from mineralkg.ontology.model import load as load_ontology
from mineralkg.settings import get_settings

MINERALKG = Path(sys.executable).with_name("mineralkg")
PHASES = ("ontology", "yaml", "records", "shapes", "text", "store", "shacl", "core", "sparql")


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
        shacl._core_graph,
        shacl.core_shapes,
        shacl.core_predicates,
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
    _timed(
        times,
        "shapes",
        lambda: (shacl.core_shapes(), shacl.core_predicates(), shacl.sparql_constraints()),
    )
    text = _timed(times, "text", lambda: dataset_ntriples(dataset, ont))
    store = _timed(times, "store", lambda: shacl.validation_store(text, ont))
    found = _timed(times, "shacl", lambda: shacl.violations(text, ont))
    core_text = shacl._ontology_text(ont) + text
    core = _timed(times, "core", lambda: shacl._core_violations(core_text))
    constraints = shacl.sparql_constraints()
    sparql = _timed(times, "sparql", lambda: shacl_sparql.violations(store, constraints))
    assert not found and not core and not sparql, (found[:3], core[:3], sparql[:3])
    return len(dataset.nodes), len(dataset.relations), len(store)


def _commands(compare: Path | None, path: Path) -> dict[str, list[str]]:
    """The validate commands to time: ours, and the other checkout's (both through
    `python -m mineralkg.cli` then, so that neither pays an entry point the other does not)."""
    if compare is None:
        return {"ours": [str(MINERALKG), "validate", str(path)]}
    venv = compare / ".venv/bin/python"
    theirs = str(venv) if venv.exists() else sys.executable
    return {
        name: [python, "-m", "mineralkg.cli", "validate", str(path)]
        for name, python in (("ours", sys.executable), ("theirs", theirs))
    }


def _env(name: str, compare: Path | None, var: str, sources: Path) -> dict[str, str]:
    env = {"MINERALKG_VAR_DIR": var, "MINERALKG_SOURCES_DIR": str(sources)}
    if name == "theirs" and compare is not None:
        env["PYTHONPATH"] = str(compare)
    return env


def _cwd(name: str, compare: Path | None) -> Path | None:
    return compare if name == "theirs" else None


def measure(label: str, path: Path, sources: Path, repeats: int, compare: Path | None) -> None:
    times: dict[str, list[float]] = {}
    commands = _commands(compare, path)
    with tempfile.TemporaryDirectory() as warm:
        for name, argv in commands.items():  # fill each one's cache
            os.makedirs(f"{warm}/{name}")
            _wall(argv, _env(name, compare, f"{warm}/{name}", sources), _cwd(name, compare))
        for _ in range(repeats):
            for name, argv in commands.items():
                key = "" if name == "ours" else "theirs "
                with tempfile.TemporaryDirectory() as cold:
                    env = _env(name, compare, cold, sources)
                    times.setdefault(f"{key}cold", []).append(_wall(argv, env, _cwd(name, compare)))
                env = _env(name, compare, f"{warm}/{name}", sources)
                times.setdefault(f"{key}command", []).append(_wall(argv, env, _cwd(name, compare)))
    for _ in range(repeats):
        times.setdefault("import", []).append(_wall([sys.executable, "-c", "import mineralkg.cli"]))
        nodes, rels, triple_count = phases(path, sources, times)
    cells = "  ".join(f"{k} {statistics.median(times[k]):6.2f}" for k in ("import", *PHASES))
    med = {k: statistics.median(v) for k, v in times.items()}
    other = ""
    if compare is not None:
        other = (
            f" | {compare}: warm {med['theirs command']:6.2f} s, cold {med['theirs cold']:6.2f} s"
            f" (ours/theirs: warm {med['command'] / med['theirs command']:.2f}x,"
            f" cold {med['cold'] / med['theirs cold']:.2f}x)"
        )
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
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"medians of {args.repeats} run(s), seconds; phases in-process after the imports")
    print(f"load average at the start: {load}", flush=True)
    if not args.no_curated:
        measure("curated", settings.data_dir, settings.sources_dir, args.repeats, args.compare)
    from mineralkg.testing.synthetic import generate, write_yaml

    for size in [int(n) for n in args.nodes.split(",") if n]:
        with tempfile.TemporaryDirectory() as tmp:
            write_yaml(generate(size, args.rels_per_node), Path(tmp))
            measure(f"{size}", Path(tmp), Path("/nonexistent-sources"), args.repeats, None)
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
