"""Views and the whole graph in the formats network tools read.

- GraphML and GEXF (Gephi, Cytoscape, networkx, yEd) of any view, written by networkx from
  the view's nodes and edges: one directed multigraph, node ids and edge keys as in the
  graph; scalar properties as they are, lists and maps as JSON text (neither format holds
  lists).
- CSV node and relationship lists of the whole graph with the header of Neo4j's
  `neo4j-admin database import` (`id:ID`, `:LABEL`, `:START_ID`, `:END_ID`, `:TYPE`; labels
  joined by `;`), which spreadsheet importers (Gephi's included) read as plain columns.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from mineralkg.graph.store import GraphStore
from mineralkg.loaders import stored
from mineralkg.views.model import ViewModel
from mineralkg.views.tabular import to_delimited

if TYPE_CHECKING:
    import networkx

GraphFormat = Literal["graphml", "gexf"]
GRAPH_FORMATS: tuple[GraphFormat, ...] = ("graphml", "gexf")
MEDIA = {"graphml": "application/graphml+xml", "gexf": "application/gexf+xml"}

ALL_NODES = "MATCH (n) RETURN n"
ALL_RELATIONSHIPS = "MATCH (a)-[r]->(b) RETURN r"


def _scalar(value: Any) -> str | int | float | bool:
    """A value either format can hold: text, numbers and booleans as they are, else JSON."""
    if isinstance(value, str | int | float | bool):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def _attributes(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _scalar(v) for k, v in fields.items() if v is not None}


def to_networkx(view: ViewModel) -> networkx.MultiDiGraph:
    """The view as a networkx directed multigraph (an edge's key is its relationship key)."""
    import networkx as nx

    graph = nx.MultiDiGraph(name=view.title)
    for node in view.nodes:
        fields = {
            "label": node.name,
            "class": node.cls,
            "group": node.group,
            "color": node.color,
            **node.properties,
            **node.dates,
            "status": node.status,
            "sources": node.sources,
            "quotes": node.quotes,
        }
        graph.add_nodes_from([(node.id, _attributes(fields))])
    for edge in view.edges:
        fields = {
            "label": edge.type,
            "type": edge.type,
            **edge.properties,
            **edge.dates,
            "sources": edge.sources,
            "quotes": edge.quotes,
        }
        attributes = _attributes(fields) | {"id": edge.id}
        graph.add_edges_from([(edge.start, edge.end, edge.id, attributes)])
    return graph


def write_graph(view: ViewModel, fmt: GraphFormat) -> bytes:
    """The view as a GraphML or GEXF document (UTF-8)."""
    import networkx as nx

    graph = to_networkx(view)
    out = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(graph, out, encoding="utf-8")
    else:
        nx.write_gexf(graph, out, encoding="utf-8")
    return out.getvalue()


def write_file(view: ViewModel, output: Path) -> None:
    """The view as one offline HTML page, or as GraphML or GEXF when the file is named so
    (for network tools)."""
    from mineralkg.views.render import render_view

    output.parent.mkdir(parents=True, exist_ok=True)
    kind = output.suffix.lstrip(".").lower()
    if kind in GRAPH_FORMATS:
        output.write_bytes(write_graph(view, kind))
    else:
        output.write_text(render_view(view, offline=True), encoding="utf-8")


def _columns(items: Iterable[Mapping[str, Any]], fixed: list[str]) -> list[str]:
    names: dict[str, None] = {}
    for item in items:
        for key in item:
            if key not in fixed:
                names.setdefault(key)
    return [*fixed, *sorted(names)]


def _props(item: Mapping[str, Any]) -> dict[str, Any]:
    props = stored.public(item["properties"])
    return {k: v for k, v in props.items() if k != stored.ID}


def node_list(store: GraphStore) -> str:
    """Every node: `id:ID`, `:LABEL` and one column per property (lists and maps as JSON)."""
    rows = []
    for row in store.run(ALL_NODES).rows:
        node = row["n"]
        rows.append({"id:ID": node["id"], ":LABEL": ";".join(node["labels"]), **_props(node)})
    rows.sort(key=lambda r: str(r["id:ID"]))
    return to_delimited(_columns(rows, ["id:ID", ":LABEL"]), rows)


def relationship_list(store: GraphStore) -> str:
    """Every relationship: `:START_ID`, `:END_ID`, `:TYPE` and one column per property."""
    rows = []
    for row in store.run(ALL_RELATIONSHIPS).rows:
        rel = row["r"]
        rows.append(
            {":START_ID": rel["start"], ":END_ID": rel["end"], ":TYPE": rel["type"], **_props(rel)}
        )
    rows.sort(key=lambda r: (str(r[":START_ID"]), r[":TYPE"], str(r[":END_ID"])))
    return to_delimited(_columns(rows, [":START_ID", ":END_ID", ":TYPE"]), rows)
