"""The timeline view on the curated data, embedded store: query, data dict, page, draw time.

    python -m bench.timeline --runs 5

Side by side in one run, medians of `--runs`: the catalogue's `timeline` query (whole
graph, one entity), `timeline_view` (the query plus its look-ups: nodes, relationships,
status changes' parents, actors, undated ones, sources) and, for scale, `graph_view` (the
whole graph as a network, 500 nodes); the offline page's size; and the time from navigation
start to the page's `mkgReady` in headless Chromium (the axis, lanes and items drawn).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mineralkg.graph.catalogue import catalogue
from mineralkg.graph.embedded import EmbeddedStore
from mineralkg.graph.reads import ReadLimits
from mineralkg.loaders.dataset import load_dataset
from mineralkg.loaders.plan import build_plan
from mineralkg.settings import get_settings
from mineralkg.testing.browser import CHROMEDRIVER, CHROMIUM, FLAGS
from mineralkg.views import graph_view
from mineralkg.views.timeline import timeline_view
from mineralkg.views.timeline_render import render_timeline

LIMITS = ReadLimits(timeout=60.0, rows=1000)


def median_s(runs: int, fn: Callable[[], Any]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def drawn_ms(page: Path, runs: int) -> float:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        times = []
        for _ in range(runs):
            driver.get("about:blank")
            driver.get(page.as_uri())
            WebDriverWait(driver, 60).until(lambda d: d.execute_script("return window.mkgReady"))
            times.append(driver.execute_script("return performance.now()"))
        return statistics.median(times)
    finally:
        driver.quit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    settings = get_settings()
    dataset = load_dataset(settings.data_dir, settings.sources_dir)
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "graph.db", "bench")
        try:
            store.load(build_plan(dataset))
            query = catalogue()["timeline"]
            rows = {
                "timeline query, whole graph": query.bind({}),
                "timeline query, entity eu": query.bind({"entity": "eu"}),
            }
            results = {
                name: median_s(args.runs, lambda p=params: store.run(query.cypher, p, timeout=60))
                for name, params in rows.items()
            }
            results["timeline_view, whole graph"] = median_s(
                args.runs, lambda: timeline_view(store, limits=LIMITS)
            )
            results["timeline_view, entity eu"] = median_s(
                args.runs, lambda: timeline_view(store, entity="eu", limits=LIMITS)
            )
            results["graph_view, whole graph (500 nodes)"] = median_s(
                args.runs, lambda: graph_view(store)
            )
            view = timeline_view(store, limits=LIMITS)
        finally:
            store.close()
        page = Path(tmp) / "timeline.html"
        page.write_text(render_timeline(view, offline=True), encoding="utf-8")
        print(f"{view.counts.items} items, {view.counts.undated} undated; medians of {args.runs}")
        base = results["graph_view, whole graph (500 nodes)"]
        for name, seconds in results.items():
            print(f"{name:40s} {seconds * 1000:8.1f} ms  {seconds / base:5.2f} x graph_view")
        print(f"offline page: {page.stat().st_size / 1024:.0f} kB")
        print(
            f"drawn in Chromium (navigation start to mkgReady): {drawn_ms(page, args.runs):.0f} ms"
        )


if __name__ == "__main__":
    main()
