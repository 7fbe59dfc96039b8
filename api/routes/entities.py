"""Entity search, detail, neighbourhoods and paths."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from mineralkg.api import paging
from mineralkg.api.deps import AdhocStoreDep, SettingsDep, StoreDep
from mineralkg.api.errors import NotFound
from mineralkg.api.lanes import on_store_lane
from mineralkg.api.models import EntityDetail, EntitySummary, PathResult, Subgraph
from mineralkg.api.paging import MAX_OFFSET, PAGE_HEADERS, paged_subgraph
from mineralkg.graph import explore
from mineralkg.graph.catalogue import ParamError
from mineralkg.ontology.dates import DateError, PartialDate
from mineralkg.ontology.model import load as load_ontology

router = APIRouter(tags=["entities"])

NODE_LABELS = sorted({c.node_label for c in load_ontology().node_classes()})
REL_TYPES = sorted(load_ontology().relationships)
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No entity with that id"}}
AsOfParam = Annotated[
    str | None,
    Query(
        description="As things stood on this date (YYYY, YYYY-MM or YYYY-MM-DD: by the end of "
        "it): facts not yet on record left out, those whose date straddles it marked",
        examples=["2025-06"],
    ),
]


def _as_of(value: str | None) -> PartialDate | None:
    if value is None or value == "":
        return None
    try:
        return PartialDate.parse(value)
    except DateError as exc:
        raise ParamError({"as_of": str(exc)}) from None


@router.get(
    "/entities",
    response_model=list[EntitySummary],
    summary="Search by name or alias; paged with offset and limit",
    responses={200: {"headers": PAGE_HEADERS}},
)
@on_store_lane("the entity search")
def search_entities(
    store: StoreDep,
    response: Response,
    q: Annotated[
        str, Query(max_length=200, description="Text in the name, an alias or the id")
    ] = "",
    type: Annotated[
        str | None, Query(description=f"A node label, one of: {', '.join(NODE_LABELS)}")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 20,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Entities to skip")] = 0,
) -> list[EntitySummary]:
    """The body is the page; `X-Total-Count` says how many entities match in all."""
    if type is not None and type not in NODE_LABELS:
        raise ParamError({"type": f"unknown type {type!r}; one of {', '.join(NODE_LABELS)}"})
    rows, total = explore.search(store, q, type, limit, offset)
    response.headers["X-Total-Count"] = str(total)
    return [EntitySummary(**row) for row in rows]


@router.get(
    "/entities/{entity_id}",
    response_model=EntityDetail,
    responses=NOT_FOUND,
    summary="An entity: its properties, sources and evidence quotes; as of a date",
)
@on_store_lane("the entity", reads=3)
def get_entity(entity_id: str, store: StoreDep, as_of: AsOfParam = None) -> EntityDetail:
    """An entity's labels, properties, evidence quotes and sources; with `as_of`, also how it
    stood on that date (its standing and its status then)."""
    date = _as_of(as_of)
    found = explore.entity(store, entity_id)
    if found is None:
        raise NotFound(f"entity {entity_id!r}")
    if date is not None:
        found["as_of"] = explore.as_of_state(store, found, date)
    return EntityDetail(**found)


@router.get(
    "/entities/{entity_id}/neighbors",
    response_model=Subgraph,
    responses=NOT_FOUND,
    summary="An entity's neighbourhood up to a depth, along some types; paged",
)
@on_store_lane("the neighbourhood", reads=2)
def neighbors(
    entity_id: str,
    store: StoreDep,
    settings: SettingsDep,
    depth: Annotated[int, Query(ge=1, le=explore.MAX_DEPTH)] = 1,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Relationships to skip")] = 0,
    limit: Annotated[
        int | None,
        Query(
            ge=1,
            description="Relationships in the page (default MINERALKG_PAGE_SIZE, 100; at most "
            "MINERALKG_ROW_LIMIT, 1,000)",
        ),
    ] = None,
    rel: Annotated[
        list[str] | None,
        Query(
            description=f"Relationship types to follow, repeated or comma-separated: {REL_TYPES}"
        ),
    ] = None,
    as_of: AsOfParam = None,
) -> Subgraph:
    """The entity's neighbourhood up to `depth` hops, optionally along some types only, or as
    it stood on a date (`as_of`); `offset` and `limit` page its relationships (`total` counts
    them, exactly unless `truncated`), the nodes are their ends."""
    date = _as_of(as_of)
    types = [t.strip() for value in rel or [] for t in value.split(",") if t.strip()]
    unknown = [t for t in types if t not in REL_TYPES]
    if unknown:
        raise ParamError({"rel": f"unknown relationship type(s): {', '.join(unknown)}"})
    size = paging.size(limit, settings)
    found = explore.neighbourhood(store, entity_id, depth, types, offset + size, date)
    if not any(n["id"] == entity_id for n in found["nodes"]):  # it holds the entity if any
        raise NotFound(f"entity {entity_id!r}")
    return Subgraph(**paged_subgraph(found, entity_id, offset, size))


@router.get(
    "/paths",
    response_model=PathResult,
    summary="A shortest path between two entities, in either direction, up to a depth",
    responses={
        **NOT_FOUND,
        429: {"description": "Too many path searches or ad-hoc queries at once"},
    },
)
# a search as deep as the client asks: admitted like /cypher on the ad-hoc lane (at most one
# per client, a 429 beyond), within one query timeout for the whole request (the look-ups of
# its ends take milliseconds); on the store lane deep searches took the engine's threads
# from catalogue and entity reads
@on_store_lane("the path search", adhoc=True)
def paths(
    store: AdhocStoreDep,
    from_: Annotated[str, Query(alias="from", min_length=1, description="id of one entity")],
    to: Annotated[str, Query(min_length=1, description="id of the other entity")],
    max_depth: Annotated[int, Query(ge=1, le=explore.MAX_PATH_DEPTH)] = 6,
) -> PathResult:
    """A shortest path between two entities, whatever the direction of its relationships."""
    for entity_id in (from_, to):
        if not explore.exists(store, entity_id):
            raise NotFound(f"entity {entity_id!r}")
    return PathResult(**explore.shortest_path(store, from_, to, max_depth))
