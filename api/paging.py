"""Pages and downloads of query answers: `offset` and `limit` with the `total`, and the rows
as CSV, TSV or JSON files.

A page is `limit` rows, by default MINERALKG_PAGE_SIZE (100: Datasette's default; a file to
save: MINERALKG_ROW_LIMIT), at most MINERALKG_ROW_LIMIT. A query answer is read up to
`offset + limit` rows, and a catalogue query that pages itself computes no more
(`$row_limit`); `total` counts the rows read, so it is exact unless `truncated` is true (then
more rows exist and `total` is a lower bound, and `next_offset` leads on). Catalogue answers
are cached by the rows they reach, up to MINERALKG_ROW_LIMIT.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

import orjson
from fastapi import Query
from fastapi.responses import Response

from mineralkg.api.models import QueryResult
from mineralkg.graph.catalogue import ParamError
from mineralkg.settings import Settings
from mineralkg.views import tabular

MAX_OFFSET = 1_000_000
Download = Literal["json", "csv", "tsv"]
MEDIA = {"json": "application/json", "csv": "text/csv", "tsv": "text/tab-separated-values"}
RESERVED = ("offset", "limit", "format", "download")
"""Query-string names of the answer itself, never passed to a catalogue query."""

OffsetQ = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Rows to skip (paging)")]
LimitQ = Annotated[
    int | None,
    Query(
        ge=1,
        description="Rows in the page (default MINERALKG_PAGE_SIZE, 100; for a download "
        "MINERALKG_ROW_LIMIT; at most MINERALKG_ROW_LIMIT, 1,000)",
    ),
]
FormatQ = Annotated[
    Download,
    Query(description="json (default): the answer with its total; csv or tsv: the rows"),
]
DownloadQ = Annotated[
    bool, Query(description="Answer as a file to save (Content-Disposition: attachment)")
]


def size(limit: int | None, settings: Settings, whole: bool = False) -> int:
    """Rows in a page: `limit`, else the page size, or the row cap for a file to save
    (`whole`); never more than the row cap."""
    default = settings.row_limit if whole else settings.page_size
    return min(limit or default, settings.row_limit)


def page(result: QueryResult, offset: int, limit: int) -> QueryResult:
    """The rows from `offset`, at most `limit` of them, with the answer's total."""
    rows = result.rows[offset : offset + limit]
    more = offset + len(rows) < result.total or (result.truncated and bool(rows))
    return result.model_copy(
        update={
            "rows": rows,
            "row_count": len(rows),
            "offset": offset,
            "limit": limit,
            "next_offset": offset + len(rows) if more else None,
        }
    )


def page_of_body(body: bytes, offset: int, limit: int) -> QueryResult:
    return page(QueryResult.model_validate(orjson.loads(body)), offset, limit)


def empty_message(result: QueryResult, entities: dict[str, Any]) -> str | None:
    """Why an answer has no rows: the entities asked about exist, nothing matches."""
    if result.total:
        return None
    given = ", ".join(f"{k}={v}" for k, v in entities.items() if v is not None)
    if given:
        return f"No rows: the entities given exist ({given}), but nothing matches the query."
    return "No rows: nothing matches the query."


def respond(result: QueryResult, fmt: Download, download: bool, name: str) -> Response:
    """The answer as JSON (the model) or its rows as CSV or TSV, maybe as a file to save."""
    if fmt == "json":
        content = result.model_dump_json().encode()
    else:
        text = tabular.to_delimited(result.columns, result.rows, "\t" if fmt == "tsv" else ",")
        content = text.encode()
    headers = {}
    if download:
        headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    media = MEDIA[fmt] + ("; charset=utf-8" if fmt != "json" else "")
    return Response(content, media_type=media, headers=headers)


PAGE_HEADERS = {
    "X-Total-Count": {"description": "How many items match in all", "schema": {"type": "integer"}}
}


def paged_subgraph(found: dict[str, Any], centre: str, offset: int, limit: int) -> dict[str, Any]:
    """A page of a neighbourhood's relationships with the nodes at their ends (the centre
    always), and the total of relationships found."""
    rels = found["relationships"]
    page_rels = rels[offset : offset + limit]
    by_id = {n["id"]: n for n in found["nodes"]}
    ends = [centre, *(end for r in page_rels for end in (r["start"], r["end"]))]
    nodes = [by_id[i] for i in dict.fromkeys(ends) if i in by_id]
    more = offset + len(page_rels) < len(rels) or (found["truncated"] and bool(page_rels))
    return {
        "nodes": nodes,
        "relationships": page_rels,
        "truncated": found["truncated"],
        "total": len(rels),
        "offset": offset,
        "limit": limit,
        "next_offset": offset + len(page_rels) if more else None,
        "undecidable": found.get("undecidable", []),
    }


def json_params(text: str) -> dict[str, Any]:
    """Ad-hoc parameters given as a JSON object in the query string."""
    try:
        values = json.loads(text) if text.strip() else {}
    except ValueError as exc:
        raise ParamError({"params": f"not a JSON object: {exc}"}) from None
    if not isinstance(values, dict):
        raise ParamError({"params": 'expected a JSON object, e.g. {"actor": "eu"}'})
    return values
