"""The catalogue of named queries and ad-hoc read-only Cypher."""

from __future__ import annotations

import time
from collections.abc import Hashable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import QueryParams
from starlette.types import ASGIApp, Receive, Scope, Send

from mineralkg.api import paging
from mineralkg.api.cache import ResultCache
from mineralkg.api.deps import AdhocStoreDep, SettingsDep
from mineralkg.api.errors import NotFound
from mineralkg.api.lanes import Lanes
from mineralkg.api.models import CypherRequest, ParamInfo, QueryInfo, QueryResult
from mineralkg.api.rows import fit
from mineralkg.graph.catalogue import NamedQuery, ParamError, catalogue
from mineralkg.graph.examples import example, example_query_string
from mineralkg.graph.reads import ReadLimits, read
from mineralkg.graph.resolve import entity_params, resolve_params, takes_entity
from mineralkg.graph.store import GraphStore
from mineralkg.settings import Settings

router = APIRouter(tags=["queries"])

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "The database rejected the Cypher (its message is passed on)"},
    403: {"description": "The query writes; this endpoint is read-only"},
    404: {"description": "No such query"},
    408: {"description": "The query ran past its timeout"},
    422: {"description": "Missing or ill-typed parameters, each named"},
}


def info(query: NamedQuery) -> QueryInfo:
    return QueryInfo(
        name=query.name,
        description=query.description,
        params=[
            ParamInfo(
                name=p.name,
                type=p.type,
                required=p.required,
                default=p.default,
                description=p.description,
                example=example(p),
                entity=takes_entity(p),
            )
            for p in query.params
        ],
        cypher=query.cypher,
    )


def run_read(
    store: GraphStore,
    cypher: str,
    params: dict[str, object],
    settings: Settings,
    reach: int | None = None,
) -> QueryResult:
    """The answer's first `reach` rows (default MINERALKG_ROW_LIMIT), as one page from 0."""
    started = time.perf_counter()
    limits = ReadLimits.of(settings)
    rows_read = reach or limits.rows
    result = read(store, cypher, params, ReadLimits(limits.timeout, rows_read, limits.bytes))
    rows, cut = fit(result.rows, settings.result_limit_bytes)
    return QueryResult(
        columns=result.columns,
        rows=rows,
        row_count=len(rows),
        truncated=result.truncated or cut,
        elapsed_ms=round((time.perf_counter() - started) * 1000, 3),
        total=len(result.rows),
        limit=rows_read,
        next_offset=len(result.rows) if result.truncated else None,
    )


def named(name: str) -> NamedQuery:
    query = catalogue().get(name)
    if query is None:
        raise NotFound(f"query {name!r}")
    return query


def answer_key(name: str, params: dict[str, Any], reach: int) -> Hashable:
    """The cache key of a named query's answer: its name, typed parameters and the rows it
    reaches (its first `reach` rows are read)."""
    return (name, tuple(sorted((k, repr(v)) for k, v in params.items())), reach)


PREFIX = "/queries/"
JSON = b"application/json"


class CachedAnswers:
    """Answer `GET /queries/{name}` from the cache before routing, when the cache holds it.

    FastAPI's routing, dependency solving and response machinery took most of a cached
    answer's time in the app (a hit through the route: about 120 us in-process; here: about
    25 us; measured). A hit is answered with exactly the body and headers the route sends;
    anything else (a miss, an unknown query, bad parameters, other paths) goes on to the app
    unchanged.
    """

    def __init__(self, app: ASGIApp, cache: ResultCache, page_size: int) -> None:
        self.app = app
        self.cache = cache
        self.page_size = page_size  # a request without `limit` reaches one page

    def _hit(self, scope: Scope) -> bytes | None:
        path: str = scope["path"]
        if scope["method"] != "GET" or scope.get("root_path") or not path.startswith(PREFIX):
            return None
        name = path[len(PREFIX) :]
        query = catalogue().get(name)
        if query is None:
            return None
        try:
            params = query.bind(dict(QueryParams(scope["query_string"])))
        except ParamError:
            return None
        return self.cache.peek(answer_key(name, params, self.page_size))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = self._hit(scope) if scope["type"] == "http" and self.cache.enabled else None
        if body is None:
            await self.app(scope, receive, send)
            return
        headers = [(b"content-length", str(len(body)).encode()), (b"content-type", JSON)]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})


