"""Every shape of ontology/shapes.ttl fires on data that breaks it, in the validator the CLI
runs (loaders/shacl.py) and in pySHACL, the reference, with the same results."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from pyshacl import validate as pyshacl_validate
from rdflib import RDF, SH, XSD, Graph, Literal, URIRef
from rdflib.term import Node as Term

from mineralkg.loaders.dataset import Dataset
from mineralkg.loaders.rdf import node_iri, to_graph
from mineralkg.loaders.shacl import shapes, violations, with_ontology
from mineralkg.ontology.model import MKG, Ontology

PROV = URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")
UK, US = node_iri("uk"), node_iri("us")
MOU, SOURCE = node_iri("uk-us-critical-minerals-mou"), node_iri("fp-2026-02-26")
REL = node_iri("rel/uk/PARTY_TO/uk-us-critical-minerals-mou")
UK_EVIDENCE = URIRef(f"{UK}/evidence/1")

# the parameter of each constraint component used in shapes.ttl
COMPONENTS = {
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH.minLength: SH.MinLengthConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH["class"]: SH.ClassConstraintComponent,
    SH.node: SH.NodeConstraintComponent,
    SH["or"]: SH.OrConstraintComponent,
    SH.sparql: SH.SPARQLConstraintComponent,
}


def _new_node(g: Graph, cls: str, node_id: str) -> URIRef:
    iri = node_iri(node_id)
    g.add((iri, RDF.type, MKG[cls]))
    g.add((iri, MKG.id, Literal(node_id)))
    g.add((iri, MKG.name, Literal(node_id)))
    g.add((iri, PROV, SOURCE))
    return iri


@dataclass(frozen=True)
class Case:
    name: str
    shape: str  # the node shape that must fire
    component: URIRef
    path: URIRef | None  # sh:resultPath of the result, None for node-level constraints
    focus: URIRef
    breaks: Callable[[Graph], object]


CASES = [
    Case("id pattern", "EntityShape", SH.PatternConstraintComponent, MKG.id, UK,
         lambda g: g.set((UK, MKG.id, Literal("United_Kingdom")))),
    Case("id missing", "EntityShape", SH.MinCountConstraintComponent, MKG.id, UK,
         lambda g: g.remove((UK, MKG.id, None))),
    Case("two ids", "EntityShape", SH.MaxCountConstraintComponent, MKG.id, UK,
         lambda g: g.add((UK, MKG.id, Literal("britain")))),
    Case("id not a string", "EntityShape", SH.DatatypeConstraintComponent, MKG.id, UK,
         lambda g: g.set((UK, MKG.id, Literal(7)))),
    Case("empty name", "EntityShape", SH.MinLengthConstraintComponent, MKG.name, UK,
         lambda g: g.set((UK, MKG.name, Literal("")))),
    Case("recordedOn not a date", "EntityShape", SH.NodeConstraintComponent, MKG.recordedOn, UK,
         lambda g: g.set((UK, MKG.recordedOn, Literal("last May")))),
    Case("no source", "EntityShape", SH.OrConstraintComponent, None, UK,
         lambda g: g.remove((UK, PROV, None))),
    Case("evidence cites a non-source", "EvidenceShape", SH.ClassConstraintComponent,
         MKG.source, UK_EVIDENCE, lambda g: g.set((UK_EVIDENCE, MKG.source, US))),
    Case("empty quote", "EvidenceShape", SH.MinLengthConstraintComponent, MKG.quote,
         UK_EVIDENCE, lambda g: g.set((UK_EVIDENCE, MKG.quote, Literal("")))),
    Case("attributed to a non-actor", "EvidenceShape", SH.ClassConstraintComponent,
         MKG.attributedTo, UK_EVIDENCE, lambda g: g.add((UK_EVIDENCE, MKG.attributedTo, MOU))),
    Case("predicate not an object property", "RelationshipShape", SH.ClassConstraintComponent,
         RDF.predicate, REL, lambda g: g.set((REL, RDF.predicate, MKG.name))),
    Case("subject not an entity", "RelationshipShape", SH.ClassConstraintComponent, RDF.subject,
         REL, lambda g: g.set((REL, RDF.subject, UK_EVIDENCE))),
    Case("relationship without a source", "RelationshipShape", SH.MinCountConstraintComponent,
         PROV, REL, lambda g: g.remove((REL, PROV, None))),
    Case("wrong domain", "RelationshipShape", SH.SPARQLConstraintComponent, None, REL,
         lambda g: g.set((REL, RDF.subject, MOU))),
    Case("wrong range", "RelationshipShape", SH.SPARQLConstraintComponent, None, REL,
         lambda g: g.set((REL, RDF.object, US))),
    Case("date in words", "DatesShape", SH.NodeConstraintComponent, MKG.signedOn, MOU,
         lambda g: g.add((MOU, MKG.signedOn, Literal("last May")))),
    Case("two dates", "DatesShape", SH.MaxCountConstraintComponent, MKG.signedOn, MOU,
         lambda g: [g.add((MOU, MKG.signedOn, Literal(d, datatype=XSD.date)))
                    for d in ("2026-01-01", "2026-02-01")]),
    Case("status outside its set", "ValueSetShape", SH.SPARQLConstraintComponent, None, MOU,
         lambda g: g.set((MOU, MKG.status, Literal("rumoured")))),
    Case("agreement without status", "AgreementShape", SH.MinCountConstraintComponent,
         MKG.status, MOU, lambda g: g.remove((MOU, MKG.status, None))),
    Case("tension without kind", "TensionShape", SH.MinCountConstraintComponent,
         MKG.tensionKind, node_iri("t"), lambda g: _new_node(g, "Tension", "t")),
    Case("statement without words", "StatementShape", SH.SPARQLConstraintComponent,
         None, node_iri("s"), lambda g: _new_node(g, "Statement", "s")),
    Case("two titles", "SourceShape", SH.MaxCountConstraintComponent, MKG.title, SOURCE,
         lambda g: g.add((SOURCE, MKG.title, Literal("Another title")))),
    Case("url not an anyURI", "SourceShape", SH.DatatypeConstraintComponent, MKG.url, SOURCE,
         lambda g: g.add((SOURCE, MKG.url, Literal("https://example.org/a")))),
    Case("negative amount", "AmountShape", SH.MinInclusiveConstraintComponent, MKG.amountUSD,
         MOU, lambda g: g.add((MOU, MKG.amountUSD, Literal("-5", datatype=XSD.decimal)))),
]  # fmt: skip

Key = tuple[str, str, str, str]


def _key(focus: Term, path: Term | None, component: Term, value: Term | None) -> Key:
    return (str(focus), str(path), str(component), str(value))


def _reference(graph: Graph, ontology: Ontology) -> set[Key]:
    """pySHACL's results on the same graph."""
    _, report, _ = pyshacl_validate(
        with_ontology(graph, ontology), shacl_graph=shapes(), advanced=True
    )
    return {
        _key(
            report.value(r, SH.focusNode),  # type: ignore[arg-type]
            report.value(r, SH.resultPath),
            report.value(r, SH.sourceConstraintComponent),  # type: ignore[arg-type]
            report.value(r, SH.value),
        )
        for r in report.subjects(RDF.type, SH.ValidationResult)
    }


