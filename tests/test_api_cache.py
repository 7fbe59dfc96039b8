"""Cached catalogue answers follow the graph: a load makes them stale within the TTL."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mineralkg.api.app import create_app
from mineralkg.api.cache import REFRESHER, UNKNOWN, VERSION, ResultCache
from mineralkg.api.routes import queries
from mineralkg.graph.store import GraphStore, StoreUnavailable
from mineralkg.loaders.dataset import load_dataset
from mineralkg.loaders.plan import build_plan
from mineralkg.settings import Settings

MINI = Path(__file__).parent / "fixtures" / "mini"
MOU = {"agreement": "uk-us-critical-minerals-mou"}


def parties(client: TestClient) -> list[str]:
    response = client.get("/queries/agreement_parties", params=MOU)
    assert response.status_code == 200, response.text
    return sorted(p["id"] for p in response.json()["rows"][0]["parties"])


def drop_us_party(data: Path) -> None:
    world = data / "world.yaml"
    text = world.read_text()
    world.write_text(text[: text.index("  - type: PARTY_TO\n    from: us")])


def count_runs(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch, before: Callable[[str], None] | None = None
) -> list[tuple[str, str]]:
    """Record (query, thread name) of every `store.run` on the real store object."""
    calls: list[tuple[str, str]] = []
    real = store.run

    def run(query: str, *args: Any, **kwargs: Any) -> Any:
        calls.append((query, threading.current_thread().name))
        if before is not None:
            before(query)
        return real(query, *args, **kwargs)

    monkeypatch.setattr(store, "run", run)
    return calls


def burst(client: TestClient, clients: int = 32, requests: int = 96) -> list[list[str]]:
    with ThreadPoolExecutor(clients) as pool:
        return list(pool.map(lambda _: parties(client), range(requests)))


def loaded_copy(store: GraphStore, tmp_path: Path, sources_dir: Path) -> Path:
    """A copy of the mini data that the test may edit, loaded into the store."""
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    store.load(build_plan(load_dataset(data, sources_dir)))
    return data


def test_a_load_refreshes_cached_answers(
    store: GraphStore, tmp_path: Path, sources_dir: Path
) -> None:
    data = loaded_copy(store, tmp_path, sources_dir)
    ttl = 0.3
    with TestClient(create_app(Settings(cache_ttl=ttl), store=store)) as client:
        assert parties(client) == ["uk", "us"]
        drop_us_party(data)
        store.load(build_plan(load_dataset(data, sources_dir)))
        time.sleep(ttl + 0.05)
        assert parties(client) == ["uk"]
        assert parties(client) == ["uk"]  # and again, from the cache


def test_the_cache_can_be_turned_off(store: GraphStore, mini) -> None:  # type: ignore[no-untyped-def]
    store.load(build_plan(mini))
    with TestClient(create_app(Settings(cache_ttl=0), store=store)) as client:
        assert parties(client) == ["uk", "us"]
        store.write_transaction([("MATCH (:Entity {id: 'us'})-[r:PARTY_TO]->() DELETE r", {})])
        assert parties(client) == ["uk"]


def test_requests_never_read_the_version_while_the_refresher_runs(
    store: GraphStore, tmp_path: Path, sources_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After the TTL lapsed, concurrent cached requests do not each query the store."""
    data = loaded_copy(store, tmp_path, sources_dir)
    ttl = 0.2
    with TestClient(create_app(Settings(cache_ttl=ttl), store=store)) as client:
        assert parties(client) == ["uk", "us"]  # cached
        calls = count_runs(store, monkeypatch)
        time.sleep(ttl * 1.5)  # the TTL lapsed at least once
        started = time.monotonic()
        assert all(answer == ["uk", "us"] for answer in burst(client))
        elapsed = time.monotonic() - started
        assert all(query == VERSION for query, _ in calls), "an answer was not from the cache"
        assert {thread for _, thread in calls} <= {REFRESHER}, "a request read the version"
        # the refresher alone: one read per TTL, not one per request in flight
        assert len(calls) <= 2 + (ttl * 1.5 + elapsed) / ttl
        # and a load is still seen after about the TTL
        drop_us_party(data)
        store.load(build_plan(load_dataset(data, sources_dir)))
        time.sleep(ttl + 0.1)
        assert parties(client) == ["uk"]


