"""The research workbench: answers as sortable tables with downloads, the provisions matrix
as a heat map, and the whole graph as CSV node and relationship lists.

- `GET /table/query/{name}?...`: a catalogue query's answer as a table; its parameters, and
  `offset`/`limit`, in the query string, so a page's URL can be shared; `format=csv|tsv|json`
  answers the same rows as a file.
- `GET /table/cypher?query=...&params={...}`: the same for ad-hoc read-only Cypher.
- `GET /matrix?actor=&from=&to=`: agreements against classes of provision.
- `GET /export/nodes.csv`, `GET /export/relationships.csv`: `neo4j-admin import` headers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from mineralkg.api import paging
from mineralkg.api.errors import NotFound
from mineralkg.api.lanes import Lanes
from mineralkg.api.models import QueryResult
from mineralkg.api.routes.queries import named, run_read
from mineralkg.graph.catalogue import NamedQuery, ParamError, catalogue
from mineralkg.graph.examples import example
from mineralkg.graph.resolve import entity_params, resolve_params
from mineralkg.graph.store import GraphStore
from mineralkg.settings import Settings
from mineralkg.views import exports, pages, render

router = APIRouter(tags=["workbench"])

PageFormat = Literal["html", "json", "csv", "tsv"]
FormatQ = Annotated[
    PageFormat,
    Query(description="html (default): the table page; json, csv, tsv: the rows as a file"),
]
CSV_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "CSV"}
}
HTML_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/html": {"schema": {"type": "string"}}}, "description": "A page"},
    404: {"description": "No such query"},
    422: {"description": "Bad parameters, each named (the page says which)"},
}
ENTITY_IDS = "MATCH (n:Entity) WHERE n.id IN $ids RETURN n.id AS id"


def _lanes(request: Request) -> Lanes:
    """The app's read lanes (api/lanes.py): store work is answered or refused on time."""
    lanes: Lanes = request.app.state.lanes
    return lanes


def _base(request: Request) -> str:
    return str(request.scope.get("root_path") or "").rstrip("/")


def entity_ids(store: GraphStore, rows: list[dict[str, Any]]) -> set[str]:
    """The texts in the rows that are entity ids (they become links to entity pages)."""
    found = {text for row in rows for text in pages.strings(list(row.values())) if len(text) < 200}
    if not found:
        return set()
    return {r["id"] for r in store.run(ENTITY_IDS, {"ids": sorted(found)}).rows}


def _page_info(result: QueryResult, path: str, given: Mapping[str, Any]) -> dict[str, Any]:
    def at(offset: int | None) -> str | None:
        if offset is None:
            return None
        return f"{path}?{pages.query_string(given, offset=offset or None, limit=result.limit)}"

    prev = max(0, result.offset - result.limit) if result.offset else None
    return {
        "total": result.total,
        "truncated": result.truncated,
        "first": result.offset + 1 if result.rows else 0,
        "last": result.offset + len(result.rows),
        "prev": at(prev),
        "next": at(result.next_offset),
    }


def _file(result: QueryResult, fmt: PageFormat, name: str) -> Response:
    return paging.respond(result, "json" if fmt == "html" else fmt, True, name)


def _answer(
    store: GraphStore,
    settings: Settings,
    cypher: str,
    params: dict[str, Any],
    offset: int,
    limit: int | None,
    whole: bool,
) -> QueryResult:
    """A page of the answer (a file to save, `whole`: by default up to the row cap)."""
    size = paging.size(limit, settings, whole)
    result = run_read(store, cypher, params, settings, offset + size)
    return paging.page(result, offset, size)


def _fields(query: NamedQuery, given: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "name": p.name,
            "required": p.required,
            "value": given.get(p.name),
            "placeholder": render.placeholder(example(p)) or p.type,
        }
        for p in query.params
    ]


@router.get(
    "/table/query/{name}",
    response_class=HTMLResponse,
    responses=HTML_RESPONSES,
    summary="A catalogue query's answer as a sortable table, with downloads and paging",
)
async def query_table(
    name: str,
    request: Request,
    offset: paging.OffsetQ = 0,
    limit: paging.LimitQ = None,
    format: FormatQ = "html",
) -> Response:
    store: GraphStore = request.app.state.store
    settings: Settings = request.app.state.settings
    query = named(name)
    given = {k: v for k, v in request.query_params.items() if k not in paging.RESERVED}
    api = f"{_base(request)}/queries/{name}"
    links = {
        "CSV": f"{api}?{pages.query_string(given, format='csv', download='true')}",
        "JSON": f"{api}?{pages.query_string(given, download='true')}",
        "Show as a graph": f"{_base(request)}/view/query/{name}?{pages.query_string(given)}",
    }
    form = {"fields": _fields(query, given)}

    def answer() -> tuple[QueryResult, set[str]]:
        params = resolve_params(store, query, query.bind(given))
        result = _answer(store, settings, query.cypher, params, offset, limit, format != "html")
        result.message = paging.empty_message(result, {k: params[k] for k in entity_params(query)})
        return result, entity_ids(store, result.rows)

    try:
        result, ids = await _lanes(request).read(request, answer, f"the query {name!r}", reads=3)
    except ParamError as exc:
        if format != "html":
            raise
        page = pages.render_table(
            title=name,
            description=query.description,
            columns=[],
            rows=[],
            entity_ids=set(),
            page={},
            links={},
            form=form,
            problems=exc.problems,
            base=_base(request),
        )
        return HTMLResponse(page, status_code=422)
    if format != "html":
        return _file(result, format, name)
    page = pages.render_table(
        title=name,
        description=query.description,
        columns=result.columns,
        rows=result.rows,
        entity_ids=ids,
        page=_page_info(result, request.url.path, given),
        links=links,
        form=form,
        message=result.message,
        base=_base(request),
    )
    return HTMLResponse(page)


