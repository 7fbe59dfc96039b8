"""SHACL validation of the RDF form, with each violation traced back to its YAML record.

The data and the ontology are N-Triples text (no merged rdflib copy). The core constraints of
ontology/shapes.ttl run in pyshacl-turbo, a Rust engine with pySHACL's API and reports, with
the shapes compiled once per process, on the text of the part of the data they can read
(loaders/shacl_reads.py); the SPARQL-based constraints (sh:sparql) run once each over a
pyoxigraph store of all of it (loaders/shacl_sparql.py), side by side with them. pySHACL
itself stays the reference: the tests check that both give the same results on broken data
for every shape (tests/test_shacl.py). docs/benchmarks.md ("Validation") has the measurements.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache

import pyoxigraph as ox
from pyshacl_turbo import CompiledShapes, compile_shapes
from pyshacl_turbo.rdf import Input
from rdflib import RDF, SH, BNode, Graph, URIRef
from rdflib.term import Node as Term

from mineralkg.loaders import shacl_sparql
from mineralkg.loaders.dataset import Dataset
from mineralkg.loaders.errors import DataError
from mineralkg.loaders.rdf import Triple, node_iri, relation_iri
from mineralkg.loaders.rdf_text import dataset_ntriples, ntriples
from mineralkg.loaders.shacl_reads import narrowed, read_predicates
from mineralkg.ontology import turtle
from mineralkg.ontology.model import SHAPES_FILE, Ontology
from mineralkg.ontology.model import load as load_ontology


@dataclass(frozen=True)
class Violation:
    shape: Term  # the node shape (or nested property shape) whose constraint failed
    component: Term  # sh:sourceConstraintComponent, e.g. sh:MinCountConstraintComponent
    focus: Term
    path: Term | None
    value: Term | None
    message: str


@cache
def shapes() -> Graph:
    return turtle.parse(SHAPES_FILE)


def _subtree(graph: Graph, root: Term) -> set[Term]:
    """The blank nodes reachable from `root` (a constraint's own description)."""
    seen: set[Term] = set()
    frontier = [root]
    while frontier:
        node = frontier.pop()
        if node in seen or not isinstance(node, BNode):
            continue
        seen.add(node)
        frontier.extend(graph.objects(node, None))
    return seen


@cache
def _core_graph() -> Graph:
    """The shapes without their sh:sparql constraints."""
    full = shapes()
    dropped: set[Term] = set()
    for constraint in full.objects(None, SH.sparql):
        dropped |= _subtree(full, constraint)
    core = Graph()
    for s, p, o in full:
        if p != SH.sparql and s not in dropped:
            core.add((s, p, o))
    return core


@cache
def core_shapes() -> CompiledShapes:
    """The core shapes, compiled once per process."""
    return compile_shapes(_core_graph(), advanced=True)


@cache
def core_predicates() -> frozenset[str] | None:
    """What the core shapes can read (loaders/shacl_reads.py)."""
    return read_predicates(_core_graph())


@cache
def sparql_constraints() -> list[shacl_sparql.SparqlConstraint]:
    return shacl_sparql.constraints(shapes())


def with_ontology(data: Graph, ont: Ontology) -> Graph:
    """The data with the ontology beside it, as the shapes expect it (for pySHACL itself).

    (pyshacl's own ont_graph mixing leaves annotation properties such as mkg:valueSet out.)
    """
    return data + ont.graph


@cache
def _ontology_text(ont: Ontology) -> str:
    return ntriples(ont.graph)


def _store(text: str) -> ox.Store:
    store = ox.Store()
    store.bulk_load(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


def _text(data: Iterable[Triple] | str) -> str:
    return data if isinstance(data, str) else ntriples(data)


def validation_store(data: Iterable[Triple] | str, ont: Ontology) -> ox.Store:
    """The data (triples, or their N-Triples text) and the ontology in one in-memory store."""
    return _store(_ontology_text(ont) + _text(data))


def _core_violations(text: str) -> list[Violation]:
    """The core constraints' violations in N-Triples `text`, handed to the Rust engine as text:
    given a store, pyshacl-turbo dumps it to N-Quads and parses that again (the store cost
    0.11-0.15 s of the curated data's 0.5 s here; docs/benchmarks.md, "Eleventh pass")."""
    conforms, report, _ = core_shapes().validate(Input(text, "nt", None, {}))
    if conforms:
        return []
    out = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        message = report.value(result, SH.resultMessage)
        out.append(
            Violation(
                shape=report.value(result, SH.sourceShape),
                component=report.value(result, SH.sourceConstraintComponent),
                focus=report.value(result, SH.focusNode),
                path=report.value(result, SH.resultPath),
                value=report.value(result, SH.value),
                message=str(message) if message is not None else "",
            )
        )
    return out


def violations(data: Iterable[Triple] | str, ont: Ontology | None = None) -> list[Violation]:
    """Every violation of ontology/shapes.ttl in `data` (a Graph, any triples or their
    N-Triples text)."""
    ont = ont or load_ontology()
    text, ontology, read = _text(data), _ontology_text(ont), core_predicates()
    constraints = sparql_constraints()
    core_shapes()  # compiled here, not in the thread: the two read one rdflib graph

    def core() -> list[Violation]:
        return _core_violations(ontology + narrowed(text, read))

    # Both engines and oxigraph's loader release the GIL: the core constraints (on the part
    # of the data they can read, loaders/shacl_reads.py) and the SPARQL ones (on all of it)
    # run side by side.
    with ThreadPoolExecutor(max_workers=1) as pool:
        found_core = pool.submit(core)
        sparql = shacl_sparql.violations(validation_store(text, ont), constraints)
        found = found_core.result()
    for v in sparql:
        found.append(
            Violation(v.shape, SH.SPARQLConstraintComponent, v.focus, None, v.value, v.message)
        )
    return found


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


def shacl_errors(
    dataset: Dataset, data: Iterable[Triple] | str | None = None, ont: Ontology | None = None
) -> list[DataError]:
    """Violations of ontology/shapes.ttl in `data` (by default the dataset's RDF form), as
    file:line errors."""
    ont = ont or load_ontology()
    found = violations(dataset_ntriples(dataset, ont) if data is None else data, ont)
    if not found:
        return []
    where = _locations(dataset)
    errors: list[DataError] = []
    for v in found:
        file, line = where.get(_owner(URIRef(str(v.focus))), ("<rdf>", 0))
        field = str(v.path).rsplit("#", 1)[-1] if v.path is not None else "shape"
        errors.append(DataError(file, line, field, f"SHACL: {v.message} ({v.focus})"))
    return errors
