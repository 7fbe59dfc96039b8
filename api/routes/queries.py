"""The catalogue of named queries and ad-hoc read-only Cypher."""

from __future__ import annotations

import time
from collections.abc import Hashable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import QueryParams
from starlette.types import ASGIApp, Receive, Scope, Send

from mineralkg.api.cache import ResultCache
from mineralkg.api.deps import SettingsDep, StoreDep
from mineralkg.api.errors import NotFound
from mineralkg.api.lanes import Lanes
from mineralkg.api.models import CypherRequest, ParamInfo, QueryInfo, QueryResult
from mineralkg.api.rows import fit
from mineralkg.graph.catalogue import NamedQuery, ParamError, catalogue
from mineralkg.graph.reads import ReadLimits, read
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
            )
            for p in query.params
        ],
        cypher=query.cypher,
    )


def run_read(
    store: GraphStore, cypher: str, params: dict[str, object], settings: Settings
) -> QueryResult:
    started = time.perf_counter()
    result = read(store, cypher, params, ReadLimits.of(settings))
    rows, cut = fit(result.rows, settings.result_limit_bytes)
    return QueryResult(
        columns=result.columns,
        rows=rows,
        row_count=len(rows),
        truncated=result.truncated or cut,
        elapsed_ms=round((time.perf_counter() - started) * 1000, 3),
    )


def named(name: str) -> NamedQuery:
    query = catalogue().get(name)
    if query is None:
        raise NotFound(f"query {name!r}")
    return query


def answer_key(name: str, params: dict[str, Any]) -> Hashable:
    """The cache key of a named query's answer: its name and typed parameters."""
    return (name, tuple(sorted((k, repr(v)) for k, v in params.items())))


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

    def __init__(self, app: ASGIApp, cache: ResultCache) -> None:
        self.app = app
        self.cache = cache

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
        return self.cache.peek(answer_key(name, params))

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


@router.get(
    "/queries/{name}",
    response_model=QueryResult,
    responses=ERRORS,
    summary="Run a named query; its parameters come from the query string",
)
async def run_query(name: str, request: Request) -> Response:
    # cache hits are mostly answered by CachedAnswers before they get here; the store and
    # settings are read from the app, not through StoreDep/SettingsDep, whose resolution took
    # about a quarter of a cached answer's time in the app (measured)
    store: GraphStore = request.app.state.store
    settings: Settings = request.app.state.settings
    query = named(name)
    params = query.bind(dict(request.query_params))
    cache: ResultCache = request.app.state.cache

    def compute() -> bytes:
        result = run_read(store, query.cypher, params, settings)
        return result.model_dump_json().encode()

    key = answer_key(name, params)
    # the store is blocking: it runs on the store lane; a cached answer does not need it
    lanes: Lanes = request.app.state.lanes
    body = cache.peek(key) or await lanes.read(
        request, lambda: cache.fetch(store, key, compute), f"the query {name!r}", reads=2
    )
    return Response(body, media_type="application/json")


@router.post(
    "/cypher",
    response_model=QueryResult,
    responses=ERRORS,
    summary="Ad-hoc read-only Cypher (the database refuses writes; timeout and row cap apply)",
)
async def cypher(
    body: CypherRequest, request: Request, store: StoreDep, settings: SettingsDep
) -> QueryResult:
    lanes: Lanes = request.app.state.lanes  # admitted or 429, answered or 408 on time
    return await lanes.cypher(request, lambda: run_read(store, body.query, body.params, settings))
