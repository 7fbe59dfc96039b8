"""One record of the curated YAML checked on its own, against its class's model: the part of
the validation that depends on nothing but the record and the ontology (and so can be cached
per file, loaders/record_cache.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from mineralkg.loaders.errors import DataError
from mineralkg.loaders.schema import Contested, Evidence, HistoryStep, node_model, relation_model
from mineralkg.loaders.yamlio import RawRecord
from mineralkg.ontology.model import Ontology


@dataclass(frozen=True)
class Node:
    id: str
    cls: str
    labels: tuple[str, ...]
    name: str
    props: dict[str, Any]  # ontology properties other than id, name and evidence
    evidence: tuple[Evidence, ...]
    file: str
    line: int
    history: tuple[HistoryStep, ...] = ()
    contested: tuple[Contested, ...] = ()

    @property
    def sources(self) -> tuple[str, ...]:
        if "Source" in self.labels:
            return (self.id,)
        return tuple(dict.fromkeys(e.source for e in self.evidence))


@dataclass(frozen=True)
class Relation:
    type: str
    start: str
    end: str
    props: dict[str, Any]
    evidence: tuple[Evidence, ...]
    file: str
    line: int

    @property
    def key(self) -> str:
        """Stable identity of the relationship: `from|TYPE|to`."""
        return f"{self.start}|{self.type}|{self.end}"

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e.source for e in self.evidence))


@dataclass(frozen=True)
class Dataset:
    nodes: dict[str, Node]
    relations: tuple[Relation, ...]
    warnings: tuple[str, ...] = field(default=())


def _model_errors(rec: RawRecord, exc: ValidationError, subject: str) -> list[DataError]:
    errors = []
    for err in exc.errors():
        loc = [p for p in err["loc"] if not isinstance(p, str) or not p.startswith("function-")]
        head = str(loc[0]) if loc else "record"
        head = "from" if head == "from_" else head
        line = rec.line_of(head)
        if len(loc) > 1 and isinstance(loc[1], int):
            items = rec.item_lines.get(head, ())
            if loc[1] < len(items):
                line = items[loc[1]]
        path = ".".join(str(p) for p in loc[:3] if not str(p).startswith(("literal", "list[")))
        path = path.replace("from_", "from") or head
        if err["type"] == "extra_forbidden":
            msg = f"not a property of {subject}"
        elif err["type"] == "missing":
            msg = "required"
        else:
            msg = err["msg"].removeprefix("Value error, ")
        errors.append(DataError(rec.file, line, path, msg))
    return errors


def _node(ont: Ontology, rec: RawRecord) -> tuple[Node | None, list[DataError]]:
    cls = rec.data.get("type")
    node_classes = {c.node_label: c.name for c in ont.node_classes()}
    if not isinstance(cls, str) or cls not in node_classes:
        msg = f"unknown node type {cls!r}" if cls is not None else "required"
        return None, [DataError(rec.file, rec.line_of("type"), "type", msg)]
    try:
        model: BaseModel = node_model(ont, node_classes[cls]).model_validate(rec.data)
    except ValidationError as exc:
        return None, _model_errors(rec, exc, f"{cls} (see the README's data model)")
    values = model.model_dump(exclude_none=True)
    structured = {"id", "type", "name", "evidence", "history", "contested"}
    props = {k: v for k, v in values.items() if k not in structured}
    ont_cls = ont.classes[node_classes[cls]]
    return Node(
        values["id"],
        ont_cls.name,
        ont_cls.labels,
        values["name"],
        props,
        tuple(model.evidence),  # type: ignore[attr-defined]
        rec.file,
        rec.line,
        tuple(model.__dict__.get("history") or ()),
        tuple(model.__dict__.get("contested") or ()),
    ), []


def _relation(ont: Ontology, rec: RawRecord) -> tuple[Relation | None, list[DataError]]:
    try:
        model: BaseModel = relation_model(ont).model_validate(rec.data)
    except ValidationError as exc:
        return None, _model_errors(rec, exc, "a relationship")
    values = model.model_dump(exclude_none=True)
    props = {k: v for k, v in values.items() if k not in {"type", "from_", "to", "evidence"}}
    evidence = tuple(model.evidence)  # type: ignore[attr-defined]
    return Relation(
        values["type"], values["from_"], values["to"], props, evidence, rec.file, rec.line
    ), []


@dataclass(frozen=True)
class Checked:
    """A record and what checking it alone gave: its node or relationship, or its errors."""

    rec: RawRecord
    item: Node | Relation | None
    errors: list[DataError]


def check_record(ont: Ontology, rec: RawRecord) -> Checked:
    item, errors = (_node if rec.kind == "nodes" else _relation)(ont, rec)
    return Checked(rec, item, errors)
