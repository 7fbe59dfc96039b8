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
ADHOC_GET = {
    "400": "The text is not Cypher the database accepts, or a parameter cannot be sent",
    "403": "The database refused the query (a write, or an administration command)",
    "429": "Too many ad-hoc queries at once, overall or from this client; see Retry-After",
}
"""GET paths that run the caller's own Cypher, like POST /cypher."""
MEDIA = {
    "json": "application/json",
    "html": "text/html",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "gexf": "application/gexf+xml",
    "graphml": "application/graphml+xml",
}
"""The media type of each `format` an answer can take (text formats are strings)."""
REF = {"$ref": "#/components/schemas/ErrorBody"}
TEXT = {"schema": {"type": "string"}}


def _statuses(path: str, method: str) -> dict[str, str]:
    extra = dict(COMMON)
    if path not in STORELESS:
        extra.update(STORE)
    if method == "post":
        extra.update(ADHOC)
    if method == "get" and path.endswith("/cypher"):
        extra.update(ADHOC_GET)
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
            ok = responses.get("200", {}).setdefault("content", {})
            for fmt in _formats(document, operation):
                ok.setdefault(MEDIA[fmt], {"schema": {}} if fmt == "json" else TEXT)
            pages = "text/html" in ok  # a page's errors are pages too when asked as one
            for status, response in responses.items():
                if status.isdigit() and int(status) >= 400:
                    response["content"] = {"application/json": {"schema": REF}}
                    if pages:
                        response["content"]["text/html"] = TEXT
    return document


def _formats(document: dict[str, Any], operation: dict[str, Any]) -> list[str]:
    """The `format` values an operation takes, in its query or in its JSON body."""
    found: list[str] = []
    schemas = [p["schema"] for p in operation.get("parameters", []) if p["name"] == "format"]
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    ref = body.get("schema", {}).get("$ref", "")
    if ref:
        model = document["components"]["schemas"][ref.rsplit("/", 1)[-1]]
        if "format" in model.get("properties", {}):
            schemas.append(model["properties"]["format"])
    for schema in schemas:
        for option in [schema, *schema.get("anyOf", [])]:
            found += [v for v in option.get("enum", []) if v in MEDIA]
    return found


def install(app: FastAPI) -> None:
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = patch(original())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