@router.get(
    "/table/cypher",
    response_class=HTMLResponse,
    responses=HTML_RESPONSES,
    summary="Ad-hoc read-only Cypher as a sortable table, with downloads and paging",
)
async def cypher_table(
    request: Request,
    query: Annotated[str, Query(max_length=20_000, description="Read-only Cypher")] = "",
    params: Annotated[
        str, Query(max_length=20_000, description="Parameters as a JSON object")
    ] = "",
    offset: paging.OffsetQ = 0,
    limit: paging.LimitQ = None,
    format: FormatQ = "html",
) -> Response:
    store: GraphStore = request.app.state.store
    settings: Settings = request.app.state.settings
    given = {"query": query, "params": params}
    values = paging.json_params(params)
    form = {
        "fields": [
            {
                "name": "query",
                "required": True,
                "value": query,
                "placeholder": "MATCH (a:Actor) RETURN a.id, a.name",
            },
            {
                "name": "params",
                "required": False,
                "value": params,
                "placeholder": '{"actor": "eu"}',
            },
        ]
    }
    if not query.strip():
        result = QueryResult(columns=[], rows=[], row_count=0, truncated=False, elapsed_ms=0)
        ids: set[str] = set()
    else:

        def answer() -> tuple[QueryResult, set[str]]:
            found = _answer(store, settings, query, values, offset, limit, format != "html")
            found.message = paging.empty_message(found, {})
            return found, entity_ids(store, found.rows)

        # ad-hoc Cypher: admitted to the ad-hoc lane like POST /cypher (429 or 408 on time)
        result, ids = await _lanes(request).cypher(request, answer)
        if format != "html":
            return _file(result, format, "cypher")
    path = request.url.path
    links = {
        "CSV": f"{path}?{pages.query_string(given, format='csv')}",
        "JSON": f"{path}?{pages.query_string(given, format='json')}",
        "Show as a graph": f"{_base(request)}/view/cypher?{pages.query_string(given)}",
    }
    page = pages.render_table(
        title="Ad-hoc Cypher",
        description="Read-only: the database refuses writes; the timeout and row cap apply.",
        columns=result.columns,
        rows=result.rows,
        entity_ids=ids,
        page=_page_info(result, path, given),
        links=links if query.strip() else {},
        form=form,
        message=result.message if query.strip() else None,
        base=_base(request),
    )
    return HTMLResponse(page)


@router.get(
    "/matrix",
    response_class=HTMLResponse,
    responses=HTML_RESPONSES,
    summary="The provisions matrix: agreements against classes of provision, as a heat map",
)
async def provisions_matrix(request: Request) -> Response:
    """Every agreement with provisions (or those of `actor`, in `from`..`to`) against every
    class of provision; the catalogue query `provisions_matrix` gives the same as rows."""
    store: GraphStore = request.app.state.store
    settings: Settings = request.app.state.settings
    query = catalogue()["provisions_matrix"]
    given = {k: v for k, v in request.query_params.items() if k not in paging.RESERVED}
    csv = pages.query_string(given, format="csv", download="true")
    links = {
        "As a table": f"{_base(request)}/table/query/provisions_matrix?{pages.query_string(given)}",
        "CSV": f"{_base(request)}/queries/provisions_matrix?{csv}",
    }
    form: dict[str, Any] = {"fields": _fields(query, given), "problems": {}}

    def answer() -> list[dict[str, Any]]:
        params = resolve_params(store, query, query.bind(given))
        return run_read(store, query.cypher, params, settings).rows

    try:
        rows = await _lanes(request).read(request, answer, "the provisions matrix", reads=2)
    except ParamError as exc:
        form["problems"] = exc.problems
        rows = []
    page = pages.render_matrix(pages.matrix(rows), form=form, links=links, base=_base(request))
    return HTMLResponse(page, status_code=422 if form["problems"] else 200)


@router.get(
    "/export/nodes.csv",
    response_class=Response,
    responses=CSV_RESPONSES,
    summary="Every node as CSV with neo4j-admin import headers (id:ID, :LABEL, properties)",
)
async def nodes_csv(request: Request) -> Response:
    store = request.app.state.store
    text = await _lanes(request).read(request, lambda: exports.node_list(store), "the export")
    return _csv(text, "nodes.csv")


@router.get(
    "/export/relationships.csv",
    response_class=Response,
    responses=CSV_RESPONSES,
    summary="Every relationship as CSV with neo4j-admin import headers (:START_ID, :END_ID, :TYPE)",
)
async def relationships_csv(request: Request) -> Response:
    store = request.app.state.store
    text = await _lanes(request).read(
        request, lambda: exports.relationship_list(store), "the export"
    )
    return _csv(text, "relationships.csv")


def _csv(text: str, filename: str) -> Response:
    return Response(
        text.encode(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get(pages.APP_PREFIX + "/{name}", include_in_schema=False)
def app_asset(name: str) -> Response:
    """The pages' own scripts and style sheets (nothing else is served)."""
    if name not in pages.APP_ASSETS:
        raise NotFound(f"file {name!r}")
    return Response(
        pages.app_asset(name),
        media_type=pages.APP_ASSETS[name],
        headers={"Cache-Control": "public, max-age=3600"},
    )
