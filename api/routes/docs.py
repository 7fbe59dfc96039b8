"""`/docs` (Swagger UI) and `/redoc` with their files served by this app, so that they work
without a network: the files come from the `fastapi-offline` package, which bundles them;
the pages start them from a script file of the app's own (no inline script)."""

from __future__ import annotations

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


@router.get(PREFIX + "/{name}")
def docs_asset(name: str) -> Response:
    if name not in ASSETS:
        raise NotFound(f"file {name!r}")
    return Response(
        (ASSETS_DIR / name).read_bytes(),
        media_type=ASSETS[name],
        headers={"Cache-Control": "public, max-age=86400"},
    )
