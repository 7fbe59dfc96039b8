"""The dataset as RDF: one IRI per node, reified relationships, PROV evidence."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache
from typing import Any

from rdflib import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.term import Node as Term

from mineralkg.loaders.dataset import Dataset, Node, Relation
from mineralkg.loaders.schema import Evidence
from mineralkg.ontology.model import DATA, MKG, Ontology
from mineralkg.ontology.model import load as load_ontology

WD = Namespace("http://www.wikidata.org/entity/")
SCHEMES = {
    "Mineral": DATA["scheme/minerals"],
    "SupplyChainStage": DATA["scheme/supply-chain-stages"],
}
FORMATS = {"turtle": "turtle", "json-ld": "json-ld", "nt": "nt"}
Triple = tuple[Term, Term, Term]
PREFIXES = {
    "mkg": str(MKG),
    "mkgr": str(DATA),
    "prov": str(PROV),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "owl": str(OWL),
    "wd": str(WD),
}
"""The prefixes every RDF text of the data is written with."""
MEDIA_TYPES = {
    "turtle": "text/turtle",
    "json-ld": "application/ld+json",
    "nt": "application/n-triples",
}


# Terms read once: rdflib builds a new URIRef on every namespace attribute access.
_TYPE = RDF.type
_SUBJECT = RDF.subject
_PREDICATE = RDF.predicate
_OBJECT = RDF.object
_HAS_EVIDENCE = MKG.hasEvidence
_DERIVED_FROM = PROV.wasDerivedFrom
_EVIDENCE = MKG.Evidence
_SOURCE = MKG.source
_QUOTE = MKG.quote
_ATTRIBUTED_TO = MKG.attributedTo
_NOTE = SKOS.editorialNote
_RELATIONSHIP = MKG.Relationship
_ID = MKG.id
_NAME = MKG.name
_LABEL = RDFS.label
_SAME_AS = OWL.sameAs
_IN_SCHEME = SKOS.inScheme
_BROADER = SKOS.broader
_DATE = XSD.date
_DECIMAL = XSD.decimal
_YEAR = XSD.gYear
_YEAR_MONTH = XSD.gYearMonth
_STRING = XSD.string


@lru_cache(maxsize=1 << 16)
def node_iri(node_id: str) -> URIRef:
    return DATA[node_id]


def relation_iri(rel: Relation) -> URIRef:
    return DATA[f"rel/{rel.start}/{rel.type}/{rel.end}"]


def _literal(value: Any, datatype: URIRef) -> Literal:
    if datatype == _DATE:
        text = str(value)
        precision = {4: _YEAR, 7: _YEAR_MONTH}.get(len(text), _DATE)
        return Literal(text, datatype=precision)
    if datatype == _DECIMAL:
        # canonical lexical form (always a point): Turtle writes it back unchanged
        text = format(Decimal(str(value)), "f")
        return Literal(text if "." in text else f"{text}.0", datatype=_DECIMAL)
    if datatype == _YEAR:
        return Literal(f"{int(value):04d}", datatype=_YEAR)
    if datatype == _STRING:
        return Literal(str(value))
    return Literal(value, datatype=datatype)


def _props(ont: Ontology, subject: URIRef, props: dict[str, Any]) -> Iterator[Triple]:
    for name, value in props.items():
        prop = ont.properties[name]
        for item in value if isinstance(value, list) else [value]:
            yield subject, prop.iri, _literal(item, prop.datatype)


def _evidence(subject: URIRef, items: tuple[Evidence, ...]) -> Iterator[Triple]:
    for i, ev in enumerate(items, start=1):
        ev_iri = URIRef(f"{subject}/evidence/{i}")
        yield subject, _HAS_EVIDENCE, ev_iri
        yield subject, _DERIVED_FROM, node_iri(ev.source)
        yield ev_iri, _TYPE, _EVIDENCE
        yield ev_iri, _SOURCE, node_iri(ev.source)
        if ev.quote is not None:
            yield ev_iri, _QUOTE, Literal(ev.quote)
        if ev.attributedTo is not None:
            yield ev_iri, _ATTRIBUTED_TO, node_iri(ev.attributedTo)
        if ev.note is not None:
            yield ev_iri, _NOTE, Literal(ev.note)


def _node(ont: Ontology, node: Node) -> Iterator[Triple]:
    iri = node_iri(node.id)
    yield iri, _TYPE, ont.classes[node.cls].iri
    yield iri, _ID, Literal(node.id)
    yield iri, _NAME, Literal(node.name)
    yield iri, _LABEL, Literal(node.name)
    yield from _props(ont, iri, node.props)
    if "wikidata" in node.props:
        yield iri, _SAME_AS, WD[node.props["wikidata"]]
    for label, scheme in SCHEMES.items():
        if label in node.labels:
            yield iri, _IN_SCHEME, scheme
    yield from _evidence(iri, node.evidence)


def _relation(ont: Ontology, rel: Relation) -> Iterator[Triple]:
    predicate = ont.relationships[rel.type].iri
    start, end = node_iri(rel.start), node_iri(rel.end)
    yield start, predicate, end
    if rel.type == "BROADER":
        yield start, _BROADER, end
    iri = relation_iri(rel)
    yield iri, _TYPE, _RELATIONSHIP
    yield iri, _SUBJECT, start
    yield iri, _PREDICATE, predicate
    yield iri, _OBJECT, end
    yield from _props(ont, iri, rel.props)
    yield from _evidence(iri, rel.evidence)


def triples(dataset: Dataset, ont: Ontology | None = None) -> Iterator[Triple]:
    """The RDF form of the dataset, triple by triple: the one definition of it, which the
    export (`to_graph`) and the SHACL validation (`loaders/shacl.py`) both read."""
    ont = ont or load_ontology()
    for label, scheme in SCHEMES.items():
        yield scheme, _TYPE, SKOS.ConceptScheme
        yield scheme, SKOS.prefLabel, Literal(f"mineralkg {ont.classes[label].label.lower()}s")
    for node in dataset.nodes.values():
        yield from _node(ont, node)
    for rel in dataset.relations:
        yield from _relation(ont, rel)


def to_graph(dataset: Dataset, ont: Ontology | None = None) -> Graph:
    """The whole dataset as an rdflib Graph."""
    g = Graph()
    for prefix, namespace in PREFIXES.items():
        g.bind(prefix, namespace)
    for triple in triples(dataset, ont):
        g.add(triple)
    return g


def serialize(graph: Graph, fmt: str) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return graph.serialize(format=FORMATS[fmt])
