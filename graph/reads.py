"""The one read path: every query a user asks for (catalogue or ad-hoc, from the CLI, the API,
the Python session or a view) runs through `read`, in the database's read mode, with the
configured timeout and row cap."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mineralkg.graph.catalogue import ROW_LIMIT, NamedQuery
from mineralkg.graph.resolve import resolve_params
from mineralkg.graph.store import GraphStore, Result
from mineralkg.settings import Settings


@dataclass(frozen=True)
class ReadLimits:
    """How long a read may run and how many rows it returns (MINERALKG_QUERY_TIMEOUT,
    MINERALKG_ROW_LIMIT)."""

    timeout: float
    rows: int
    bytes: int | None = None
    """About the most JSON bytes of rows read (MINERALKG_RESULT_LIMIT_BYTES): Neo4j stops
    reading past it, so a memory bomb never reaches the API whole."""

    @classmethod
    def of(cls, settings: Settings) -> ReadLimits:
        return cls(settings.query_timeout, settings.row_limit, settings.result_limit_bytes)


def read(
    store: GraphStore, text: str, params: Mapping[str, Any] | None, limits: ReadLimits
) -> Result:
    """Run Cypher read-only (the database refuses writes), stopped after `limits.timeout`
    seconds and cut at `limits.rows` rows (`Result.truncated` says so). A query that pages
    itself (`$row_limit`, graph/catalogue.py) is told to compute one row more than that: enough
    to know whether more exist."""
    if params and ROW_LIMIT in params:
        params = {**params, ROW_LIMIT: limits.rows + 1}
    return store.run(
        text,
        params or {},
        mode="read",
        timeout=limits.timeout,
        limit=limits.rows,
        max_bytes=limits.bytes,
    )


def read_named(
    store: GraphStore, query: NamedQuery, given: Mapping[str, Any], limits: ReadLimits
) -> Result:
    """A catalogue query with its parameters checked and typed (ParamError names each bad one)
    and its entity parameters resolved from names and aliases (`graph/resolve.py`)."""
    return read(store, query.cypher, resolve_params(store, query, query.bind(given)), limits)
