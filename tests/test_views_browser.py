"""The graph views in a real headless Chromium, served by uvicorn over each store.

For every view: nothing is fetched from outside localhost, the console stays free of
errors, the network holds the nodes of the view's JSON, a real click on a node shows its
sources and quotes in the panel, and a screenshot lands in var/screenshots/.

Needs the Debian packages `chromium` and `chromium-driver` (tools/install-system-deps.sh
installs them) and `selenium`. Skipped when they are missing, except in CI (CI=true),
where a missing browser is a failure.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from mineralkg.api.app import create_app
from mineralkg.graph.store import GraphStore
from mineralkg.settings import Settings, get_settings
from mineralkg.testing import in_ci
from mineralkg.testing.browser import CHROMEDRIVER, CHROMIUM, chromium
from mineralkg.testing.server import served
from mineralkg.views import graph_view, render_view

pytestmark = pytest.mark.browser

SCREENSHOTS = get_settings().var_dir / "screenshots"
MOU = "uk-us-critical-minerals-mou"
FP_NAME = "Can U.S.-Europe Critical Mineral Partnerships"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
WAIT_S = 30


def _browser_missing() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.access(path, os.X_OK):
            return f"{path} is missing (apt-get install chromium chromium-driver)"
    return None


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    missing = _browser_missing()
    if missing:
        if in_ci():
            pytest.fail(f"CI must run the browser tests: {missing}")
        pytest.skip(missing)
    with chromium({"browser": "ALL", "performance": "ALL"}, WAIT_S) as browser:
        yield browser


@pytest.fixture(scope="module")
def server(loaded_store: GraphStore) -> Iterator[str]:
    """The app over the loaded store, on a free port of 127.0.0.1, in a background thread."""
    with served(create_app(Settings(row_limit=1000), store=loaded_store)) as base:
        yield base


def _drain(driver: Any) -> None:
    driver.get_log("browser")
    driver.get_log("performance")


def requested_urls(driver: Any) -> list[str]:
    """Every URL the page asked for, from Chrome's log of network events."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message.get("params", {})
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(params["request"]["url"])
        elif message.get("method") == "Network.webSocketCreated":
            urls.append(params["url"])
    urls += driver.execute_script(
        "return performance.getEntriesByType('resource').map(function (e) { return e.name; })"
    )
    return urls


def assert_stays_local(urls: list[str], allow_file: bool = False) -> None:
    assert urls, "the network log is empty"
    for url in urls:
        parts = urlsplit(url)
        local = parts.scheme in {"data", "about", "blob", "chrome"} or (
            parts.scheme in {"http", "https", "ws"} and parts.hostname in LOCAL_HOSTS
        )
        assert local or (allow_file and parts.scheme == "file"), f"left localhost: {url}"


def assert_console_clean(driver: Any) -> None:
    severe = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert not severe, severe


