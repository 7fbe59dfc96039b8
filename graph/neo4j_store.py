"""Neo4j through the official driver: a local server, Aura or a cluster."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from typing import Any

import neo4j
import orjson
from neo4j import GraphDatabase, Query, RoutingControl, unit_of_work
from neo4j import exceptions as neo4j_errors
from neo4j.graph import Node, Path, Relationship

from mineralkg.graph import guard, neo4j_load
from mineralkg.graph.store import (
    GraphStore,
    Mode,
    OnResult,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    Result,
    Statement,
    StoreError,
    StoreUnavailable,
)
from mineralkg.loaders import stored
from mineralkg.loaders.plan import FULLTEXT_LABEL, LoadPlan, LoadReport, Progress

FULLTEXT_INDEX = "entity_names"
FETCH_SIZE = 100
"""Records a read asks the server for at a time (the driver's default, 1,000 rows of 1 MB
strings, held 1 GB before the first row could be weighed)."""
RETRY_TIME = 2.0  # seconds the driver retries a read on transient failures (its default: 30);
# under the query timeout, so a store that went away is a 503 within the answer's deadline
_ALLOWED_SIZE = 1024  # query texts whose check passed, kept to skip their EXPLAIN


class Neo4jStore(GraphStore):
    """Read work goes through the driver's READ access mode: the server refuses writes there."""

    kind = "neo4j"

    def __init__(
        self,
        uri: str,
        user: str = "",
        password: str = "",
        database: str = "",
        *,
        write_timeout: float | None = 0,
        retry_time: float = RETRY_TIME,
    ) -> None:
        """`write_timeout`: seconds a write_transaction may run; 0 (the default) sets no
        limit, None leaves the server's db.transaction.timeout in force. A load is one
        transaction however large the data, so a limit meant for queries must not cap it."""
        self.address = uri
        self.database = database or None
        self.write_timeout = write_timeout
        self._allowed: set[str] = set()
        auth = (user, password) if password else None
        try:
            # optional properties are often absent; the server's "unknown property" notices
            # about them would only fill the logs
            self._driver = GraphDatabase.driver(
                uri,
                auth=auth,
                notifications_disabled_categories=["UNRECOGNIZED", "DEPRECATION"],
                max_transaction_retry_time=retry_time,
                fetch_size=FETCH_SIZE,
            )
            self._driver.verify_connectivity()
        except (
            neo4j_errors.ServiceUnavailable,
            neo4j_errors.AuthError,
            ValueError,
            OSError,
        ) as exc:
            raise StoreUnavailable(
                f"neo4j store: cannot reach {uri} ({exc}); check that the server runs "
                "(make neo4j), MINERALKG_NEO4J_URI and the credentials"
            ) from None

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
        """Reads are managed read transactions: under neo4j:// the driver routes them to a
        reader and retries them on a transient failure (a leader change, a restarted server)
        for up to `retry_time` seconds. Each is checked first (graph/guard.py: no
        administration, no LOAD CSV, only reading procedures)."""
        params = dict(params or {})
        try:
            if mode == "read":
                self._check_read(query, params)
                # execute_query: a managed read transaction whose BEGIN goes out with the
                # query (execute_read waits for BEGIN's answer first: one more round trip
                # per read); records come in batches of FETCH_SIZE, so a byte cap stops
                # within one batch; no bookmark manager: reads need not wait for writes
                columns, raw, truncated, summary = self._driver.execute_query(
                    Query(query, timeout=timeout),
                    params,
                    database_=self.database,
                    routing_=RoutingControl.READ,
                    bookmark_manager_=None,
                    result_transformer_=partial(_cut, limit, max_bytes),
                )
            else:
                work = unit_of_work(timeout=timeout)(
                    partial(_fetch, query, params, limit, max_bytes)
                )
                with self._driver.session(database=self.database) as s:
                    columns, raw, truncated, summary = s.execute_write(work)
        except neo4j_errors.Neo4jError as exc:
            raise _translate(exc) from None
        except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired) as exc:
            raise StoreUnavailable(f"neo4j store at {self.address} went away: {exc}") from None
        ids = self._endpoint_ids(raw)
        rows = [dict(zip(columns, [_value(v, ids) for v in record], strict=True)) for record in raw]
        c = summary.counters
        counters = {
            "nodes_created": c.nodes_created,
            "nodes_deleted": c.nodes_deleted,
            "relationships_created": c.relationships_created,
            "relationships_deleted": c.relationships_deleted,
            "properties_set": c.properties_set,
        }
        return Result(columns, rows, truncated, counters)

    def _check_read(self, query: str, params: dict[str, Any]) -> None:
        """Refuse what a read of data must not do, from the plan the server makes of it
        (EXPLAIN runs nothing). Verdicts are kept per query text."""
        if query in self._allowed:
            return
        with self._driver.session(database=self.database) as s:
            summary = s.execute_read(_explain, query, params)
        problems = guard.neo4j_plan_problems(summary.plan)
        if summary.query_type == "s" and not problems:
            problems = ["it administers the server or its schema"]
        if problems:
            raise QueryRefused(
                f"this query is refused: {'; '.join(problems)}. Ad-hoc queries read data only"
            )
        if len(self._allowed) >= _ALLOWED_SIZE:
            self._allowed.clear()
        self._allowed.add(query)

    def _endpoint_ids(self, records: list[neo4j.Record]) -> dict[str, str]:
        """Our ids of relationship endpoints, which the driver may return without properties:
        a look-up only for those that are not also nodes of the answer (the driver gives the
        records of one answer the same node objects, so an end returned as a node has them)."""
        wanted: set[str] = set()
        known: dict[str, str] = {}

        def collect(value: Any) -> None:
            if type(value) in _PLAIN:
                return
            if isinstance(value, Relationship):
                for node in (value.start_node, value.end_node):
                    if node is not None and node.get(stored.ID) is not None:
                        known[node.element_id] = str(node[stored.ID])
                    elif node is not None:
                        wanted.add(node.element_id)
            elif isinstance(value, Path):
                for rel in value.relationships:
                    collect(rel)
            elif isinstance(value, list):
                for item in value:
                    collect(item)
            elif isinstance(value, dict):
                for item in value.values():
                    collect(item)

        for record in records:
            for value in record:
                collect(value)
        wanted -= set(known)
        if not wanted:
            return known
        found, _, _ = self._driver.execute_query(
            "MATCH (n) WHERE elementId(n) IN $ids RETURN elementId(n) AS e, n.id AS id",
            {"ids": sorted(wanted)},
            database_=self.database,
            routing_=RoutingControl.READ,
        )
        return {**known, **{r["e"]: r["id"] for r in found}}

    def write_transaction(
        self, statements: Iterable[Statement], on_result: OnResult | None = None
    ) -> None:
        """One explicit transaction: it commits whole or rolls back whole."""
        try:
            with self._driver.session(database=self.database) as session:
                with session.begin_transaction(timeout=self.write_timeout) as tx:
                    for index, (query, params) in enumerate(statements):
                        # the driver keeps every result of a transaction, parameters
                        # included, until it ends: send copies of the row lists and empty
                        # them once the result is read, so that a load holds one batch in
                        # memory rather than all of them
                        sent = {k: list(v) if isinstance(v, list) else v for k, v in params.items()}
                        result = tx.run(query, sent)
                        rows = [dict(r) for r in result]
                        for value in sent.values():
                            if isinstance(value, list):
                                value.clear()
                        if on_result is not None:
                            on_result(index, rows)
                    tx.commit()
        except neo4j_errors.Neo4jError as exc:
            raise _translate(exc) from None
        except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired) as exc:
            raise StoreUnavailable(f"neo4j store at {self.address} went away: {exc}") from None

    def load(
        self,
        plan: LoadPlan,
        *,
        batch_size: int = 1000,
        workers: int | None = None,
        progress: Progress | None = None,
    ) -> LoadReport:
        """UNWIND batches and the sync-delete in one transaction (graph/neo4j_load.py); rows
        are built by the driver's caller, so `workers` is not used."""
        return neo4j_load.load(self, plan, batch_size=batch_size, progress=progress)

    def ensure_schema(self, labels: Sequence[str], fulltext_labels: Sequence[str]) -> None:
        # label names come from the ontology, never from user input
        for label in labels:
            self._execute(
                f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS "
                f"FOR (n:{label}) REQUIRE n.id IS UNIQUE"
            )
        for label, key in stored.RANGE_INDEXED:
            if label in labels:
                self._execute(
                    f"CREATE INDEX {label.lower()}{key} IF NOT EXISTS FOR (n:{label}) ON (n.{key})"
                )
        # a text index serves CONTAINS (find_entity, statements_about); FalkorDB has none
        self._execute(
            f"CREATE TEXT INDEX entity{stored.SEARCH_TEXT} IF NOT EXISTS "
            f"FOR (n:{FULLTEXT_LABEL}) ON (n.{stored.SEARCH_TEXT})"
        )
        joined = "|".join(fulltext_labels)
        self._execute(
            f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} IF NOT EXISTS "
            f"FOR (n:{joined}) ON EACH [n.name, n._aliases]"
        )
        self._execute("CALL db.awaitIndexes(60)")

    def _execute(self, query: str, params: Mapping[str, Any] | None = None) -> None:
        try:
            self._driver.execute_query(query, dict(params or {}), database_=self.database)
        except neo4j_errors.Neo4jError as exc:
            raise _translate(exc) from None

    def fulltext(self, text: str, limit: int) -> list[tuple[str, float]]:
        terms = _fulltext_terms(text)
        if not terms:
            return []
        records, _, _ = self._driver.execute_query(
            "CALL db.index.fulltext.queryNodes($index, $q) YIELD node, score "
            "RETURN node.id AS id, score ORDER BY score DESC LIMIT $limit",
            {"index": FULLTEXT_INDEX, "q": terms, "limit": limit},
            database_=self.database,
            routing_=RoutingControl.READ,
        )
        return [(str(r["id"]), float(r["score"])) for r in records]

    def clear(self) -> None:
        # batched deletes need an auto-commit transaction, hence session.run
        with self._driver.session(database=self.database) as session:
            session.run(
                Query(
                    "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS",
                    timeout=self.write_timeout,  # a large graph takes longer than the server's
                )
            ).consume()

    def close(self) -> None:
        self._driver.close()