@pytest.mark.slow
def test_without_the_refresher_one_request_reads_the_version(
    store: GraphStore, mini, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """An app used without its lifespan checks on the request path, one request at a time."""
    store.load(build_plan(mini))
    ttl = 3.0  # the burst below must end within one TTL, or a second read would be due
    client = TestClient(create_app(Settings(cache_ttl=ttl), store=store))  # no lifespan
    assert parties(client) == ["uk", "us"]
    time.sleep(ttl + 0.05)
    # a slow version query: the requests arriving meanwhile wait for it, they do not repeat it
    calls = count_runs(store, monkeypatch, lambda q: time.sleep(0.1) if q == VERSION else None)
    assert all(answer == ["uk", "us"] for answer in burst(client))
    assert [query for query, _ in calls] == [VERSION]


@pytest.mark.parametrize("trouble", ["fails", "hangs"])
def test_requests_check_themselves_when_the_refresher_is_stuck(
    store: GraphStore,
    tmp_path: Path,
    sources_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    trouble: str,
) -> None:
    """A refresher that cannot read the version does not freeze the answers or the requests."""
    data = loaded_copy(store, tmp_path, sources_dir)
    released = threading.Event()

    def refresher_trouble(query: str) -> None:
        if threading.current_thread().name == REFRESHER:
            if trouble == "fails":
                raise StoreUnavailable("down for the refresher")
            released.wait(30)

    calls = count_runs(store, monkeypatch, refresher_trouble)
    ttl = 0.1
    try:
        with TestClient(create_app(Settings(cache_ttl=ttl), store=store)) as client:
            assert parties(client) == ["uk", "us"]
            drop_us_party(data)
            store.load(build_plan(load_dataset(data, sources_dir)))
            time.sleep(3 * ttl + 0.1)  # the refresher's grace (3 x TTL) is over
            assert parties(client) == ["uk"]
            released.set()
    finally:
        released.set()
    assert any(query == VERSION and thread != REFRESHER for query, thread in calls)


def test_a_hit_answered_before_routing_is_the_routes_answer(
    store: GraphStore, mini, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    store.load(build_plan(mini))
    with TestClient(create_app(Settings(cache_ttl=60), store=store)) as client:
        computed = client.get("/queries/agreement_parties", params=MOU)  # by the route
        calls = count_runs(store, monkeypatch)

        def not_routed(name: str) -> None:
            raise AssertionError("a cache hit reached the route")

        monkeypatch.setattr(queries, "named", not_routed)
        cached = client.get("/queries/agreement_parties", params=MOU)
        assert cached.status_code == 200
        assert cached.content == computed.content
        timed = "server-timing"  # each answer's own time
        assert {k: v for k, v in cached.headers.items() if k != timed} == {
            k: v for k, v in computed.headers.items() if k != timed
        }
        assert calls == []
        with pytest.raises(AssertionError, match="reached the route"):  # a miss goes on to it
            client.get("/queries/agreement_parties", params={"agreement": "x"})


def test_entity_and_view_answers_are_cached_per_graph_version(
    store: GraphStore, tmp_path: Path, sources_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A repeated entity search or detail, path, view, change digest or table is answered
    without a store read, with the same body and headers; errors are not kept; after a load
    the answers are the new graph's."""
    data = loaded_copy(store, tmp_path, sources_dir)
    ttl = 0.3
    urls = [
        "/entities/us",
        "/entities?q=u&limit=3",
        "/paths?from=uk&to=us",
        "/view/entity/us?format=json",
        "/view/entity/us",  # the page: its Content-Security-Policy comes with it
        "/changes?since=2025",
        "/changes.atom?since=2025",
        "/table/query/agreement_parties?agreement=uk-us-critical-minerals-mou",
        "/matrix",
    ]
    with TestClient(create_app(Settings(cache_ttl=ttl), store=store)) as client:
        cache = client.app.state.cache  # type: ignore[attr-defined]
        deadline = time.monotonic() + 10  # answers are kept once the version has been read
        while cache.current() is UNKNOWN and time.monotonic() < deadline:
            time.sleep(0.01)
        first = {url: client.get(url) for url in urls}
        assert all(r.status_code == 200 for r in first.values())
        assert client.get("/entities/nobody").status_code == 404
        runs = count_runs(store, monkeypatch)
        for url in urls:
            again = client.get(url)
            assert again.content == first[url].content, url
            for name in ("content-type", "x-total-count", "content-security-policy"):
                assert again.headers.get(name) == first[url].headers.get(name), (url, name)
        assert [q for q, _ in runs if q != VERSION] == [], runs
        assert client.get("/entities/nobody").status_code == 404  # read again
        assert [q for q, _ in runs if q != VERSION] != []
        monkeypatch.undo()

        drop_us_party(data)
        store.load(build_plan(load_dataset(data, sources_dir)))
        time.sleep(ttl + 0.05)
        assert client.get("/entities/us").json()["degree"] < first["/entities/us"].json()["degree"]


def test_the_cache_holds_a_bounded_number_of_bytes() -> None:
    """Clients choose the parameters, so distinct large answers must not grow the cache
    without bound: the least recently used go, and an answer over an eighth is not kept."""
    cache = ResultCache(1.0, max_bytes=10_000)
    for i in range(50):
        cache.put(i, "v", bytes(1_000))
        assert cache.size[1] <= 10_000
    assert cache.size == (10, 10_000)
    assert cache.get(49, "v") is not None and cache.get(39, "v") is None
    cache.get(40, "v")  # now the most recently used: it outlives the next answers
    for i in range(50, 59):
        cache.put(i, "v", bytes(1_000))
    assert cache.get(40, "v") is not None and cache.get(41, "v") is None
    cache.put("big", "v", bytes(1_251))
    assert cache.get("big", "v") is None and cache.size == (10, 10_000)
    cache.put(40, "v", bytes(10))  # replacing an answer counts its new size only
    assert cache.size == (10, 9_010)
