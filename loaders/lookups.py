"""Look-up lists derived from the whole dataset: on each Source, the facts that cite it; on each
Actor, the facts attributed to it (stored.LOOKUPS).

A question about one source or one actor (sourced_from, attributed_claims) would otherwise test
the `sources` or `attributedTo` list of every node and every relationship, and no index of
either store serves a membership test on a relationship's list. With these lists it reads the
one node by its indexed id and looks each fact up by id (a relationship by its endpoints' ids).
Each list is kept in the order the queries answer in (class or type, then id or key), so a query
can cut it at its page before reading a fact.

On every node with dated facts, also the first date of the facts `timeline` and `what_changed`
list for it (stored.FIRST_DAYS), as an indexed int of its first and last day (span_key), in
the order the queries list facts in. The first page of the whole graph's facts in that order
is then found without reading every relationship: take the page's number of nodes with the
smallest value; each has a fact of its value, so every fact of the page is no later than the
largest of them, and every such fact belongs to a node whose value is no larger. Exact when
the facts are only cut from above (`to`, `until`), not from below.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from mineralkg.loaders.dataset import is_event_date
from mineralkg.loaders.records import Dataset
from mineralkg.loaders.rows import Lookups
from mineralkg.loaders.schema import Evidence
from mineralkg.ontology.dates import PartialDate
from mineralkg.ontology.model import Ontology

_LISTS = "LISTS"  # a list's minerals: in timeline only when asked (include_listings)

_Facts = defaultdict[str, list[tuple[str, str]]]


def _attributed(evidence: Iterable[Evidence]) -> set[str]:
    return {e.attributedTo for e in evidence if e.attributedTo is not None}


def _ordered(facts: list[tuple[str, str]] | None) -> list[str] | None:
    """The ids (keys) ordered by class (type), then id (key); None for none."""
    return [fact_id for _, fact_id in sorted(facts)] if facts else None


def _day(date: dt.date) -> int:
    return date.year * 10_000 + date.month * 100 + date.day


@cache  # dates repeat: parsed once each
def span_key(value: Any) -> int:
    """A date's first and last day as one int, yyyymmddyyyymmdd: ordered as the queries order
    facts (first day, then last day)."""
    date = PartialDate.parse(value)
    return _day(date.earliest) * 100_000_000 + _day(date.latest)


FirstDays = tuple[int | None, int | None, bool | None]


def first_days(dataset: Dataset, ont: Ontology) -> dict[str, FirstDays]:
    """Each dated node's (TIMELINE_FIRST, CHANGES_FIRST, DATED_OUT): the first date (span_key)
    of the facts each query lists for it (its own event dates, its outgoing relationships'
    dates), and whether it has a dated outgoing relationship."""
    node_events = {p.name for p in ont.properties.values() if is_event_date(p)}
    rel_events = {p.name for p in ont.relationship_properties().values() if is_event_date(p)}
    out_rels: defaultdict[str, list[tuple[str, int]]] = defaultdict(list)
    for rel in dataset.relations:
        if (key := _first_span(rel.props, rel_events)) is not None:
            out_rels[rel.start].append((rel.type, key))
    found: dict[str, FirstDays] = {}
    for node in dataset.nodes.values():
        own = _first_span(node.props, node_events)
        mine = [] if own is None else [own]
        rels = out_rels.get(node.id, [])
        timeline = min([*mine, *(key for t, key in rels if t != _LISTS)], default=None)
        publication = "Source" in node.labels  # a source's date is no change
        changes = min([*([] if publication else mine), *(key for _, key in rels)], default=None)
        if timeline is not None or changes is not None:
            found[node.id] = (timeline, changes, True if rels else None)
    return found


def _first_span(props: Mapping[str, Any], events: set[str]) -> int | None:
    """The first of the dates among `props` (span_key), None when none is there."""
    return min((span_key(props[k]) for k in events & props.keys()), default=None)


def lookups(dataset: Dataset, ont: Ontology) -> dict[str, Lookups]:
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
    days = first_days(dataset, ont)
    out: dict[str, Lookups] = {}
    keys = {*cited_by, *cited_in, *said_nodes, *said_rels, *days}
    for node_id in keys & dataset.nodes.keys():
        attributions = len(said_nodes.get(node_id, ())) + len(said_rels.get(node_id, ()))
        out[node_id] = (
            _ordered(cited_by.get(node_id)),
            _ordered(cited_in.get(node_id)),
            _ordered(said_nodes.get(node_id)),
            _ordered(said_rels.get(node_id)),
            attributions or None,
            *days.get(node_id, (None, None, None)),
        )
    return out
