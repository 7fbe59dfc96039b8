"""SHACL validation of the RDF form, with each violation traced back to its YAML record."""

from __future__ import annotations

from functools import cache

from pyshacl import validate as shacl_validate
from rdflib import RDF, SH, Graph, URIRef

from mineralkg.loaders.dataset import Dataset
from mineralkg.loaders.errors import DataError
from mineralkg.loaders.rdf import node_iri, relation_iri
from mineralkg.ontology.model import SHAPES_FILE, Ontology
from mineralkg.ontology.model import load as load_ontology


@cache
def shapes() -> Graph:
    return Graph().parse(SHAPES_FILE, format="turtle")


def with_ontology(data: Graph, ont: Ontology) -> Graph:
    """The data with the ontology beside it: the shapes read domains, ranges and value sets.

    (pyshacl's own ont_graph mixing leaves annotation properties such as mkg:valueSet out.)
    """
    return data + ont.graph


def _locations(dataset: Dataset) -> dict[URIRef, tuple[str, int]]:
    where: dict[URIRef, tuple[str, int]] = {}
    for node in dataset.nodes.values():
        where[node_iri(node.id)] = (node.file, node.line)
    for rel in dataset.relations:
        where[relation_iri(rel)] = (rel.file, rel.line)
    return where


def _owner(focus: URIRef) -> URIRef:
    """Evidence IRIs hang below the node or relationship they support."""
    text = str(focus)
    return URIRef(text.split("/evidence/")[0]) if "/evidence/" in text else focus


def shacl_errors(dataset: Dataset, data: Graph, ont: Ontology | None = None) -> list[DataError]:
    """Violations of ontology/shapes.ttl in `data`, as file:line errors."""
    ont = ont or load_ontology()
    conforms, report, _ = shacl_validate(
        with_ontology(data, ont), shacl_graph=shapes(), advanced=True, allow_warnings=False
    )
    if conforms:
        return []
    where = _locations(dataset)
    errors: list[DataError] = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        file, line = where.get(_owner(URIRef(str(focus))), ("<rdf>", 0))
        field = str(path).rsplit("#", 1)[-1] if path is not None else "shape"
        errors.append(DataError(file, line, field, f"SHACL: {message} ({focus})"))
    return errors
