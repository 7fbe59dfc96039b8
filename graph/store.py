"""The one small interface every graph store implements, and the errors it raises."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from mineralkg.loaders.plan import LoadPlan, LoadReport, Progress

Mode = Literal["read", "write"]
Row = dict[str, Any]
Statement = tuple[str, Mapping[str, Any]]
OnResult = Callable[[int, list[Row]], None]


class StoreError(Exception):
    """Base for store errors; `status` is the HTTP status an API maps it to."""

    status = 500


class StoreUnavailable(StoreError):
    """The store cannot be reached; the message says which store, where and what to check."""

    status = 503


class QuerySyntaxError(StoreError):
    """The database rejected the Cypher text; the message is the database's own."""

    status = 400


class BadParameter(StoreError):
    """A parameter value the database cannot take (FalkorDB: a string holding NUL)."""

    status = 422


class QueryRefused(StoreError):
    """The database refused the query, e.g. a write in read mode."""

    status = 403


class AnswerTooLarge(StoreError):
    """The answer grew past the byte cap of a read before it could be cut to rows."""

    status = 413


class QueryTimeout(StoreError):
    """The query ran longer than its timeout and was stopped."""

    status = 408


@dataclass
class Result:
    """Rows as plain dicts (graph values serialised the same way on every store)."""

    columns: list[str]
    rows: list[Row]
    truncated: bool = False
    counters: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Counts:
    nodes: int
    relationships: int
    labels: dict[str, int]
    types: dict[str, int]


class GraphStore(ABC):
    """A property graph spoken to in Cypher.

    Implementations differ only where the engines do; every such difference lives in the
    implementation class, never in the callers.
    """

    kind: str
    address: str

    @abstractmethod
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
        """Run one query. In read mode the database itself refuses writes. `limit` cuts the
        rows; `max_bytes` too, once the rows read weigh more (about their JSON size): Neo4j
        stops reading there, FalkorDB sends an answer whole (the API cuts it after)."""

    @abstractmethod
    def write_transaction(
        self, statements: Iterable[Statement], on_result: OnResult | None = None
    ) -> None:
        """Run write statements so that all of them take effect or none does.

        `statements` may be a generator (batches are built as they are sent); `on_result`
        gets each statement's index and its rows.
        """

    @abstractmethod
    def load(
        self,
        plan: LoadPlan,
        *,
        batch_size: int = 1000,
        workers: int | None = None,
        progress: Progress | None = None,
    ) -> LoadReport:
        """Make the graph hold exactly the plan's rows, all or nothing; report what was
        created, updated and deleted. A reload of the same data changes and reports nothing.

        Rows are written `batch_size` at a time; `workers`: processes that build them, where
        the store builds rows outside the database (default: the store's choice);
        `progress` gets the number of rows of each batch written."""

    @abstractmethod
    def ensure_schema(self, labels: Sequence[str], fulltext_labels: Sequence[str]) -> None:
        """Unique ids (or an index) on every label, a full-text index on names and aliases."""

    @abstractmethod
    def fulltext(self, text: str, limit: int) -> list[tuple[str, float]]:
        """Node ids whose name or aliases match `text`, with a score, best first."""

    @abstractmethod
    def clear(self) -> None:
        """Remove every node and relationship (used by tests and benchmarks)."""

    @abstractmethod
    def close(self) -> None: ...

    def ping(self) -> None:
        """Raise StoreUnavailable unless the store answers."""
        self.run("RETURN 1 AS ok")

    def counts(self) -> Counts:
        nodes = self.run("MATCH (n) RETURN count(n) AS c").rows[0]["c"]
        rels = self.run("MATCH ()-[r]->() RETURN count(r) AS c").rows[0]["c"]
        labels = {
            r["label"]: r["c"]
            for r in self.run(
                "MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS c ORDER BY label"
            ).rows
        }
        types = {
            r["type"]: r["c"]
            for r in self.run(
                "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS c ORDER BY type"
            ).rows
        }
        return Counts(nodes, rels, labels, types)

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
