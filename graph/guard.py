"""What ad-hoc Cypher may do on either store: read data, nothing else.

The database's read mode already refuses writes; it does not refuse operations: listing users
or transactions, killing them (`TERMINATE TRANSACTIONS`, `dbms.killConnections`), or fetching
a URL for the caller (`LOAD CSV FROM 'http://...'`). Each store asks its own database what a
query does (Neo4j: the `EXPLAIN` plan; FalkorDB: `GRAPH.EXPLAIN`) and refuses it here before it
runs. A few query shapes crash the embedded FalkorDB server; they are refused before they reach
it, and a query that crashed it anyway is not run again for a while (`CrashBreaker`).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterable, Mapping
from typing import Any

from mineralkg.graph.store import QueryRefused, QuerySyntaxError, StoreError

READ_PROCEDURES = frozenset(
    {
        "db.labels",
        "db.relationshipTypes",
        "db.propertyKeys",
        "db.indexes",
        "db.constraints",
        "db.schema.visualization",
        "db.schema.nodeTypeProperties",
        "db.schema.relTypeProperties",
        "db.idx.fulltext.queryNodes",  # FalkorDB's full-text search
        "db.index.fulltext.queryNodes",  # Neo4j's
        "db.index.fulltext.queryRelationships",
    }
)
"""Procedures an ad-hoc query may call: they read the data or its schema and nothing else."""

_PROCEDURE = re.compile(r"\bCALL\s+([A-Za-z_][\w.]*)\s*(?:\(|\bYIELD\b|$)", re.IGNORECASE)
_STRING_OR_COMMENT = re.compile(
    r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|//[^\n]*|/\*.*?\*/", re.DOTALL
)
# A relationship of fixed length k >= 2 (`[*k..k]`, `[*k]`) with a label or property map on
# either end node: FalkorDB 4.22 (in falkordblite 0.11.0, the newest release) stops with
# SIGSEGV on it when untyped, already while planning (GRAPH.EXPLAIN crashes too), and answers
# wrongly (no paths) when typed. FalkorDB issues #2542 (open, fixed only in its Rust engine)
# and #2105. Probed on a 20-node chain: 12 of 26 shapes crashed the server, each an untyped
# fixed-length pattern with filtered ends; ranges (`[*1..2]`, `[*2..3]`) never did. Ends
# bound by an earlier MATCH crash too but cannot be told from the text; the breaker
# (CrashBreaker) stops those after one crash.
_FIXED_HOPS = re.compile(
    r"\((?P<a>[^()]*)\)\s*<?-\s*(?P<rel>\[\s*\w*\s*(?::[\w|:]+\s*)?(?:\{[^{}]*\}\s*)?"
    r"\*\s*(?P<lo>\d+)\s*(?:\.\.\s*(?P<hi>\d+)\s*)?(?:\{[^{}]*\}\s*)?\])\s*->?"
    r"(?=\s*\((?P<b>[^()]*)\))"
)
_LOAD_CSV = re.compile(r"\bLOAD\s+CSV\b", re.IGNORECASE)


def blank_literals(text: str) -> str:
    """The query with its strings, quoted names and comments blanked out: what is left is
    syntax, so a word inside a string is never taken for a keyword."""
    return _STRING_OR_COMMENT.sub(lambda m: " " * len(m.group(0)), text)


def procedures_called(text: str) -> list[str]:
    """The names of the procedures a query CALLs (`CALL { ... }` subqueries are not calls)."""
    return _PROCEDURE.findall(blank_literals(text))


def refuse_procedures(names: Iterable[str]) -> None:
    for name in names:
        if name not in READ_PROCEDURES and name.lower() not in _READ_LOWER:
            allowed = ", ".join(sorted(READ_PROCEDURES))
            raise QueryRefused(
                f"procedure {name} is not allowed in a read-only query; the procedures an "
                f"ad-hoc query may call are: {allowed}"
            )


_READ_LOWER = {p.lower() for p in READ_PROCEDURES}


def refuse_crashing_shapes(text: str) -> None:
    """Refuse the patterns known to crash the embedded FalkorDB server (see _FIXED_HOPS)."""
    for match in _FIXED_HOPS.finditer(blank_literals(text)):
        lo, hi = int(match["lo"]), int(match["hi"] or match["lo"])
        filtered = any(c in match["a"] + match["b"] for c in ":{")
        if lo == hi and lo >= 2 and filtered:
            raise QuerySyntaxError(
                f"a relationship pattern of fixed length {match['rel']} between nodes with a "
                "label or properties crashes the embedded FalkorDB or, typed, answers wrongly "
                "(FalkorDB issues #2542, #2105), so it is refused; write it as a range, "
                f"p = (...)-[*{lo - 1}..{lo}]-(...), with WHERE length(p) = {lo}"
            )


def refuse_load_csv(text: str) -> None:
    if _LOAD_CSV.search(blank_literals(text)):
        raise QueryRefused(_LOAD_CSV_REFUSED)


_LOAD_CSV_REFUSED = (
    "LOAD CSV is refused: an ad-hoc query reads the graph and never fetches a file or URL "
    "on the caller's behalf"
)


def check_embedded(text: str) -> None:
    """What the embedded store refuses before a read reaches FalkorDB (which has no
    administration commands in Cypher; its procedures are named in the text)."""
    refuse_load_csv(text)
    refuse_procedures(procedures_called(text))
    refuse_crashing_shapes(text)


class QueryCrashedStore(StoreError):
    """The query stopped the database server (an engine bug); the server was restarted."""

    status = 400


class QueryTooLarge(StoreError):
    """The query needed more memory than the database lets one transaction use."""

    status = 413


class CrashBreaker:
    """Queries that stopped the database server, refused for `cooldown` seconds afterwards.

    Restarting the embedded server costs seconds; the same crashing query sent in a loop would
    keep the store down. The key is the query's text with its spacing normalised."""

    def __init__(self, cooldown: float = 600.0, size: int = 256) -> None:
        self.cooldown = cooldown
        self.size = size
        self._crashed: dict[str, float] = {}
        self._lock = threading.Lock()

    @staticmethod
    def key(text: str) -> str:
        return " ".join(text.split())

    def check(self, text: str) -> None:
        key = self.key(text)
        with self._lock:
            when = self._crashed.get(key)
            if when is None:
                return
            if time.monotonic() - when > self.cooldown:
                del self._crashed[key]
                return
        raise QueryRefused(
            "this query stopped the database server a moment ago and is refused for "
            f"{self.cooldown:.0f} s; try another form of it"
        )

    def record(self, text: str) -> None:
        with self._lock:
            if len(self._crashed) >= self.size:
                self._crashed.pop(next(iter(self._crashed)))
            self._crashed[self.key(text)] = time.monotonic()


