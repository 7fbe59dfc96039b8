"""Entity search on both stores: every entity whose id, name or an alias holds the text (any
case), exact matches first, pages that add up to the whole, and a total that counts it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from mineralkg.api.app import create_app
from mineralkg.graph.store import GraphStore
from mineralkg.loaders.records import Dataset, Node
from mineralkg.settings import Settings


@pytest.fixture(scope="module")
def client(loaded_store: GraphStore) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(query_timeout=5.0), store=loaded_store)) as test_client:
        yield test_client


def texts(node: Node) -> list[str]:
    return [node.id.lower(), node.name.lower(), *(a.lower() for a in node.props.get("aliases", []))]


def matching(curated: Dataset, q: str) -> set[str]:
    return {n.id for n in curated.nodes.values() if any(q in t for t in texts(n))}


@pytest.mark.parametrize("q", ["greenland", "Lithium", "eu", "rare earth", "Washington"])
def test_search_finds_every_entity_holding_the_text(
    client: TestClient, curated: Dataset, q: str
) -> None:
    response = client.get("/entities", params={"q": q, "limit": 500})
    assert response.status_code == 200, response.text
    ids = [hit["id"] for hit in response.json()]
    assert set(ids) == matching(curated, q.lower())
    assert len(ids) == len(set(ids))
    assert int(response.headers["X-Total-Count"]) == len(ids)
    exact = [i for i in ids if q.lower() in texts(curated.nodes[i])]
    assert ids[: len(exact)] == exact  # exact id, name or alias first


def test_pages_add_up_to_the_whole_answer_and_share_its_total(client: TestClient) -> None:
    whole = client.get("/entities", params={"q": "min", "limit": 500})
    total = int(whole.headers["X-Total-Count"])
    assert total == len(whole.json()) > 20
    pages, offset = [], 0
    while offset < total + 7:  # one page past the end: empty, same total
        page = client.get("/entities", params={"q": "min", "limit": 7, "offset": offset})
        assert int(page.headers["X-Total-Count"]) == total
        pages += page.json()
        offset += 7
    assert pages == whole.json()


def test_an_empty_search_lists_every_entity_of_a_type(client: TestClient, curated: Dataset) -> None:
    response = client.get("/entities", params={"type": "State", "limit": 500})
    states = {n.id for n in curated.nodes.values() if "State" in n.labels}
    assert {hit["id"] for hit in response.json()} == states
    assert int(response.headers["X-Total-Count"]) == len(states)
    everything = client.get("/entities", params={"limit": 1})
    assert int(everything.headers["X-Total-Count"]) == len(curated.nodes)
