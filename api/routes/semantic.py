"""The ontology and the graph as RDF."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import FileResponse, Response

from mineralkg.api.deps import SettingsDep, StoreDep
from mineralkg.api.lanes import on_store_lane
from mineralkg.api.rdf_export import EXTENSIONS, export_file
from mineralkg.loaders.rdf import MEDIA_TYPES, serialize
from mineralkg.ontology.model import load as load_ontology

router = APIRouter(tags=["semantic"])

EXPORT_READS = 10
"""The export reads nodes and relationships back and writes RDF: several query timeouts."""
RdfFormat = Literal["turtle", "json-ld", "nt"]
RDF_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {m: {} for m in MEDIA_TYPES.values()}, "description": "RDF"}
}

EXPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    **RDF_RESPONSES,
    413: {"description": "The export is larger than MINERALKG_EXPORT_LIMIT_BYTES"},
}


def negotiate(accept: str | None) -> RdfFormat:
    """The RDF format an Accept header asks for; Turtle unless JSON-LD or N-Triples is named."""
    for part in (accept or "").split(","):
        media = part.split(";")[0].strip().lower()
        if media in {"application/ld+json", "application/json"}:
            return "json-ld"
        if media == "application/n-triples":
            return "nt"
        if media == "text/turtle":
            return "turtle"
    return "turtle"


@router.get(
    "/ontology",
    response_class=Response,
    responses=RDF_RESPONSES,
    summary="The ontology: Turtle, or JSON-LD with Accept: application/ld+json",
)
def ontology(accept: Annotated[str | None, Header()] = None) -> Response:
    """The ontology: Turtle, or JSON-LD with `Accept: application/ld+json`."""
    fmt = negotiate(accept)
    return Response(serialize(load_ontology().graph, fmt), media_type=MEDIA_TYPES[fmt])


@router.get(
    "/export",
    response_class=Response,
    responses=EXPORT_RESPONSES,
    summary="The whole graph as RDF (Turtle, JSON-LD or N-Triples), read back from the store",
)
@on_store_lane("the export", reads=EXPORT_READS)
def export(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    format: Annotated[RdfFormat, Query(description="turtle, json-ld or nt")] = "turtle",
) -> Response:
    """The graph as RDF in the ontology's terms, read back from the store. Written once per
    graph version and format (later downloads are sent from the file); one larger than
    MINERALKG_EXPORT_LIMIT_BYTES is a 413."""
    version = request.app.state.cache.version(store)
    folder = settings.var_dir / "cache" / "export"
    path = export_file(store, version, format, folder, settings.export_limit_bytes)
    return FileResponse(
        path,
        media_type=MEDIA_TYPES[format],
        headers={"Content-Disposition": f'inline; filename="mineralkg.{EXTENSIONS[format]}"'},
    )
