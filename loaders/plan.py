"""A validated dataset as a load plan: what a store writes, in the order it writes it.

The plan is backend-neutral: rows grouped by class (with the labels the class carries) and by
relationship type, the stamp of the load, and helpers that cut the groups into batches or
slices. Each store decides how to write it (`GraphStore.load`: MERGE batches in one
transaction on Neo4j, a bulk-inserted graph swapped in on the embedded store). Rows are built
from the dataset's objects a batch at a time, as they are written, so a load holds a few
batches beyond the dataset, never all of its rows.
"""

from __future__ import annotations

import gc
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from itertools import islice
from typing import Any

from mineralkg.loaders.dataset import Dataset, Node, Relation
from mineralkg.loaders.lookups import lookups
from mineralkg.loaders.rows import (
    NO_LOOKUPS,
    EdgeSlice,
    Lookups,
    NodeSlice,
    Shape,
    SliceInput,
    node_input,
    node_row,
    node_shape,
    relation_input,
    relation_row,
    relation_shape,
)
from mineralkg.ontology.model import Ontology
from mineralkg.ontology.model import load as load_ontology

Progress = Callable[[int], None]
"""Called with the number of rows just written."""

FULLTEXT_LABEL = "Entity"
"""The label every node carries: its ids are unique across classes, its names are searched."""


class PlanError(ValueError):
    """The plan cannot be written as it is (validation rules it out; the message says where)."""


def _zero_counts() -> dict[str, int]:
    return defaultdict(int, {"created": 0, "updated": 0, "deleted": 0})


@dataclass
class LoadReport:
    """What a load created, updated and deleted, for nodes and for relationships."""

    nodes: dict[str, int] = field(default_factory=_zero_counts)
    relationships: dict[str, int] = field(default_factory=_zero_counts)

    def summary(self) -> str:
        def part(counts: Mapping[str, int]) -> str:
            return ", ".join(f"{counts.get(k, 0)} {k}" for k in ("created", "updated", "deleted"))

        return f"nodes: {part(self.nodes)}; relationships: {part(self.relationships)}"


def label_string(ont: Ontology, cls: str) -> str:
    """A class's node labels as Cypher writes them: `Entity:Actor:State`.

    Labels come from the ontology, never from user input, so they may be put in Cypher."""
    return ":".join(reversed(ont.classes[cls].labels))


def by_class(nodes: Iterable[Node]) -> list[tuple[str, list[Node]]]:
    """Nodes grouped by class, classes sorted: the order every load writes them in."""
    groups: dict[str, list[Node]] = defaultdict(list)
    for node in nodes:
        groups[node.cls].append(node)
    return sorted(groups.items())


def by_type(relations: Iterable[Relation]) -> list[tuple[str, list[Relation]]]:
    """Relationships grouped by type, types sorted."""
    groups: dict[str, list[Relation]] = defaultdict(list)
    for rel in relations:
        groups[rel.type].append(rel)
    return sorted(groups.items())


