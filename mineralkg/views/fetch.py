"""The views read from a store: the whole graph, an entity's ego network, a query's result."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from mineralkg.graph import explore
from mineralkg.graph.catalogue import NamedQuery
from mineralkg.graph.reads import ReadLimits, read
from mineralkg.graph.resolve import resolve_params
from mineralkg.graph.store import GraphStore
from mineralkg.loaders import stored
from mineralkg.settings import get_settings
from mineralkg.views.asof import statuses_then
from mineralkg.views.build import build
from mineralkg.views.filters import DEFAULT_LIMIT, ViewFilter
from mineralkg.views.model import ViewModel, ViewQuery, ViewSource

ALL_NODES = (
    "MATCH (n:Entity) WHERE $labels IS NULL OR any(l IN labels(n) WHERE l IN $labels) RETURN n"
)
ALL_RELS = "MATCH (a:Entity)-[r]->(b:Entity) WHERE $types IS NULL OR type(r) IN $types RETURN r"
NODES_BY_ID = "MATCH (n:Entity) WHERE n.id IN $ids RETURN n"
RELS_AMONG = "MATCH (a:Entity)-[r]->(b:Entity) WHERE a.id IN $ids AND b.id IN $ids RETURN r"
SOURCES = (
    "MATCH (s:Source) WHERE s.id IN $ids RETURN s.id AS id, s.name AS name, s.title AS title, "
    "s.publisher AS publisher, s.publishedOn AS publishedOn, s.url AS url"
)
MAX_LOOKUP = 20_000


def source_details(store: GraphStore, ids: Iterable[str]) -> dict[str, ViewSource]:
    """Each source's name, title, publisher and url, by id (an unknown id keeps only its id)."""
    out = {s: ViewSource(id=s) for s in sorted(ids)}
    if out:
        for row in store.run(SOURCES, {"ids": list(out)}).rows:
            found = {k: v for k, v in row.items() if v is not None}
            out[row[stored.ID]] = ViewSource.model_validate(found)
    return out


def with_sources(store: GraphStore, view: ViewModel) -> ViewModel:
    """Fill the view's `sources` with each source's name, title, publisher and url (and, as
    of a date, each node's status then)."""
    statuses_then(store, view)
    for source_id, source in source_details(store, view.sources).items():
        if set(source.model_dump(exclude_none=True)) != {"id"}:
            view.sources[source_id] = source
    return view


def graph_view(
    store: GraphStore, filters: ViewFilter | None = None, limit: int = DEFAULT_LIMIT
) -> ViewModel:
    """The whole graph (filtered, capped)."""
    filters = filters or ViewFilter()
    nodes = store.run(ALL_NODES, {"labels": list(filters.classes) or None}).rows
    rels = store.run(ALL_RELS, {"types": list(filters.rels) or None}).rows
    view = build(
        (r["n"] for r in nodes),
        (r["r"] for r in rels),
        kind="graph",
        title=" · ".join(["The whole graph", *filters.describe()]),
        filters=filters,
        limit=limit,
    )
    return with_sources(store, view)


def entity_view(
    store: GraphStore,
    entity_id: str,
    depth: int = 1,
    filters: ViewFilter | None = None,
    limit: int = DEFAULT_LIMIT,
    rel_limit: int = 1000,
) -> ViewModel | None:
    """An entity's ego network up to `depth` hops; None if there is no such entity (the
    neighbourhood holds the entity whenever it exists: no look-up of its own)."""
    filters = filters or ViewFilter()
    found = explore.neighbourhood(store, entity_id, depth, list(filters.rels), rel_limit)
    if not any(n["id"] == entity_id for n in found["nodes"]):
        return None
    notes = []
    if found["truncated"]:
        notes.append(f"The neighbourhood was cut at {rel_limit:,} relationships.")
    centre = next((n for n in found["nodes"] if n["id"] == entity_id), None)
    name = (centre or {}).get("properties", {}).get(stored.NAME, entity_id)
    view = build(
        found["nodes"],
        found["relationships"],
        kind="entity",
        title=f"{name}: ego network, depth {depth}",
        filters=filters,
        limit=limit,
        centre=entity_id,
        truncated=found["truncated"],
        notes=notes,
    )
    return with_sources(store, view)


