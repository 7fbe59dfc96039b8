"""FalkorDB's answers as the stores' common values: column names, errors, nodes,
relationships and paths as plain dicts (with our stable ids for relationship ends)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from falkordb.edge import Edge
from falkordb.node import Node
from falkordb.path import Path as GraphPath
from redis.exceptions import ResponseError

from mineralkg.graph import guard
from mineralkg.graph.store import BadParameter, QueryRefused, QuerySyntaxError, QueryTimeout
from mineralkg.loaders import stored


def column_name(header: Any) -> str:
    return str(header[1] if isinstance(header, list | tuple) else header)


def translate(exc: ResponseError) -> Exception:
    text = str(exc)
    if "read-only" in text or "RO_QUERY" in text:
        return QueryRefused(f"the query writes, but this request is read-only: {text}")
    if "timed out" in text.lower():
        return QueryTimeout(f"the query was stopped: {text}")
    if "Failed to parse query parameter" in text:  # e.g. a string holding NUL (\x00)
        return BadParameter(
            f"a parameter holds a value the embedded store cannot take ({text}); "
            "remove control characters such as NUL from it"
        )
    if "mem consumption exceeded" in text:  # QUERY_MEM_CAPACITY (graph/lanes.py)
        return guard.QueryTooLarge(
            f"the query needed more memory than one query may use ({text}): "
            "work on fewer rows or return smaller values"
        )
    if "errMsg" in text or "Invalid input" in text or "not defined" in text or "Unknown" in text:
        return QuerySyntaxError(text)
    return QuerySyntaxError(text)


class EndpointIds:
    """Maps FalkorDB's internal node ids of edge endpoints to our stable ids, in one query."""

    def __init__(self, graph: Any) -> None:
        self.graph = graph
        self.wanted: set[int] = set()
        self.ids: dict[int, str] = {}

    def collect(self, value: Any) -> None:
        if type(value) in _SCALARS:  # most values: answered before any isinstance test
            return
        if isinstance(value, Edge):
            self.wanted.update({value.src_node, value.dest_node})
        elif isinstance(value, GraphPath):
            for edge in value.edges():
                self.collect(edge)
        elif isinstance(value, list):
            for item in value:
                self.collect(item)
        elif isinstance(value, dict):
            for item in value.values():
                self.collect(item)

    def resolve(self) -> None:
        if not self.wanted:
            return
        result = self.graph.ro_query(
            "MATCH (n) WHERE id(n) IN $ids RETURN id(n), n.id", {"ids": sorted(self.wanted)}
        )
        self.ids = {int(i): str(s) for i, s in result.result_set}


_SCALARS = frozenset({str, int, float, bool, type(None)})
"""Types FalkorDB's client gives that need no conversion: most values of most answers (a
1,000-row answer of nested maps spent more time in these functions than in the engine)."""


def value_of(value: Any, ids: EndpointIds) -> Any:
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is list:
        return [v if type(v) in _SCALARS else value_of(v, ids) for v in value]
    if kind is dict:  # properties(n) included: internal keys (stored.is_internal) left out
        return {
            k: v if type(v) in _SCALARS else value_of(v, ids)
            for k, v in value.items()
            if k[:1] != "_"
        }
    if isinstance(value, Node):
        props = stored.public(value.properties)
        return {"id": props.get("id"), "labels": sorted(value.labels or []), "properties": props}
    if isinstance(value, Edge):
        return {
            "type": value.relation,
            "start": ids.ids.get(value.src_node),
            "end": ids.ids.get(value.dest_node),
            "properties": stored.public(value.properties),
        }
    if isinstance(value, GraphPath):
        return {
            "nodes": [value_of(n, ids) for n in value.nodes()],
            "relationships": [value_of(e, ids) for e in value.edges()],
        }
    if isinstance(value, list):
        return [value_of(v, ids) for v in value]
    if isinstance(value, dict):  # properties(n) included: internal keys left out
        return {str(k): value_of(v, ids) for k, v in value.items() if not stored.is_internal(k)}
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return value
