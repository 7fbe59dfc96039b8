"""Change digests: what happened in a period (the catalogue query `what_changed`), each change
with its sources resolved, for `GET /changes`, its Atom feed and `mineralkg changes`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from mineralkg.graph.catalogue import NO_ROW_LIMIT, ROW_LIMIT, ParamError, catalogue
from mineralkg.graph.reads import ReadLimits, read
from mineralkg.graph.store import GraphStore
from mineralkg.loaders.stored import decode_evidence
from mineralkg.ontology.dates import DateError, PartialDate
from mineralkg.ontology.model import load as load_ontology

QUERY = "what_changed"

_SOURCES = """
MATCH (s:Source) WHERE s.id IN $ids
RETURN s.id AS id, s.name AS name, s.url AS url, s.publisher AS publisher,
       s.publishedOn AS date
"""
_ACTORS = "MATCH (a:Actor) WHERE a.id IN $ids RETURN a.id AS id"


class ChangeSource(BaseModel):
    """One evidence item of a change: its source and what it says (a quote or a claim)."""

    id: str
    name: str | None = None
    url: str | None = None
    publisher: str | None = None
    date: str | None = None
    quote: str | None = None
    claim: str | None = None
    attributedTo: str | None = None


class Change(BaseModel):
    """One dated fact of the period: a node or relationship (`subject`) and one of its dates."""

    kind: str
    subject: str
    name: str
    type: str
    property: str
    label: str
    date: str
    earliest: str
    latest: str
    precision: str
    straddles: bool
    status: str | None = None
    entity: str
    entity_name: str | None = None
    start_id: str | None = None
    end_id: str | None = None
    sources: list[ChangeSource]


class Digest(BaseModel):
    """The changes of a period, oldest first (by first day, then last day)."""

    since: str | None
    until: str | None
    actor: str | None
    other: str | None
    changes: list[Change]
    truncated: bool

    def brief(self) -> list[dict[str, Any]]:
        """The changes with only their sources' ids (a table's cells)."""
        return [c.model_dump() | {"sources": [s.id for s in c.sources]} for c in self.changes]


def parse_period(since: str | None, until: str | None) -> tuple[PartialDate | None, ...]:
    """The period's bounds as partial dates; ParamError naming each bad one."""
    problems: dict[str, str] = {}
    dates: dict[str, PartialDate | None] = {}
    for name, value in (("since", since), ("until", until)):
        try:
            dates[name] = PartialDate.parse(value) if value not in (None, "") else None
        except DateError as exc:
            problems[name] = str(exc)
    if problems:
        raise ParamError(problems)
    first, last = dates["since"], dates["until"]
    if first is not None and last is not None and first.earliest > last.latest:
        raise ParamError({"until": f"{last} ends before since ({first}) begins"})
    return first, last


def _check_actors(store: GraphStore, ids: Mapping[str, str | None], limits: ReadLimits) -> None:
    given = {k: v for k, v in ids.items() if v}
    if "other" in given and "actor" not in given:
        raise ParamError({"other": "give `actor` too: `other` keeps facts involving both"})
    found = {r["id"] for r in read(store, _ACTORS, {"ids": list(given.values())}, limits).rows}
    missing = {
        k: f"no actor with id {v!r} (GET /entities?type=Actor&q=... finds ids)"
        for k, v in given.items()
        if v not in found
    }
    if missing:
        raise ParamError(missing)


def digest(
    store: GraphStore,
    since: str | None,
    until: str | None,
    actor: str | None,
    other: str | None,
    limits: ReadLimits,
) -> Digest:
    """The period's changes with their sources; ParamError for a bad date or an unknown actor."""
    first, last = parse_period(since, until)
    _check_actors(store, {"actor": actor, "other": other}, limits)
    params = {
        "since": first.as_param() if first else None,
        "until": last.as_param() if last else None,
        "actor": actor or None,
        "other": other or None,
        ROW_LIMIT: NO_ROW_LIMIT,  # the query pages itself: `read` asks for its row cap + 1
    }
    result = read(store, catalogue()[QUERY].cypher, params, limits)
    evidence = {row["subject"]: decode_evidence(row) for row in result.rows}
    ids = sorted({item["source"] for items in evidence.values() for item in items})
    sources = {r["id"]: r for r in read(store, _SOURCES, {"ids": ids}, limits).rows}
    changes = [_change(row, evidence[row["subject"]], sources) for row in result.rows]
    return Digest(
        since=first.text if first else None,
        until=last.text if last else None,
        actor=actor or None,
        other=other or None,
        changes=changes,
        truncated=result.truncated,
    )


def _change(
    row: Mapping[str, Any], evidence: list[dict[str, Any]], sources: Mapping[str, Any]
) -> Change:
    cited = [
        ChangeSource(**{**sources.get(item["source"], {"id": item["source"]}), **_said(item)})
        for item in evidence
    ]
    fields = {k: v for k, v in row.items() if k not in ("sources", "evidence", "class")}
    return Change(**fields, type=row["class"], label=_label(row["property"]), sources=cited)


def _said(item: Mapping[str, Any]) -> dict[str, Any]:
    return {k: item[k] for k in ("quote", "claim", "attributedTo") if k in item}


def _label(prop: str) -> str:
    """The ontology's label of a date property ("signed on"), for titles."""
    found = load_ontology().properties.get(prop)
    return found.label if found is not None and found.label else prop
