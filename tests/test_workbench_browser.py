"""The workbench in a real headless Chromium cut off from every host but 127.0.0.1: a
catalogue query as a table, sorted and downloaded as CSV (the file's rows are the API's);
a view downloaded as GraphML that networkx reads back with the view's counts, and as PNG;
the API docs (/docs, /redoc) drawn from the app's own files."""

from __future__ import annotations

import csv
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import networkx as nx
import pytest
from test_views_browser import (  # the served app and the checks of the view tests
    WAIT_S,
    _browser_missing,
    assert_console_clean,
    assert_stays_local,
    requested_urls,
    screenshot,
)
from test_views_browser import server as _served  # noqa: F401 (the `server` fixture)

from mineralkg.graph.store import GraphStore
from mineralkg.testing import in_ci
from mineralkg.testing.browser import CHROMEDRIVER, CHROMIUM, FLAGS
from mineralkg.views.tabular import cell_text

pytestmark = pytest.mark.browser

# every host name but the loopback address fails to resolve: no CDN can answer
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"


@pytest.fixture
def app(request: pytest.FixtureRequest) -> str:
    """The app's address (the view tests' server over the loaded store): looked up per test,
    since the server of one store's tests is gone when the other store's run."""
    return str(request.getfixturevalue("_served"))


@pytest.fixture(scope="module")
def downloads() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="mineralkg-downloads-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(autouse=True)
def no_earlier_downloads(downloads: Path) -> None:
    """Each test reads the files it downloaded, not one of another store's run of it."""
    for item in downloads.iterdir():
        item.unlink()


@pytest.fixture(scope="module")
def driver(downloads: Path) -> Iterator[Any]:
    missing = _browser_missing()
    if missing:
        if in_ci():
            pytest.fail(f"CI must run the browser tests: {missing}")
        pytest.skip(missing)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, OFFLINE):
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="mineralkg-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    options.add_experimental_option(
        "prefs",
        {"download.default_directory": str(downloads), "download.prompt_for_download": False},
    )
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    browser = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    browser.set_page_load_timeout(WAIT_S)
    try:
        yield browser
    finally:
        browser.quit()
        shutil.rmtree(profile, ignore_errors=True)


def wait_for(driver: Any, script: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, WAIT_S).until(lambda d: d.execute_script(script))


def downloaded(folder: Path, name: str) -> Path:
    """The file once Chromium has finished writing it."""
    deadline = time.monotonic() + WAIT_S
    path = folder / name
    while not path.exists() or list(folder.glob("*.crdownload")):
        assert time.monotonic() < deadline, f"{name} was not downloaded: {list(folder.iterdir())}"
        time.sleep(0.1)
    return path


def column(driver: Any, index: int) -> list[str]:
    return driver.execute_script(
        "var i = arguments[0];"
        "return Array.from(document.querySelectorAll('#answer tbody tr'))"
        ".map(function (r) { return r.cells[i].getAttribute('data-sort'); })",
        index,
    )


def test_query_table_sorts_and_downloads_the_apis_rows(
    driver: Any,
    app: str,
    downloads: Path,
    loaded_store: GraphStore,
) -> None:
    driver.get_log("performance")
    driver.get(f"{app}/table/query/agreements_of_actor?actor=EU")
    wait_for(driver, "return window.mkgTableReady === true")
    api = httpx.get(f"{app}/queries/agreements_of_actor", params={"actor": "eu"}).json()
    columns = api["columns"]
    status = columns.index("status")
    assert len(column(driver, status)) == len(api["rows"]) > 6
    button = driver.find_elements("css selector", "#answer th button.sort")[status]
    button.click()
    ascending = column(driver, status)
    assert ascending == sorted(ascending, key=lambda s: (s == "", s))
    button.click()
    assert column(driver, status) == sorted(ascending, key=lambda s: (s == "", s), reverse=True)
    links = driver.find_elements("css selector", "a.entity")
    assert any(a.get_attribute("href").endswith("/view/entity/eu") for a in links)
    screenshot(driver, loaded_store, "table-sorted")
    driver.find_element("css selector", "#link-csv").click()
    file = downloaded(downloads, "agreements_of_actor.csv")
    with file.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == columns
    assert rows[1:] == [[cell_text(r.get(c)) for c in columns] for r in api["rows"]]
    assert_stays_local(requested_urls(driver))
    assert_console_clean(driver)


def test_a_view_downloads_as_graphml_and_png(
    driver: Any,
    app: str,
    downloads: Path,
    loaded_store: GraphStore,
) -> None:
    driver.get(f"{app}/view/entity/eu?depth=1")
    wait_for(driver, "return window.mkgReady === true")
    shown = driver.execute_script(
        "var data = window.mkg.network.body.data;return [data.nodes.length, data.edges.length]"
    )
    driver.find_element("css selector", "#export-graphml").click()
    graph = nx.read_graphml(downloaded(downloads, "entity.graphml"))
    assert [graph.number_of_nodes(), graph.number_of_edges()] == shown
    assert "eu" in graph.nodes and graph.nodes["eu"]["label"] == "European Union"
    driver.find_element("css selector", "#export-png").click()
    image = downloaded(downloads, "view.png").read_bytes()
    assert image.startswith(b"\x89PNG\r\n\x1a\n") and len(image) > 10_000
    screenshot(driver, loaded_store, "view-with-downloads")
    assert_console_clean(driver)


def test_provisions_matrix_is_a_heat_map_of_the_apis_rows(
    driver: Any, app: str, loaded_store: GraphStore
) -> None:
    driver.get(f"{app}/matrix?actor=European%20Union")
    api = httpx.get(f"{app}/queries/provisions_matrix", params={"actor": "eu"}).json()
    cells = driver.execute_script(
        "return Array.from(document.querySelectorAll('#matrix tbody td.heat:not(.heat-0)'))"
        ".map(function (td) { return [td.parentNode.getAttribute('data-agreement'),"
        " td.getAttribute('data-class'), Number(td.textContent),"
        " getComputedStyle(td).backgroundColor]; })"
    )
    assert {(a, c): n for a, c, n, _ in cells} == {
        (r["agreement"], r["class"]): r["provisions"] for r in api["rows"]
    }
    assert all(colour != "rgb(255, 255, 255)" for *_, colour in cells)  # shaded
    screenshot(driver, loaded_store, "provisions-matrix")
    assert_console_clean(driver)


@pytest.mark.parametrize(
    ("path", "ready"),
    [
        ("/docs", "return document.querySelectorAll('.opblock').length"),
        ("/redoc", "return document.querySelectorAll('[data-section-id]').length"),
    ],
)
def test_api_docs_render_without_a_network(
    driver: Any,
    app: str,
    loaded_store: GraphStore,
    path: str,
    ready: str,
) -> None:
    driver.get_log("performance")
    driver.get(f"{app}{path}")
    wait_for(driver, f"{ready} > 10")
    assert "mineralkg" in driver.find_element("css selector", "body").text
    assert "/table/query/{name}" in driver.find_element("css selector", "body").text
    assert_stays_local(requested_urls(driver))
    screenshot(driver, loaded_store, path.strip("/"))
