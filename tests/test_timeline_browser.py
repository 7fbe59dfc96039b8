"""The timeline page and the graph views' as-of control in a real headless Chromium, served
by uvicorn over each store (the fixtures and helpers of test_views_browser)."""

from __future__ import annotations

from typing import Any

import pytest
import test_views_browser as views_browser
from test_views_browser import (
    WAIT_S,
    assert_console_clean,
    assert_stays_local,
    open_view,
    panel_text,
    requested_urls,
    screenshot,
)

from mineralkg.graph.store import GraphStore

pytestmark = pytest.mark.browser
driver = views_browser.driver  # the fixtures, shared: one browser and one server per module
server = views_browser.server


def drawn_items(driver: Any) -> list[str]:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#timeline-svg g.item'))"
        ".map(function (g) { return g.getAttribute('data-id'); })"
    )


def click(driver: Any, element: Any) -> None:
    """A real mouse click on the element, scrolled into view first."""
    from selenium.webdriver.common.action_chains import ActionChains

    driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', inline: 'center'})", element
    )
    ActionChains(driver).move_to_element(element).click().perform()


def test_the_timeline_page(driver: Any, server: str, loaded_store: GraphStore) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    open_view(driver, f"{server}/view/timeline?from=2025&to=2026-03")
    data = driver.execute_script("return window.mkgTimeline.data")
    assert data["items"], "dated items in 2025 to March 2026"
    assert sorted(drawn_items(driver)) == sorted(i["id"] for i in data["items"])
    ticks = driver.execute_script(
        "return Array.from(document.querySelectorAll('#timeline-axis text.tick.major'))"
        ".map(function (t) { return t.textContent; })"
    )
    assert {"2025", "2026"} <= set(ticks), "a real time axis, by year"
    undated = driver.find_elements(By.CSS_SELECTOR, "#undated-list a")
    assert len(undated) == len(data["undated"]) > 0
    # a real click on an item with a quoted sentence shows its sources and the quote
    item = next(i for i in data["items"] if any(e.get("quote") for e in i["evidence"]))
    target = driver.find_element(
        By.CSS_SELECTOR, f'#timeline-svg g.item[data-id="{item["id"]}"] text'
    )
    click(driver, target)
    WebDriverWait(driver, WAIT_S).until(
        lambda d: (
            d.find_element(By.ID, "panel-body").get_attribute("data-showing")
            == f"item:{item['id']}"
        )
    )
    text = panel_text(driver)
    quote = next(e["quote"] for e in item["evidence"] if e.get("quote"))
    assert quote[:60] in text
    source = data["sources"][item["evidence"][0]["source"]]
    assert (source.get("name") or source.get("title") or source["id"]) in text
    assert "sources (" in text.lower() and "evidence (" in text.lower()
    screenshot(driver, loaded_store, "timeline-item")
    # lanes per actor: the same items, once on each lane of an actor they involve
    click(driver, driver.find_element(By.CSS_SELECTOR, 'button[data-lanes="actor"]'))
    assert len(drawn_items(driver)) == sum(len(i["actor_lanes"]) for i in data["items"])
    labels = driver.execute_script(
        "return Array.from(document.querySelectorAll('.lane-label'))"
        ".map(function (l) { return l.firstChild.textContent; })"
    )
    assert labels == [lane["label"] for lane in data["lanes"]["actor"]]
    screenshot(driver, loaded_store, "timeline-actors")
    assert_stays_local(requested_urls(driver))
    assert_console_clean(driver)


def test_the_timeline_opens_on_its_latest_items(
    driver: Any, server: str, loaded_store: GraphStore
) -> None:
    """Years of axis are wider than the window: it opens scrolled to its end, the latest dated
    item and its whole label in view, not on the first years with the most recent out of
    sight; the lane labels stay at the left edge."""
    open_view(driver, f"{server}/view/timeline?entity=greenland")
    seen = driver.execute_script(
        "var sc = document.getElementById('timeline'), box = sc.getBoundingClientRect();"
        "var labels = document.getElementById('lane-labels').getBoundingClientRect();"
        "var items = window.mkgTimeline.data.items.slice().sort(function (a, b) {"
        "  return a.end < b.end ? -1 : 1; });"
        "var last = items[items.length - 1].id;"
        "var g = document.querySelector('#timeline-svg g.item[data-id=\"' + last + '\"]');"
        "var r = g.getBoundingClientRect();"
        "return {wide: sc.scrollWidth > sc.clientWidth, scrolled: sc.scrollLeft,"
        "        x: r.left, label_end: r.right, labels: labels.left, left: labels.right,"
        "        view: box.left, right: box.right};"
    )
    assert seen["wide"], "the fixture's years need more than one window of axis"
    assert seen["scrolled"] > 0
    assert seen["left"] <= seen["x"] and seen["label_end"] <= seen["right"], seen
    assert abs(seen["labels"] - seen["view"]) < 1, "the lane labels stay in view"
    screenshot(driver, loaded_store, "timeline-entity")


def test_an_undated_item_and_an_entity_timeline(
    driver: Any, server: str, loaded_store: GraphStore
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    open_view(driver, f"{server}/view/timeline?entity=greenland-dispute&lanes=actor")
    data = driver.execute_script("return window.mkgTimeline.data")
    assert data["entity"] == "greenland-dispute" and data["lanes_by"] == "actor"
    first = driver.find_element(By.CSS_SELECTOR, "#undated-list a")
    click(driver, first)
    WebDriverWait(driver, WAIT_S).until(
        lambda d: (
            d.find_element(By.ID, "panel-body").get_attribute("data-showing").startswith("undated:")
        )
    )
    assert "no date of what happened" in panel_text(driver)
    assert_console_clean(driver)


def node_count(driver: Any) -> int:
    return driver.execute_script("return window.mkg.nodes.length")


def test_the_as_of_control_changes_the_graph(
    driver: Any, server: str, loaded_store: GraphStore
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    open_view(driver, f"{server}/view/entity/china?depth=1")
    before = node_count(driver)
    field = driver.find_element(By.ID, "as-of")
    field.clear()
    field.send_keys("2025-06")
    old = driver.find_element(By.TAG_NAME, "body")
    click(driver, driver.find_element(By.CSS_SELECTOR, "#as-of-form button"))
    WebDriverWait(driver, WAIT_S).until(lambda d: "as_of=2025-06" in d.current_url)
    WebDriverWait(driver, WAIT_S).until(
        lambda d: (
            d.execute_script("return window.mkgReady === true")
            and old != d.find_element(By.TAG_NAME, "body")
        )
    )
    assert "depth=1" in driver.current_url, "the form keeps the view's other parameters"
    view = driver.execute_script("return window.mkg.view")
    after = node_count(driver)
    assert after < before, "facts not yet on record by June 2025 are gone"
    undecidable = view["as_of"]["undecidable"]
    dashed = driver.execute_script(
        "return window.mkg.nodes.get().filter(function (n) {"
        " return n.shapeProperties && n.shapeProperties.borderDashes; })"
        ".map(function (n) { return n.id; })"
    )
    assert dashed and set(dashed) == {i for i in undecidable if i in view["nodes"]}
    # the overview, as a click on the empty canvas shows it
    driver.execute_script("window.mkg.network.emit('click', {nodes: [], edges: []})")
    text = panel_text(driver)
    assert "undecidable as of 2025-06" in text.lower()  # a heading, upper case by CSS
    assert view["nodes"][dashed[0]]["name"] in text
    screenshot(driver, loaded_store, "view-as-of")
    assert_console_clean(driver)
