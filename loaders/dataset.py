"""Curated YAML -> a validated, immutable dataset, or every error at once."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from mineralkg.loaders.derived import (
    citation_problem,
    contested_errors,
    derived_records,
    first_dated,
    history_errors,
    independent,
    web_source_errors,
)
from mineralkg.loaders.errors import DataError, ValidationFailed
from mineralkg.loaders.record_cache import read_checked
from mineralkg.loaders.records import Checked, Dataset, Node, Relation, check_record
from mineralkg.loaders.schema import Evidence
from mineralkg.loaders.yamlio import RawRecord
from mineralkg.ontology.dates import FIRST_DATED, RECORD_KEEPING
from mineralkg.ontology.model import DatatypeProp, Ontology
from mineralkg.ontology.model import load as load_ontology

__all__ = ["Dataset", "Node", "Relation", "fold", "load_dataset", "validate_records"]


def fold(text: str) -> str:
    """White space folded to single spaces: the only difference a quote may have."""
    return re.sub(r"\s+", " ", text).strip()


class _Checker:
    """Checks across records: duplicates, references, domains and ranges, quotes."""

    def __init__(self, ont: Ontology, sources_dir: Path) -> None:
        self.ont = ont
        self.sources_dir = sources_dir
        self.errors: list[DataError] = []
        self.warnings: list[str] = []
        self._texts: dict[str, str | None] = {}

    def error(self, file: str, line: int, fieldname: str, message: str) -> None:
        self.errors.append(DataError(file, line, fieldname, message))

    def source_text(self, source: Node) -> str | None:
        copy = source.props.get("localCopy")
        if copy is None:
            return None
        if copy not in self._texts:
            path = self.sources_dir / copy
            if path.is_file():
                self._texts[copy] = fold(path.read_text(encoding="utf-8"))
            else:
                self._texts[copy] = None
                self.warnings.append(
                    f"{source.file}:{source.line}: localCopy: {path} not found; "
                    f"quotes citing {source.id} were not checked"
                )
        return self._texts[copy]

    def evidence(
        self,
        nodes: dict[str, Node],
        items: tuple[Evidence, ...],
        file: str,
        lines: tuple[int, ...],
        fallback: int,
    ) -> None:
        for i, ev in enumerate(items):
            line = lines[i] if i < len(lines) else fallback
            source = nodes.get(ev.source)
            if source is None:
                self.error(file, line, "evidence.source", f"unknown source id {ev.source!r}")
                continue
            if "Source" not in source.labels:
                self.error(
                    file, line, "evidence.source", f"{ev.source!r} is a {source.cls}, not a Source"
                )
                continue
            if ev.attributedTo is not None:
                actor = nodes.get(ev.attributedTo)
                if actor is None:
                    self.error(
                        file, line, "evidence.attributedTo", f"unknown id {ev.attributedTo!r}"
                    )
                elif "Actor" not in actor.labels:
                    self.error(
                        file,
                        line,
                        "evidence.attributedTo",
                        f"{ev.attributedTo!r} is a {actor.cls}, not an Actor",
                    )
            problem = citation_problem(source, ev)
            if problem is not None:
                self.error(file, line, *problem)
            elif ev.quote is not None:
                self.quote(source, ev.quote, file, line, "evidence.quote")

    def quote(self, source: Node, quote: str, file: str, line: int, fieldname: str) -> None:
        text = self.source_text(source)
        if text is not None and fold(quote) not in text:
            self.error(file, line, fieldname, f"not found verbatim in {source.props['localCopy']}")


def validate_records(
    records: list[RawRecord], sources_dir: Path, ont: Ontology | None = None
) -> Dataset:
    """Validate parsed records; raise ValidationFailed with every error found."""
    ont = ont or load_ontology()
    return validate_checked([check_record(ont, rec) for rec in records], sources_dir, ont)


def validate_checked(checked: list[Checked], sources_dir: Path, ont: Ontology) -> Dataset:
    """The checks across records, on records each checked alone (check_record)."""
    check = _Checker(ont, sources_dir)
    nodes: dict[str, Node] = {}
    node_recs: dict[str, RawRecord] = {}
    relations: list[tuple[Relation, RawRecord]] = []
    for done in checked:
        rec, item = done.rec, done.item
        check.errors.extend(done.errors)
        if isinstance(item, Relation):
            relations.append((item, rec))
        elif isinstance(item, Node):
            if item.id in nodes:
                first = nodes[item.id]
                check.error(
                    rec.file,
                    rec.line_of("id"),
                    "id",
                    f"duplicate id {item.id!r} (first at {first.file}:{first.line})",
                )
                continue
            nodes[item.id] = item
            node_recs[item.id] = rec

    derived_nodes, derived_relations = _derive(ont, nodes, node_recs, check)
    for node_id, node in nodes.items():
        rec = node_recs[node_id]
        check.evidence(nodes, node.evidence, rec.file, rec.evidence_lines, rec.line_of("evidence"))
        if node.cls == "Statement" and "quote" in node.props:
            for source_id in node.sources:
                if source_id in nodes and "Source" in nodes[source_id].labels:
                    check.quote(
                        nodes[source_id],
                        node.props["quote"],
                        rec.file,
                        rec.line_of("quote"),
                        "quote",
                    )

    _check_relations(ont, nodes, relations, check)

    if check.errors:
        raise ValidationFailed(check.errors)
    nodes.update({n.id: n for n in derived_nodes})
    all_relations = (*(r for r, _ in relations), *derived_relations)
    _count_sources(nodes, all_relations)
    _date_facts(ont, nodes.values(), all_relations)
    return Dataset(nodes, all_relations, tuple(check.warnings))


def _check_relations(
    ont: Ontology,
    nodes: dict[str, Node],
    relations: list[tuple[Relation, RawRecord]],
    check: _Checker,
) -> None:
    """Endpoints that exist and fit the type's domain and range, no duplicate, evidence."""
    seen: dict[str, Relation] = {}
    for rel, rec in relations:
        rtype = ont.relationships[rel.type]
        for end, node_id, allowed, word in (
            ("from", rel.start, rtype.domains, "domain"),
            ("to", rel.end, rtype.ranges, "range"),
        ):
            node = nodes.get(node_id)
            if node is None:
                check.error(rec.file, rec.line_of(end), end, f"unknown id {node_id!r}")
            elif not ont.is_a_any(node.cls, allowed):
                check.error(
                    rec.file,
                    rec.line_of(end),
                    end,
                    f"{rel.type} needs {' or '.join(sorted(allowed))} here ({word}); "
                    f"{node_id!r} is a {node.cls}",
                )
        if rel.key in seen:
            earlier = seen[rel.key]
            check.error(
                rec.file,
                rec.line,
                "relation",
                f"duplicate {rel.type} from {rel.start!r} to {rel.end!r} "
                f"(first at {earlier.file}:{earlier.line})",
            )
        seen[rel.key] = rel
        check.evidence(nodes, rel.evidence, rec.file, rec.evidence_lines, rec.line_of("evidence"))