def collect(rows: Iterable[Any]) -> tuple[list[dict], list[dict], list[str]]:
    """Nodes, relationships (also from paths) and scalar strings anywhere in result rows."""
    nodes: list[dict] = []
    rels: list[dict] = []
    texts: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            keys = set(value)
            if keys == {"id", "labels", "properties"}:
                nodes.append(value)
            elif keys == {"type", "start", "end", "properties"}:
                rels.append(value)
            elif keys == {"nodes", "relationships"}:
                nodes.extend(value["nodes"])
                rels.extend(value["relationships"])
            else:
                for v in value.values():
                    walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, str) and len(texts) < MAX_LOOKUP:
            texts.append(value)

    walk(list(rows))
    return nodes, rels, texts


def _complete(
    store: GraphStore, nodes: list[dict], rels: list[dict], texts: list[str]
) -> tuple[list[dict], list[dict]]:
    """The nodes named by id in the rows and at the ends of their relationships, looked up;
    the relationships among the nodes when the rows hold none."""
    have = {n["id"] for n in nodes}
    wanted = (set(texts) | {r["start"] for r in rels} | {r["end"] for r in rels}) - have
    wanted.discard(None)
    if wanted:
        nodes = nodes + [r["n"] for r in store.run(NODES_BY_ID, {"ids": sorted(wanted)}).rows]
    if not rels and nodes:
        ids = sorted({n["id"] for n in nodes if n.get("id") is not None})
        rels = [r["r"] for r in store.run(RELS_AMONG, {"ids": ids}).rows]
    return nodes, rels


def query_view(
    store: GraphStore,
    query: NamedQuery,
    given: Mapping[str, Any],
    *,
    filters: ViewFilter | None = None,
    limit: int = DEFAULT_LIMIT,
    limits: ReadLimits | None = None,
) -> ViewModel:
    """A catalogue query's result as a graph.

    Nodes, relationships and paths in the rows are shown as they are. Text values in the
    rows, and the query's own text parameters (the agreement asked about), are looked up as
    entity ids (queries that return ids only). When the rows hold no relationship, the
    relationships among the nodes found are drawn.
    """
    params = resolve_params(store, query, query.bind(given))
    shown = ", ".join(f"{k}={v}" for k, v in given.items() if v not in (None, ""))
    title = f"{query.name}({shown})" if shown else query.name
    return rows_view(store, query.name, query.cypher, params, title, filters, limit, limits)


def rows_view(
    store: GraphStore,
    name: str,
    cypher: str,
    params: Mapping[str, Any],
    title: str,
    filters: ViewFilter | None = None,
    limit: int = DEFAULT_LIMIT,
    limits: ReadLimits | None = None,
) -> ViewModel:
    """The graph of what read-only Cypher answers (a catalogue query's, or ad-hoc), drawn
    the way `query_view` says."""
    limits = limits or ReadLimits.of(get_settings())
    result = read(store, cypher, params, limits)
    nodes, rels, texts = collect(result.rows)
    if result.rows:
        for value in params.values():
            texts += [
                v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)
            ]
    nodes, rels = _complete(store, nodes, rels, texts)
    notes = []
    if result.truncated:
        notes.append(f"The query's rows were cut at {limits.rows:,}.")
    view = build(
        nodes,
        rels,
        kind="query",
        title=title,
        filters=filters,
        limit=limit,
        truncated=result.truncated,
        notes=notes,
    )
    view.query = ViewQuery(name=name, params={k: _shown(v) for k, v in params.items()})
    return with_sources(store, view)


def _shown(value: Any) -> Any:
    """A parameter as the user gave it: a date's text, not the bounds the Cypher compares."""
    if isinstance(value, dict) and "text" in value and "earliest" in value:
        return value["text"]
    return value