@router.get("/queries", response_model=list[QueryInfo], summary="The catalogue of named queries")
def list_queries() -> list[QueryInfo]:
    return [info(q) for q in catalogue().values()]


def examples_markdown() -> str:
    """Each catalogue query with its required parameters set to their examples (the API
    docs show it under `GET /queries/{name}`)."""
    lines = ["Examples, one per catalogue query (`GET /queries` lists every parameter):", ""]
    for query in catalogue().values():
        qs = example_query_string(query)
        lines.append(f"- `/queries/{query.name}{'?' + qs if qs else ''}`")
    return "\n".join(lines)


@router.get(
    "/queries/{name}",
    response_model=QueryResult,
    responses=ERRORS,
    summary="Run a named query; its parameters come from the query string",
    description=examples_markdown(),
)
async def run_query(
    name: str,
    request: Request,
    offset: paging.OffsetQ = 0,
    limit: paging.LimitQ = None,
    format: paging.FormatQ = "json",
    download: paging.DownloadQ = False,
) -> Response:
    """Parameters that take an entity id (`entity` in the catalogue) also take its name or an
    alias, in any case; an unknown one is a 422 with the closest matches. `offset` and
    `limit` page the rows; `format=csv|tsv` answers the rows as text."""
    # cache hits are mostly answered by CachedAnswers before they get here; the store and
    # settings are read from the app, not through StoreDep/SettingsDep, whose resolution took
    # about a quarter of a cached answer's time in the app (measured)
    store: GraphStore = request.app.state.store
    settings: Settings = request.app.state.settings
    query = named(name)
    given = {k: v for k, v in request.query_params.items() if k not in paging.RESERVED}
    params = query.bind(given)
    cache: ResultCache = request.app.state.cache
    resolved: dict[str, Any] = {}

    def compute(reach: int) -> bytes:
        resolved.update(resolve_params(store, query, params))
        result = run_read(store, query.cypher, resolved, settings, reach)
        entities = {k: resolved[k] for k in entity_params(query)}
        result.message = paging.empty_message(result, entities)
        return result.model_dump_json().encode()

    size = paging.size(limit, settings, whole=format != "json" or download)
    reach = offset + size  # the rows read: a query that pages itself computes no more
    # the store is blocking: it runs on the store lane; a cached answer does not need it
    lanes: Lanes = request.app.state.lanes
    body: bytes
    if reach <= settings.row_limit:  # cached, by the rows it reaches
        key = answer_key(name, params, reach)
        cached = cache.peek(key)
        if cached is None:
            cached = await lanes.read(
                request,
                lambda: cache.fetch(store, key, lambda: compute(reach)),
                f"the query {name!r}",
                reads=3,
            )
        body = cached
        if (offset, format, download) == (0, "json", False):  # the answer is the page
            return Response(body, media_type="application/json")
    else:
        body = await lanes.read(request, lambda: compute(reach), f"the query {name!r}", reads=3)
    result = paging.page_of_body(body, offset, size)
    return paging.respond(result, format, download, name)


@router.post(
    "/cypher",
    response_model=QueryResult,
    responses=ERRORS,
    summary="Ad-hoc read-only Cypher (the database refuses writes; timeout and row cap apply)",
)
async def cypher(
    body: CypherRequest, request: Request, store: AdhocStoreDep, settings: SettingsDep
) -> Response:
    """`offset` and `limit` page the rows (`total` counts them); `format=csv|tsv` answers
    the rows as text."""
    lanes: Lanes = request.app.state.lanes  # admitted or 429, answered or 408 on time
    size = paging.size(body.limit, settings, whole=body.format != "json")
    result = await lanes.cypher(
        request, lambda: run_read(store, body.query, body.params, settings, body.offset + size)
    )
    result.message = paging.empty_message(result, {})
    return paging.respond(paging.page(result, body.offset, size), body.format, False, "cypher")
