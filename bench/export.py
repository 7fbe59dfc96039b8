"""The RDF export: rdflib's Graph (the export before) against the streamed writer
(loaders/rdf_text.py), side by side on one synthetic dataset: time and the memory the export
adds to the process.

    python -m bench.export --nodes 10000 --runs 3 --formats nt,turtle

Each run is a process of its own: it builds the dataset (mineralkg.testing.synthetic), notes its
resident memory, writes the export to a temporary file, and reports the time taken and how far
its peak resident memory rose above the mark (VmHWM - VmRSS before). Medians over the runs,
the ways interleaved run by run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

CHILD = r"""
import json, sys, tempfile, time
from mineralkg.loaders.rdf import serialize, to_graph, triples
from mineralkg.loaders.rdf_text import write
from mineralkg.testing.synthetic import generate

def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) * 1024

way, fmt, nodes = sys.argv[1], sys.argv[2], int(sys.argv[3])
dataset = generate(nodes, 5.0, seed=0)
before = status("VmRSS")
t0 = time.perf_counter()
with tempfile.TemporaryFile() as out:
    if way == "rdflib":
        out.write(serialize(to_graph(dataset), fmt).encode())
    else:
        write(triples(dataset), fmt, out)
    size = out.tell()
print(json.dumps({"s": time.perf_counter() - t0, "extra": status("VmHWM") - before, "bytes": size}))
"""
WAYS = ("rdflib", "streamed")


def run_once(way: str, fmt: str, nodes: int) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, way, fmt, str(nodes)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--formats", default="nt,turtle,json-ld")
    args = parser.parse_args(argv)
    print(f"{args.nodes:,} nodes, {args.nodes * 5:,} relationships; medians of {args.runs} runs")
    print(f"{'format':<8} {'way':<9} {'time s':>8} {'extra MB':>9} {'file MB':>8}")
    for fmt in args.formats.split(","):
        samples: dict[str, list[dict[str, float]]] = {way: [] for way in WAYS}
        for _ in range(args.runs):
            for way in WAYS:
                samples[way].append(run_once(way, fmt, args.nodes))
        med = {
            way: {k: statistics.median(s[k] for s in samples[way]) for k in ("s", "extra", "bytes")}
            for way in WAYS
        }
        for way in WAYS:
            m = med[way]
            extra, size = m["extra"] / 1e6, m["bytes"] / 1e6
            print(f"{fmt:<8} {way:<9} {m['s']:>8.2f} {extra:>9.0f} {size:>8.1f}")
        old, new = med["rdflib"], med["streamed"]
        print(
            f"{fmt:<8} ratio     {new['s'] / old['s']:>8.2f} "
            f"{new['extra'] / max(old['extra'], 1):>9.2f}  (streamed / rdflib)"
        )


if __name__ == "__main__":
    main()
