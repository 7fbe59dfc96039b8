"""The ontology and the graph as RDF."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query
from fastapi.responses import Response

from mineralkg.api.deps import StoreDep
from mineralkg.api.lanes import on_store_lane
from mineralkg.graph.readback import dataset_from_graph
from mineralkg.loaders.rdf import MEDIA_TYPES, serialize, to_graph
from mineralkg.ontology.model import load as load_ontology

router = APIRouter(tags=["semantic"])

EXPORT_READS = 10
"""The export reads nodes and relationships back and builds RDF: several query timeouts."""
RdfFormat = Literal["turtle", "json-ld", "nt"]
RDF_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {m: {} for m in MEDIA_TYPES.values()}, "description": "RDF"}
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


@router.get("/ontology", response_class=Response, responses=RDF_RESPONSES)
def ontology(accept: Annotated[str | None, Header()] = None) -> Response:
    """The ontology: Turtle, or JSON-LD with `Accept: application/ld+json`."""
    fmt = negotiate(accept)
    return Response(serialize(load_ontology().graph, fmt), media_type=MEDIA_TYPES[fmt])


@router.get("/export", response_class=Response, responses=RDF_RESPONSES)
@on_store_lane("the export", reads=EXPORT_READS)
def export(
    store: StoreDep,
    format: Annotated[RdfFormat, Query(description="turtle, json-ld or nt")] = "turtle",
) -> Response:
    """The graph as RDF in the ontology's terms, read back from the store."""
    graph = to_graph(dataset_from_graph(store))
    filename = {"turtle": "ttl", "json-ld": "jsonld", "nt": "nt"}[format]
    return Response(
        serialize(graph, format),
        media_type=MEDIA_TYPES[format],
        headers={"Content-Disposition": f'inline; filename="mineralkg.{filename}"'},
    )
