"""What the graph stores for a node or relationship, and the hash a reload compares."""

from __future__ import annotations

from dataclasses import replace

from mineralkg.graph.store import GraphStore
from mineralkg.loaders import stored
from mineralkg.loaders.dataset import Dataset
from mineralkg.loaders.plan import build_plan
from mineralkg.loaders.rows import node_row, relation_row
from mineralkg.loaders.stored import public
from mineralkg.ontology.model import Ontology

BOOKKEEPING = {"_hash", "_load"}


def test_both_stores_hold_the_rows_properties(
    store: GraphStore, curated: Dataset, ontology: Ontology
) -> None:
    """The bulk path (embedded) encodes values without building the rows' maps; what it
    stores must be what the MERGE path (Neo4j) sets: the same for every node and edge."""
    store.load(build_plan(curated))
    nodes = {
        r["id"]: {k: v for k, v in r["p"].items() if k not in BOOKKEEPING}
        for r in store.run("MATCH (n:Entity) RETURN n.id AS id, properties(n) AS p").rows
    }
    # internal keys (`_aliases`, ...) are kept out of property maps read back (graph/guard.py)
    expected = {
        n.id: public(node_row(ontology, n, hashed=False)["props"]) for n in curated.nodes.values()
    }
    assert nodes == expected
    edges = {
        r["k"]: {k: v for k, v in r["p"].items() if k not in BOOKKEEPING}
        for r in store.run("MATCH ()-[x]->() RETURN x.key AS k, properties(x) AS p").rows
    }
    assert edges == {
        rel.key: public(relation_row(ontology, rel, hashed=False)["props"])
        for rel in curated.relations
    }


def test_the_hash_changes_with_any_value_and_with_where_a_value_is(
    curated: Dataset, ontology: Ontology
) -> None:
    rel = next(r for r in curated.relations if "role" in r.props and "note" not in r.props)
    base = relation_row(ontology, rel)["props"]["_hash"]
    assert relation_row(ontology, rel)["props"]["_hash"] == base  # a function of the values
    moved = dict(rel.props)
    moved["note"] = moved.pop("role")  # the same value under another property
    changed = dict(rel.props, role="observer")
    for props in (moved, changed):
        assert relation_row(ontology, replace(rel, props=props))["props"]["_hash"] != base


def test_a_row_keeps_absent_properties_out_and_decimals_as_numbers(
    curated: Dataset, ontology: Ontology
) -> None:
    node = next(n for n in curated.nodes.values() if "amountUSD" in n.props)
    props = node_row(ontology, node)["props"]
    assert isinstance(props["amountUSD"], float)
    assert props["amountUSD"] == float(node.props["amountUSD"])
    assert None not in props.values()
    assert set(props) - {"_hash"} <= {
        "id",
        "name",
        "class",
        *node.props,
        "sources",
        "quotes",
        "attributedTo",
        "evidence",
        stored.ALIASES_TEXT,
        stored.SEARCH_TEXT,
        *(bound for key in node.props for bound in stored.date_bounds(key)),
    }


def test_a_date_is_stored_with_its_bounds_and_precision(
    curated: Dataset, ontology: Ontology
) -> None:
    node = next(n for n in curated.nodes.values() if len(str(n.props.get("adoptedOn", ""))) == 7)
    props = node_row(ontology, node)["props"]
    month = node.props["adoptedOn"]
    assert props["adoptedOnEarliest"] == f"{month}-01"
    assert props["adoptedOnLatest"][:7] == month and props["adoptedOnLatest"][8:] >= "28"
    assert props["adoptedOnPrecision"] == "month"
    mineral = next(n for n in curated.nodes.values() if n.cls == "Mineral")
    undated = replace(mineral, props={k: v for k, v in mineral.props.items() if "On" not in k})
    assert not any(stored.is_date_bound(k) for k in node_row(ontology, undated)["props"])
