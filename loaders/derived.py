"""What the loader derives from the curated records, after they are checked one by one:

- status histories (`history`) become `StatusChange` nodes linked by `HAD_STATUS`, checked for
  order, and give their node its current `status`;
- contested properties (`contested`) become one `ContestedClaim` node per version, linked by
  `HAS_CONTESTED_CLAIM`, each value checked against the property's type;
- every fact gets `sourceCount` (independent sources: a copy counts as its original) and
  `sourceKinds`;
- web sources are checked: a `url` needs a publisher, a date and a kind; evidence citing one
  gives a `claim`, never a `quote`; a printed work (publisher and date, no url) is cited with a
  claim or a note; a source known only by citation is never cited.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import PurePath
from typing import Any

from pydantic import TypeAdapter, ValidationError

from mineralkg.loaders.errors import DataError
from mineralkg.loaders.schema import Evidence, field_type
from mineralkg.loaders.yamlio import RawRecord
from mineralkg.ontology.dates import FIRST_DATED, PartialDate
from mineralkg.ontology.model import Ontology

STATUS_CHANGE = "StatusChange"
CONTESTED_CLAIM = "ContestedClaim"
WEB_SOURCE_NEEDS = ("publisher", "publishedOn", "sourceKind")


@dataclass(frozen=True)
class Derived:
    """Nodes and relationships made from structured fields, as (node, relation) factories'
    input: plain values the dataset turns into its own records."""

    nodes: list[dict[str, Any]]
    relations: list[dict[str, Any]]


def _step_id(node_id: str, index: int) -> str:
    return f"{node_id}-status-{index + 1}"


def _claim_id(node_id: str, prop: str, index: int) -> str:
    slug = "".join(f"-{c.lower()}" if c.isupper() else c for c in prop)
    return f"{node_id}-{slug}-claim-{index + 1}"


def history_errors(
    ont: Ontology, node: Any, rec: RawRecord
) -> tuple[list[DataError], dict[str, Any]]:
    """Errors in a node's history, and the properties it derives (`status`)."""
    if not node.history:
        return [], {}
    errors = []
    lines = rec.item_lines.get("history", ())
    allowed = ont.properties["status"].values
    if "status" in node.props:
        errors.append(
            DataError(
                rec.file,
                rec.line_of("status"),
                "status",
                "derived from `history` (its last step); do not give it as well",
            )
        )
    previous: PartialDate | None = None
    for index, step in enumerate(node.history):
        line = lines[index] if index < len(lines) else rec.line_of("history")
        if step.status not in allowed:
            errors.append(
                DataError(
                    rec.file,
                    line,
                    f"history.{index}.status",
                    f"{step.status!r} is not a status; expected one of {', '.join(allowed)}",
                )
            )
        date = PartialDate.parse(step.date)
        if previous is not None and date.relation(previous) == "before":
            errors.append(
                DataError(
                    rec.file,
                    line,
                    f"history.{index}.date",
                    f"{date} is before the step above it ({previous}): list steps oldest first",
                )
            )
        previous = date
    return errors, {"status": node.history[-1].status}


@cache
def _adapter(ont: Ontology, prop: str) -> TypeAdapter[Any]:
    return TypeAdapter(field_type(ont.properties[prop]))


def contested_errors(ont: Ontology, node: Any, rec: RawRecord) -> list[DataError]:
    """A contested property must be one the node's class has, not given plainly as well, with
    values of its type."""
    errors = []
    lines = rec.item_lines.get("contested", ())
    own = ont.properties_for(node.cls)
    for index, item in enumerate(node.contested):
        line = lines[index] if index < len(lines) else rec.line_of("contested")
        where = f"contested.{index}"
        if item.property not in own or item.property in {"id", "name"}:
            errors.append(
                DataError(
                    rec.file,
                    line,
                    f"{where}.property",
                    f"{item.property!r} is not a property of {node.cls}",
                )
            )
            continue
        if item.property in node.props:
            errors.append(
                DataError(
                    rec.file,
                    rec.line_of(item.property),
                    item.property,
                    "contested: give its versions under `contested` only, not as a plain value",
                )
            )
        for v, version in enumerate(item.versions):
            try:
                _adapter(ont, item.property).validate_python(_plain(version.value))
            except ValidationError as exc:
                message = exc.errors()[0]["msg"].removeprefix("Value error, ")
                errors.append(DataError(rec.file, line, f"{where}.versions.{v}.value", message))
    return errors


