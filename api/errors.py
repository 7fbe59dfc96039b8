"""One JSON error shape for every failure: {"error": {"status", "code", "message", "details"}}."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from mineralkg.api.lanes import ClientGone, LaneFull
from mineralkg.api.rdf_export import ExportTooLarge
from mineralkg.graph.catalogue import ParamError
from mineralkg.graph.store import StoreError

log = logging.getLogger("mineralkg.api")


class ErrorDetail(BaseModel):
    status: int
    code: str
    message: str
    details: dict[str, Any] | list[Any] | None = None


class ErrorBody(BaseModel):
    error: ErrorDetail


class NotFound(Exception):
    """An id or name that is not in the graph or the catalogue."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def error_body(status: int, code: str, message: str, details: Any = None) -> bytes:
    body = ErrorBody(error=ErrorDetail(status=status, code=code, message=message, details=details))
    return body.model_dump_json().encode()


def error_response(
    status: int,
    code: str,
    message: str,
    details: Any = None,
    headers: dict[str, str] | None = None,
) -> Response:
    return Response(
        error_body(status, code, message, details),
        status_code=status,
        media_type="application/json",
        headers=headers,
    )


def _validation_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ())]
        out.append({"parameter": ".".join(loc[1:]) or ".".join(loc), "message": err.get("msg")})
    return out


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into the one shape above."""

    @app.exception_handler(LaneFull)
    async def lane_full(_: Request, exc: LaneFull) -> Response:
        headers = {"Retry-After": str(exc.retry_after)}
        return error_response(429, "TooManyQueries", str(exc), headers=headers)

    @app.exception_handler(ClientGone)
    async def client_gone(_: Request, exc: ClientGone) -> Response:
        # nobody reads this answer; 499 is what proxies log for a client that left
        return error_response(499, "ClientGone", "the client closed the connection")

    @app.exception_handler(StoreError)
    async def store_error(_: Request, exc: StoreError) -> Response:
        code = type(exc).__name__
        return error_response(exc.status, code, str(exc))

    @app.exception_handler(ParamError)
    async def param_error(_: Request, exc: ParamError) -> Response:
        details: list[dict[str, Any]] = [
            {"parameter": k, "message": v} for k, v in exc.problems.items()
        ]
        for item in details:  # unknown entities (graph/resolve.py): the closest ones
            found = getattr(exc, "suggestions", {}).get(item["parameter"])
            if found is not None:
                item["suggestions"] = found
        names = ", ".join(exc.problems)
        return error_response(
            422, "InvalidParameters", f"bad or missing parameters: {names}", details
        )

    @app.exception_handler(RequestValidationError)
    async def request_invalid(_: Request, exc: RequestValidationError) -> Response:
        details = _validation_details(exc)
        names = ", ".join(d["parameter"] for d in details)
        return error_response(422, "InvalidRequest", f"bad or missing input: {names}", details)

    @app.exception_handler(ExportTooLarge)
    async def too_large(_: Request, exc: ExportTooLarge) -> Response:
        return error_response(413, "TooLarge", str(exc))

    @app.exception_handler(NotFound)
    async def not_found(_: Request, exc: NotFound) -> Response:
        return error_response(404, "NotFound", f"{exc.what} not found")

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, exc: HTTPException) -> Response:
        headers = getattr(exc, "headers", None)  # e.g. Allow on a 405
        return error_response(exc.status_code, "HTTPError", str(exc.detail), headers=headers)

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> Response:
        log.exception("unexpected error")
        return error_response(500, "InternalError", "unexpected error; see the server log")
