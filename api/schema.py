"""The OpenAPI document as the app really answers: every error status an endpoint sends,
each with the one error body (`ErrorBody`), not FastAPI's default validation shape."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from mineralkg.api.errors import ErrorBody
from mineralkg.api.guard import VERSIONED

STORELESS = {"/", "/queries", "/ontology"}
"""Paths answered without the store: no store timeout or unavailability there."""
COMMON = {"500": "Unexpected error; the server log has the details"}
STORE = {
    "408": "The query ran past MINERALKG_QUERY_TIMEOUT and was stopped",
    "413": "The answer (past 4 x MINERALKG_RESULT_LIMIT_BYTES before it is cut to rows) or the "
    "query's memory passed its limit: ask for fewer rows or smaller values",
    "503": "The store did not answer in time (busy, hung or restarting); retry shortly",
}
ADHOC = {
    "413": "The request body is larger than MINERALKG_BODY_LIMIT_BYTES, or the answer or the "
    "query's memory passed its limit: ask for fewer rows or smaller values",
    "429": "Too many ad-hoc queries at once, overall or from this client; see Retry-After",
}
REF = {"$ref": "#/components/schemas/ErrorBody"}


def _statuses(path: str, method: str) -> dict[str, str]:
    extra = dict(COMMON)
    if path not in STORELESS:
        extra.update(STORE)
    if method == "post":
        extra.update(ADHOC)
    if method == "get" and path.startswith(VERSIONED):
        extra["304"] = "Not modified: If-None-Match named the current ETag"
    return extra


def patch(document: dict[str, Any]) -> dict[str, Any]:
    components = document.setdefault("components", {}).setdefault("schemas", {})
    body = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(body.pop("$defs", {}))
    components["ErrorBody"] = body
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status, description in _statuses(path, method).items():
                responses.setdefault(status, {"description": description})
            for status, response in responses.items():
                if status.isdigit() and int(status) >= 400:
                    response["content"] = {"application/json": {"schema": REF}}
    return document


def install(app: FastAPI) -> None:
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = patch(original())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
