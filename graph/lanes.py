"""A store whose every read has a deadline, for servers that must stay answerable.

The graph explorer's reads (search, entity detail, neighbourhoods, paths, views, the export's
read-back, the cache's version) call `store.run` without a timeout; on a server one slow or
hostile read would then hold a database thread and an API thread for as long as it runs.
`BoundedStore` gives every read the configured timeout unless the caller set one, so the
database stops it (Neo4j on time, FalkorDB coarsely; the API's lanes answer on time either
way, `mineralkg.api.lanes`).
"""

from __future__ import annotations

import ipaddress
import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from mineralkg.graph.store import GraphStore, Mode, OnResult, Result, Statement

if TYPE_CHECKING:
    from mineralkg.loaders.plan import LoadPlan, LoadReport, Progress


_budget = threading.local()  # the deadline (monotonic) of the work on this thread, if any


def within[R](seconds: float, call: Callable[[], R]) -> R:
    """`call()` with every read it makes through a BoundedStore on this thread sharing one
    budget: each query's timeout is what is left of `seconds`, so a request of several
    queries is stopped by the database on time, not only each query."""
    _budget.deadline = time.monotonic() + seconds
    try:
        return call()
    finally:
        _budget.deadline = None


def _left() -> float | None:
    deadline: float | None = getattr(_budget, "deadline", None)
    return None if deadline is None else max(0.01, deadline - time.monotonic())


class BoundedStore(GraphStore):
    """Delegates to `inner`; reads without a timeout get `timeout` seconds."""

    def __init__(self, inner: GraphStore, timeout: float) -> None:
        self.inner = inner
        self.timeout = timeout
        self.kind = inner.kind
        self.address = inner.address

    def __getattr__(self, name: str) -> Any:  # what only one store has (graph_name, ...)
        return getattr(self.inner, name)

    def run(
        self,
        query: str,
        params: Mapping[str, Any] | None = None,
        *,
        mode: Mode = "read",
        timeout: float | None = None,
        limit: int | None = None,
        max_bytes: int | None = None,
    ) -> Result:
        if mode == "read":
            left = _left()
            timeout = min(t for t in (timeout, self.timeout, left) if t is not None)
        return self.inner.run(
            query, params, mode=mode, timeout=timeout, limit=limit, max_bytes=max_bytes
        )

    def write_transaction(
        self, statements: Iterable[Statement], on_result: OnResult | None = None
    ) -> None:
        self.inner.write_transaction(statements, on_result)

    def load(
        self,
        plan: LoadPlan,
        *,
        batch_size: int = 1000,
        workers: int | None = None,
        progress: Progress | None = None,
    ) -> LoadReport:
        return self.inner.load(plan, batch_size=batch_size, workers=workers, progress=progress)

    def ensure_schema(self, labels: Sequence[str], fulltext_labels: Sequence[str]) -> None:
        self.inner.ensure_schema(labels, fulltext_labels)

    def fulltext(self, text: str, limit: int) -> list[tuple[str, float]]:
        return self.inner.fulltext(text, limit)

    def clear(self) -> None:
        self.inner.clear()

    def ping(self) -> None:
        self.inner.ping()

    def close(self) -> None:
        self.inner.close()


QUERY_MEMORY_BYTES = 512 * 2**20
"""FalkorDB's QUERY_MEM_CAPACITY: a query needing more memory fails instead of growing the
server (1,000 rows of 1 MB strings took it to 2.1 GB)."""


def _unbounded(store: GraphStore) -> GraphStore:
    """The store behind a BoundedStore, or `store` itself."""
    return store.inner if isinstance(store, BoundedStore) else store


def _embedded(store: GraphStore) -> GraphStore | None:
    """The embedded store behind `store`, if that is what it is."""
    inner = _unbounded(store)
    return inner if inner.kind == "embedded" else None


def _embedded_connection(store: GraphStore) -> Any | None:
    return getattr(_embedded(store), "connection", None)


def engine_threads(store: GraphStore) -> int | None:
    """The cores the store's queries run on, where known: FalkorDB's query threads
    (THREAD_COUNT, fixed when the server starts: the number of cores); for a Neo4j server on
    this machine (a loopback address) this machine's cores; None for a remote Neo4j."""
    conn = _embedded_connection(store)
    if conn is not None:
        (_, value) = conn.execute_command("GRAPH.CONFIG", "GET", "THREAD_COUNT")
        return int(value)
    host = urlsplit(getattr(_unbounded(store), "address", "")).hostname or ""
    return os.cpu_count() if _is_loopback(host) else None


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def tune(store: GraphStore) -> None:
    """Bound the memory of one query on the embedded server, also after it restarts (Neo4j's
    limit is the server's `db.memory.transaction.max`)."""
    configure = getattr(_embedded(store), "configure", None)
    if configure is not None:
        configure("QUERY_MEM_CAPACITY", QUERY_MEMORY_BYTES)
