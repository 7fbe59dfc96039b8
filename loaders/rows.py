"""What the graph stores for a node or a relationship: one definition for both stores.

A row's properties are a list of values in a fixed order per node class (per relationship, one
order for all types), taken from the ontology: None where a property is absent, which both
stores treat as no property at all. The fixed order is what makes `_hash` (what a reload
compares) a function of the values alone, and it lets the bulk path encode a row without
building a dict. A load builds one row per node and relationship: this is its hot path, written
for speed (bench/load.py measures it) rather than brevity.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

import orjson

from mineralkg.loaders import stored
from mineralkg.loaders.stored import encode_provenance
from mineralkg.ontology.dates import FIRST_DATED, PartialDate

if TYPE_CHECKING:  # this module is imported by the load's worker processes: kept light
    from mineralkg.loaders.dataset import Node, Relation
    from mineralkg.ontology.model import DatatypeProp, Ontology

_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"
_DATE = "http://www.w3.org/2001/XMLSchema#date"


@dataclass(frozen=True)
class Shape:
    """The property names of one node class (or of relationships), in the order of its values."""

    keys: tuple[str, ...]
    own: tuple[str, ...]  # the ontology's properties among them, in that order
    converted: tuple[int, ...]  # positions (in `own`) of values that may be Decimal or lists
    dated: tuple[int, ...] = ()  # positions (in `own`) of partial dates, stored with their bounds


@cache
def node_shape(ont: Ontology, cls: str) -> Shape:
    props = ont.properties_for(cls)
    own = tuple(sorted(set(props) - {stored.ID, stored.NAME}))
    dated = _dated(own, props)
    # after its own properties a row carries its dates' bounds, its provenance, then (nodes)
    # the full-text text, the search text and the look-up lists (loaders/lookups.py)
    keys = (
        *(stored.ID, stored.NAME, stored.CLASS, *own, *_bound_keys(own, dated)),
        *(*stored.PROVENANCE, stored.ALIASES_TEXT, stored.SEARCH_TEXT, *stored.LOOKUPS),
    )
    return Shape(keys, own, _converted(own, props), dated)


@cache
def relation_shape(ont: Ontology) -> Shape:
    props = ont.relationship_properties()
    own = tuple(sorted(props))
    dated = _dated(own, props)
    keys = (stored.KEY, *own, *_bound_keys(own, dated), *stored.PROVENANCE)
    return Shape(keys, own, _converted(own, props), dated)


def _dated(own: tuple[str, ...], props: Mapping[str, DatatypeProp]) -> tuple[int, ...]:
    return tuple(
        i
        for i, name in enumerate(own)
        if str(props[name].datatype) == _DATE and name not in FIRST_DATED
    )


def _bound_keys(own: tuple[str, ...], dated: tuple[int, ...]) -> tuple[str, ...]:
    """`signedOn` -> signedOnEarliest, signedOnLatest, signedOnPrecision (ontology.dates)."""
    return tuple(key for i in dated for key in stored.date_bounds(own[i]))


def _converted(own: tuple[str, ...], props: Mapping[str, DatatypeProp]) -> tuple[int, ...]:
    """Positions whose values are stored otherwise than validated: decimals (as floats,
    which both stores have) and lists (which may hold decimals)."""
    return tuple(
        i
        for i, name in enumerate(own)
        if str(props[name].datatype) == _DECIMAL or not props[name].functional
    )


def _plain(value: Any) -> Any:
    if type(value) is Decimal:
        return float(value)
    if type(value) is list:
        return [_plain(v) for v in value]
    return value


def _own(values: list[Any], props: dict[str, Any], shape: Shape) -> None:
    start = len(values)
    values += map(props.get, shape.own)
    for i in shape.converted:
        values[start + i] = _plain(values[start + i])
    for i in shape.dated:  # comparable in Cypher on both stores: ISO days as text
        text = values[start + i]
        if text is None:
            values += (None, None, None)
        else:
            date = PartialDate.parse(text)
            values += (date.earliest.isoformat(), date.latest.isoformat(), date.precision)


Lookups = tuple[Any, ...]
"""The values of stored.LOOKUPS, in its order (None where a list is empty)."""

NO_LOOKUPS: Lookups = (None,) * len(stored.LOOKUPS)


class NodeInput(NamedTuple):
    """A node's input as plain values, cheap to pickle for a worker process (model objects
    are not)."""

    id: str
    name: str
    cls: str
    props: dict[str, Any]
    evidence: list[dict[str, Any]]
    sources: Sequence[str]
    lookups: Lookups = NO_LOOKUPS  # derived from the whole dataset (loaders/lookups.py)


class RelationInput(NamedTuple):
    """A relationship's input as plain values (see NodeInput)."""

    start: str
    end: str
    props: dict[str, Any]
    evidence: list[dict[str, Any]]


