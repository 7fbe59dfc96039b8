"""HTTP conventions around every route, as plain ASGI middleware (no per-route code):

- `BodyLimit`: a request body larger than `body_limit_bytes` is a 413, refused from its
  Content-Length or cut off once that many bytes arrived (never read whole).
- `HeadAsGet`: HEAD answers what GET would, without the body.
- `EveryAnswer`: `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY` and no
  referrer on every answer (HTML pages set their own Content-Security-Policy, `api/pages.py`),
  and `Server-Timing: app;dur=<ms>`, the time from the request's arrival to its answer's
  start (browsers' developer tools show it; clients can tell the server's time from the
  network's and their own).
- `ETags`: catalogue, entity, path, view, change-digest and table answers carry a weak ETag
  from the graph's version (the load stamp, as read by the result cache); `If-None-Match`
  with it is a 304.
CORS and gzip are Starlette's own middleware (`install`).
"""

from __future__ import annotations

import hashlib
import time

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mineralkg.api.cache import UNKNOWN, ResultCache
from mineralkg.api.errors import error_body
from mineralkg.settings import Settings

SECURITY = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
]
VERSIONED = ("/queries/", "/entities", "/paths", "/view", "/changes", "/table/", "/matrix")
"""Answers that depend only on the request's URL and the graph: the ones an ETag can stand for
(a feed reader polling `/changes.atom` gets a 304 until a load) and the answer cache keeps."""
GZIP_MIN_BYTES = 1000


class BodyLimit:
    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def _refuse(self, send: Send) -> None:
        body = error_body(
            413,
            "BodyTooLarge",
            f"the request body is larger than {self.limit} bytes, the most this API reads",
        )
        headers = [(b"content-type", b"application/json"), (b"connection", b"close")]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length", b"0")
        if not length.isdigit() or int(length) > self.limit:
            await self._refuse(send)
            return
        seen = 0
        over = False

        async def counted() -> Message:
            nonlocal seen, over
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:  # chunked without a length: stop reading here
                    over = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded(message: Message) -> None:
            if not over:  # the app's answer to a body cut off is replaced by the 413
                await send(message)

        try:
            await self.app(scope, counted, guarded)
        except Exception:
            if not over:  # the app's failure at the cut-off body is not news
                raise
        if over:
            await self._refuse(send)


class HeadAsGet:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def no_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, no_body)


class EveryAnswer:
    """The security headers (unless the route set its own) and Server-Timing."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        arrived = time.perf_counter()

        async def headed(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY if k not in names]
                ms = (time.perf_counter() - arrived) * 1e3
                extra.append((b"server-timing", b"app;dur=%.1f" % ms))
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, headed)


def etag_of(version: object, app_version: str) -> bytes:
    digest = hashlib.sha256(f"{app_version}|{version!r}".encode()).hexdigest()[:20]
    return f'W/"{digest}"'.encode()


class ETags:
    """The graph's version read before the answer is computed: an answer is never tagged with
    a version newer than its content, so a 304 never hides a load from a client."""

    def __init__(self, app: ASGIApp, cache: ResultCache, app_version: str) -> None:
        self.app = app
        self.cache = cache
        self.app_version = app_version

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or scope["method"] != "GET" or not path.startswith(VERSIONED):
            await self.app(scope, receive, send)
            return
        version = self.cache.current()
        if version is not UNKNOWN:
            tag = etag_of(version, self.app_version)
            asked = dict(scope["headers"]).get(b"if-none-match", b"")
            if tag in [t.strip() for t in asked.split(b",")] or asked.strip() == b"*":
                headers = [(b"etag", tag)]
                await send({"type": "http.response.start", "status": 304, "headers": headers})
                await send({"type": "http.response.body", "body": b""})
                return

        async def tagged(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                # unknown at the start (the cache off, or its first read): the version this
                # request's own read found, if any
                now = version if version is not UNKNOWN else self.cache.current()
                if now is not UNKNOWN:
                    etag = (b"etag", etag_of(now, self.app_version))
                    message = {**message, "headers": [*message.get("headers", []), etag]}
            await send(message)

        await self.app(scope, receive, tagged)


def origins(settings: Settings) -> list[str]:
    return [o.strip() for o in settings.cors_origins.split(",") if o.strip()]


def install(app: FastAPI, settings: Settings, cache: ResultCache) -> None:
    """Add the middleware; the last added runs first (the body limit, before anything)."""
    app.add_middleware(ETags, cache=cache, app_version=app.version)
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MIN_BYTES)
    allowed = origins(settings)
    if allowed:  # off by default: no CORS headers at all
        app.add_middleware(
            CORSMiddleware,
            allow_origins=allowed,
            allow_methods=["GET", "HEAD", "POST"],
            allow_headers=["Content-Type", "If-None-Match"],
            expose_headers=["ETag", "Retry-After"],
            max_age=600,
        )
    app.add_middleware(EveryAnswer)
    app.add_middleware(HeadAsGet)
    app.add_middleware(BodyLimit, limit=settings.body_limit_bytes)
