"""The look-up lists the loader derives (loaders/lookups.py) hold exactly what a scan of every
fact finds, in the answer's order, on both stores; a reload sees a change of them; users never
see them."""

from __future__ import annotations

from typing import Any

from mineralkg.graph.store import GraphStore
from mineralkg.loaders import stored
from mineralkg.loaders.dataset import Dataset
from mineralkg.loaders.plan import build_plan
from mineralkg.loaders.rows import NO_LOOKUPS, node_row
from mineralkg.ontology.model import Ontology

# what the lists stand for, found the slow way: every node's and relationship's own list
SCAN_NODES = """
MATCH (owner:{label}) MATCH (n:Entity) WHERE owner.id IN n.{key}
WITH owner, n ORDER BY n.class, n.id
RETURN owner.id AS owner, collect(n.id) AS facts ORDER BY owner
"""
SCAN_RELATIONSHIPS = """
MATCH (owner:{label}) MATCH ()-[r]->() WHERE owner.id IN r.{key}
WITH owner, r ORDER BY type(r), r.key
RETURN owner.id AS owner, collect(r.key) AS facts ORDER BY owner
"""
LISTED = """
MATCH (owner:{label}) WHERE owner.{key} IS NOT NULL
RETURN owner.id AS owner, owner.{key} AS facts ORDER BY owner
"""


def _by_owner(rows: list[dict[str, Any]]) -> dict[str, list[str]]:
    return {r["owner"]: list(r["facts"]) for r in rows}


def _check(store: GraphStore, label: str, key: str, listed: str, scan: str) -> int:
    # label and keys are this module's constants, not input
    found = _by_owner(store.run(scan.format(label=label, key=key), timeout=60).rows)
    kept = _by_owner(store.run(LISTED.format(label=label, key=listed), timeout=60).rows)
    assert kept == found, f"{label}.{listed} differs from a scan of {key}"
    return len(kept)


def test_each_source_lists_the_facts_that_cite_it(loaded_store: GraphStore) -> None:
    nodes = _check(loaded_store, "Source", stored.SOURCES, stored.CITED_BY, SCAN_NODES)
    rels = _check(loaded_store, "Source", stored.SOURCES, stored.CITED_IN, SCAN_RELATIONSHIPS)
    assert nodes > 10 and rels > 10  # the curated sources are cited by many facts


def test_each_actor_lists_the_facts_attributed_to_it(loaded_store: GraphStore) -> None:
    attributed, listed = stored.ATTRIBUTED_TO, stored.ATTRIBUTED_NODES
    nodes = _check(loaded_store, "Actor", attributed, listed, SCAN_NODES)
    listed = stored.ATTRIBUTED_RELS
    rels = _check(loaded_store, "Actor", attributed, listed, SCAN_RELATIONSHIPS)
    assert nodes + rels > 0  # the curated data attributes claims (e.g. to reuters)
    counts = loaded_store.run(
        "MATCH (a:Actor) WHERE a._attributions > 0 "
        "RETURN a.id AS id, a._attributions AS n, "
        "size(coalesce(a._attributedNodes, [])) + size(coalesce(a._attributedRels, [])) AS m"
    ).rows
    assert counts and all(r["n"] == r["m"] for r in counts)


def test_the_search_text_is_the_id_name_and_aliases_in_lower_case(
    loaded_store: GraphStore, curated: Dataset
) -> None:
    rows = loaded_store.run("MATCH (n:Entity) RETURN n.id AS id, n._search AS text").rows
    assert len(rows) == len(curated.nodes)
    for row in rows:
        node = curated.nodes[row["id"]]
        lines = [node.id, node.name, *node.props.get("aliases", ())]
        assert row["text"].split("\n") == [line.lower() for line in lines]


def test_users_never_see_the_lists(loaded_store: GraphStore) -> None:
    rows = loaded_store.run(
        "MATCH (s:Source) WHERE s._citedBy IS NOT NULL "
        "RETURN properties(s) AS props, s AS node, {s: s} AS nested LIMIT 3",
        mode="read",
    ).rows
    assert rows
    for row in rows:
        seen = [*row["props"], *row["node"]["properties"], *row["nested"]["s"]["properties"]]
        assert not [k for k in seen if stored.is_internal(k)]


def test_a_row_changes_when_what_cites_it_changes(mini: Dataset, ontology: Ontology) -> None:
    plan = build_plan(mini, ontology)
    rel = next(r for r in mini.relations if r.sources)
    source = mini.nodes[rel.sources[0]]
    before = node_row(ontology, source, lookups=plan.lookups[source.id])["props"]
    assert rel.key in before[stored.CITED_IN]
    fewer = Dataset(mini.nodes, tuple(r for r in mini.relations if r is not rel))
    lookups = build_plan(fewer, ontology).lookups.get(source.id, NO_LOOKUPS)
    after = node_row(ontology, source, lookups=lookups)["props"]
    assert rel.key not in after.get(stored.CITED_IN, [])
    assert after[stored.HASH] != before[stored.HASH]  # what a reload compares
