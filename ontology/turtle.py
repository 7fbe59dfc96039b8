"""Turtle files read into rdflib graphs by oxigraph's parser.

rdflib's own Turtle parser is pure Python: the ontology (1,247 triples) took 0.06-0.13 s of
every process that loads it (each CLI command, the API's start, each test worker); oxigraph
parses it in a few milliseconds, and only the rdflib terms are made in Python.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Node as Term

_STRING = str(XSD.string)


def to_rdflib(term: object) -> Term:
    """An oxigraph term as the rdflib term rdflib's own parsers make of it (a literal of
    xsd:string is a plain literal, as RDF 1.1 has them the same)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == _STRING else URIRef(datatype))
    raise TypeError(f"unexpected term {term!r}")


def parse(path: Path) -> Graph:
    """The Turtle file as an rdflib graph, with its prefixes bound."""
    graph = Graph()
    parser = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
    for quad in parser:
        graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    for prefix, namespace in parser.prefixes.items():
        graph.bind(prefix, namespace, override=True)
    return graph
