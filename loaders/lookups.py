"""Look-up lists derived from the whole dataset: on each Source, the facts that cite it; on each
Actor, the facts attributed to it (stored.LOOKUPS).

A question about one source or one actor (sourced_from, attributed_claims) would otherwise test
the `sources` or `attributedTo` list of every node and every relationship, and no index of
either store serves a membership test on a relationship's list. With these lists it reads the
one node by its indexed id and looks each fact up by id (a relationship by its endpoints' ids).
Each list is kept in the order the queries answer in (class or type, then id or key), so a query
can cut it at its page before reading a fact.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from mineralkg.loaders.records import Dataset
from mineralkg.loaders.rows import Lookups
from mineralkg.loaders.schema import Evidence

_Facts = defaultdict[str, list[tuple[str, str]]]


def _attributed(evidence: Iterable[Evidence]) -> set[str]:
    return {e.attributedTo for e in evidence if e.attributedTo is not None}


def _ordered(facts: list[tuple[str, str]] | None) -> list[str] | None:
    """The ids (keys) ordered by class (type), then id (key); None for none."""
    return [fact_id for _, fact_id in sorted(facts)] if facts else None


def lookups(dataset: Dataset) -> dict[str, Lookups]:
    """The look-up values of every node that has any, by node id."""
    cited_by: _Facts = defaultdict(list)
    cited_in: _Facts = defaultdict(list)
    said_nodes: _Facts = defaultdict(list)
    said_rels: _Facts = defaultdict(list)
    for node in dataset.nodes.values():
        fact = (node.cls, node.id)
        for source in node.sources:  # a Source cites itself (Node.sources), as stored
            cited_by[source].append(fact)
        for actor in _attributed(node.evidence):
            said_nodes[actor].append(fact)
    for rel in dataset.relations:
        fact = (rel.type, rel.key)
        for source in rel.sources:
            cited_in[source].append(fact)
        for actor in _attributed(rel.evidence):
            said_rels[actor].append(fact)
    out: dict[str, Lookups] = {}
    for node_id in {*cited_by, *cited_in, *said_nodes, *said_rels} & dataset.nodes.keys():
        attributions = len(said_nodes.get(node_id, ())) + len(said_rels.get(node_id, ()))
        out[node_id] = (
            _ordered(cited_by.get(node_id)),
            _ordered(cited_in.get(node_id)),
            _ordered(said_nodes.get(node_id)),
            _ordered(said_rels.get(node_id)),
            attributions or None,
        )
    return out
