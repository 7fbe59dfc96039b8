"""Pages built from hostile data run none of it, in a real headless Chromium.

The fixture (tests/fixtures/hostile/) puts `<script>`, `"><img onerror=...>`, `<svg onload>`,
`javascript:` URLs and template syntax into names, aliases, quotes, roles, a source's title,
publisher and URL; each attack would set `window.__xss`. The views and the start page are
served by the app (with its Content-Security-Policy) and opened, their panels shown with real
clicks through the page's own code; the same views saved for offline use are opened as files.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from mineralkg.api.app import create_app
from mineralkg.graph.store import GraphStore
from mineralkg.loaders.dataset import Dataset, load_dataset
from mineralkg.settings import Settings
from mineralkg.testing import in_ci
from mineralkg.testing.browser import CHROMEDRIVER, CHROMIUM, chromium
from mineralkg.testing.server import served
from mineralkg.views import entity_view, render_view

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).parent / "fixtures"
PAGES = ["/", "/view", "/view/entity/evil-state?depth=2", "/view/entity/evil-mou"]
PROBE = """
return {
  xss: window.__xss === undefined ? null : String(window.__xss),
  scripts: document.scripts.length,
  handlers: document.querySelectorAll('[onerror],[onload],[onmouseover],iframe,img[src=x]').length,
  violations: (window.__violations || []).length
};
"""
WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__violations.push(e.violatedDirective);
});
"""


@pytest.fixture(scope="module")
def hostile() -> Dataset:
    return load_dataset(FIXTURES / "hostile", FIXTURES / "hostile-sources")


@pytest.fixture(scope="module")
def hostile_store(
    tmp_path_factory: pytest.TempPathFactory, hostile: Dataset
) -> Iterator[GraphStore]:
    from mineralkg.graph.embedded import EmbeddedStore
    from mineralkg.loaders.plan import build_plan

    store = EmbeddedStore(tmp_path_factory.mktemp("hostile") / "graph.db", "hostile")
    store.load(build_plan(hostile))
    yield store
    store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.access(path, os.X_OK):
            if in_ci():
                pytest.fail(f"CI must run the browser tests: {path} is missing")
            pytest.skip(f"{path} is missing (apt-get install chromium chromium-driver)")
    with chromium({"browser": "ALL"}) as driver:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": WATCH})
        yield driver


def show_everything(driver: Any) -> None:
    """Every node's and edge's panel, drawn by the page's code (names, quotes, sources)."""
    driver.execute_script(
        "if (window.mkg) {"
        " Object.keys(window.mkg.view.nodes).forEach(function (id) { window.mkg.showNode(id); });"
        " Object.keys(window.mkg.view.edges).forEach(function (id) { window.mkg.showEdge(id); });"
        "}"
    )
    for link in driver.find_elements("css selector", "#panel-body a[href^='https://']")[:1]:
        assert link.get_attribute("href").startswith("https://example.org/")


def open_page(driver: Any, url: str) -> dict[str, Any]:
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(url)
    WebDriverWait(driver, 30).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )
    if "/view" in url or url.startswith("file:"):
        WebDriverWait(driver, 30).until(
            lambda d: d.execute_script("return window.mkgReady === true")
        )
        show_everything(driver)
    result: dict[str, Any] = driver.execute_script(PROBE)
    return result


def test_served_pages_run_no_hostile_script(browser: Any, hostile_store: GraphStore) -> None:
    app = create_app(Settings(), store=hostile_store)
    with served(app) as base:
        for path in PAGES:
            assert httpx.get(base + path).status_code == 200, path
            seen = open_page(browser, base + path)
            assert seen["xss"] is None, (path, seen)
            assert seen["handlers"] == 0, (path, seen)
            # a blocked inline script would mean something was pasted unescaped
            assert seen["violations"] == 0, (path, seen)
            severe = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
            assert not severe, (path, severe)
        # the search box renders names the API returns for a typed query
        browser.get(base + "/")
        browser.find_element("id", "search").send_keys("script")
        from selenium.webdriver.support.ui import WebDriverWait

        WebDriverWait(browser, 30).until(
            lambda d: d.execute_script("return document.querySelectorAll('#results li').length") > 0
        )
        seen = browser.execute_script(PROBE)
        assert seen["xss"] is None and seen["handlers"] == 0, seen


def test_offline_pages_run_no_hostile_script(
    browser: Any, hostile_store: GraphStore, tmp_path: Path
) -> None:
    view = entity_view(hostile_store, "evil-state", depth=2)
    assert view is not None and len(view.nodes) == 3
    page = tmp_path / "evil.html"
    page.write_text(render_view(view, offline=True), encoding="utf-8")
    seen = open_page(browser, page.as_uri())
    assert seen["xss"] is None and seen["handlers"] == 0, seen