def _derive(
    ont: Ontology, nodes: dict[str, Node], recs: dict[str, RawRecord], check: _Checker
) -> tuple[list[Node], list[Relation]]:
    """Check histories, contested properties and web sources; make the nodes and
    relationships histories and contested properties stand for."""
    out_nodes: list[Node] = []
    out_relations: list[Relation] = []
    for node_id, node in list(nodes.items()):
        rec = recs[node_id]
        if "Source" in node.labels:
            check.errors.extend(web_source_errors(node, rec))
            copy_of = node.props.get("copyOf")
            if copy_of is not None and "Source" not in getattr(nodes.get(copy_of), "labels", ()):
                check.error(rec.file, rec.line_of("copyOf"), "copyOf", f"no Source {copy_of!r}")
            continue
        errors, props = history_errors(ont, node, rec)
        check.errors.extend(errors)
        node.props.update(props)
        check.errors.extend(contested_errors(ont, node, rec))
        made = derived_records(node)
        lines = [*_step_lines(rec, node), *_version_lines(rec, node)]
        for item, line in zip(made.nodes, lines, strict=True):
            cls = ont.classes[item["cls"]]
            props = {"recordedOn": node.props["recordedOn"]} if "recordedOn" in node.props else {}
            derived = Node(
                item["id"],
                cls.name,
                cls.labels,
                item["name"],
                {**props, **item["props"]},
                item["evidence"],
                rec.file,
                line,
            )
            check.evidence(nodes, derived.evidence, rec.file, (), line)
            out_nodes.append(derived)
        for item, node_made in zip(made.relations, out_nodes[-len(made.nodes) :], strict=False):
            out_relations.append(
                Relation(
                    item["type"],
                    item["start"],
                    item["end"],
                    {},
                    tuple(item["evidence"]),
                    rec.file,
                    node_made.line,
                )
            )
    return out_nodes, out_relations


