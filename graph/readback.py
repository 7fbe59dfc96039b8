"""The graph read back as a Dataset, so that exports show what the store really holds."""

from __future__ import annotations

from typing import Any

from mineralkg.graph.store import GraphStore
from mineralkg.loaders import stored
from mineralkg.loaders.dataset import Dataset, Node, Relation
from mineralkg.loaders.schema import Evidence
from mineralkg.ontology.model import Ontology
from mineralkg.ontology.model import load as load_ontology


def _evidence(props: dict[str, Any]) -> tuple[Evidence, ...]:
    return tuple(Evidence(**item) for item in stored.decode_evidence(props))


def dataset_from_graph(store: GraphStore, ont: Ontology | None = None) -> Dataset:
    ont = ont or load_ontology()
    nodes: dict[str, Node] = {}
    for row in store.run("MATCH (n:Entity) RETURN n ORDER BY n.id").rows:
        props = row["n"]["properties"]
        cls = ont.classes[props[stored.CLASS]]
        nodes[props["id"]] = Node(
            props["id"],
            cls.name,
            cls.labels,
            props["name"],
            stored.own(props),
            _evidence(props),
            "<graph>",
            0,
        )
    relations = []
    query = (
        "MATCH (a:Entity)-[r]->(b:Entity) "
        "RETURN a.id AS a, type(r) AS t, b.id AS b, properties(r) AS p ORDER BY a, t, b"
    )
    for row in store.run(query).rows:
        props = row["p"]
        relations.append(
            Relation(
                row["t"], row["a"], row["b"], stored.own(props), _evidence(props), "<graph>", 0
            )
        )
    return Dataset(nodes, tuple(relations))
