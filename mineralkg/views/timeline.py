"""The timeline view's data: the catalogue's `timeline` query, on lanes per actor or per kind.

`timeline_view(store, entity=..., date_from=..., date_to=...)` runs the `timeline` query (its
rows give each dated fact's date, earliest, latest, what, subject, relation, object and
sources), keeps the facts of agreements, instruments, lists, projects, events and tensions,
their status changes and the dated relationships, looks up the nodes and relationships for
their evidence quotes and the actors they involve, and lists apart the agreements,
instruments, events and tensions that have no date at all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from mineralkg.graph.catalogue import ParamError, catalogue
from mineralkg.graph.reads import ReadLimits, read
from mineralkg.graph.store import GraphStore
from mineralkg.loaders import stored
from mineralkg.ontology.dates import PartialDate
from mineralkg.ontology.model import load as load_ontology
from mineralkg.views.fetch import NODES_BY_ID, source_details
from mineralkg.views.model import ViewEvidence
from mineralkg.views.style import style_of, top_class
from mineralkg.views.timeline_model import (
    LanesBy,
    TimelineCounts,
    TimelineItem,
    TimelineLane,
    TimelineModel,
    TimelineRange,
    UndatedItem,
)

KIND_GROUPS = (
    "Agreement",
    "PolicyInstrument",
    "CriticalMineralList",
    "StrategicProject",
    "Event",
    "Tension",
)
"""Top classes whose dated facts are items (sources' and statements' dates are left out)."""
STEP = "StatusChange"
RELATIONSHIP_LANE = "Relationship"
OTHER_LANE = "other"
ACTOR_LANES = 12
"""Actor lanes drawn: the actors with the most items; the rest share one lane."""
TIMELINE_ROWS = 20_000
"""The whole graph's dated facts are a few hundred; the cap only guards the page."""
WORDS = {
    "proposedOn": "proposed",
    "announcedOn": "announced",
    "signedOn": "signed",
    "adoptedOn": "adopted",
    "inForceFrom": "in force",
    "startedOn": "started",
    "suspendedOn": "suspended",
    "endedOn": "ended",
    "occurredOn": "",
}

RELS_BY_KEY = (
    "UNWIND $keys AS k MATCH (a:Entity {id: k.a})-[r]->(b:Entity {id: k.b}) "
    "WHERE type(r) = k.t RETURN r"
)
PARENTS = (
    "MATCH (g:Entity)-[:HAD_STATUS]->(s:StatusChange) WHERE s.id IN $ids "
    "RETURN s.id AS step, g.id AS parent"
)
ACTORS = (
    "MATCH (n:Entity)-[]-(a:Actor) WHERE n.id IN $ids "
    "RETURN n.id AS id, collect(DISTINCT a.id) AS actors"
)
UNDATED = (
    "MATCH (n:Entity) WHERE any(l IN labels(n) WHERE l IN $kinds) "
    "AND n.firstDatedLatest IS NULL "
    "OPTIONAL MATCH (n)--(c:Entity {id: $entity}) WITH n, c "
    "WHERE $entity IS NULL OR n.id = $entity OR c IS NOT NULL "
    "RETURN DISTINCT n ORDER BY n.id"
)


@dataclass
class _Found:
    """The timeline rows kept, and what was looked up for them."""

    rows: list[dict[str, Any]]
    nodes: dict[str, dict[str, Any]]
    rels: dict[tuple[str, str, str], dict[str, Any]]
    parents: dict[str, str]
    actors: dict[str, list[str]]


def _provenance(props: Mapping[str, Any]) -> tuple[list[str], list[str], list[ViewEvidence]]:
    """Sources, quotes and parsed evidence of a stored node or relationship."""
    try:
        evidence = [e for e in stored.decode_evidence(props) if isinstance(e, dict)]
    except (TypeError, ValueError):  # not JSON: the fact without its evidence
        evidence = []
    sources = [str(s) for s in props.get(stored.SOURCES) or []]
    quotes = [str(q) for q in props.get(stored.QUOTES) or []]
    return sources, quotes, [ViewEvidence.model_validate(e) for e in evidence]


def _group(cls: str) -> str:
    return top_class(cls, load_ontology()) or cls


