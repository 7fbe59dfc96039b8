"""Interactive graph views: the start page, the whole graph, ego networks, query results.

Each view answers with an HTML page by default and with the view structure of
`api.viewdata` as JSON with `?format=json`. vis-network is served from this app under
`/static/vis/`, so the pages need nothing from outside.

- `GET /`: search entities by name or alias, the whole-graph form, the catalogue.
- `GET /view`: the whole graph; `class` and `rel` (repeated or comma-separated), `from` and
  `to` (YYYY, YYYY-MM or YYYY-MM-DD), `undated` (keep|drop), `limit` (the node cap).
- `GET /view/entity/{id}`: the ego network; `depth` (1-3) and the same filters.
- `GET /view/query/{name}`: a catalogue query's result as a graph; every query parameter
  goes to the catalogue query except the reserved `format` and `limit`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from mineralkg.api import render, viewdata
from mineralkg.api.deps import SettingsDep, StoreDep
from mineralkg.api.errors import NotFound
from mineralkg.api.routes.queries import info, named
from mineralkg.graph import explore
from mineralkg.graph.catalogue import ParamError, catalogue

router = APIRouter(tags=["views"])

RESERVED = ("format", "limit")
Format = Literal["html", "json"]
VIEW_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"text/html": {}, "application/json": {}},
        "description": "An HTML page, or the view structure with format=json",
    },
    404: {"description": "No such entity or query"},
    422: {"description": "Bad parameters, each named"},
}
FormatQ = Annotated[
    Format, Query(description="html (default): an interactive page; json: the view structure")
]
LimitQ = Annotated[
    int,
    Query(
        ge=1,
        le=viewdata.MAX_LIMIT,
        description="At most this many nodes; the best-connected are kept",
    ),
]


def view_filter(
    classes: Annotated[
        list[str] | None,
        Query(alias="class", description="Node classes to keep (subclasses included)"),
    ] = None,
    rel: Annotated[list[str] | None, Query(description="Relationship types to keep")] = None,
    date_from: Annotated[
        str | None, Query(alias="from", description="Earliest date: YYYY, YYYY-MM or YYYY-MM-DD")
    ] = None,
    date_to: Annotated[
        str | None, Query(alias="to", description="Latest date: YYYY, YYYY-MM or YYYY-MM-DD")
    ] = None,
    undated: Annotated[
        str | None,
        Query(description="keep (default) or drop the nodes and edges without a date"),
    ] = None,
) -> viewdata.ViewFilter:
    return viewdata.ViewFilter.parse(classes, rel, date_from, date_to, undated)


FilterDep = Annotated[viewdata.ViewFilter, Depends(view_filter)]


def _base(request: Request) -> str:
    return str(request.scope.get("root_path") or "").rstrip("/")


def respond(request: Request, view: dict[str, Any], fmt: Format) -> Response:
    if fmt == "json":
        return JSONResponse(view)
    return HTMLResponse(render.render_view(view, base=_base(request)))


@router.get("/", response_class=HTMLResponse, summary="Start page: search and views")
def index(request: Request) -> HTMLResponse:
    queries = [info(q).model_dump() for q in catalogue().values()]
    return HTMLResponse(render.render_index(queries, base=_base(request)))


@router.get(
    "/view",
    response_class=HTMLResponse,
    responses=VIEW_RESPONSES,
    summary="The whole graph as an interactive network",
)
def graph_view(
    request: Request,
    store: StoreDep,
    filters: FilterDep,
    limit: LimitQ = viewdata.DEFAULT_LIMIT,
    format: FormatQ = "html",
) -> Response:
    return respond(request, viewdata.graph_view(store, filters, limit), format)


@router.get(
    "/view/entity/{entity_id}",
    response_class=HTMLResponse,
    responses=VIEW_RESPONSES,
    summary="An entity's ego network",
)
def entity_view(
    entity_id: str,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    filters: FilterDep,
    depth: Annotated[int, Query(ge=1, le=explore.MAX_DEPTH)] = 1,
    limit: LimitQ = viewdata.DEFAULT_LIMIT,
    format: FormatQ = "html",
) -> Response:
    view = viewdata.entity_view(
        store, entity_id, depth, filters, limit, rel_limit=settings.row_limit
    )
    if view is None:
        raise NotFound(f"entity {entity_id!r}")
    return respond(request, view, format)


@router.get(
    "/view/query/{name}",
    response_class=HTMLResponse,
    responses=VIEW_RESPONSES,
    summary="A catalogue query's result as a network (its parameters from the query string)",
)
def query_view(
    name: str,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    limit: LimitQ = viewdata.DEFAULT_LIMIT,
    format: FormatQ = "html",
) -> Response:
    query = named(name)
    given = {k: v for k, v in request.query_params.items() if k not in RESERVED}
    clash = [p.name for p in query.params if p.name in RESERVED]
    if clash:  # the catalogue forbids nothing; say so rather than mix the two up
        raise ParamError({p: "reserved by the view; run the query at /queries" for p in clash})
    view = viewdata.query_view(
        store,
        query,
        given,
        limit=limit,
        timeout=settings.query_timeout,
        row_limit=settings.row_limit,
    )
    return respond(request, view, format)


@router.get(render.STATIC_PREFIX + "/{name}", include_in_schema=False)
def vis_asset(name: str) -> Response:
    """vis-network's JS and CSS, from the copy pyvis ships (nothing else is served)."""
    if name not in render.ASSETS:
        raise NotFound(f"file {name!r}")
    return Response(
        render.asset(name),
        media_type=render.ASSETS[name],
        headers={"Cache-Control": "public, max-age=86400"},
    )