def _fetch(
    query: str,
    params: dict[str, Any],
    limit: int | None,
    max_bytes: int | None,
    tx: neo4j.ManagedTransaction,
) -> tuple[list[str], list[neo4j.Record], bool, neo4j.ResultSummary]:
    try:
        result = tx.run(query, params)
    except neo4j_errors.TransientError as exc:
        raise _too_large(exc) from None
    return _cut(limit, max_bytes, result)


def _cut(
    limit: int | None, max_bytes: int | None, result: neo4j.Result
) -> tuple[list[str], list[neo4j.Record], bool, neo4j.ResultSummary]:
    """A query's records, cut at `limit` rows or past `max_bytes` (about their JSON size);
    the rest is discarded by the server, never sent."""
    try:
        columns = list(result.keys())
        raw: list[neo4j.Record] = []
        truncated = False
        weight = 0
        for record in result:
            if limit is not None and len(raw) >= limit:
                truncated = True
                break
            raw.append(record)
            if max_bytes is not None:
                weight += len(orjson.dumps(record.values(), default=str))
                if weight > max_bytes:  # this row is kept: the API's own cut is exact
                    truncated = True
                    break
        return columns, raw, truncated, result.consume()
    except neo4j_errors.TransientError as exc:
        raise _too_large(exc) from None


