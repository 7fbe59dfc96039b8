"""Validated dataset -> property graph, all or nothing, in one of two ways.

- MERGE on stable ids in UNWIND batches, in one transaction (Neo4j). Every load stamps what it
  writes; what the stamp does not reach (facts removed from the YAML) is deleted at the end of
  the same transaction, so the graph follows the YAML exactly and a failed load leaves the
  graph as it was.
- Where the store can build a new graph and swap it in (`ReplacesGraph`: FalkorDB's bulk
  insert), the graph is rebuilt from the rows; what changed is counted by looking each batch
  of ids up in the live graph and comparing the rows' hashes.
"""

from __future__ import annotations

import gc
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import Any

from mineralkg.graph import falkordb_bulk
from mineralkg.graph.store import GraphStore, ReplacesGraph, Statement
from mineralkg.loaders import bulk_rows, parallel
from mineralkg.loaders.dataset import Dataset, Node, Relation
from mineralkg.loaders.rows import (
    Shape,
    node_input,
    node_row,
    node_shape,
    relation_input,
    relation_row,
    relation_shape,
)
from mineralkg.ontology.model import Ontology
from mineralkg.ontology.model import load as load_ontology

Progress = Callable[[int], None]

_COUNT = (
    "RETURN sum(CASE WHEN created THEN 1 ELSE 0 END) AS created, "
    "sum(CASE WHEN changed AND NOT created THEN 1 ELSE 0 END) AS updated"
)


def _zero_counts() -> dict[str, int]:
    return defaultdict(int, {"created": 0, "updated": 0, "deleted": 0})


@dataclass
class LoadReport:
    nodes: dict[str, int] = field(default_factory=_zero_counts)
    relationships: dict[str, int] = field(default_factory=_zero_counts)

    def summary(self) -> str:
        def part(counts: Mapping[str, int]) -> str:
            return ", ".join(f"{counts.get(k, 0)} {k}" for k in ("created", "updated", "deleted"))

        return f"nodes: {part(self.nodes)}; relationships: {part(self.relationships)}"


def label_string(ont: Ontology, cls: str) -> str:
    """A class's node labels as Cypher writes them: `Entity:Actor:State`.

    Labels come from the ontology, never from user input, so they may be put in Cypher."""
    return ":".join(reversed(ont.classes[cls].labels))


def by_class(nodes: Iterable[Node]) -> list[tuple[str, list[Node]]]:
    """Nodes grouped by class, classes sorted: the order every load writes them in."""
    groups: dict[str, list[Node]] = defaultdict(list)
    for node in nodes:
        groups[node.cls].append(node)
    return sorted(groups.items())


def by_type(relations: Iterable[Relation]) -> list[tuple[str, list[Relation]]]:
    """Relationships grouped by type, types sorted."""
    groups: dict[str, list[Relation]] = defaultdict(list)
    for rel in relations:
        groups[rel.type].append(rel)
    return sorted(groups.items())


