"""`/docs` (Swagger UI) and `/redoc` with their files served by this app, so that they work
without a network: the files come from the `fastapi-offline` package, which bundles them;
the pages start them from a script file of the app's own (no inline script)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from mineralkg.api.errors import NotFound
from mineralkg.views import pages

router = APIRouter(include_in_schema=False)

ASSETS_DIR = Path(fastapi_offline.__file__).resolve().parent / "static"
PREFIX = "/static/docs"
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "redoc.standalone.js": "text/javascript",
    "favicon.png": "image/png",
}


def _page(request: Request, kind: str) -> HTMLResponse:
    base = str(request.scope.get("root_path") or "").rstrip("/")
    page = pages.render_docs(
        kind,
        openapi_url=base + request.app.openapi_url,
        assets=base + PREFIX,
        title=request.app.title,
        base=base,
    )
    return HTMLResponse(page)


@router.get("/docs")
def swagger(request: Request) -> HTMLResponse:
    return _page(request, "swagger")


@router.get("/redoc")
def redoc(request: Request) -> HTMLResponse:
    return _page(request, "redoc")


# ReDoc's sidebar draws Redocly's logo from their CDN; an empty image makes it hide it
# (its onError), so the page asks nothing of another host.
REDOC_LOGO = (b"https://cdn.redoc.ly/redoc/logo-mini.svg", b"data:,")


@cache
def asset(name: str) -> bytes:
    content = (ASSETS_DIR / name).read_bytes()
    return content.replace(*REDOC_LOGO) if name == "redoc.standalone.js" else content


@router.get(PREFIX + "/{name}")
def docs_asset(name: str) -> Response:
    if name not in ASSETS:
        raise NotFound(f"file {name!r}")
    return Response(
        asset(name),
        media_type=ASSETS[name],
        headers={"Cache-Control": "public, max-age=86400"},
    )
