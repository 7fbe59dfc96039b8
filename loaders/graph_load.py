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
import hashlib
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain, islice
from typing import Any

import orjson

from graph.store import GraphStore, ReplacesGraph, Statement
from loaders.dataset import Dataset, Node, Relation
from ontology.model import Ontology
from ontology.model import load as load_ontology

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


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


# A load builds one row per node and relationship: these few functions are its hot path,
# written for speed (measured in bench/load.py) rather than brevity.


def _add_evidence(props: dict[str, Any], evidence: Iterable[Any], sources: Iterable[str]) -> None:
    items = [e.model_dump(exclude_none=True) for e in evidence]
    props["sources"] = list(sources)
    props["quotes"] = [e["quote"] for e in items if "quote" in e]
    attributed = {e["attributedTo"] for e in items if "attributedTo" in e}
    if attributed:
        props["attributedTo"] = sorted(attributed)
    props["evidence"] = orjson.dumps(items).decode()


def _evidence_props(evidence: Iterable[Any], sources: tuple[str, ...]) -> dict[str, Any]:
    """sources, quotes, attributedTo (when there are any) and evidence as JSON text."""
    props: dict[str, Any] = {}
    _add_evidence(props, evidence, sources)
    return props


def _hashed(props: dict[str, Any]) -> dict[str, Any]:
    text = orjson.dumps(props, option=orjson.OPT_SORT_KEYS, default=str)
    props["_hash"] = hashlib.blake2b(text, digest_size=12).hexdigest()
    return props


def _own_props(props: dict[str, Any], values: dict[str, Any]) -> None:
    for k, v in values.items():
        props[k] = float(v) if type(v) is Decimal else (_plain(v) if type(v) is list else v)


def node_row(node: Node) -> dict[str, Any]:
    """A node's properties as the graph stores them (lists stay lists; no nested maps)."""
    props: dict[str, Any] = {"id": node.id, "name": node.name, "class": node.cls}
    _own_props(props, node.props)
    _add_evidence(props, node.evidence, node.sources)
    props["_aliases"] = " ".join(node.props.get("aliases", ()))
    return {"id": node.id, "props": _hashed(props)}


def relation_row(rel: Relation) -> dict[str, Any]:
    key = f"{rel.start}|{rel.type}|{rel.end}"  # Relation.key, without the property call
    props: dict[str, Any] = {"key": key}
    _own_props(props, rel.props)
    _add_evidence(props, rel.evidence, dict.fromkeys([e.source for e in rel.evidence]))
    return {"key": key, "from": rel.start, "to": rel.end, "props": _hashed(props)}


def _batches(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch


def node_statements(
    ont: Ontology, nodes: Iterable[Node], stamp: str, size: int
) -> Iterator[Statement]:
    by_class: dict[str, list[Node]] = defaultdict(list)
    for node in nodes:
        by_class[node.cls].append(node)
    for cls, members in sorted(by_class.items()):
        # labels come from the ontology, never from user input
        labels = ":".join(reversed(ont.classes[cls].labels))
        for batch in _batches((node_row(n) for n in members), size):
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
    relations: Iterable[Relation], stamp: str, size: int
) -> Iterator[Statement]:
    by_type: dict[str, list[Relation]] = defaultdict(list)
    for rel in relations:
        by_type[rel.type].append(rel)
    for rtype, members in sorted(by_type.items()):
        for batch in _batches((relation_row(r) for r in members), size):
            # relationship types come from the ontology, never from user input
            yield (
                "UNWIND $rows AS r MATCH (a:Entity {id: r.from}) MATCH (b:Entity {id: r.to}) "
                f"MERGE (a)-[x:{rtype} {{key: r.key}}]->(b) "
                "WITH x, r, x._hash IS NULL AS created, coalesce(x._hash, '') <> r.props._hash "
                "AS changed SET x = r.props, x._load = $stamp " + _COUNT,
                {"rows": batch, "stamp": stamp},
            )


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
    by_type: dict[str, list[Relation]] = defaultdict(list)
    for rel in relations:
        by_type[rel.type].append(rel)
    return sum(len({(r.start, r.end) for r in members}) for members in by_type.values())


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
) -> LoadReport:
    """Make the graph hold exactly the dataset; return what was created, updated, deleted."""
    with _no_cyclic_gc():
        return _load(store, dataset, batch_size, progress, ont)


