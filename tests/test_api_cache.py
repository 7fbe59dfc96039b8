"""Cached catalogue answers follow the graph: a load makes them stale within the TTL."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from graph.store import GraphStore
from loaders.dataset import load_dataset
from loaders.graph_load import load
from mineralkg.settings import Settings

MINI = Path(__file__).parent / "fixtures" / "mini"
MOU = {"agreement": "uk-us-critical-minerals-mou"}


def parties(client: TestClient) -> list[str]:
    response = client.get("/queries/agreement_parties", params=MOU)
    assert response.status_code == 200, response.text
    return sorted(p["id"] for p in response.json()["rows"][0]["parties"])


def test_a_load_refreshes_cached_answers(
    store: GraphStore, tmp_path: Path, sources_dir: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    load(store, load_dataset(data, sources_dir))
    ttl = 0.3
    with TestClient(create_app(Settings(cache_ttl=ttl), store=store)) as client:
        assert parties(client) == ["uk", "us"]
        world = data / "world.yaml"
        text = world.read_text()
        world.write_text(text[: text.index("  - type: PARTY_TO\n    from: us")])
        load(store, load_dataset(data, sources_dir))
        time.sleep(ttl + 0.05)
        assert parties(client) == ["uk"]
        assert parties(client) == ["uk"]  # and again, from the cache


def test_the_cache_can_be_turned_off(store: GraphStore, mini) -> None:  # type: ignore[no-untyped-def]
    load(store, mini)
    with TestClient(create_app(Settings(cache_ttl=0), store=store)) as client:
        assert parties(client) == ["uk", "us"]
        store.write_transaction([("MATCH (:Entity {id: 'us'})-[r:PARTY_TO]->() DELETE r", {})])
        assert parties(client) == ["uk"]