SCHEMA_SHOWS = frozenset({"ShowIndexes", "ShowConstraints"})
"""SHOW commands that read the schema of the data (as db.indexes does) and are allowed."""
_ADMIN_OPERATORS = (
    "AdministrationCommand",
    "Show",
    "Terminate",
    "Create",
    "Drop",
    "Alter",
    "Grant",
    "Deny",
    "Revoke",
)


def neo4j_plan_problems(plan: Mapping[str, Any] | None) -> list[str]:
    """What a Neo4j `EXPLAIN` plan shows that a read of data must not do: operators that
    administer the server, fetch URLs or call procedures that are not plain reads."""
    problems: list[str] = []
    stack = [plan] if plan else []
    while stack:
        op = stack.pop()
        kind = str(op.get("operatorType", "")).split("@")[0]
        details = str((op.get("args") or {}).get("Details", ""))
        if kind.startswith(_ADMIN_OPERATORS) and kind not in SCHEMA_SHOWS:
            problems.append(f"{kind} is an administration command")
        elif kind == "LoadCSV":
            problems.append(_LOAD_CSV_REFUSED)
        elif "ProcedureCall" in kind:
            name = details.split("(", 1)[0].strip()
            if name.lower() not in _READ_LOWER:
                problems.append(f"procedure {name or '?'} is not a plain read")
        stack.extend(op.get("children") or [])
    return problems
