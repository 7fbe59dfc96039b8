"""The dataset as RDF: one IRI per node, reified relationships, PROV evidence."""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any, Protocol

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


class Terms[T](Hashable, Protocol):
    """How the terms of the RDF form are made: rdflib terms (`RDFLIB`, for Graphs and the
    export) or N-Triples text (loaders/rdf_text.py, for the validation), from one definition
    of which triples there are (`statements`)."""

    def iri(self, text: str) -> T: ...

    def plain(self, text: str) -> T:
        """A string literal (xsd:string, written without a datatype)."""
        ...

    def typed(self, lexical: str, datatype: str) -> T:
        """A literal whose lexical form is already canonical."""
        ...

    def value(self, value: Any, datatype: str) -> T:
        """A literal of a Python value, in the lexical form rdflib gives it."""
        ...


@lru_cache(maxsize=1 << 16)
def _uri(text: str) -> URIRef:
    return URIRef(text)


class _RdflibTerms:
    def iri(self, text: str) -> URIRef:
        return _uri(text)

    def plain(self, text: str) -> Literal:
        return Literal(text)

    def typed(self, lexical: str, datatype: str) -> Literal:
        return Literal(lexical, datatype=_uri(datatype))

    def value(self, value: Any, datatype: str) -> Literal:
        return Literal(value, datatype=_uri(datatype))


RDFLIB: Terms[Term] = _RdflibTerms()

_DATE, _DECIMAL, _STRING = str(XSD.date), str(XSD.decimal), str(XSD.string)
_YEAR, _YEAR_MONTH = str(XSD.gYear), str(XSD.gYearMonth)
_PRECISION = {4: _YEAR, 7: _YEAR_MONTH}  # length of the date text -> its datatype


@dataclass(frozen=True)
class _Words[T]:
    """The fixed terms of the RDF form, made once per kind of term."""

    type: T
    subject: T
    predicate: T
    object: T
    has_evidence: T
    derived_from: T
    evidence: T
    source: T
    quote: T
    attributed_to: T
    note: T
    relationship: T
    id: T
    name: T
    label: T
    same_as: T
    in_scheme: T
    broader: T
    concept_scheme: T
    pref_label: T


@cache
def _words[T](make: Terms[T]) -> _Words[T]:
    iris = (RDF.type, RDF.subject, RDF.predicate, RDF.object, MKG.hasEvidence,
            PROV.wasDerivedFrom, MKG.Evidence, MKG.source, MKG.quote, MKG.attributedTo,
            SKOS.editorialNote, MKG.Relationship, MKG.id, MKG.name, RDFS.label, OWL.sameAs,
            SKOS.inScheme, SKOS.broader, SKOS.ConceptScheme, SKOS.prefLabel)  # fmt: skip
    return _Words(*(make.iri(str(iri)) for iri in iris))


@lru_cache(maxsize=1 << 16)
def node_iri(node_id: str) -> URIRef:
    return DATA[node_id]


def relation_iri(rel: Relation) -> URIRef:
    return DATA[_relation_path(rel)]


def _relation_path(rel: Relation) -> str:
    return f"rel/{rel.start}/{rel.type}/{rel.end}"


def _literal[T](make: Terms[T], value: Any, datatype: str) -> T:
    if datatype == _DATE:
        text = str(value)
        return make.typed(text, _PRECISION.get(len(text), _DATE))
    if datatype == _DECIMAL:
        # canonical lexical form (always a point): Turtle writes it back unchanged
        text = format(Decimal(str(value)), "f")
        return make.typed(text if "." in text else f"{text}.0", _DECIMAL)
    if datatype == _YEAR:
        return make.typed(f"{int(value):04d}", _YEAR)
    if datatype == _STRING:
        return make.plain(str(value))
    return make.value(value, datatype)


def _props[T](
    make: Terms[T], ont: Ontology, subject: T, props: dict[str, Any]
) -> Iterator[tuple[T, T, T]]:
    for name, value in props.items():
        prop = ont.properties[name]
        predicate, datatype = make.iri(str(prop.iri)), str(prop.datatype)
        for item in value if isinstance(value, list) else [value]:
            yield subject, predicate, _literal(make, item, datatype)


def _evidence[T](
    make: Terms[T], w: _Words[T], iri: str, subject: T, items: tuple[Evidence, ...]
) -> Iterator[tuple[T, T, T]]:
    for i, ev in enumerate(items, start=1):
        ev_iri = make.iri(f"{iri}/evidence/{i}")
        source = make.iri(f"{DATA}{ev.source}")
        yield subject, w.has_evidence, ev_iri
        yield subject, w.derived_from, source
        yield ev_iri, w.type, w.evidence
        yield ev_iri, w.source, source
        if ev.quote is not None:
            yield ev_iri, w.quote, make.plain(ev.quote)
        if ev.attributedTo is not None:
            yield ev_iri, w.attributed_to, make.iri(f"{DATA}{ev.attributedTo}")
        if ev.note is not None:
            yield ev_iri, w.note, make.plain(ev.note)


def _node[T](make: Terms[T], w: _Words[T], ont: Ontology, node: Node) -> Iterator[tuple[T, T, T]]:
    text = f"{DATA}{node.id}"
    iri = make.iri(text)
    name = make.plain(node.name)
    yield iri, w.type, make.iri(str(ont.classes[node.cls].iri))
    yield iri, w.id, make.plain(node.id)
    yield iri, w.name, name
    yield iri, w.label, name
    yield from _props(make, ont, iri, node.props)
    if "wikidata" in node.props:
        yield iri, w.same_as, make.iri(f"{WD}{node.props['wikidata']}")
    for label, scheme in SCHEMES.items():
        if label in node.labels:
            yield iri, w.in_scheme, make.iri(scheme)
    yield from _evidence(make, w, text, iri, node.evidence)


def _relation[T](
    make: Terms[T], w: _Words[T], ont: Ontology, rel: Relation
) -> Iterator[tuple[T, T, T]]:
    predicate = make.iri(str(ont.relationships[rel.type].iri))
    start, end = make.iri(f"{DATA}{rel.start}"), make.iri(f"{DATA}{rel.end}")
    yield start, predicate, end
    if rel.type == "BROADER":
        yield start, w.broader, end
    text = f"{DATA}{_relation_path(rel)}"
    iri = make.iri(text)
    yield iri, w.type, w.relationship
    yield iri, w.subject, start
    yield iri, w.predicate, predicate
    yield iri, w.object, end
    yield from _props(make, ont, iri, rel.props)
    yield from _evidence(make, w, text, iri, rel.evidence)


def statements[T](dataset: Dataset, ont: Ontology, make: Terms[T]) -> Iterator[tuple[T, T, T]]:
    """The RDF form of the dataset, triple by triple, in the terms `make` makes: the one
    definition of it, which the export (`triples`, `to_graph`) and the SHACL validation
    (loaders/rdf_text.py's `dataset_ntriples`, loaders/shacl.py) both read."""
    w = _words(make)
    for label, scheme in SCHEMES.items():
        iri = make.iri(scheme)
        yield iri, w.type, w.concept_scheme
        yield iri, w.pref_label, make.plain(f"mineralkg {ont.classes[label].label.lower()}s")
    for node in dataset.nodes.values():
        yield from _node(make, w, ont, node)
    for rel in dataset.relations:
        yield from _relation(make, w, ont, rel)


def triples(dataset: Dataset, ont: Ontology | None = None) -> Iterator[Triple]:
    """The RDF form of the dataset as rdflib terms (`statements`)."""
    return statements(dataset, ont or load_ontology(), RDFLIB)


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