@dataclass(frozen=True)
class NodeSlice:
    """The nodes of one slice of a load plan as plain values: what a worker process gets."""

    labels: str  # as Cypher writes them: "Entity:Actor:State"
    shape: Shape
    stamp: str
    nodes: list[NodeInput]


@dataclass(frozen=True)
class EdgeSlice:
    """The relationships of one slice, with their endpoints' numbers in the plan's node order
    (loaders.plan.LoadPlan.numbers): `starts[i]` and `ends[i]` are those of `relations[i]`."""

    type: str
    shape: Shape
    stamp: str
    starts: list[int]
    ends: list[int]
    relations: list[RelationInput]


SliceInput = NodeSlice | EdgeSlice


def node_input(node: Node, lookups: Lookups = NO_LOOKUPS) -> NodeInput:
    evidence = [e.__dict__ for e in node.evidence]
    return NodeInput(node.id, node.name, node.cls, node.props, evidence, node.sources, lookups)


def relation_input(rel: Relation) -> RelationInput:
    return RelationInput(rel.start, rel.end, rel.props, [e.__dict__ for e in rel.evidence])


def node_values(shape: Shape, node: NodeInput) -> list[Any]:
    """A node's property values in `shape`'s order."""
    node_id, name, cls, props, evidence, sources, lookups = node
    values: list[Any] = [node_id, name, cls]
    _own(values, props, shape)
    values += encode_provenance(evidence, sources)
    aliases = props.get("aliases", ())
    values.append(" ".join(aliases))
    values.append("\n".join([node_id, name, *aliases]).lower())
    values += lookups
    return values


def relation_values(shape: Shape, rtype: str, rel: RelationInput) -> list[Any]:
    """A relationship's property values in `shape`'s order."""
    start, end, props, evidence = rel
    values: list[Any] = [f"{start}|{rtype}|{end}"]  # Relation.key
    _own(values, props, shape)
    values += encode_provenance(evidence, dict.fromkeys([e["source"] for e in evidence]))
    return values


def values_hash(values: Sequence[Any]) -> str:
    """What a reload compares: the same values in the same shape give the same hash."""
    return hashlib.blake2b(orjson.dumps(values), digest_size=12).hexdigest()


def as_props(shape: Shape, values: Sequence[Any], *, hashed: bool = True) -> dict[str, Any]:
    """The values as a property map (absent ones left out), with `_hash` if `hashed`."""
    props = {k: v for k, v in zip(shape.keys, values, strict=True) if v is not None}
    if hashed:
        props[stored.HASH] = values_hash(values)
    return props


def node_row(
    ont: Ontology, node: Node, *, hashed: bool = True, lookups: Lookups = NO_LOOKUPS
) -> dict[str, Any]:
    """A node as an UNWIND row: {id, props}."""
    shape = node_shape(ont, node.cls)
    values = node_values(shape, node_input(node, lookups))
    return {"id": node.id, "props": as_props(shape, values, hashed=hashed)}


def relation_row(ont: Ontology, rel: Relation, *, hashed: bool = True) -> dict[str, Any]:
    """A relationship as an UNWIND row: {key, from, to, props}."""
    shape = relation_shape(ont)
    values = relation_values(shape, rel.type, relation_input(rel))
    return {
        "key": values[0],
        "from": rel.start,
        "to": rel.end,
        "props": as_props(shape, values, hashed=hashed),
    }