def _load(
    store: GraphStore,
    dataset: Dataset,
    batch_size: int,
    progress: Progress | None,
    ont: Ontology | None,
) -> LoadReport:
    ont = ont or load_ontology()
    labels = sorted({label for c in ont.node_classes() for label in c.labels})
    if isinstance(store, ReplacesGraph):
        return _replace(store, dataset, labels, batch_size, progress, ont)
    store.ensure_schema(labels, ["Entity"])
    stamp = uuid.uuid4().hex
    report = LoadReport()
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
            for s in node_statements(ont, dataset.nodes.values(), stamp, batch_size)
        ),
        (
            (report.relationships, s)
            for s in relation_statements(dataset.relations, stamp, batch_size)
        ),
        sync_deletes(),
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


def _tally(
    target: dict[str, int], rows: list[dict[str, Any]], live: list[dict[str, Any]], key: str
) -> int:
    """Count a batch's created and updated rows against the live graph's hashes; return how
    many of them the live graph holds (what is left over there gets deleted)."""
    hashes = {r["id"]: r["h"] for r in live}
    for row in rows:
        if row[key] not in hashes:
            target["created"] += 1
        elif hashes[row[key]] != row["props"]["_hash"]:
            target["updated"] += 1
    return len(hashes)


def _replace(
    store: GraphStore,
    dataset: Dataset,
    labels: list[str],
    size: int,
    progress: Progress | None,
    ont: Ontology,
) -> LoadReport:
    """Rebuild the graph from the dataset and swap it in (see ReplacesGraph)."""
    assert isinstance(store, ReplacesGraph)
    stamp = uuid.uuid4().hex
    report = LoadReport()
    live_nodes = int(store.run(_COUNT_NODES).rows[0]["nodes"])
    live_rels = int(store.run(_COUNT_RELATIONSHIPS).rows[0]["relationships"])
    kept = {"nodes": 0, "relationships": 0}

    def node_groups() -> Iterator[tuple[str, list[tuple[str, dict[str, Any]]]]]:
        by_class: dict[str, list[Node]] = defaultdict(list)
        for node in dataset.nodes.values():
            by_class[node.cls].append(node)
        for cls, members in sorted(by_class.items()):
            labels_of = ":".join(reversed(ont.classes[cls].labels))
            for batch in _batches((node_row(n) for n in members), size):
                if live_nodes:
                    live = store.run(_LIVE_NODES, {"ids": [r["id"] for r in batch]}).rows
                    kept["nodes"] += _tally(report.nodes, batch, live, "id")
                else:
                    report.nodes["created"] += len(batch)
                for row in batch:
                    row["props"]["_load"] = stamp
                yield labels_of, [(r["id"], r["props"]) for r in batch]
                if progress is not None:
                    progress(len(batch))

    def edge_groups() -> Iterator[tuple[str, list[tuple[str, str, dict[str, Any]]]]]:
        by_type: dict[str, list[Relation]] = defaultdict(list)
        for rel in dataset.relations:
            by_type[rel.type].append(rel)
        for rtype, members in sorted(by_type.items()):
            for batch in _batches((relation_row(r) for r in members), size):
                if live_rels:
                    query = _live_edges(rtype)
                    params = {"rows": [{k: r[k] for k in ("key", "from", "to")} for r in batch]}
                    live = store.run(query, params).rows
                    kept["relationships"] += _tally(report.relationships, batch, live, "key")
                else:
                    report.relationships["created"] += len(batch)
                for row in batch:
                    row["props"]["_load"] = stamp
                yield rtype, [(r["from"], r["to"], r["props"]) for r in batch]
                if progress is not None:
                    progress(len(batch))

    store.replace_graph(node_groups(), edge_groups(), labels, ["Entity"])
    report.nodes["deleted"] += live_nodes - kept["nodes"]
    report.relationships["deleted"] += live_rels - kept["relationships"]
    return report


def total_rows(dataset: Dataset) -> int:
    """What a progress bar counts to: every node and relationship written once."""
    return len(dataset.nodes) + len(dataset.relations)
