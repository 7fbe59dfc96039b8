"""Interactive graph views: the start page, the whole graph, ego networks, query results.

Each view answers with an HTML page by default and with its `mineralkg.views.ViewModel` as
JSON with `?format=json` (the model is published in the OpenAPI schema). vis-network is
served from this app under `/static/vis/`, so the pages need nothing from outside.

- `GET /`: search entities by name or alias, the whole-graph form, the catalogue.
- `GET /view`: the whole graph; `class` and `rel` (repeated or comma-separated), `from` and
  `to` (YYYY, YYYY-MM or YYYY-MM-DD), `undated` (keep|drop), `as_of` (the graph as it
  stood by the end of that date), `limit` (the node cap).
- `GET /view/entity/{id}`: the ego network; `depth` (1-3) and the same filters.
- `GET /view/query/{name}`: a catalogue query's result as a graph, with the same filters
  (those of `mineralkg view --query`). Every other query-string parameter goes to the
  catalogue query. `from` and `to` are the view's date range unless the query has a
  parameter of that name (`events_in_range`, `shortest_path`, ...): then they are the
  query's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from mineralkg.api import paging
from mineralkg.api.deps import AdhocStoreDep, SettingsDep, StoreDep
from mineralkg.api.errors import NotFound
from mineralkg.api.lanes import Lanes, on_store_lane
from mineralkg.api.pages import page
from mineralkg.api.routes.queries import info, named
from mineralkg.graph import explore
from mineralkg.graph.catalogue import NamedQuery, ParamError, catalogue
from mineralkg.graph.reads import ReadLimits
from mineralkg.views import DEFAULT_LIMIT, MAX_LIMIT, ViewFilter, ViewModel, exports, fetch, render

router = APIRouter(tags=["views"])

RESERVED = ("format", "limit", "class", "rel", "undated")
"""Query-string names of the view itself, never passed to a catalogue query."""
SHARED = ("from", "to", "as_of")
"""The view's date range and as-of date, or a catalogue query's own parameters of those names
(a query's own as_of is also the view's: the graph as it stood then)."""
Format = Literal["html", "json", "graphml", "gexf"]
VIEW_READS = 3
"""A view reads nodes, relationships and sources, then lays them out: three timeouts."""
VIEW_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "model": ViewModel,
        "content": {"text/html": {"schema": {"type": "string"}}},
        "description": "An HTML page, the view (a ViewModel) as JSON with format=json, or "
        "a GraphML or GEXF file with format=graphml|gexf",
    },
    404: {"description": "No such entity or query"},
    422: {"description": "Bad parameters, each named"},
}
FormatQ = Annotated[
    Format,
    Query(
        description="html (default): an interactive page; json: the view model; graphml, "
        "gexf: the view's network as a file for Gephi, Cytoscape or networkx"
    ),
]
LimitQ = Annotated[
    int,
    Query(ge=1, le=MAX_LIMIT, description="At most this many nodes; the best-connected are kept"),
]


@dataclass(frozen=True)
class FilterParams:
    """The filters as given in the query string, not yet checked."""

    classes: list[str] | None = None
    rels: list[str] | None = None
    date_from: str | None = None
    date_to: str | None = None
    undated: str | None = None
    as_of: str | None = None

    def parse(self, without_dates: bool = False) -> ViewFilter:
        """The filter, or ParamError naming each bad parameter; no date range if asked."""
        if without_dates:
            return ViewFilter.parse(self.classes, self.rels, None, None, self.undated, self.as_of)
        return ViewFilter.parse(
            self.classes, self.rels, self.date_from, self.date_to, self.undated, self.as_of
        )


def filter_params(
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
    as_of: Annotated[
        str | None,
        Query(
            description="The graph as it stood by the end of this date (YYYY, YYYY-MM or "
            "YYYY-MM-DD): later facts left out, those dated across it marked undecidable"
        ),
    ] = None,
) -> FilterParams:
    return FilterParams(classes, rel, date_from, date_to, undated, as_of)


FilterParamsDep = Annotated[FilterParams, Depends(filter_params)]


def view_filter(params: FilterParamsDep) -> ViewFilter:
    return params.parse()


FilterDep = Annotated[ViewFilter, Depends(view_filter)]


def _base(request: Request) -> str:
    return str(request.scope.get("root_path") or "").rstrip("/")


def respond(request: Request, view: ViewModel, fmt: Format) -> Response:
    if fmt == "json":
        return JSONResponse(view.to_json())
    if fmt != "html":
        return Response(
            exports.write_graph(view, fmt),
            media_type=exports.MEDIA[fmt],
            headers={"Content-Disposition": f'attachment; filename="{view.kind}.{fmt}"'},
        )
    query = request.query_params.multi_items()
    return page(render.render_view(view, base=_base(request), query=query))


@router.get("/", response_class=HTMLResponse, summary="Start page: search and views")
def index(request: Request) -> HTMLResponse:
    queries = [info(q).model_dump() for q in catalogue().values()]
    return page(render.render_index(queries, base=_base(request)))


@router.get(
    "/view",
    response_class=JSONResponse,
    responses=VIEW_RESPONSES,
    summary="The whole graph as an interactive network",
)
@on_store_lane("the graph view", reads=VIEW_READS)
def graph_view(
    request: Request,
    store: StoreDep,
    filters: FilterDep,
    limit: LimitQ = DEFAULT_LIMIT,
    format: FormatQ = "html",
) -> Response:
    return respond(request, fetch.graph_view(store, filters, limit), format)


@router.get(
    "/view/entity/{entity_id}",
    response_class=JSONResponse,
    responses=VIEW_RESPONSES,
    summary="An entity's ego network",
)
@on_store_lane("the ego network", reads=VIEW_READS)
def entity_view(
    entity_id: str,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    filters: FilterDep,
    depth: Annotated[int, Query(ge=1, le=explore.MAX_DEPTH)] = 1,
    limit: LimitQ = DEFAULT_LIMIT,
    format: FormatQ = "html",
) -> Response:
    view = fetch.entity_view(store, entity_id, depth, filters, limit, rel_limit=settings.row_limit)
    if view is None:
        raise NotFound(f"entity {entity_id!r}")
    return respond(request, view, format)


def query_input(
    query: NamedQuery, request: Request, params: FilterParams
) -> tuple[dict[str, str], ViewFilter]:
    """The catalogue query's parameters and the view's filter from one query string, or
    ParamError naming every bad parameter of either."""
    own = {p.name for p in query.params}
    clash = sorted(own & set(RESERVED))
    if clash:  # the catalogue forbids nothing; say so rather than mix the two up
        raise ParamError({p: "reserved by the view; run the query at /queries" for p in clash})
    given = {
        k: v
        for k, v in request.query_params.items()
        if k not in RESERVED and (k not in SHARED or k in own)
    }
    problems: dict[str, str] = {}
    filters = ViewFilter()
    try:
        filters = params.parse(without_dates=bool(own & {"from", "to"}))
    except ParamError as exc:
        problems.update(exc.problems)
    try:
        query.bind(given)
    except ParamError as exc:
        problems.update(exc.problems)
    if problems:
        raise ParamError(problems)
    return given, filters


@router.get(
    "/view/query/{name}",
    response_class=JSONResponse,
    responses=VIEW_RESPONSES,
    summary="A catalogue query's result as a network (its parameters from the query string)",
)
@on_store_lane("the query view", reads=VIEW_READS)
def query_view(
    name: str,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    params: FilterParamsDep,
    limit: LimitQ = DEFAULT_LIMIT,
    format: FormatQ = "html",
) -> Response:
    query = named(name)
    given, filters = query_input(query, request, params)
    view = fetch.query_view(
        store,
        query,
        given,
        filters=filters,
        limit=limit,
        limits=ReadLimits.of(settings),
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


@router.get(
    "/view/cypher",
    response_class=JSONResponse,
    responses=VIEW_RESPONSES,
    summary="Ad-hoc read-only Cypher's answer as a network (the same filters as the views)",
)
async def cypher_view(
    request: Request,
    store: AdhocStoreDep,
    settings: SettingsDep,
    filters: FilterDep,
    query: Annotated[str, Query(min_length=1, max_length=20_000, description="Read-only Cypher")],
    params: Annotated[
        str, Query(max_length=20_000, description="Parameters as a JSON object")
    ] = "",
    limit: LimitQ = DEFAULT_LIMIT,
    format: FormatQ = "html",
) -> Response:
    values = paging.json_params(params)

    def drawn() -> Response:
        view = fetch.rows_view(
            store, "cypher", query, values, "Ad-hoc Cypher", filters, limit, ReadLimits.of(settings)
        )
        return respond(request, view, format)

    # ad-hoc Cypher: admitted to the ad-hoc lane like POST /cypher (429 or 408 on time)
    lanes: Lanes = request.app.state.lanes
    return await lanes.cypher(request, drawn)
