"""Entity search, detail, neighbourhoods and paths."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from mineralkg.api.deps import SettingsDep, StoreDep
from mineralkg.api.errors import NotFound
from mineralkg.api.lanes import on_store_lane
from mineralkg.api.models import EntityDetail, EntitySummary, PathResult, Subgraph
from mineralkg.graph import explore
from mineralkg.graph.catalogue import ParamError
from mineralkg.ontology.model import load as load_ontology

router = APIRouter(tags=["entities"])

NODE_LABELS = sorted({c.node_label for c in load_ontology().node_classes()})
REL_TYPES = sorted(load_ontology().relationships)
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No entity with that id"}}


@router.get("/entities", response_model=list[EntitySummary], summary="Search by name or alias")
@on_store_lane("the entity search")
def search_entities(
    store: StoreDep,
    q: Annotated[
        str, Query(max_length=200, description="Text in the name, an alias or the id")
    ] = "",
    type: Annotated[
        str | None, Query(description=f"A node label, one of: {', '.join(NODE_LABELS)}")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 20,
) -> list[EntitySummary]:
    if type is not None and type not in NODE_LABELS:
        raise ParamError({"type": f"unknown type {type!r}; one of {', '.join(NODE_LABELS)}"})
    return [EntitySummary(**row) for row in explore.search(store, q, type, limit)]


@router.get("/entities/{entity_id}", response_model=EntityDetail, responses=NOT_FOUND)
@on_store_lane("the entity", reads=2)
def get_entity(entity_id: str, store: StoreDep) -> EntityDetail:
    """An entity's labels, properties, evidence quotes and sources."""
    found = explore.entity(store, entity_id)
    if found is None:
        raise NotFound(f"entity {entity_id!r}")
    return EntityDetail(**found)


@router.get("/entities/{entity_id}/neighbors", response_model=Subgraph, responses=NOT_FOUND)
@on_store_lane("the neighbourhood", reads=2)
def neighbors(
    entity_id: str,
    store: StoreDep,
    settings: SettingsDep,
    depth: Annotated[int, Query(ge=1, le=explore.MAX_DEPTH)] = 1,
    rel: Annotated[
        list[str] | None,
        Query(
            description=f"Relationship types to follow, repeated or comma-separated: {REL_TYPES}"
        ),
    ] = None,
) -> Subgraph:
    """The entity's neighbourhood up to `depth` hops, optionally along some types only."""
    types = [t.strip() for value in rel or [] for t in value.split(",") if t.strip()]
    unknown = [t for t in types if t not in REL_TYPES]
    if unknown:
        raise ParamError({"rel": f"unknown relationship type(s): {', '.join(unknown)}"})
    if not explore.exists(store, entity_id):
        raise NotFound(f"entity {entity_id!r}")
    return Subgraph(**explore.neighbourhood(store, entity_id, depth, types, settings.row_limit))


@router.get("/paths", response_model=PathResult, responses=NOT_FOUND)
@on_store_lane("the path search", reads=2)
def paths(
    store: StoreDep,
    from_: Annotated[str, Query(alias="from", min_length=1, description="id of one entity")],
    to: Annotated[str, Query(min_length=1, description="id of the other entity")],
    max_depth: Annotated[int, Query(ge=1, le=explore.MAX_PATH_DEPTH)] = 6,
) -> PathResult:
    """A shortest path between two entities, whatever the direction of its relationships."""
    for entity_id in (from_, to):
        if not explore.exists(store, entity_id):
            raise NotFound(f"entity {entity_id!r}")
    return PathResult(**explore.shortest_path(store, from_, to, max_depth))
