"""`GET /export` on each store: the graph's RDF is written once per graph version into a file
and sent from it; a new load gives a new file; one over MINERALKG_EXPORT_LIMIT_BYTES is a 413
that leaves nothing behind. (That the export is the graph: tests/test_api.py.)"""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from rdflib import Graph

from mineralkg.api.app import create_app
from mineralkg.graph.store import GraphStore
from mineralkg.loaders.dataset import Dataset
from mineralkg.loaders.plan import build_plan
from mineralkg.loaders.rdf import to_graph
from mineralkg.settings import Settings
from mineralkg.testing.rdf import same_triples


def _files(var: Path) -> list[Path]:
    folder = var / "cache" / "export"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_an_export_over_the_limit_is_a_413_and_leaves_no_file(
    loaded_store: GraphStore, tmp_path: Path
) -> None:
    settings = Settings(var_dir=tmp_path, export_limit_bytes=5_000)
    with TestClient(create_app(settings, store=loaded_store)) as client:
        response = client.get("/export", params={"format": "nt"})
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "TooLarge"
    assert "MINERALKG_EXPORT_LIMIT_BYTES" in error["message"]
    assert _files(tmp_path) == []


def test_an_export_is_written_once_per_graph_version(
    store: GraphStore, mini: Dataset, tmp_path: Path
) -> None:
    store.load(build_plan(mini))
    settings = Settings(var_dir=tmp_path, cache_ttl=0.0)
    with TestClient(create_app(settings, store=store)) as client:
        first = client.get("/export", params={"format": "turtle"})
        assert first.status_code == 200
        [written] = _files(tmp_path)
        stamp = written.stat().st_mtime_ns
        again = client.get("/export", params={"format": "turtle"})
        assert again.content == first.content
        assert _files(tmp_path) == [written] and written.stat().st_mtime_ns == stamp

        fewer = Dataset(mini.nodes, mini.relations[:-1])
        store.load(build_plan(fewer))
        after = client.get("/export", params={"format": "turtle"})
    assert after.status_code == 200
    assert same_triples(Graph().parse(data=after.text, format="turtle"), to_graph(fewer))
    assert not same_triples(Graph().parse(data=first.text, format="turtle"), to_graph(fewer))
    assert written not in _files(tmp_path) and len(_files(tmp_path)) == 1