def _step_lines(rec: RawRecord, node: Node) -> list[int]:
    """One line per history step: its item's, or the record's when the record has no item
    lines (records built in code, not read from a file: then every derived node was kept only
    as far as the contested versions' lines reached)."""
    lines = rec.item_lines.get("history", ())
    return [lines[i] if i < len(lines) else rec.line for i in range(len(node.history))]


def _version_lines(rec: RawRecord, node: Node) -> list[int]:
    """One line per contested version: that of its property's item (versions are not indexed)."""
    lines = rec.item_lines.get("contested", ())
    return [
        lines[i] if i < len(lines) else rec.line
        for i, item in enumerate(node.contested)
        for _ in item.versions
    ]


def _count_sources(nodes: dict[str, Node], relations: Iterable[Relation]) -> None:
    """Every fact's independent sources and their kinds, derived, never typed."""
    facts: list[Node | Relation] = [n for n in nodes.values() if "Source" not in n.labels]
    for item in [*facts, *relations]:
        count, kinds = independent(item.sources, nodes)
        item.props["sourceCount"] = count
        item.props["sourceKinds"] = kinds


_XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"


def _date_facts(ont: Ontology, nodes: Iterable[Node], relations: Iterable[Relation]) -> None:
    """When each fact is first on record (derived.first_dated), from its dates and history."""
    rel_props = ont.relationship_properties()
    items: list[Node | Relation] = [*nodes, *relations]
    for item in items:
        props = ont.properties_for(item.cls) if isinstance(item, Node) else rel_props
        dated = [v for k, v in item.props.items() if k in props and is_event_date(props[k])]
        history = item.history if isinstance(item, Node) else ()
        item.props.update(first_dated([*dated, *(step.date for step in history)]))


def is_event_date(prop: DatatypeProp) -> bool:
    """A date of something that happened: not of the record, not a derived span."""
    return (
        str(prop.datatype) == _XSD_DATE
        and prop.name not in RECORD_KEEPING
        and prop.name not in FIRST_DATED
    )


def load_dataset(
    path: Path, sources_dir: Path, ont: Ontology | None = None, cache_dir: Path | None = None
) -> Dataset:
    """Read and validate the YAML under `path` (a folder or one file).

    With a `cache_dir`, each file's records, checked alone, are kept there and read back
    while the file, the ontology and the code that checks them are unchanged
    (loaders/record_cache.py); the checks across records run every time."""
    ont = ont or load_ontology()
    checked, errors = read_checked(path, ont, cache_dir)
    try:
        dataset = validate_checked(checked, sources_dir, ont)
    except ValidationFailed as exc:
        raise ValidationFailed(errors + exc.errors) from None
    if errors:
        raise ValidationFailed(errors)
    return dataset
