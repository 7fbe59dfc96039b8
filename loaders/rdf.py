"""The dataset as RDF: one IRI per node, reified relationships, PROV evidence."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rdflib import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef

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
MEDIA_TYPES = {
    "turtle": "text/turtle",
    "json-ld": "application/ld+json",
    "nt": "application/n-triples",
}


def node_iri(node_id: str) -> URIRef:
    return DATA[node_id]


def relation_iri(rel: Relation) -> URIRef:
    return DATA[f"rel/{rel.start}/{rel.type}/{rel.end}"]


def _literal(value: Any, datatype: URIRef) -> Literal:
    if datatype == XSD.date:
        text = str(value)
        precision = {4: XSD.gYear, 7: XSD.gYearMonth}.get(len(text), XSD.date)
        return Literal(text, datatype=precision)
    if datatype == XSD.decimal:
        # canonical lexical form (always a point): Turtle writes it back unchanged
        text = format(Decimal(str(value)), "f")
        return Literal(text if "." in text else f"{text}.0", datatype=XSD.decimal)
    if datatype == XSD.gYear:
        return Literal(f"{int(value):04d}", datatype=XSD.gYear)
    if datatype == XSD.string:
        return Literal(str(value))
    return Literal(value, datatype=datatype)


def _props(g: Graph, ont: Ontology, subject: URIRef, props: dict[str, Any]) -> None:
    for name, value in props.items():
        prop = ont.properties[name]
        for item in value if isinstance(value, list) else [value]:
            g.add((subject, prop.iri, _literal(item, prop.datatype)))


def _evidence(g: Graph, subject: URIRef, items: tuple[Evidence, ...]) -> None:
    for i, ev in enumerate(items, start=1):
        ev_iri = URIRef(f"{subject}/evidence/{i}")
        g.add((subject, MKG.hasEvidence, ev_iri))
        g.add((subject, PROV.wasDerivedFrom, node_iri(ev.source)))
        g.add((ev_iri, RDF.type, MKG.Evidence))
        g.add((ev_iri, MKG.source, node_iri(ev.source)))
        if ev.quote is not None:
            g.add((ev_iri, MKG.quote, Literal(ev.quote)))
        if ev.attributedTo is not None:
            g.add((ev_iri, MKG.attributedTo, node_iri(ev.attributedTo)))
        if ev.note is not None:
            g.add((ev_iri, SKOS.editorialNote, Literal(ev.note)))


def _node(g: Graph, ont: Ontology, node: Node) -> None:
    iri = node_iri(node.id)
    g.add((iri, RDF.type, ont.classes[node.cls].iri))
    g.add((iri, MKG.id, Literal(node.id)))
    g.add((iri, MKG.name, Literal(node.name)))
    g.add((iri, RDFS.label, Literal(node.name)))
    _props(g, ont, iri, node.props)
    if "wikidata" in node.props:
        g.add((iri, OWL.sameAs, WD[node.props["wikidata"]]))
    for label, scheme in SCHEMES.items():
        if label in node.labels:
            g.add((iri, SKOS.inScheme, scheme))
    _evidence(g, iri, node.evidence)


def _relation(g: Graph, ont: Ontology, rel: Relation) -> None:
    predicate = ont.relationships[rel.type].iri
    start, end = node_iri(rel.start), node_iri(rel.end)
    g.add((start, predicate, end))
    if rel.type == "BROADER":
        g.add((start, SKOS.broader, end))
    iri = relation_iri(rel)
    g.add((iri, RDF.type, MKG.Relationship))
    g.add((iri, RDF.subject, start))
    g.add((iri, RDF.predicate, predicate))
    g.add((iri, RDF.object, end))
    _props(g, ont, iri, rel.props)
    _evidence(g, iri, rel.evidence)


def to_graph(dataset: Dataset, ont: Ontology | None = None) -> Graph:
    """The whole dataset as an rdflib Graph."""
    ont = ont or load_ontology()
    g = Graph()
    g.bind("mkg", MKG)
    g.bind("mkgr", DATA)
    g.bind("prov", PROV)
    g.bind("skos", SKOS)
    g.bind("dcterms", DCTERMS)
    g.bind("owl", OWL)
    g.bind("wd", WD)
    for label, scheme in SCHEMES.items():
        g.add((scheme, RDF.type, SKOS.ConceptScheme))
        g.add((scheme, SKOS.prefLabel, Literal(f"mineralkg {ont.classes[label].label.lower()}s")))
    for node in dataset.nodes.values():
        _node(g, ont, node)
    for rel in dataset.relations:
        _relation(g, ont, rel)
    return g


def serialize(graph: Graph, fmt: str) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return graph.serialize(format=FORMATS[fmt])