def _plain(value: Any) -> Any:
    return str(value) if not isinstance(value, bool | int | float | str) else value


def derived_records(node: Any) -> Derived:
    """The StatusChange and ContestedClaim records of one node, with their relationships."""
    nodes: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    for index, step in enumerate(node.history):
        step_id = _step_id(node.id, index)
        props = {"status": step.status, "date": step.date}
        if step.note:
            props["note"] = step.note
        nodes.append(
            {
                "id": step_id,
                "cls": STATUS_CHANGE,
                "name": f"{node.name}: {step.status} ({step.date})",
                "props": props,
                "evidence": tuple(step.evidence),
            }
        )
        relations.append(
            {"type": "HAD_STATUS", "start": node.id, "end": step_id, "evidence": step.evidence}
        )
    for item in node.contested:
        for index, version in enumerate(item.versions):
            claim_id = _claim_id(node.id, item.property, index)
            props = {"property": item.property, "value": str(_plain(version.value))}
            if version.note or item.note:
                props["note"] = version.note or item.note
            nodes.append(
                {
                    "id": claim_id,
                    "cls": CONTESTED_CLAIM,
                    "name": f"{node.name}: {item.property} = {version.value}",
                    "props": props,
                    "evidence": tuple(version.evidence),
                }
            )
            relations.append(
                {
                    "type": "HAS_CONTESTED_CLAIM",
                    "start": node.id,
                    "end": claim_id,
                    "evidence": version.evidence,
                }
            )
    return Derived(nodes, relations)


def web_source_errors(source: Any, rec: RawRecord) -> list[DataError]:
    """A Source lives in a sources file (`sources.yaml` or a file under a `sources/` folder);
    one with a URL needs a publisher, a date and a kind."""
    path = PurePath(rec.file)
    errors = []
    if path.name != "sources.yaml" and "sources" not in path.parts[:-1]:
        errors.append(
            DataError(
                rec.file,
                rec.line_of("type"),
                "type",
                "a Source belongs in data/sources/ (one file per theme), not beside the facts",
            )
        )
    if "url" in source.props:
        errors += [
            DataError(rec.file, rec.line_of("url"), field, "required for a source with a url")
            for field in WEB_SOURCE_NEEDS
            if field not in source.props
        ]
    return errors


def citation_problem(source: Any, ev: Evidence) -> tuple[str, str] | None:
    """What is wrong with citing `source` this way, as (field, message), or None."""
    props = source.props
    if "localCopy" in props:
        return None
    if "url" not in props:
        if "publisher" not in props or "publishedOn" not in props:
            return "evidence.source", (
                f"{source.id!r} is known only by citation (no url, captured text, publisher "
                "and date): cite the document that reports it"
            )
        if ev.claim is None and ev.note is None:  # a book or paper: say where it says it
            return "evidence.claim", f"required: what {source.id!r} says, or a note saying where"
        return None
    if ev.quote is not None:
        return "evidence.quote", (
            f"{source.id!r} is a web source: paraphrase it in `claim`; "
            "quotes are only for captured texts"
        )
    if ev.claim is None:
        return "evidence.claim", f"required: one line, in your words, of what {source.id!r} says"
    return None


def independent(sources: Iterable[str], nodes: dict[str, Any]) -> tuple[int, list[str]]:
    """How many independent sources (a copy counts as its original) and their kinds."""
    roots = set()
    for source_id in sources:
        seen = set()
        while source_id in nodes and "copyOf" in nodes[source_id].props and source_id not in seen:
            seen.add(source_id)
            source_id = nodes[source_id].props["copyOf"]
        roots.add(source_id)
    kinds = {nodes[s].props.get("sourceKind", "other") for s in roots if s in nodes}
    return len(roots), sorted(kinds)


def first_dated(dates: Iterable[Any]) -> dict[str, str]:
    """When a fact is first on record: the span of its first dated step, from the first of its
    dates' first days to the first of their last days (a fact dated "2025" and "2025-03-05"
    happened by 2025-03-05, maybe as early as 2025-01-01). Empty when it has no date."""
    spans = [PartialDate.parse(d) for d in dates if d is not None]
    if not spans:
        return {}
    earliest = min(d.earliest for d in spans).isoformat()
    latest = min(d.latest for d in spans).isoformat()
    return dict(zip(FIRST_DATED, (earliest, latest), strict=True))