def _too_large(exc: neo4j_errors.TransientError) -> Exception:
    if "MemoryPool" in (exc.code or ""):
        # transient to the driver, which would run it again and again: not for us
        return guard.QueryTooLarge(
            "the query needs more memory than a transaction may use "
            f"(db.memory.transaction.max); narrow it: {exc.message}"
        )
    return exc


def _explain(tx: neo4j.ManagedTransaction, query: str, params: dict[str, Any]) -> Any:
    return tx.run(f"EXPLAIN {query}", params).consume()


def _fulltext_terms(text: str) -> str:
    """Lucene syntax from free text: each word as a prefix, special characters dropped."""
    words = "".join(c if c.isalnum() else " " for c in text).split()
    return " AND ".join(f"{w}*" for w in words if len(w) > 1)


def _translate(exc: neo4j_errors.Neo4jError) -> StoreError:
    code = exc.code or ""
    message = exc.message or str(exc)
    if code.endswith("AccessMode") or "Forbidden" in code:
        return QueryRefused(f"the query writes, but this request is read-only: {message}")
    if "TransactionTimedOut" in code or "Terminated" in code or "timeout" in message.lower():
        return QueryTimeout(f"the query was stopped: {message}")
    if code.startswith("Neo.ClientError"):
        return QuerySyntaxError(message)
    return StoreError(message)


_PLAIN = frozenset({str, int, float, bool, type(None)})
"""Types an answer holds as they are: tested first, by type, as most values are of them (a
chain of isinstance tests on every value took a fifth of a 1,000-row read)."""


def _value(value: Any, ids: dict[str, str]) -> Any:
    if type(value) in _PLAIN:
        return value
    if isinstance(value, Node):
        props = stored.public(dict(value))
        return {"id": props.get("id"), "labels": sorted(value.labels), "properties": props}
    if isinstance(value, Relationship):
        start, end = value.start_node, value.end_node
        return {
            "type": value.type,
            "start": ids.get(start.element_id) if start is not None else None,
            "end": ids.get(end.element_id) if end is not None else None,
            "properties": stored.public(dict(value)),
        }
    if isinstance(value, Path):
        return {
            "nodes": [_value(n, ids) for n in value.nodes],
            "relationships": [_value(r, ids) for r in value.relationships],
        }
    if isinstance(value, list):
        return [_value(v, ids) for v in value]
    if isinstance(value, dict):  # properties(n) included: internal keys left out
        return {str(k): _value(v, ids) for k, v in value.items() if not stored.is_internal(k)}
    if hasattr(value, "iso_format"):
        return value.iso_format()
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return value