def _broken(case: Case, mini: Dataset, ontology: Ontology) -> Graph:
    graph = to_graph(mini, ontology)
    assert not violations(graph, ontology)
    case.breaks(graph)
    return graph


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_shape_fires(case: Case, mini: Dataset, ontology: Ontology) -> None:
    found = violations(_broken(case, mini, ontology), ontology)
    expected = [
        v
        for v in found
        if v.component == case.component and v.focus == case.focus and v.path == case.path
    ]
    assert expected, "\n".join(str(v) for v in found) or "no violation"


# pySHACL takes about 0.4 s a case (it parses the SPARQL constraints on each call): slow
@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_case_finds_what_pyshacl_finds(case: Case, mini: Dataset, ontology: Ontology) -> None:
    graph = _broken(case, mini, ontology)
    got = {_key(v.focus, v.path, v.component, v.value) for v in violations(graph, ontology)}
    assert got == _reference(graph, ontology)


def test_the_cases_cover_every_shape_and_component() -> None:
    g = shapes()
    targeted = {
        str(s).rsplit("#", 1)[-1]
        for p in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
        for s in g.subjects(p, None)
    }
    assert targeted <= {c.shape for c in CASES}, "a shape without a broken-data case"
    parameters = {p for p in set(g.predicates()) if str(p).startswith(str(SH))}
    unknown = {p for p in parameters if p not in COMPONENTS} - {
        SH.path, SH.message, SH.targetClass, SH.targetSubjectsOf, SH.property, SH.prefixes,
        SH.declare, SH.prefix, SH.namespace, SH.select,
    }  # fmt: skip
    assert not unknown, f"add a case and a COMPONENTS entry for {unknown}"
    used = {COMPONENTS[URIRef(str(p))] for p in parameters if p in COMPONENTS}
    assert used <= {c.component for c in CASES}


def test_sparql_messages_name_the_property(mini: Dataset, ontology: Ontology) -> None:
    graph = to_graph(mini, ontology)
    graph.set((MOU, MKG.status, Literal("rumoured")))
    graph.set((REL, RDF.subject, MOU))
    messages = {v.message for v in violations(graph, ontology)}
    assert f"rumoured is not in the value set of {MKG.status}" in messages
    assert f"the subject of {MKG.partyTo} is not of its declared domain" in messages