def _batches(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch


def node_statements(
    ont: Ontology, nodes: Iterable[Node], stamp: str, size: int, *, fresh: bool = False
) -> Iterator[Statement]:
    """MERGE batches by class; with `fresh` (the graph holds no node at all) CREATE batches:
    nothing can exist yet to merge with, change or relabel."""
    for cls, members in by_class(nodes):
        labels = label_string(ont, cls)
        for batch in _batches((node_row(ont, n) for n in members), size):
            if fresh:
                yield (
                    f"UNWIND $rows AS r CREATE (n:{labels}) SET n = r.props, n._load = $stamp "
                    "RETURN count(n) AS created",
                    {"rows": batch, "stamp": stamp},
                )
                continue
            # a node whose class changed is recreated: its old labels must go with it
            # (ids only: the whole rows would be sent, and on FalkorDB parsed, twice)
            yield (
                "UNWIND $ids AS id MATCH (n:Entity {id: id}) WHERE n.class <> $class "
                "DETACH DELETE n",
                {"ids": [row["id"] for row in batch], "class": cls},
            )
            yield (
                f"UNWIND $rows AS r MERGE (n:{labels} {{id: r.id}}) "
                "WITH n, r, n._hash IS NULL AS created, coalesce(n._hash, '') <> r.props._hash "
                "AS changed SET n = r.props, n._load = $stamp " + _COUNT,
                {"rows": batch, "stamp": stamp},
            )


def relation_statements(
    ont: Ontology, relations: Iterable[Relation], stamp: str, size: int, *, fresh: bool = False
) -> Iterator[Statement]:
    """MERGE batches by type; CREATE batches into a graph that was empty (see node_statements)."""
    for rtype, members in by_type(relations):
        # relationship types come from the ontology, never from user input
        ends = "UNWIND $rows AS r MATCH (a:Entity {id: r.from}) MATCH (b:Entity {id: r.to}) "
        if fresh:
            query = (
                f"{ends}CREATE (a)-[x:{rtype}]->(b) SET x = r.props, x._load = $stamp "
                "RETURN count(x) AS created"
            )
        else:
            query = (
                f"{ends}MERGE (a)-[x:{rtype} {{key: r.key}}]->(b) "
                "WITH x, r, x._hash IS NULL AS created, coalesce(x._hash, '') <> r.props._hash "
                "AS changed SET x = r.props, x._load = $stamp " + _COUNT
            )
        for batch in _batches((relation_row(ont, r) for r in members), size):
            yield query, {"rows": batch, "stamp": stamp}


def cleanup_statements(stamp: str) -> list[Statement]:
    return [
        (
            "MATCH ()-[x]->() WHERE x._load IS NULL OR x._load <> $stamp "
            "DELETE x RETURN count(x) AS deleted",
            {"stamp": stamp},
        ),
        (
            "MATCH (n:Entity) WHERE n._load IS NULL OR n._load <> $stamp "
            "DETACH DELETE n RETURN count(n) AS deleted",
            {"stamp": stamp},
        ),
    ]


def _distinct(relations: Iterable[Relation]) -> int:
    """How many relationships differ by key (a validated dataset has no duplicates).

    One type at a time, so that the set of keys is never that of the whole dataset."""
    return sum(len({(r.start, r.end) for r in members}) for _, members in by_type(relations))


# counts are cheap on both stores (kept by the engine); the cleanup scans above are not
_COUNT_RELATIONSHIPS = "MATCH ()-[x]->() RETURN count(x) AS relationships"
_COUNT_NODES = "MATCH (n:Entity) RETURN count(n) AS nodes"


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """The cycle collector paused for the duration of a load.

    A load allocates millions of short-lived dicts and lists (rows) while the dataset, millions
    of long-lived objects, sits in memory: each collection the allocations trigger walks that
    dataset again, which made building the rows about 40% slower (bench/load.py). The rows hold
    no reference cycles, so reference counting frees them as before; only cycles made during the
    load wait until it ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load(
    store: GraphStore,
    dataset: Dataset,
    *,
    batch_size: int = 1000,
    progress: Progress | None = None,
    ont: Ontology | None = None,
    workers: int | None = None,
) -> LoadReport:
    """Make the graph hold exactly the dataset; return what was created, updated, deleted.

    `workers`: processes that build the rows of a bulk load (default: for a large dataset
    `parallel.default_workers()`, for a small one none); MERGE loads (Neo4j) ignore it.
    """
    with _no_cyclic_gc():
        return _load(store, dataset, batch_size, progress, ont, workers)


def _load(
    store: GraphStore,
    dataset: Dataset,
    batch_size: int,
    progress: Progress | None,
    ont: Ontology | None,
    workers: int | None,
) -> LoadReport:
    ont = ont or load_ontology()
    labels = sorted({label for c in ont.node_classes() for label in c.labels})
    if isinstance(store, ReplacesGraph):
        return _replace(store, dataset, labels, batch_size, progress, ont, workers)
    store.ensure_schema(labels, ["Entity"])
    stamp = uuid.uuid4().hex
    report = LoadReport()
    # into an empty graph (a first load, a new database) everything is created: CREATE is
    # about 1.4x MERGE on Neo4j and there is nothing to relabel or delete. A writer adding
    # nodes meanwhile makes the load fail on the id constraints, not duplicate them.
    fresh = store.run("MATCH (n) RETURN count(n) AS n").rows[0]["n"] == 0
    rel_cleanup, node_cleanup = cleanup_statements(stamp)
    counted: dict[str, int] = defaultdict(int)

    def sync_deletes() -> Iterator[tuple[dict[str, int], Statement]]:
        """The cleanup scans, skipped where a count shows they would delete nothing.

        Every node and relationship of the dataset now carries the stamp, so if the graph
        holds as many relationships (Entity nodes) as the dataset has distinct ones, none
        lacks it. A count not reported yet when the scan is due (on_result is called before
        the next statement is taken, but a store need not promise that) means: scan.
        """
        distinct_rels = _distinct(dataset.relations)
        for target, name, expected, count, scan in (
            (
                report.relationships,
                "relationships",
                distinct_rels,
                _COUNT_RELATIONSHIPS,
                rel_cleanup,
            ),
            (report.nodes, "nodes", len(dataset.nodes), _COUNT_NODES, node_cleanup),
        ):
            yield counted, (count, {})
            if counted.get(name) == expected:
                target["deleted"] += 0  # nothing to delete: report it as a scan would
            else:
                yield target, scan

    steps: Iterator[tuple[dict[str, int], Statement]] = chain(
        (
            (report.nodes, s)
            for s in node_statements(ont, dataset.nodes.values(), stamp, batch_size, fresh=fresh)
        ),
        (
            (report.relationships, s)
            for s in relation_statements(ont, dataset.relations, stamp, batch_size, fresh=fresh)
        ),
        () if fresh else sync_deletes(),
    )
    targets: list[tuple[dict[str, int], int]] = []

    def statements() -> Iterator[Statement]:
        for target, statement in steps:
            targets.append((target, len(statement[1].get("rows", ()))))
            yield statement

    def tally(index: int, rows: list[dict[str, Any]]) -> None:
        target, written = targets[index]
        for row in rows:
            for key, value in row.items():
                target[key] += int(value or 0)
        if progress is not None and written and "created" in (rows[0] if rows else {}):
            progress(written)

    store.write_transaction(statements(), on_result=tally)
    return report


_LIVE_NODES = "UNWIND $ids AS id MATCH (n:Entity {id: id}) RETURN n.id AS id, n._hash AS h"


def _live_edges(rtype: str) -> str:
    # relationship types come from the ontology, never from user input
    return (
        "UNWIND $rows AS r MATCH (a:Entity {id: r.from})-[x:"
        + rtype
        + "]->(b:Entity {id: r.to}) WHERE x.key = r.key RETURN x.key AS id, x._hash AS h"
    )


_Slice = tuple[bool, int, int, int]  # (edges?, group, start, stop): part of one group


@dataclass(frozen=True)
class _Plan:
    """A bulk load: nodes by class, then relationships by type, sent in slices in this order."""

    nodes: list[tuple[str, Shape, list[Node]]]  # (labels "Entity:Actor:State", shape, nodes)
    edges: list[tuple[str, list[Relation]]]  # (type, relationships)
    edge_shape: Shape
    numbers: dict[str, int]  # node id -> its number in send order (how edges name nodes)
    stamp: str

    @classmethod
    def of(cls, ont: Ontology, dataset: Dataset) -> _Plan:
        nodes = [
            (label_string(ont, c), node_shape(ont, c), members)
            for c, members in by_class(dataset.nodes.values())
        ]
        numbers = {n.id: i for i, n in enumerate(n for *_, members in nodes for n in members)}
        edges = by_type(dataset.relations)
        return cls(nodes, edges, relation_shape(ont), numbers, uuid.uuid4().hex)

    def slices(self, size: int) -> list[_Slice]:
        groups = [(False, g, len(m)) for g, (_, _, m) in enumerate(self.nodes)]
        groups += [(True, g, len(m)) for g, (_, m) in enumerate(self.edges)]
        return [
            (edges, g, start, min(start + size, n))
            for edges, g, n in groups
            for start in range(0, n, size)
        ]

    def job(self, part: _Slice) -> bulk_rows.Job:
        """The worker's input for a slice: its rows' values, nothing of the dataset's objects
        (a worker reading those would copy, page by page, the parent memory holding them)."""
        edges, g, start, stop = part
        if not edges:
            labels, shape, nodes = self.nodes[g]
            return False, labels, shape, self.stamp, [node_input(n) for n in nodes[start:stop]]
        rtype, rels = self.edges[g]
        numbers = self.numbers
        try:
            inputs = [
                (numbers[r.start], numbers[r.end], relation_input(r)) for r in rels[start:stop]
            ]
        except KeyError as exc:  # validation rules it out; say so plainly if not
            rel = next(r for r in rels[start:stop] if exc.args[0] in (r.start, r.end))
            msg = f"{rel.file}:{rel.line}: {rtype} names no node {exc.args[0]!r}"
            raise falkordb_bulk.BulkError(msg) from None
        return True, rtype, self.edge_shape, self.stamp, inputs

    def live(self, part: _Slice) -> tuple[str, dict[str, Any], list[str]]:
        """The query that reads a slice's ids and hashes from the live graph, and its ids."""
        edges, g, start, stop = part
        if not edges:
            ids = [n.id for n in self.nodes[g][2][start:stop]]
            return _LIVE_NODES, {"ids": ids}, ids
        rtype, rels = self.edges[g]
        keys = [r.key for r in rels[start:stop]]
        ends = zip(keys, rels[start:stop], strict=True)
        rows = [{"key": k, "from": r.start, "to": r.end} for k, r in ends]
        return _live_edges(rtype), {"rows": rows}, keys


# below this many rows a load builds its blocks in-process: starting workers costs more than
# they save
PARALLEL_MIN_ROWS = 20_000


def _replace(
    store: GraphStore,
    dataset: Dataset,
    labels: list[str],
    size: int,
    progress: Progress | None,
    ont: Ontology,
    workers: int | None,
) -> LoadReport:
    """Rebuild the graph from the dataset and swap it in (see ReplacesGraph).

    Blocks of `size` rows are built inline or in `workers` processes (see `load`); each
    finished block is compared with the live graph (its ids' hashes, when the graph holds
    anything) and handed to the store in order.
    """
    assert isinstance(store, ReplacesGraph)
    report = LoadReport()
    live_nodes = int(store.run(_COUNT_NODES).rows[0]["nodes"])
    live_rels = int(store.run(_COUNT_RELATIONSHIPS).rows[0]["relationships"])
    kept = {"nodes": 0, "relationships": 0}
    plan = _Plan.of(ont, dataset)
    parts = plan.slices(size)
    rows = len(dataset.nodes) + len(dataset.relations)
    if workers is None:
        workers = parallel.default_workers() if rows >= PARALLEL_MIN_ROWS else 1

    def compare(part: _Slice, hashes: list[str]) -> None:
        edges, _, start, stop = part
        target, name, live = (
            (report.relationships, "relationships", live_rels)
            if edges
            else (report.nodes, "nodes", live_nodes)
        )
        if not live:  # an empty graph: nothing to compare with
            target["created"] += stop - start
            return
        query, params, keys = plan.live(part)
        old = {r["id"]: r["h"] for r in store.run(query, params).rows}
        for key, new in zip(keys, hashes, strict=True):
            if key not in old:
                target["created"] += 1
            elif old[key] != new:
                target["updated"] += 1
        kept[name] += len(old)

    def blocks() -> Iterator[falkordb_bulk.Block]:
        results = parallel.ordered_map(bulk_rows.encode, map(plan.job, parts), workers)
        with closing(results):
            for part, (block, hashes) in zip(parts, results, strict=True):
                compare(part, hashes)
                yield block
                if progress is not None:
                    progress(block.count)

    store.replace_graph(blocks(), labels, ["Entity"])
    report.nodes["deleted"] += live_nodes - kept["nodes"]
    report.relationships["deleted"] += live_rels - kept["relationships"]
    return report


def total_rows(dataset: Dataset) -> int:
    """What a progress bar counts to: every node and relationship written once."""
    return len(dataset.nodes) + len(dataset.relations)