def batches[T](items: Iterable[T], size: int) -> Iterator[list[T]]:
    """`items` in lists of `size` (the last one shorter)."""
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """The cycle collector paused for the duration of a load.

    A load allocates millions of short-lived dicts and lists (rows) while the dataset, millions
    of long-lived objects, sits in memory: each collection the allocations trigger walks that
    dataset again, which made building the rows about 40% slower (bench/load.py). The rows hold
    no reference cycles, so reference counting frees them as before; only cycles made during the
    load wait until it ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass(frozen=True)
class NodeGroup:
    """The nodes of one class."""

    cls: str
    labels: str  # as Cypher writes them: "Entity:Actor:State"
    shape: Shape
    nodes: list[Node]


@dataclass(frozen=True)
class RelationGroup:
    """The relationships of one type."""

    type: str
    relations: list[Relation]


@dataclass(frozen=True)
class Slice:
    """Rows `start` to `stop` of one group: of `plan.nodes[group]`, or of
    `plan.relations[group]` when `edges`."""

    edges: bool
    group: int
    start: int
    stop: int

    @property
    def size(self) -> int:
        return self.stop - self.start


@dataclass(frozen=True)
class LoadPlan:
    """A dataset as groups of rows: nodes by class, then relationships by type, both sorted."""

    ontology: Ontology
    nodes: tuple[NodeGroup, ...]
    relations: tuple[RelationGroup, ...]
    relation_shape: Shape
    labels: tuple[str, ...]  # every node label of the ontology: what the schema indexes
    stamp: str  # unique to this plan: what a load marks the rows it writes with
    node_count: int
    relation_count: int
    lookups: Mapping[str, Lookups] = field(default_factory=dict)  # by node id (loaders/lookups)

    @property
    def total(self) -> int:
        """What a progress bar counts to: every node and relationship written once."""
        return self.node_count + self.relation_count

    # ------------------------------------------------------------ batches of rows

    def node_rows(self, group: NodeGroup, size: int) -> Iterator[list[dict[str, Any]]]:
        """The group's nodes as UNWIND rows ({id, props}, props with their hash), `size` at
        a time, built as they are taken."""
        ont, found = self.ontology, self.lookups
        rows = (node_row(ont, n, lookups=found.get(n.id, NO_LOOKUPS)) for n in group.nodes)
        return batches(rows, size)

    def relation_rows(self, group: RelationGroup, size: int) -> Iterator[list[dict[str, Any]]]:
        """The group's relationships as UNWIND rows ({key, from, to, props})."""
        ont = self.ontology
        return batches((relation_row(ont, r) for r in group.relations), size)

    def distinct_relations(self) -> int:
        """How many relationships differ by key (a validated dataset has no duplicates).

        One type at a time, so that the set of keys is never that of the whole dataset."""
        return sum(len({(r.start, r.end) for r in g.relations}) for g in self.relations)

    # ------------------------------------------------------------ slices

    def slices(self, size: int) -> list[Slice]:
        """Every group cut into slices of `size` rows, in the plan's order."""
        groups = [(False, g, len(group.nodes)) for g, group in enumerate(self.nodes)]
        groups += [(True, g, len(group.relations)) for g, group in enumerate(self.relations)]
        return [
            Slice(edges, g, start, min(start + size, n))
            for edges, g, n in groups
            for start in range(0, n, size)
        ]

    def nodes_of(self, part: Slice) -> list[Node]:
        return self.nodes[part.group].nodes[part.start : part.stop]

    def relations_of(self, part: Slice) -> list[Relation]:
        return self.relations[part.group].relations[part.start : part.stop]

    @cached_property
    def numbers(self) -> dict[str, int]:
        """Node id -> its position in the plan's order (how a bulk insert's edges name nodes)."""
        order = (n for group in self.nodes for n in group.nodes)
        return {n.id: i for i, n in enumerate(order)}

    def slice_input(self, part: Slice) -> SliceInput:
        """A slice's rows as plain values, nothing of the dataset's objects (a worker process
        reading those would copy, page by page, the parent memory holding them)."""
        if not part.edges:
            group = self.nodes[part.group]
            found = self.lookups
            nodes = [node_input(n, found.get(n.id, NO_LOOKUPS)) for n in self.nodes_of(part)]
            return NodeSlice(group.labels, group.shape, self.stamp, nodes)
        rtype = self.relations[part.group].type
        rels = self.relations_of(part)
        numbers = self.numbers
        try:
            starts = [numbers[r.start] for r in rels]
            ends = [numbers[r.end] for r in rels]
        except KeyError as exc:  # validation rules it out; say so plainly if not
            rel = next(r for r in rels if exc.args[0] in (r.start, r.end))
            msg = f"{rel.file}:{rel.line}: {rtype} names no node {exc.args[0]!r}"
            raise PlanError(msg) from None
        relations = [relation_input(r) for r in rels]
        return EdgeSlice(rtype, self.relation_shape, self.stamp, starts, ends, relations)


def build_plan(dataset: Dataset, ont: Ontology | None = None) -> LoadPlan:
    """The plan of a load that makes a graph hold exactly `dataset`."""
    ont = ont or load_ontology()
    nodes = tuple(
        NodeGroup(cls, label_string(ont, cls), node_shape(ont, cls), members)
        for cls, members in by_class(dataset.nodes.values())
    )
    relations = tuple(RelationGroup(t, members) for t, members in by_type(dataset.relations))
    labels = tuple(sorted({label for c in ont.node_classes() for label in c.labels}))
    return LoadPlan(
        ont,
        nodes,
        relations,
        relation_shape(ont),
        labels,
        uuid.uuid4().hex,
        len(dataset.nodes),
        len(dataset.relations),
        lookups(dataset, ont),
    )