def _props(found: _Found, node_id: str | None) -> dict[str, Any]:
    return (found.nodes.get(node_id or "") or {}).get("properties") or {}


def _lookup(store: GraphStore, rows: list[dict[str, Any]]) -> _Found:
    """Nodes, relationships, status changes' parents and involved actors of the rows."""
    steps = sorted({r["subject"] for r in rows if r["class"] == STEP})
    parents = {r["step"]: r["parent"] for r in store.run(PARENTS, {"ids": steps}).rows if steps}
    dated = sorted({r["subject"] for r in rows if r["relation"] is None} | set(parents.values()))
    actors = {r["id"]: sorted(r["actors"]) for r in store.run(ACTORS, {"ids": dated}).rows}
    ids = {r["subject"] for r in rows} | {r["object"] for r in rows if r["object"]}
    ids |= set(parents.values()) | {a for found in actors.values() for a in found}
    nodes = {n["n"]["id"]: n["n"] for n in store.run(NODES_BY_ID, {"ids": sorted(ids)}).rows}
    keys = sorted(
        {(r["subject"], r["relation"], r["object"]) for r in rows if r["relation"] is not None}
    )
    rels: dict[tuple[str, str, str], dict[str, Any]] = {}
    if keys:
        param = [{"a": a, "t": t, "b": b} for a, t, b in keys]
        for row in store.run(RELS_BY_KEY, {"keys": param}).rows:
            rel = row["r"]
            rels.setdefault((rel["start"], rel["type"], rel["end"]), rel)
    return _Found(rows, nodes, rels, parents, actors)


def _is_actor(found: _Found, node_id: str | None) -> bool:
    return _group(str(_props(found, node_id).get(stored.CLASS) or "")) == "Actor"


def _item(found: _Found, row: Mapping[str, Any]) -> TimelineItem:
    subject, relation, obj = row["subject"], row["relation"], row["object"]
    cls = str(row["class"] or _props(found, subject).get(stored.CLASS) or "Entity")
    name = str(row["name"] or subject)
    word = WORDS.get(row["what"], row["what"])
    status = None
    if relation is not None:
        props = (found.rels.get((subject, relation, obj)) or {}).get("properties") or {}
        object_name = str(_props(found, obj).get(stored.NAME) or obj)
        lane_group = _group(str(_props(found, obj).get(stored.CLASS) or ""))
        kind_lane = lane_group if lane_group in KIND_GROUPS else RELATIONSHIP_LANE
        actors = [n for n in (subject, obj) if _is_actor(found, n)]
        # what happened first: long names are cut on the page
        label = f"{name} {relation.lower().replace('_', ' ')} {object_name}"
        label = f"{word}: {label}" if word else label
    else:
        props, object_name = _props(found, subject), None
        owner = found.parents.get(subject, subject)
        kind_lane = _group(str(_props(found, owner).get(stored.CLASS) or cls))
        actors = found.actors.get(owner, [])
        if cls == STEP:
            status = str(props.get("status") or "") or None
            owner_name = str(_props(found, owner).get(stored.NAME) or owner)
            label = f"{status or 'status'}: {owner_name}"
        else:
            label = f"{word}: {name}" if word else name
    sources, quotes, evidence = _provenance(props)
    if not sources:
        sources = [str(s) for s in row.get("sources") or []]
    date = PartialDate.parse(row["date"])
    return TimelineItem(
        id="|".join(str(x) for x in (subject, row["what"], relation or "", obj or "")),
        date=date.text,
        start=str(row["earliest"] or date.earliest.isoformat()),
        end=str(row["latest"] or date.latest.isoformat()),
        precision=date.precision,
        what=row["what"],
        label=label,
        subject=subject,
        name=name,
        cls=cls,
        group=_group(cls),
        relation=relation,
        object=obj,
        object_name=object_name,
        status=status,
        kind_lane=kind_lane,
        actor_lanes=actors,
        sources=sources,
        quotes=quotes,
        evidence=evidence,
    )


def _wanted(row: Mapping[str, Any]) -> bool:
    return row["relation"] is not None or _group(str(row["class"] or "")) in (*KIND_GROUPS, STEP)


