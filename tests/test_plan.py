"""The load plan: every row once, in class and type order, cut into slices; no store needed."""

from __future__ import annotations

from dataclasses import replace

import pytest

from mineralkg.graph import bulk_workers, falkordb_bulk
from mineralkg.loaders.dataset import Dataset
from mineralkg.loaders.plan import LoadReport, PlanError, Slice, build_plan
from mineralkg.loaders.rows import (
    NO_LOOKUPS,
    EdgeSlice,
    NodeInput,
    NodeSlice,
    node_row,
    relation_row,
)
from mineralkg.ontology.model import Ontology


def test_groups_hold_every_row_once_in_sorted_order(curated: Dataset, ontology: Ontology) -> None:
    plan = build_plan(curated, ontology)
    assert [g.cls for g in plan.nodes] == sorted({n.cls for n in curated.nodes.values()})
    assert [g.type for g in plan.relations] == sorted({r.type for r in curated.relations})
    assert sorted(n.id for g in plan.nodes for n in g.nodes) == sorted(curated.nodes)
    assert sum(len(g.relations) for g in plan.relations) == len(curated.relations)
    assert plan.total == len(curated.nodes) + len(curated.relations)
    state = next(g for g in plan.nodes if g.cls == "State")
    assert state.labels == "Entity:Actor:State"
    assert {"Entity", "Actor", "State"} <= set(plan.labels)
    assert plan.distinct_relations() == len({r.key for r in curated.relations})
    assert build_plan(curated, ontology).stamp != plan.stamp


def test_batches_of_rows_are_the_rows_of_the_group(curated: Dataset, ontology: Ontology) -> None:
    plan = build_plan(curated, ontology)
    group = max(plan.nodes, key=lambda g: len(g.nodes))
    batches = list(plan.node_rows(group, 3))
    assert all(len(b) == 3 for b in batches[:-1]) and 1 <= len(batches[-1]) <= 3
    expected = [
        node_row(ontology, n, lookups=plan.lookups.get(n.id, NO_LOOKUPS)) for n in group.nodes
    ]
    assert [r for b in batches for r in b] == expected
    rels = plan.relations[0]
    rows = [r for b in plan.relation_rows(rels, 2) for r in b]
    assert rows == [relation_row(ontology, r) for r in rels.relations]


def test_slices_cover_the_plan_in_order(curated: Dataset, ontology: Ontology) -> None:
    plan = build_plan(curated, ontology)
    parts = plan.slices(7)
    assert all(1 <= p.size <= 7 for p in parts)
    assert sum(p.size for p in parts) == plan.total
    nodes = [n.id for p in parts if not p.edges for n in plan.nodes_of(p)]
    assert nodes == [n.id for g in plan.nodes for n in g.nodes]
    assert list(plan.numbers) == nodes and list(plan.numbers.values()) == list(range(len(nodes)))
    assert [p.edges for p in parts] == sorted(p.edges for p in parts)  # nodes, then edges


def test_a_slice_input_is_plain_values(curated: Dataset, ontology: Ontology) -> None:
    plan = build_plan(curated, ontology)
    node_part, edge_part = plan.slices(5)[0], plan.slices(5)[-1]
    job = plan.slice_input(node_part)
    assert isinstance(job, NodeSlice)
    assert job.labels == plan.nodes[0].labels and job.stamp == plan.stamp
    assert all(type(i) is NodeInput for i in job.nodes)
    edges = plan.slice_input(edge_part)
    assert isinstance(edges, EdgeSlice) and edges.type == plan.relations[-1].type
    rel = plan.relations_of(edge_part)[0]
    assert edges.relations[0].start == rel.start
    assert (edges.starts[0], edges.ends[0]) == (plan.numbers[rel.start], plan.numbers[rel.end])
    block, hashes = bulk_workers.encode(edges)
    assert isinstance(block, falkordb_bulk.Block) and block.edges
    assert block.count == len(hashes) == edge_part.size


def test_an_edge_to_a_missing_node_names_the_relationship(
    curated: Dataset, ontology: Ontology
) -> None:
    rel = replace(curated.relations[0], end="nowhere")
    broken = replace(curated, relations=(rel, *curated.relations[1:]))
    plan = build_plan(broken, ontology)
    part = next(p for p in plan.slices(10**6) if p.edges and rel in plan.relations_of(p))
    with pytest.raises(PlanError, match="names no node 'nowhere'"):
        plan.slice_input(part)


def test_a_report_sums_up() -> None:
    report = LoadReport()
    report.nodes["created"] += 2
    assert report.summary() == (
        "nodes: 2 created, 0 updated, 0 deleted; relationships: 0 created, 0 updated, 0 deleted"
    )
    assert Slice(True, 0, 3, 5).size == 2
