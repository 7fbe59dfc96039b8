"""Whole answers of entity, path, view, change-digest and table requests, per graph version.

They depend only on the request's URL and the graph (`guard.VERSIONED`), like catalogue
answers (which `routes/queries.CachedAnswers` serves from the same cache, by their bound
parameters). A repeated request is answered before routing, without a store read or a
layout: with 8 hostile ad-hoc queries on Neo4j, entity p99 15-24 ms and view p99 18-35 ms,
against 151-218 and 252-267 ms read each time (docs/benchmarks.md, sixth pass). Only 200
answers are kept, and only those under an eighth of the cache's byte budget; the cache's own
LRU and byte budget bound the rest, whatever URLs clients make up.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mineralkg.api.cache import UNKNOWN, ResultCache
from mineralkg.api.guard import VERSIONED

CACHED = tuple(p for p in VERSIONED if p != "/queries/")


def _encode(headers: list[tuple[bytes, bytes]], body: bytes) -> bytes:
    names = [[k.decode("latin-1"), v.decode("latin-1")] for k, v in headers]
    return json.dumps(names).encode() + b"\n" + body


def _decode(entry: bytes) -> tuple[list[tuple[bytes, bytes]], bytes]:
    head, _, body = entry.partition(b"\n")
    return [(k.encode("latin-1"), v.encode("latin-1")) for k, v in json.loads(head)], body


class CachedResponses:
    def __init__(self, app: ASGIApp, cache: ResultCache) -> None:
        self.app = app
        self.cache = cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or not self.cache.enabled
            or not scope["path"].startswith(CACHED)
        ):
            await self.app(scope, receive, send)
            return
        # read before the answer is computed: it is kept for a version no newer than its content
        version = self.cache.current()
        key = ("answer", scope.get("root_path", ""), scope["path"], scope["query_string"])
        entry = None if version is UNKNOWN else self.cache.get(key, version)
        if entry is not None:
            stored, body = _decode(entry)
            await send({"type": "http.response.start", "status": 200, "headers": stored})
            await send({"type": "http.response.body", "body": body})
            return
        kept: list[bytes] = []
        size = 0
        headers: list[tuple[bytes, bytes]] = []
        keep = version is not UNKNOWN

        async def keeping(message: Message) -> None:
            nonlocal keep, headers, size
            if message["type"] == "http.response.start":
                keep = keep and message["status"] == 200
                headers = list(message.get("headers", []))
            elif message["type"] == "http.response.body" and keep:
                kept.append(message.get("body", b""))
                size += len(kept[-1])
                if size > self.cache.largest:
                    keep = False
                    kept.clear()
                elif not message.get("more_body", False):
                    self.cache.put(key, version, _encode(headers, b"".join(kept)))
            await send(message)

        await self.app(scope, receive, keeping)
