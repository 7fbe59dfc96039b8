"""The ontology as immutable Python objects, read once from the Turtle files.

Everything the code knows about node labels, relationship types, properties and value sets
comes from here; nothing lists them a second time by hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rdflib import OWL, RDF, RDFS, XSD, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from mineralkg.ontology import turtle

ONTOLOGY_DIR = Path(__file__).resolve().parent
ONTOLOGY_FILE = ONTOLOGY_DIR / "mineralkg.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"

MKG = Namespace("https://w3id.org/mineralkg/ontology#")
DATA = Namespace("https://w3id.org/mineralkg/id/")

# Classes that describe the record-keeping itself rather than the domain; they are not nodes.
META_CLASSES = frozenset({"Relationship", "Evidence"})


class InvalidOntology(Exception):
    """The ontology breaks a convention the code relies on."""


@dataclass(frozen=True)
class OntClass:
    name: str  # local name, also the node label
    iri: URIRef
    label: str
    comment: str
    node_label: str
    parents: tuple[str, ...]  # direct superclasses within the ontology
    ancestors: tuple[str, ...] = ()  # all superclasses within the ontology, nearest first

    @property
    def labels(self) -> tuple[str, ...]:
        """The node's labels in the property graph: its own and its superclasses'."""
        return (self.node_label, *self.ancestors)


@dataclass(frozen=True)
class DatatypeProp:
    name: str
    iri: URIRef
    label: str
    comment: str
    domains: frozenset[str]
    datatype: URIRef
    functional: bool
    values: tuple[str, ...] = ()  # allowed codes when the property has a value set
    value_iris: tuple[tuple[str, URIRef], ...] = ()


@dataclass(frozen=True)
class RelType:
    name: str  # Cypher relationship type, e.g. PARTY_TO
    iri: URIRef
    label: str
    comment: str
    domains: frozenset[str]
    ranges: frozenset[str]


@dataclass(frozen=True, eq=False)  # hashed by identity: it is built once per process
class Ontology:
    graph: Graph = field(repr=False)
    classes: dict[str, OntClass]
    properties: dict[str, DatatypeProp]
    relationships: dict[str, RelType]

    def node_classes(self) -> list[OntClass]:
        return [c for c in self.classes.values() if c.name not in META_CLASSES]

    def is_a(self, cls: str, other: str) -> bool:
        """True if `cls` is `other` or one of its subclasses."""
        return cls == other or other in self.classes[cls].ancestors

    def is_a_any(self, cls: str, others: Iterable[str]) -> bool:
        return any(self.is_a(cls, o) for o in others)

    def properties_for(self, cls: str) -> dict[str, DatatypeProp]:
        """Datatype properties a node of class `cls` may carry (a copy of what is worked out
        once per class: the validation asks for each node, about 0.1 s on the curated data)."""
        return dict(_properties_for(self, cls))

    def relationship_properties(self) -> dict[str, DatatypeProp]:
        """Properties a relationship may carry (its qualifiers)."""
        return {n: p for n, p in self.properties.items() if "Relationship" in p.domains}


@cache
def _properties_for(ont: Ontology, cls: str) -> dict[str, DatatypeProp]:
    return {n: p for n, p in ont.properties.items() if ont.is_a_any(cls, p.domains)}


def _local(iri: Node) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1] if "#" in text else text.rsplit("/", 1)[-1]


def _text(g: Graph, s: Node, p: URIRef) -> str:
    value = g.value(s, p)
    return str(value) if value is not None else ""


def _members(g: Graph, node: Node | None) -> frozenset[str]:
    """Local names of a class expression: a named class or [ owl:unionOf ( ... ) ]."""
    if node is None:
        return frozenset()
    union = g.value(node, OWL.unionOf)
    if union is not None:
        return frozenset(_local(m) for m in Collection(g, union))
    return frozenset({_local(node)})


def _in_ontology(iri: Node) -> bool:
    return isinstance(iri, URIRef) and str(iri).startswith(str(MKG))


def _iris(nodes: Iterable[Node]) -> list[URIRef]:
    """The named resources among `nodes`, sorted (blank nodes and literals left out)."""
    return sorted({n for n in nodes if isinstance(n, URIRef)})


def _classes(graph: Graph) -> dict[str, OntClass]:
    classes: dict[str, OntClass] = {}
    for iri in _iris(graph.subjects(RDF.type, OWL.Class)):
        if not _in_ontology(iri) or graph.value(iri, OWL.oneOf) is not None:
            continue  # value sets are classes of individuals, not node classes
        name = _local(iri)
        parents = tuple(
            sorted(_local(p) for p in graph.objects(iri, RDFS.subClassOf) if _in_ontology(p))
        )
        classes[name] = OntClass(
            name=name,
            iri=iri,
            label=_text(graph, iri, RDFS.label),
            comment=_text(graph, iri, RDFS.comment),
            node_label=_text(graph, iri, MKG.nodeLabel),
            parents=parents,
        )
    _known(classes, {name: cls.parents for name, cls in classes.items()}, "class", "parent")
    return {name: _with_ancestors(cls, classes) for name, cls in classes.items()}


def _value_set(graph: Graph, iri: URIRef) -> tuple[tuple[str, URIRef], ...]:
    value_set = graph.value(iri, MKG.valueSet)
    if value_set is None:
        return ()
    members = graph.value(value_set, OWL.oneOf)
    if members is None:
        raise InvalidOntology(f"the value set of {_local(iri)} has no owl:oneOf list")
    return tuple((_text(graph, m, MKG.code), URIRef(str(m))) for m in Collection(graph, members))


def _properties(graph: Graph) -> dict[str, DatatypeProp]:
    properties: dict[str, DatatypeProp] = {}
    for iri in _iris(graph.subjects(RDF.type, OWL.DatatypeProperty)):
        value_iris = _value_set(graph, iri)
        properties[_local(iri)] = DatatypeProp(
            name=_local(iri),
            iri=iri,
            label=_text(graph, iri, RDFS.label),
            comment=_text(graph, iri, RDFS.comment),
            domains=_members(graph, graph.value(iri, RDFS.domain)),
            datatype=URIRef(str(graph.value(iri, RDFS.range) or XSD.string)),
            functional=(iri, RDF.type, OWL.FunctionalProperty) in graph,
            values=tuple(code for code, _ in value_iris),
            value_iris=value_iris,
        )
    return properties


def _relationships(graph: Graph) -> dict[str, RelType]:
    relationships: dict[str, RelType] = {}
    for iri, rel_type in sorted(graph.subject_objects(MKG.relType)):
        name = str(rel_type)
        if name in relationships:
            raise InvalidOntology(f"relationship type {name} is declared twice")
        relationships[name] = RelType(
            name=name,
            iri=URIRef(str(iri)),
            label=_text(graph, iri, RDFS.label),
            comment=_text(graph, iri, RDFS.comment),
            domains=_members(graph, graph.value(iri, RDFS.domain)),
            ranges=_members(graph, graph.value(iri, RDFS.range)),
        )
    return relationships


def _known(
    classes: dict[str, OntClass], refs: dict[str, Iterable[str]], what: str, role: str
) -> None:
    """Fail on a reference to a class the ontology does not declare (a typo would otherwise
    drop a parent, domain or range silently)."""
    for name, names in sorted(refs.items()):
        unknown = sorted(set(names) - set(classes))
        if unknown:
            raise InvalidOntology(f"{what} {name}: unknown {role} class(es) {', '.join(unknown)}")


def build(graph: Graph) -> Ontology:
    """Derive the model from a parsed ontology graph, failing fast on broken conventions and
    on references to undeclared classes."""
    classes = _classes(graph)
    properties = _properties(graph)
    relationships = _relationships(graph)
    _known(classes, {n: p.domains for n, p in properties.items()}, "property", "domain")
    _known(classes, {n: r.domains for n, r in relationships.items()}, "relationship", "domain")
    _known(classes, {n: r.ranges for n, r in relationships.items()}, "relationship", "range")
    return Ontology(
        graph=graph, classes=classes, properties=properties, relationships=relationships
    )


def _with_ancestors(cls: OntClass, classes: dict[str, OntClass]) -> OntClass:
    seen: list[str] = []
    frontier = list(cls.parents)
    while frontier:
        parent = frontier.pop(0)
        if parent in seen:
            continue
        seen.append(parent)
        frontier.extend(classes[parent].parents)
    return OntClass(**{**cls.__dict__, "ancestors": tuple(seen)})


@cache
def load(path: Path = ONTOLOGY_FILE) -> Ontology:
    """The ontology, parsed once per process."""
    return build(turtle.parse(path))
