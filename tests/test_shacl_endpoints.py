"""The endpoint rules of ontology/shapes.ttl (a relationship's subject in the domain of its
predicate, its object in the range) judge each endpoint on its own: a relationship with one
endpoint that fits and one that does not is still reported, for the one that does not, by the
validator the CLI runs and by pySHACL, the reference, alike."""

from __future__ import annotations

import pytest
from pyshacl import validate as pyshacl_validate
from rdflib import RDF, SH, Graph, URIRef

from mineralkg.loaders.dataset import Dataset
from mineralkg.loaders.rdf import node_iri, to_graph
from mineralkg.loaders.shacl import shapes, violations, with_ontology
from mineralkg.ontology.model import MKG, Ontology

UK, US = node_iri("uk"), node_iri("us")
MOU = node_iri("uk-us-critical-minerals-mou")
REL = node_iri("rel/uk/PARTY_TO/uk-us-critical-minerals-mou")

Found = set[tuple[str, str]]


def _reference(graph: Graph, ontology: Ontology) -> Found:
    _, report, _ = pyshacl_validate(
        with_ontology(graph, ontology), shacl_graph=shapes(), advanced=True
    )
    return {
        (str(report.value(r, SH.focusNode)), str(report.value(r, SH.value)))
        for r in report.subjects(RDF.type, SH.ValidationResult)
        if report.value(r, SH.sourceConstraintComponent) == SH.SPARQLConstraintComponent
    }


@pytest.mark.parametrize(
    ("end", "wrong", "word"),
    [(RDF.subject, MOU, "domain"), (RDF.object, US, "range")],
    ids=["second subject outside the domain", "second object outside the range"],
)
def test_a_second_endpoint_is_judged_on_its_own(
    end: URIRef, wrong: URIRef, word: str, mini: Dataset, ontology: Ontology
) -> None:
    graph = to_graph(mini, ontology)
    graph.add((REL, end, wrong))  # beside the endpoint that fits
    found = [v for v in violations(graph, ontology) if v.component == SH.SPARQLConstraintComponent]
    assert {(str(v.focus), str(v.value)) for v in found} == {(str(REL), str(wrong))}
    assert {v.message for v in found} == {f"the {end.split('#')[-1]} of {MKG.partyTo} is not "
                                          f"of its declared {word}"}  # fmt: skip
    assert _reference(graph, ontology) == {(str(REL), str(wrong))}