def _lanes(
    found: _Found, items: list[TimelineItem], entity: str | None
) -> dict[LanesBy, list[TimelineLane]]:
    """Lanes by kind (in `KIND_GROUPS` order) and by actor (most items first, the entity's
    own lane first); an item whose actors have no lane of their own goes to `other`."""
    kinds = Counter(i.kind_lane for i in items)
    order = [*KIND_GROUPS, RELATIONSHIP_LANE]
    kind_lanes = [
        TimelineLane(id=k, label=k, color=style_of(k).color, count=kinds[k])
        for k in sorted(kinds, key=lambda k: (order.index(k) if k in order else 99, k))
    ]
    per_actor = Counter(a for i in items for a in i.actor_lanes)
    ranked = sorted(per_actor, key=lambda a: (a != entity, -per_actor[a], a))[:ACTOR_LANES]
    chosen = set(ranked)
    for item in items:
        item.actor_lanes = [a for a in item.actor_lanes if a in chosen] or [OTHER_LANE]
    actor_lanes = [
        TimelineLane(
            id=a,
            label=str(_props(found, a).get(stored.NAME) or a),
            color=style_of("Actor").color,
            count=per_actor[a],
        )
        for a in ranked
    ]
    others = sum(1 for i in items if i.actor_lanes == [OTHER_LANE])
    if others:
        actor_lanes.append(
            TimelineLane(id=OTHER_LANE, label="other actors", color="#9aa5b1", count=others)
        )
    return {"kind": kind_lanes, "actor": actor_lanes}


def _undated(store: GraphStore, entity: str | None) -> list[UndatedItem]:
    out = []
    for row in store.run(UNDATED, {"kinds": list(KIND_GROUPS), "entity": entity}).rows:
        props = row["n"]["properties"]
        sources, quotes, evidence = _provenance(props)
        cls = str(props.get(stored.CLASS) or "Entity")
        out.append(
            UndatedItem(
                id=str(props[stored.ID]),
                name=str(props.get(stored.NAME) or props[stored.ID]),
                cls=cls,
                group=_group(cls),
                sources=sources,
                quotes=quotes,
                evidence=evidence,
            )
        )
    return out


def _cited(items: Iterable[TimelineItem | UndatedItem]) -> list[str]:
    cited: set[str] = set()
    for item in items:
        cited.update(item.sources)
        cited.update(str(ev.source) for ev in item.evidence if ev.source)
    return sorted(cited)


def timeline_view(
    store: GraphStore,
    *,
    entity: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    lanes_by: str = "kind",
    limits: ReadLimits,
) -> TimelineModel:
    """The timeline of the whole graph or of one entity (itself, its neighbours and its own
    relationships), within a date range; ParamError names each bad parameter."""
    query = catalogue()["timeline"]
    params = query.bind({"entity": entity, "from": date_from, "to": date_to})
    if lanes_by not in ("actor", "kind"):
        raise ParamError({"lanes": f"expected actor or kind, got {lanes_by!r}"})
    result = read(store, query.cypher, params, ReadLimits(limits.timeout, TIMELINE_ROWS))
    rows = [dict(r) for r in result.rows if _wanted(r)]
    found = _lookup(store, rows)
    items = [_item(found, row) for row in rows]
    lanes = _lanes(found, items, entity)
    undated = _undated(store, entity)
    name = str(_props(found, entity).get(stored.NAME) or entity) if entity else None
    span = [f"{date_from or '…'} to {date_to or '…'}"] if date_from or date_to else []
    title = " · ".join([f"{name}: timeline" if name else "Timeline of the graph", *span])
    message = f"The rows were cut at {TIMELINE_ROWS:,}." if result.truncated else ""
    return TimelineModel(
        title=title,
        entity=entity,
        lanes_by="actor" if lanes_by == "actor" else "kind",
        lanes=lanes,
        items=items,
        undated=undated,
        sources=source_details(store, _cited([*items, *undated])),
        range=TimelineRange(
            date_from=date_from,
            date_to=date_to,
            start=min((i.start for i in items), default=None),
            end=max((i.end for i in items), default=None),
        ),
        counts=TimelineCounts(items=len(items), undated=len(undated), rows=len(result.rows)),
        message=message,
    )
