"""Synthetic datasets written and read back as the curator writes them: curated YAML files
(`write_yaml`), records run through validation (`check`), and the comparison of two datasets'
facts (`same_facts`). What validation derives (StatusChange nodes from histories, ContestedClaim
nodes from contested properties, source counts, first-dated spans) is left out of what is
written, as a curator leaves it out.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from mineralkg.loaders.dataset import Dataset, Node, Relation, validate_records
from mineralkg.loaders.derived import derived_records
from mineralkg.loaders.schema import DERIVED, Contested, Evidence, HistoryStep
from mineralkg.ontology.model import Ontology
from mineralkg.ontology.model import load as load_ontology

RECORDED_ON = "2026-11-22"  # when every synthetic fact is recorded: the files' header


def _scalar(value: Any) -> str:
    """A YAML scalar or flow list: JSON's quoting is valid YAML and exact for these values."""
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(value)


def _evidence_lines(evidence: Iterable[Evidence]) -> list[str]:
    lines = []
    items = list(evidence)
    if items:
        lines.append("    evidence:")
    for ev in items:
        lines.append(f"      - source: {ev.source}")
        for key in ("quote", "claim", "attributedTo", "note"):
            value = getattr(ev, key)
            if value is not None:
                lines.append(f"        {key}: {_scalar(value)}")
    return lines


def _props_lines(props: dict[str, Any]) -> list[str]:
    return [f"    {k}: {_scalar(v)}" for k, v in written(props).items()]


def written(props: dict[str, Any], history: tuple[HistoryStep, ...] = ()) -> dict[str, Any]:
    """The properties a curator writes: not recordedOn (the file's header gives it), nothing
    validation derives, no status beside a history."""
    left_out = {"recordedOn", *DERIVED, *(("status",) if history else ())}
    return {k: v for k, v in props.items() if k not in left_out}


def _history_lines(history: tuple[HistoryStep, ...]) -> list[str]:
    lines = ["    history:"] if history else []
    for step in history:
        lines.append(f"      - status: {step.status}")
        lines.append(f"        date: {_scalar(str(step.date))}")
        lines.extend("    " + line for line in _evidence_lines(step.evidence))
    return lines


def _contested_lines(contested: tuple[Contested, ...]) -> list[str]:
    lines = ["    contested:"] if contested else []
    for item in contested:
        lines.append(f"      - property: {item.property}")
        lines.append("        versions:")
        for version in item.versions:
            lines.append(f"          - value: {_scalar(version.value)}")
            lines.extend("        " + line for line in _evidence_lines(version.evidence))
    return lines


def derived_ids(dataset: Dataset) -> set[str]:
    """The StatusChange and ContestedClaim nodes validation makes from histories and contested
    properties (not written, not given)."""
    return {made["id"] for node in dataset.nodes.values() for made in derived_records(node).nodes}


def node_yaml(ont: Ontology, node: Node) -> list[str]:
    return [
        f"  - id: {node.id}",
        f"    type: {ont.classes[node.cls].node_label}",
        f"    name: {_scalar(node.name)}",
        *(f"    {k}: {_scalar(v)}" for k, v in written(node.props, node.history).items()),
        *_history_lines(node.history),
        *_contested_lines(node.contested),
        *_evidence_lines(node.evidence),
    ]


def relation_yaml(rel: Relation) -> list[str]:
    return [
        f"  - type: {rel.type}",
        f"    from: {rel.start}",
        f"    to: {rel.end}",
        *_props_lines(rel.props),
        *_evidence_lines(rel.evidence),
    ]


def write_yaml(
    dataset: Dataset,
    folder: Path,
    *,
    records_per_file: int = 20_000,
    ont: Ontology | None = None,
) -> list[Path]:
    """Write the dataset as curated YAML files (nodes-NNNN.yaml, relations-NNNN.yaml)."""
    ont = ont or load_ontology()
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def dump(kind: str, blocks: Iterable[list[str]]) -> None:
        chunk: list[str] = []
        count = 0

        def flush() -> None:
            path = folder / f"{kind}-{len([p for p in written if kind in p.name]):04d}.yaml"
            head = [f"recordedOn: {RECORDED_ON}", f"{kind}:"]
            path.write_text("\n".join(head + chunk) + "\n", encoding="utf-8")
            written.append(path)

        for block in blocks:
            chunk.extend(block)
            count += 1
            if count == records_per_file:
                flush()
                chunk, count = [], 0
        if count:
            flush()

    derived = derived_ids(dataset)
    sources = [n for n in dataset.nodes.values() if "Source" in n.labels]
    others = [n for n in dataset.nodes.values() if "Source" not in n.labels]
    dump("nodes", (node_yaml(ont, n) for n in others if n.id not in derived))
    folder = folder / "sources"  # a Source belongs under sources/
    folder.mkdir(exist_ok=True)
    dump("nodes", (node_yaml(ont, n) for n in sources))
    folder = folder.parent
    dump("relations", (relation_yaml(r) for r in dataset.relations if r.end not in derived))
    return written


def check(dataset: Dataset, ont: Ontology | None = None) -> Dataset:
    """Run the generated records through `validate_records` (raises ValidationFailed)."""
    from mineralkg.loaders.yamlio import RawRecord

    ont = ont or load_ontology()
    records: list[RawRecord] = []
    derived = derived_ids(dataset)
    for node in dataset.nodes.values():
        if node.id in derived:
            continue
        data: dict[str, Any] = {
            "id": node.id,
            "type": ont.classes[node.cls].node_label,
            "name": node.name,
        }
        data.update(written(node.props, node.history))
        data.update({k: v for k, v in node.props.items() if k == "recordedOn"})
        if node.history:
            data["history"] = [step.model_dump(exclude_none=True) for step in node.history]
        if node.contested:
            data["contested"] = [item.model_dump(exclude_none=True) for item in node.contested]
        if node.evidence:
            data["evidence"] = [e.model_dump(exclude_none=True) for e in node.evidence]
        file = f"sources/{node.file}" if "Source" in node.labels else node.file
        records.append(RawRecord(file, node.line, "nodes", data))
    for rel in dataset.relations:
        if rel.end in derived:
            continue
        data = {"type": rel.type, "from": rel.start, "to": rel.end, **written(rel.props)}
        data.update({k: v for k, v in rel.props.items() if k == "recordedOn"})
        data["evidence"] = [e.model_dump(exclude_none=True) for e in rel.evidence]
        records.append(RawRecord(rel.file, rel.line, "relations", data))
    return validate_records(records, Path("/nonexistent-sources"), ont)


def same_facts(a: Dataset, b: Dataset) -> bool:
    """Equal nodes and relationships, ignoring where in which file they were written and what
    validation derives (source counts)."""

    def own(props: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in props.items() if k not in DERIVED}

    def nodes(d: Dataset) -> dict[str, tuple[Any, ...]]:
        return {k: (n.cls, n.labels, n.name, own(n.props), n.evidence) for k, n in d.nodes.items()}

    def rels(d: Dataset) -> list[tuple[Any, ...]]:
        # validation adds the relationships it derives (HAD_STATUS) after the others
        return sorted(
            ((r.type, r.start, r.end, own(r.props), r.evidence) for r in d.relations),
            key=lambda r: (r[1], r[0], r[2]),
        )

    return nodes(a) == nodes(b) and rels(a) == rels(b)
