"""Graph views at 100, 1,000 and 5,000 nodes: build time, page size, time to draw in Chromium.

    python -m bench.views --sizes 100,1000,5000 --runs 3

For each size a synthetic graph is built straight into the view model (no store):
nodes of every top class of the ontology (each with a name, a source, a quote, an evidence
entry and, for dated classes, a date) and two relationships per node (one to an earlier
node, one at random; seeded). Measured:

- build: `mineralkg.views.build` (filters, cap, styles, tooltips, the server-side layout);
- page: the offline page (`render_view(offline=True)`, vis-network inlined: what
  `mineralkg view -o` writes) and the served page (vis-network loaded from /static/vis);
- drawn: the offline page opened from a file in headless Chromium, from navigation start to
  vis-network's first `afterDrawing` (the page's `window.mkgDrawnAt`); physics is off, so
  the drawing is final: the bench checks that positions do not move afterwards.

Medians of `--runs` page loads, each in a fresh tab state (about:blank in between).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from mineralkg import views
from mineralkg.ontology.model import load as load_ontology
from mineralkg.testing.browser import CHROMEDRIVER, CHROMIUM, FLAGS

BAR_S = {1000: 2.0, 5000: 6.0}
DATED = {
    "Agreement": "signedOn",
    "Event": "occurredOn",
    "PolicyInstrument": "adoptedOn",
    "Tension": "startedOn",
    "Source": "publishedOn",
}


def synthetic(n: int, seed: int = 7) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """n nodes over the ontology's top classes and 2 relationships per node."""
    rng = random.Random(seed)
    classes = list(views.top_classes())
    rel_types = sorted(load_ontology().relationships)
    nodes = []
    for i in range(n):
        cls = classes[i % len(classes)]
        quote = f"Synthetic quote number {i} about the {cls.lower()} in this benchmark graph."
        props: dict[str, Any] = {
            "id": f"n{i}",
            "name": f"Synthetic {cls} number {i}",
            "class": cls,
            "recordedOn": "2026-11-22",
            "sources": ["bench-source"],
            "quotes": [quote],
            "evidence": json.dumps([{"source": "bench-source", "quote": quote}]),
        }
        if cls in DATED:
            props[DATED[cls]] = f"20{10 + i % 17:02d}-{1 + i % 12:02d}"
        nodes.append({"id": f"n{i}", "labels": ["Entity", cls], "properties": props})
    rels = []
    for i in range(1, n):
        for j in (rng.randrange(i), rng.randrange(n)):
            if j == i:
                continue
            rtype = rel_types[(i + j) % len(rel_types)]
            rels.append(
                {
                    "type": rtype,
                    "start": f"n{i}",
                    "end": f"n{j}",
                    "properties": {
                        "key": f"n{i}|{rtype}|n{j}",
                        "sources": ["bench-source"],
                        "quotes": [],
                        "evidence": "[]",
                    },
                }
            )
    return nodes, rels


def open_browser() -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tempfile.mkdtemp(prefix='mineralkg-bench-')}")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(120)
    return driver


def draw_time(driver: Any, page: Path, timeout: float = 120.0) -> tuple[float, bool]:
    """Seconds from navigation start to the first drawing, and whether it then stays put."""
    driver.get("about:blank")
    driver.get(page.as_uri())
    deadline = time.monotonic() + timeout
    while not driver.execute_script("return window.mkgReady === true"):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{page} was not drawn in {timeout} s")
        time.sleep(0.02)
    drawn_ms = driver.execute_script("return window.mkgDrawnAt")
    probe = "var p = window.mkg.network.getPositions(); return JSON.stringify(p);"
    before = driver.execute_script(probe)
    time.sleep(0.5)
    stable = driver.execute_script(probe) == before
    return drawn_ms / 1000.0, stable


def run(sizes: list[int], runs: int, out_dir: Path) -> list[dict[str, Any]]:
    results = []
    driver = open_browser()
    try:
        for n in sizes:
            nodes, rels = synthetic(n)
            started = time.perf_counter()
            view = views.build(nodes, rels, title=f"{n} synthetic nodes", limit=n)
            build_s = time.perf_counter() - started
            started = time.perf_counter()
            offline = views.render_view(view, offline=True)
            render_s = time.perf_counter() - started
            served = views.render_view(view)
            page = out_dir / f"view-{n}.html"
            page.write_text(offline, encoding="utf-8")
            times, stable = [], True
            for _ in range(runs):
                seconds, still = draw_time(driver, page)
                times.append(seconds)
                stable = stable and still
            results.append(
                {
                    "nodes": len(view.nodes),
                    "edges": len(view.edges),
                    "build_s": build_s,
                    "render_s": render_s,
                    "offline_bytes": len(offline.encode()),
                    "served_bytes": len(served.encode()),
                    "drawn_s": statistics.median(times),
                    "drawn_all": times,
                    "stable": stable,
                    "bar_s": BAR_S.get(n),
                }
            )
            print(f"{n} nodes: drawn in {statistics.median(times):.2f} s", flush=True)
    finally:
        driver.quit()
    return results


def table(results: list[dict[str, Any]], runs: int) -> str:
    lines = [
        "| nodes | relationships | build + layout | render | page (offline) | page (served) "
        f"| drawn in Chromium (median of {runs}) | bar | stable |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        bar = f"< {r['bar_s']:.0f} s" if r["bar_s"] else "-"
        ok = "" if not r["bar_s"] else (" ✓" if r["drawn_s"] < r["bar_s"] else " ✗")
        lines.append(
            f"| {r['nodes']:,} | {r['edges']:,} | {r['build_s']:.2f} s | {r['render_s']:.2f} s "
            f"| {r['offline_bytes'] / 1e6:.2f} MB | {r['served_bytes'] / 1e6:.2f} MB "
            f"| {r['drawn_s']:.2f} s{ok} | {bar} | {'yes' if r['stable'] else 'NO'} |"
        )
    return "\n".join(lines)


def machine() -> str:
    try:
        version = subprocess.run(
            [CHROMIUM, "--version"], capture_output=True, text=True, timeout=30
        ).stdout.strip()
    except OSError:
        version = "chromium ?"
    cpu = platform.processor() or platform.machine()
    return f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, {version}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,5000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None, help="Keep the pages in this folder.")
    parser.add_argument("--json", type=Path, default=None, help="Write the results as JSON.")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    out_dir = args.out or Path(tempfile.mkdtemp(prefix="mineralkg-views-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    results = run(sizes, args.runs, out_dir)
    print()
    print(machine())
    print(table(results, args.runs))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