def open_view(driver: Any, url: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    _drain(driver)
    driver.get(url)
    WebDriverWait(driver, WAIT_S).until(
        lambda d: d.execute_script("return window.mkgReady === true")
    )


def click_node(driver: Any, node_id: str) -> None:
    """A real mouse click on the node, after centring the view on it."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.support.ui import WebDriverWait

    x, y = driver.execute_script(
        """
        var net = window.mkg.network, id = arguments[0];
        net.focus(id, {scale: 1.2, animation: false});
        net.redraw();
        var p = net.canvasToDOM(net.getPosition(id));
        var box = document.getElementById('mynetwork').getBoundingClientRect();
        return [box.left + p.x, box.top + p.y];
        """,
        node_id,
    )
    actions = ActionChains(driver)
    actions.w3c_actions.pointer_action.move_to_location(int(x), int(y))
    actions.w3c_actions.pointer_action.click()
    actions.perform()
    WebDriverWait(driver, WAIT_S).until(
        lambda d: (
            d.execute_script(
                "return document.getElementById('panel-body').getAttribute('data-showing')"
            )
            == f"node:{node_id}"
        )
    )


def panel_text(driver: Any) -> str:
    return driver.execute_script("return document.getElementById('panel').innerText")


def screenshot(driver: Any, store: GraphStore, name: str) -> Path:
    from selenium.webdriver.common.action_chains import ActionChains

    actions = ActionChains(driver)  # the pointer off the nodes: no tooltip in the picture
    actions.w3c_actions.pointer_action.move_to_location(2, 2)
    actions.perform()
    driver.execute_script(
        "document.querySelectorAll('div.vis-tooltip')"
        ".forEach(function (t) { t.style.visibility = 'hidden'; })"
    )
    time.sleep(0.2)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{store.kind}.png"
    driver.save_screenshot(str(path))
    assert path.stat().st_size > 10_000
    return path


def view_json(server: str, path: str) -> dict[str, Any]:
    sep = "&" if "?" in path else "?"
    response = httpx.get(f"{server}{path}{sep}format=json", timeout=WAIT_S)
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    return body


VIEWS = [
    # name, path, the node to click
    ("whole-graph", "/view", "uk"),
    ("ego-uk-us-mou", f"/view/entity/{MOU}", MOU),
    ("ego-eu-depth-2", "/view/entity/eu?depth=2", "eu"),
    ("query-agreement-parties", f"/view/query/agreement_parties?agreement={MOU}", "us"),
    ("capped", "/view?limit=25", "us"),
    ("filtered", "/view?class=Actor&class=Agreement&class=Tension&from=2025", "greenland"),
]


@pytest.mark.parametrize(("name", "path", "node"), VIEWS, ids=[v[0] for v in VIEWS])
def test_view_in_the_browser(
    driver: Any, server: str, loaded_store: GraphStore, name: str, path: str, node: str
) -> None:
    expected = view_json(server, path)
    open_view(driver, server + path)
    assert_stays_local(requested_urls(driver))
    shown = driver.execute_script("return window.mkg.network.body.data.nodes.length")
    assert shown == len(expected["nodes"]) > 0
    edges = driver.execute_script("return window.mkg.network.body.data.edges.length")
    assert edges == len(expected["edges"])
    drawn = driver.execute_script("return Object.keys(window.mkg.network.body.nodes).length")
    assert drawn == len(expected["nodes"])
    legend = driver.find_elements("css selector", "#legend-list li")
    assert [li.get_attribute("data-class") for li in legend] == [
        row["class"] for row in expected["legend"]
    ]
    if expected["message"]:
        banner = driver.find_element("id", "message").text
        assert banner == expected["message"]

    target = next(n for n in expected["nodes"] if n["id"] == node)
    click_node(driver, node)
    text = panel_text(driver)
    assert target["name"] in text
    for source in target["sources"]:
        info = expected["sources"][source]
        assert info.get("name", source) in text
    for quote in target["quotes"][:2]:
        assert quote[:60] in text
    if target["status"]:
        assert target["status"] in text
    driver.execute_script("window.mkg.network.fit({animation: false})")
    time.sleep(0.2)
    screenshot(driver, loaded_store, name)
    assert_console_clean(driver)
    assert_stays_local(requested_urls(driver))


def test_ego_panel_shows_sources_and_evidence(
    driver: Any, server: str, loaded_store: GraphStore
) -> None:
    open_view(driver, f"{server}/view/entity/{MOU}")
    click_node(driver, MOU)
    text = panel_text(driver)
    assert FP_NAME in text and "2026-02-26" in text
    assert "the United Kingdom and the United States have also signed" in text
    assert "signed" in text and "MemorandumOfUnderstanding" in text
    links = driver.find_elements("css selector", "#panel a.ego")
    assert links and links[0].get_attribute("href").endswith(f"/view/entity/{MOU}")
    assert_console_clean(driver)


def test_double_click_opens_the_nodes_ego_network(
    driver: Any, server: str, loaded_store: GraphStore
) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.support.ui import WebDriverWait

    open_view(driver, f"{server}/view/entity/{MOU}")
    click_node(driver, "us")
    x, y = driver.execute_script(
        """var net = window.mkg.network;
        var p = net.canvasToDOM(net.getPosition('us'));
        var box = document.getElementById('mynetwork').getBoundingClientRect();
        return [box.left + p.x, box.top + p.y];"""
    )
    actions = ActionChains(driver)
    actions.w3c_actions.pointer_action.move_to_location(int(x), int(y))
    actions.w3c_actions.pointer_action.double_click()
    actions.perform()
    WebDriverWait(driver, WAIT_S).until(lambda d: d.current_url.endswith("/view/entity/us"))
    WebDriverWait(driver, WAIT_S).until(
        lambda d: d.execute_script("return window.mkgReady === true")
    )
    assert driver.execute_script("return window.mkg.view.centre") == "us"
    assert_console_clean(driver)


def test_legend_hides_and_shows_a_class(driver: Any, server: str, loaded_store: GraphStore) -> None:
    expected = view_json(server, "/view")
    actors = sum(1 for n in expected["nodes"] if n["group"] == "Actor")
    open_view(driver, f"{server}/view")
    row = driver.find_element("css selector", '#legend-list li[data-class="Actor"]')
    row.click()
    hidden = "return window.mkg.nodes.get({filter: function (n) { return n.hidden; }}).length"
    assert driver.execute_script(hidden) == actors
    row.click()
    assert driver.execute_script(hidden) == 0
    assert_console_clean(driver)


def test_index_search_leads_to_an_ego_network(
    driver: Any, server: str, loaded_store: GraphStore
) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    _drain(driver)
    driver.get(f"{server}/")
    box = driver.find_element("id", "search")
    box.send_keys("greenland")
    WebDriverWait(driver, WAIT_S).until(
        lambda d: d.find_elements("css selector", '#results li[data-id="greenland"]')
    )
    names = [
        li.get_attribute("data-id") for li in driver.find_elements("css selector", "#results li")
    ]
    assert "greenland" in names
    queries = driver.find_elements("css selector", ".query")
    assert len(queries) >= 1
    screenshot(driver, loaded_store, "index")
    assert_stays_local(requested_urls(driver))
    assert_console_clean(driver)
    driver.find_element("css selector", '#results li[data-id="greenland"] a').click()
    WebDriverWait(driver, WAIT_S).until(
        lambda d: d.execute_script("return window.mkgReady === true")
    )
    assert driver.execute_script("return window.mkg.view.centre") == "greenland"
    assert_console_clean(driver)


def test_index_query_form_opens_the_query_view(
    driver: Any, server: str, loaded_store: GraphStore
) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(f"{server}/")
    form = driver.find_element("css selector", "#query-agreement_parties form")
    form.find_element("css selector", 'input[name="agreement"]').send_keys(MOU)
    form.find_element("css selector", 'input[type="submit"]').click()
    WebDriverWait(driver, WAIT_S).until(
        lambda d: d.execute_script("return window.mkgReady === true")
    )
    assert "/view/query/agreement_parties?agreement=" in driver.current_url
    assert driver.execute_script("return window.mkg.nodes.get('uk') !== null")
    assert_console_clean(driver)


def test_offline_file_opens_without_a_network(
    driver: Any, loaded_store: GraphStore, tmp_path: Path
) -> None:
    view = graph_view(loaded_store)
    page = tmp_path / "graph.html"
    page.write_text(render_view(view, offline=True), encoding="utf-8")
    open_view(driver, page.as_uri())
    assert_stays_local(requested_urls(driver), allow_file=True)
    urls = [u for u in requested_urls(driver) if not u.startswith("data:")]
    assert all(u.startswith("file:") for u in urls), urls
    shown = driver.execute_script("return window.mkg.network.body.data.nodes.length")
    assert shown == len(view.nodes)
    click_node(driver, "eu")
    text = panel_text(driver)
    assert "European Union" in text and FP_NAME in text
    assert not driver.find_elements("css selector", "#panel a.ego")  # no server to go to
    screenshot(driver, loaded_store, "offline-file")
    assert_console_clean(driver)
