"""The properties the loader stores beside a node's or relationship's own: their names and how
provenance is encoded into them and decoded from them. Every layer that writes or reads a stored
node (loaders, stores, views, the API) names these keys from here.

Kept free of heavy imports (the standard library, orjson, the date type): the load's worker
processes import it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import orjson

from mineralkg.ontology import dates

ID = "id"
NAME = "name"
CLASS = "class"
"""The node's most specific ontology class (its labels hold the whole chain)."""
KEY = "key"
"""A relationship's stable id: `start|TYPE|end`."""

SOURCES = "sources"
"""Ids of the Source nodes a fact rests on, in the order of its evidence."""
QUOTES = "quotes"
"""The verbatim quotes of its evidence."""
ATTRIBUTED_TO = "attributedTo"
"""Ids of the actors its sources attribute the fact to."""
EVIDENCE = "evidence"
"""The whole evidence list as a JSON array of objects (source, quote, attributedTo, ...)."""
PROVENANCE = (SOURCES, QUOTES, ATTRIBUTED_TO, EVIDENCE)

HASH = "_hash"
"""What a reload compares to find changed rows."""
LOAD = "_load"
"""The stamp of the load that wrote the row (Neo4j: stale rows are those of older loads)."""
ALIASES_TEXT = "_aliases"
"""A node's aliases joined by spaces, for the full-text index."""
SEARCH_TEXT = "_search"
"""A node's id, name and aliases in lower case, one a line: what a search for part of any of
them tests with one CONTAINS (find_entity, statements_about; a text index on Neo4j)."""

# Look-up lists derived from the whole dataset (loaders/lookups.py), so that a question about
# one source or one actor reads its facts by id instead of testing every fact's lists
CITED_BY = "_citedBy"
"""On a Source: the ids of the nodes whose `sources` name it, ordered by class, then id."""
CITED_IN = "_citedIn"
"""On a Source: the keys of the relationships whose `sources` name it, by type, then key."""
ATTRIBUTED_NODES = "_attributedNodes"
"""On an Actor: the ids of the nodes whose `attributedTo` names it, by class, then id."""
ATTRIBUTED_RELS = "_attributedRels"
"""On an Actor: the keys of the relationships whose `attributedTo` names it, by type, key."""
ATTRIBUTIONS = "_attributions"
"""On an Actor: how many facts are attributed to it (absent when none; indexed)."""
TIMELINE_FIRST = "_timelineFirst"
"""On a node: the first date of the facts `timeline` lists for it, its own dates and those of
its outgoing relationships but LISTS, as an int of its first and last day (yyyymmddyyyymmdd;
indexed). The whole graph's first page is among the nodes whose value is at most the page's
last node's (loaders/lookups.py)."""
CHANGES_FIRST = "_changesFirst"
"""On a node: the same for the facts `what_changed` lists for it: its own dates (none for a
Source) and those of all its outgoing relationships (indexed)."""
DATED_OUT = "_datedOut"
"""On a node with a dated outgoing relationship: true. The first page's nodes whose first fact
is their own are not expanded (an untyped expansion costs FalkorDB about 20 us a relationship)."""
FIRST_DAYS = (TIMELINE_FIRST, CHANGES_FIRST, DATED_OUT)
LOOKUPS = (
    CITED_BY,
    CITED_IN,
    ATTRIBUTED_NODES,
    ATTRIBUTED_RELS,
    ATTRIBUTIONS,
    *FIRST_DAYS,
)

CATALOGUE_INTERNAL = frozenset({SEARCH_TEXT, *LOOKUPS})
"""Internal keys the catalogue's own queries read (hidden from users like every internal key)."""

RANGE_INDEXED = (("Actor", ATTRIBUTIONS), ("Entity", TIMELINE_FIRST), ("Entity", CHANGES_FIRST))
"""(label, key) pairs both stores index beside every label's `id`: attributed_claims finds the
actors with attributions through the first, timeline and what_changed the first page of the
whole graph through the others."""

BOOKKEEPING = frozenset({ID, NAME, CLASS, KEY, *PROVENANCE})
"""Stored keys that are not properties of the ontology's own."""

DATE_BOUNDS = (dates.EARLIEST, dates.LATEST, dates.PRECISION)
"""Suffixes of the keys a partial date is stored with beside its text (ontology.dates):
`signedOn: "2025-10"` also gives signedOnEarliest "2025-10-01", signedOnLatest "2025-10-31"
and signedOnPrecision "month"."""


def date_bounds(name: str) -> tuple[str, str, str]:
    """The keys of the bounds of date property `name`."""
    return (name + DATE_BOUNDS[0], name + DATE_BOUNDS[1], name + DATE_BOUNDS[2])


def is_date_bound(key: str) -> bool:
    """A key stored beside a date property for its bounds (not the ontology's own, derived
    first-dated span, ontology.dates.FIRST_DATED)."""
    return (
        key.endswith(DATE_BOUNDS)
        and not key.startswith(DATE_BOUNDS)
        and key not in dates.FIRST_DATED
    )


def is_internal(key: str) -> bool:
    """Keys no user sees: the loader's own bookkeeping (leading underscore)."""
    return key.startswith("_")


def public(props: Mapping[str, Any]) -> dict[str, Any]:
    """Properties a user sees: internal keys left out."""
    return {k: v for k, v in props.items() if not is_internal(k)}


def own(props: Mapping[str, Any]) -> dict[str, Any]:
    """The ontology's own properties of a stored node or relationship."""
    return {
        k: v
        for k, v in props.items()
        if k not in BOOKKEEPING and not is_internal(k) and not is_date_bound(k)
    }


def encode_provenance(
    evidence: Iterable[Mapping[str, Any]], sources: Iterable[str]
) -> tuple[list[str], list[str], list[str] | None, str]:
    """The values of `PROVENANCE`, in its order, for one fact's evidence items."""
    items = []
    quotes = []
    attributed = set()
    for fields in evidence:
        item = {k: v for k, v in fields.items() if v is not None}
        items.append(item)
        if "quote" in item:
            quotes.append(item["quote"])
        if "attributedTo" in item:
            attributed.add(item["attributedTo"])
    return (
        list(sources),
        quotes,
        sorted(attributed) if attributed else None,
        orjson.dumps(items).decode(),
    )


def decode_evidence(props: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The evidence items of a stored node or relationship (empty when it has none)."""
    raw = props.get(EVIDENCE)
    return list(orjson.loads(raw)) if raw else []
