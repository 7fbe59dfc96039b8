"""The loader on both stores: counts, idempotence, sync with the YAML, all-or-nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mineralkg.graph.store import GraphStore, StoreError
from mineralkg.loaders.dataset import Dataset, load_dataset
from mineralkg.loaders.plan import build_plan
from mineralkg.ontology.model import Ontology
from mineralkg.settings import get_settings

MINI = Path(__file__).parent / "fixtures" / "mini"


def snapshot(store: GraphStore) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    nodes = store.run(
        "MATCH (n:Entity) RETURN n.id AS id, n._hash AS h, labels(n) AS l ORDER BY id"
    ).rows
    rels = store.run(
        "MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b, r._hash AS h "
        "ORDER BY a, t, b"
    ).rows
    return (
        [(r["id"], r["h"], *sorted(r["l"])) for r in nodes],
        [(r["a"], r["t"], r["b"], r["h"]) for r in rels],
    )


def test_curated_load_matches_the_dataset(store: GraphStore, curated: Dataset) -> None:
    report = store.load(build_plan(curated))
    counts = store.counts()
    assert counts.nodes == len(curated.nodes) == report.nodes["created"]
    assert counts.relationships == len(curated.relations) == report.relationships["created"]
    assert counts.labels["State"] == sum(1 for n in curated.nodes.values() if n.cls == "State")
    assert counts.labels["Actor"] == sum(1 for n in curated.nodes.values() if "Actor" in n.labels)
    (row,) = store.run(
        "MATCH (n:Entity {id: 'uk'}) RETURN labels(n) AS labels, n.class AS class, "
        "n.sources AS sources"
    ).rows
    assert sorted(row["labels"]) == ["Actor", "Entity", "State"]
    assert row["class"] == "State"
    assert "fp-2026-02-26" in row["sources"]


@pytest.mark.slow
def test_loading_twice_gives_the_same_graph(store: GraphStore, curated: Dataset) -> None:
    store.load(build_plan(curated))
    first = snapshot(store)
    report = store.load(build_plan(curated))
    assert snapshot(store) == first
    assert report.nodes == {"created": 0, "updated": 0, "deleted": 0}
    assert report.relationships == {"created": 0, "updated": 0, "deleted": 0}


def test_edits_to_the_yaml_reach_the_graph(
    store: GraphStore, tmp_path: Path, sources_dir: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    store.load(build_plan(load_dataset(data, sources_dir)))
    world = data / "world.yaml"
    text = world.read_text()
    text = text.replace("name: United Kingdom", "name: United Kingdom of Great Britain")
    text = text.replace("    role: signatory\n", "")
    # drop the US node and, with it, its relationship
    text = text.replace(
        "  - id: us\n    type: State\n    name: United States\n    aliases: [U.S., Washington]\n"
        "    evidence:\n      - source: fp-2026-02-26\n",
        "",
    )
    text = text[: text.index("  - type: PARTY_TO\n    from: us")]
    world.write_text(text)
    report = store.load(build_plan(load_dataset(data, sources_dir)))
    # updated: uk (renamed) and its source, which no longer lists the US and its relationship
    # among the facts citing it (loaders/lookups.py)
    assert report.nodes["updated"] == 2 and report.nodes["deleted"] == 1
    (source,) = store.run("MATCH (s:Source) RETURN s._citedBy AS n, s._citedIn AS r").rows
    assert "us" not in source["n"] and not any(k.startswith("us|") for k in source["r"])
    assert report.relationships["deleted"] == 1
    rows = store.run("MATCH (n:Entity) RETURN n.id AS id, n.name AS name ORDER BY id").rows
    assert [r["id"] for r in rows] == ["fp-2026-02-26", "uk", "uk-us-critical-minerals-mou"]
    assert rows[1]["name"] == "United Kingdom of Great Britain"
    assert store.counts().relationships == 1


def test_a_class_change_replaces_the_labels(
    store: GraphStore, tmp_path: Path, sources_dir: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    store.load(build_plan(load_dataset(data, sources_dir)))
    world = data / "world.yaml"
    world.write_text(
        world.read_text().replace("type: MemorandumOfUnderstanding", "type: DraftDeal")
    )
    store.load(build_plan(load_dataset(data, sources_dir)))
    (row,) = store.run(
        "MATCH (n:Entity {id: 'uk-us-critical-minerals-mou'}) RETURN labels(n) AS l"
    ).rows
    assert sorted(row["l"]) == ["Agreement", "DraftDeal", "Entity"]
    assert store.counts().relationships == 2


def test_a_failed_load_leaves_the_graph_as_it_was(
    store: GraphStore, curated: Dataset, mini: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database refuses the last write of a load: nothing of that load remains."""
    store.load(build_plan(mini))
    before = snapshot(store)
    if store.kind == "embedded":  # the bulk insert into a staging graph
        from mineralkg.graph import falkordb_bulk

        real_calls = falkordb_bulk.calls

        def broken_calls(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
            yield from real_calls(*args, **kwargs)  # type: ignore[arg-type]
            yield ["not a count", 0, 1, 0, b"x"]  # FalkorDB: "Error parsing node count"

        monkeypatch.setattr(falkordb_bulk, "calls", broken_calls)
    else:  # MERGE statements in one transaction
        from mineralkg.graph import neo4j_load

        real = neo4j_load.relation_statements

        def broken(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
            yield from real(*args, **kwargs)  # type: ignore[arg-type]
            yield ("THIS IS NOT CYPHER", {})

        monkeypatch.setattr(neo4j_load, "relation_statements", broken)
    with pytest.raises(StoreError):
        store.load(build_plan(curated))
    assert snapshot(store) == before


def test_a_load_whose_input_fails_part_way_changes_nothing(
    store: GraphStore, curated: Dataset, mini: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error while rows are still being built (after the nodes were written) rolls the
    whole load back, and the next load starts clean."""
    from mineralkg.loaders import plan

    store.load(build_plan(mini))
    before = snapshot(store)
    # what reads each relationship: relation_row (MERGE statements), relation_input (bulk)
    name = "relation_input" if store.kind == "embedded" else "relation_row"
    real = getattr(plan, name)
    built = 0

    def failing(*args):  # type: ignore[no-untyped-def]
        nonlocal built
        built += 1
        if built > 100:
            raise RuntimeError("input went away")
        return real(*args)

    monkeypatch.setattr(plan, name, failing)
    with pytest.raises(RuntimeError, match="input went away"):
        store.load(build_plan(curated), batch_size=20)
    assert snapshot(store) == before
    monkeypatch.undo()
    report = store.load(build_plan(curated))
    assert store.counts().nodes == len(curated.nodes)
    assert report.nodes["deleted"] == 0 and report.relationships["deleted"] == 0


@pytest.mark.slow
def test_cli_load_reports_what_it_did(tmp_path: Path) -> None:
    import subprocess
    import sys

    env = {"MINERALKG_VAR_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    cmd = [sys.executable, "-m", "mineralkg.cli", "load", "--quiet", str(MINI)]
    first = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    assert first.returncode == 0, first.stderr
    assert "nodes: 4 created, 0 updated, 0 deleted" in first.stdout
    second = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    assert "nodes: 0 created, 0 updated, 0 deleted" in second.stdout
    assert "graph now holds 4 nodes and 2 relationships" in second.stdout


@pytest.mark.slow
def test_cli_names_an_unreachable_store() -> None:
    import subprocess
    import sys

    env = {"MINERALKG_NEO4J_URI": "bolt://127.0.0.1:1", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-m", "mineralkg.cli", "load", "--store", "neo4j", str(MINI)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "bolt://127.0.0.1:1" in done.stderr and "neo4j store" in done.stderr
    assert get_settings().store == "embedded"


def test_schema_covers_every_label_of_the_ontology(store: GraphStore, mini: Dataset) -> None:
    from mineralkg.ontology.model import load as load_ontology

    store.load(build_plan(mini))
    labels = {c.node_label for c in load_ontology().node_classes()}
    if store.kind == "neo4j":
        rows = store.run(
            "SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties "
            "WHERE type = 'UNIQUENESS' RETURN labelsOrTypes[0] AS label, properties AS p"
        ).rows
        unique = {r["label"] for r in rows if r["p"] == ["id"]}
        assert labels <= unique
        fulltext = store.run("SHOW FULLTEXT INDEXES YIELD name, properties RETURN *").rows
        assert any(set(r["properties"]) == {"name", "_aliases"} for r in fulltext)
    else:
        rows = store.run(
            "CALL db.indexes() YIELD label, properties, types RETURN label, properties, types"
        ).rows
        indexed = {r["label"] for r in rows if "id" in r["properties"]}
        assert labels <= indexed
        entity = next(r for r in rows if r["label"] == "Entity")
        assert entity["types"]["name"] == ["FULLTEXT"]
    # a second load leaves the schema as it is
    store.load(build_plan(mini))


@pytest.mark.slow
def test_bulk_loads_built_in_worker_processes_equal_those_built_inline(
    embedded_store: GraphStore, ontology: Ontology
) -> None:
    """A large embedded load builds its rows in worker processes: same graph, same report."""
    from mineralkg.testing.synthetic import generate

    data = generate(2000, 4, seed=3, ont=ontology)
    results = []
    for workers in (1, 2):
        embedded_store.clear()
        first = embedded_store.load(build_plan(data, ontology), batch_size=300, workers=workers)
        results.append((snapshot(embedded_store), first.summary()))
    assert results[0] == results[1]
    assert results[0][1].startswith(f"nodes: {len(data.nodes)} created")
    # a reload by workers compares against the live graph: nothing changed
    again = embedded_store.load(build_plan(data, ontology), batch_size=300, workers=2)
    assert again.nodes == again.relationships == {"created": 0, "updated": 0, "deleted": 0}


@pytest.mark.slow
def test_a_row_refused_in_a_worker_leaves_the_graph_as_it_was(
    embedded_store: GraphStore, mini: Dataset, ontology: Ontology
) -> None:
    """A value the bulk format cannot carry fails the load from inside a worker process: the
    error names it, and the graph is the one before the load."""
    from mineralkg.testing.synthetic import generate

    embedded_store.clear()
    embedded_store.load(build_plan(mini))
    before = snapshot(embedded_store)
    data = generate(1000, 4, seed=4, ont=ontology)
    data.relations[2500].props["note"] = "a note with a NUL \x00 in it"
    with pytest.raises(StoreError, match="NUL character.*the graph is as it was"):
        embedded_store.load(build_plan(data), batch_size=200, workers=2)
    assert snapshot(embedded_store) == before
