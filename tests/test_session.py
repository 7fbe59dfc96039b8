"""The public Python API on a fresh embedded store."""

from __future__ import annotations

from pathlib import Path

import pytest

from mineralkg import KnowledgeGraph
from mineralkg.graph.catalogue import ParamError
from mineralkg.graph.store import QueryRefused


@pytest.mark.slow
def test_open_load_query_and_refuse_writes(tmp_path: Path) -> None:
    with KnowledgeGraph.open(store="embedded", var_dir=tmp_path, neo4j_password="secret") as kg:
        assert kg.settings.neo4j_password.get_secret_value() == "secret"
        report = kg.load()
        assert report.nodes["created"] == len(kg.dataset().nodes)
        rows = kg.query("agreement_parties", agreement="uk-us-critical-minerals-mou")
        assert sorted(p["id"] for p in rows.rows[0]["parties"]) == ["uk", "us"]
        frame = kg.cypher("MATCH (s:State) RETURN s.id AS id ORDER BY id").df()
        assert {"uk", "us", "china"} <= set(frame["id"])
        with pytest.raises(ParamError):
            kg.query("agreement_parties")
        with pytest.raises(QueryRefused):
            kg.cypher("CREATE (:Intruder)")
    assert (tmp_path / "graph.db").exists()
