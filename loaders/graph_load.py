"""Validated dataset -> property graph: MERGE on stable ids, UNWIND batches, all or nothing.

Every load stamps what it writes; what the stamp does not reach (facts removed from the YAML)
is deleted at the end of the same transaction, so the graph follows the YAML exactly and a
failed load leaves the graph as it was.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain, islice
from typing import Any

from graph.store import GraphStore, Statement
from loaders.dataset import Dataset, Node, Relation
from ontology.model import Ontology
from ontology.model import load as load_ontology

Progress = Callable[[int], None]

_COUNT = (
    "RETURN sum(CASE WHEN created THEN 1 ELSE 0 END) AS created, "
    "sum(CASE WHEN changed AND NOT created THEN 1 ELSE 0 END) AS updated"
)


@dataclass
class LoadReport:
    nodes: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    relationships: dict[str, int] = field(default_factory=lambda: defaultdict(int))

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


# built once: json.dumps with options builds a new encoder on every call (same output)
_evidence_json = json.JSONEncoder(ensure_ascii=False).encode
_hash_json = json.JSONEncoder(sort_keys=True, ensure_ascii=False, default=str).encode


def _evidence_props(evidence: Iterable[Any], sources: tuple[str, ...]) -> dict[str, Any]:
    items = [e.model_dump(exclude_none=True) for e in evidence]
    return {
        "sources": list(sources),
        "quotes": [e["quote"] for e in items if "quote" in e],
        "attributedTo": sorted({e["attributedTo"] for e in items if "attributedTo" in e}),
        "evidence": _evidence_json(items),
    }


def _hashed(props: dict[str, Any]) -> dict[str, Any]:
    text = _hash_json(props)
    props["_hash"] = hashlib.blake2b(text.encode(), digest_size=12).hexdigest()
    return props


def node_row(node: Node) -> dict[str, Any]:
    """A node's properties as the graph stores them (lists stay lists; no nested maps)."""
    props: dict[str, Any] = {"id": node.id, "name": node.name, "class": node.cls}
    props.update({k: _plain(v) for k, v in node.props.items()})
    props.update(_evidence_props(node.evidence, node.sources))
    if not props["attributedTo"]:
        del props["attributedTo"]
    props["_aliases"] = " ".join(node.props.get("aliases", []))
    return {"id": node.id, "props": _hashed(props)}


def relation_row(rel: Relation) -> dict[str, Any]:
    props: dict[str, Any] = {"key": rel.key}
    props.update({k: _plain(v) for k, v in rel.props.items()})
    props.update(_evidence_props(rel.evidence, rel.sources))
    if not props["attributedTo"]:
        del props["attributedTo"]
    return {"key": rel.key, "from": rel.start, "to": rel.end, "props": _hashed(props)}


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


def load(
    store: GraphStore,
    dataset: Dataset,
    *,
    batch_size: int = 1000,
    progress: Progress | None = None,
    ont: Ontology | None = None,
) -> LoadReport:
    """Make the graph hold exactly the dataset; return what was created, updated, deleted."""
    ont = ont or load_ontology()
    labels = sorted({label for c in ont.node_classes() for label in c.labels})
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


def total_rows(dataset: Dataset) -> int:
    """What a progress bar counts to: every node and relationship written once."""
    return len(dataset.nodes) + len(dataset.relations)
