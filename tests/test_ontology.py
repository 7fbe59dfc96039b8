"""A lint over the ontology itself: the conventions every other part reads it by."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.compare import isomorphic

from mineralkg.ontology.model import (
    MKG,
    ONTOLOGY_FILE,
    SHAPES_FILE,
    InvalidOntology,
    Ontology,
    build,
)
from mineralkg.ontology.turtle import parse


def test_every_class_has_label_comment_and_node_label(ontology: Ontology) -> None:
    for cls in ontology.classes.values():
        assert cls.label, f"{cls.name} has no rdfs:label"
        assert cls.node_label == cls.name, f"{cls.name} has node label {cls.node_label!r}"
        assert re.fullmatch(r"[A-Z][A-Za-z]+", cls.node_label)


def test_every_node_class_descends_from_entity(ontology: Ontology) -> None:
    for cls in ontology.node_classes():
        assert cls.name == "Entity" or "Entity" in cls.ancestors, cls.name


def test_every_relationship_has_type_domain_range_and_label(ontology: Ontology) -> None:
    declared = set(ontology.graph.subjects(RDF.type, OWL.ObjectProperty))
    typed = {rel.iri for rel in ontology.relationships.values()}
    provenance = {MKG.hasEvidence, MKG.source, MKG.attributedTo}
    assert declared - typed == provenance, "object properties without mkg:relType"
    for rel in ontology.relationships.values():
        assert re.fullmatch(r"[A-Z]+(_[A-Z]+)*", rel.name), rel.name
        assert rel.label, rel.name
        assert rel.domains and rel.ranges, f"{rel.name} lacks a domain or range"
        for cls in rel.domains | rel.ranges:
            assert cls in ontology.classes, f"{rel.name} refers to undeclared class {cls}"


def test_every_datatype_property_has_domain_range_and_label(ontology: Ontology) -> None:
    for prop in ontology.properties.values():
        assert prop.label, prop.name
        assert prop.domains, f"{prop.name} has no domain"
        for cls in prop.domains:
            assert cls in ontology.classes, f"{prop.name} refers to undeclared class {cls}"
        assert prop.datatype is not None


def test_no_name_collisions(ontology: Ontology) -> None:
    labels = [c.node_label for c in ontology.classes.values()]
    assert len(labels) == len(set(labels))
    lowered = {n.lower() for n in ontology.properties}
    assert not lowered & {c.lower() for c in ontology.classes}, "property named like a class"
    assert not lowered & {r.lower().replace("_", "") for r in ontology.relationships}


def test_value_sets_have_unique_codes(ontology: Ontology) -> None:
    for prop in ontology.properties.values():
        assert len(prop.values) == len(set(prop.values)), prop.name
        for _, iri in prop.value_iris:
            assert ontology.graph.value(iri, RDFS.label) is not None


def test_shapes_parse_and_only_refer_to_declared_terms(ontology: Ontology) -> None:
    shapes = Graph().parse(SHAPES_FILE)
    terms = {o for o in shapes.objects() if isinstance(o, URIRef) and o.startswith(MKG)}
    terms |= {p for p in shapes.predicates() if str(p).startswith(str(MKG))}
    declared = set(ontology.graph.subjects()) | set(shapes.subjects())
    assert terms <= declared, terms - declared


@pytest.mark.parametrize(
    ("triples", "message"),
    [
        ("mkg:Treaty a owl:Class ; rdfs:subClassOf mkg:Agreemnt .", "class Treaty: unknown parent"),
        (
            "mkg:ratifiedOn a owl:DatatypeProperty ; rdfs:domain mkg:Agremeent ; "
            "rdfs:range xsd:date .",
            "property ratifiedOn: unknown domain",
        ),
        (
            'mkg:ratifies a owl:ObjectProperty ; mkg:relType "RATIFIES" ; '
            "rdfs:domain mkg:Actor ; rdfs:range [ owl:unionOf ( mkg:Agreement mkg:Treaty ) ] .",
            r"relationship RATIFIES: unknown range class\(es\) Treaty",
        ),
    ],
)
def test_a_reference_to_an_undeclared_class_fails_the_load(triples: str, message: str) -> None:
    graph = Graph()
    graph.parse(ONTOLOGY_FILE, format="turtle")
    prefixes = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in graph.namespaces())
    graph.parse(data=prefixes + triples, format="turtle")
    with pytest.raises(InvalidOntology, match=message):
        build(graph)


@pytest.mark.parametrize("path", [ONTOLOGY_FILE, SHAPES_FILE], ids=lambda p: p.name)
def test_turtle_is_read_as_rdflib_reads_it(path: Path) -> None:
    """The files are parsed by oxigraph: the graph is the one rdflib's own parser makes (the
    same triples up to blank node names, plain literals plain), with the file's prefixes."""
    ours, theirs = parse(path), Graph().parse(path, format="turtle")
    assert len(ours) == len(theirs) and isomorphic(ours, theirs)
    assert dict(ours.namespaces())["mkg"] == URIRef(str(MKG))
