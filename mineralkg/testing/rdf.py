"""Comparing exported RDF with the graph it should be."""

from __future__ import annotations

from rdflib import BNode, Graph


def same_triples(a: Graph, b: Graph) -> bool:
    """Whether two graphs hold the same triples. The project's RDF has no blank nodes, and
    without them two graphs are isomorphic exactly when their triples are equal: a set
    comparison, where rdflib's `isomorphic` spent seconds hashing every triple."""
    for graph in (a, b):
        assert not any(isinstance(term, BNode) for triple in graph for term in triple)
    return len(a) == len(b) and set(a) == set(b)
