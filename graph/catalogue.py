"""The catalogue of named Cypher queries kept as files in graph/queries/.

A query file starts with a header of `//` comment lines, then the Cypher:

    // name: agreements_of_actor
    // description: Agreements an actor is party to, optionally by status.
    // param actor: string -- id of the actor, e.g. uk
    // param status: string = null -- a status code, e.g. signed
    MATCH (a:Actor {id: $actor})-[:PARTY_TO]->(g:Agreement) ...

A parameter without a default is required. Types: string, integer, float, boolean, date
(YYYY, YYYY-MM or YYYY-MM-DD) and list (comma-separated strings). A date reaches the Cypher as
a map of its text and bounds, `{text, earliest, latest, precision}` (ontology.dates), to compare
with the bounds every stored date has: `g.signedOnLatest >= $from.earliest`.

A query that lists many rows may also use `$row_limit`, never declared: the most rows its
reader takes (the read path sets it to its row cap plus one, `graph/reads.py`; unset, it is
NO_ROW_LIMIT). Used as `LIMIT $row_limit` right after the rows are put in their final order
and before the work done for each row, it makes a page cost what the page holds rather than
what the whole answer would.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from mineralkg.ontology.dates import PartialDate

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
"""The range of integers both stores hold; larger ones are refused with a 4xx, never sent."""
QUERY_DIR = Path(__file__).resolve().parent / "queries"
ParamType = Literal["string", "integer", "float", "boolean", "date", "list"]
PARAM_TYPES: tuple[ParamType, ...] = ("string", "integer", "float", "boolean", "date", "list")

ROW_LIMIT = "row_limit"
"""The reserved parameter of queries that page themselves (see the module's text)."""
NO_ROW_LIMIT = 2**31 - 1
"""`$row_limit` when no reader caps the rows (FalkorDB answers no row for a LIMIT of 2**63-1)."""

_HEADER = re.compile(r"^//\s*(name|description|param)\s*:?\s*(.*)$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*:\s*(?P<type>\w+)"
    r"(?:\s*=\s*(?P<default>.+?))?\s*(?:--\s*(?P<doc>.*))?$"
)


class CatalogueError(Exception):
    """A query file breaks the header format."""


class ParamError(Exception):
    """Parameters that do not fit a query; `problems` maps each parameter to what is wrong."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))


@dataclass(frozen=True)
class Param:
    name: str
    type: ParamType
    required: bool
    default: Any
    description: str

    def coerce(self, value: Any) -> Any:
        """The value in this parameter's type, from text (query strings) or JSON."""
        if value is None:
            return None
        if self.type == "string":
            if not isinstance(value, str):
                raise ValueError("expected text")
            return value
        if self.type == "integer":
            if isinstance(value, bool):
                raise ValueError("expected a whole number")
            try:
                number = int(value)
            except (TypeError, ValueError):
                raise ValueError(f"expected a whole number, got {value!r}") from None
            if not INT64_MIN <= number <= INT64_MAX:  # both databases store 64-bit integers
                raise ValueError(f"{number} is out of range: whole numbers fit in 64 bits")
            return number
        if self.type == "float":
            try:
                return float(value)
            except (TypeError, ValueError):
                raise ValueError(f"expected a number, got {value!r}") from None
        if self.type == "boolean":
            if isinstance(value, bool):
                return value
            text = str(value).lower()
            if text in {"true", "1", "yes"}:
                return True
            if text in {"false", "0", "no"}:
                return False
            raise ValueError(f"expected true or false, got {value!r}")
        if self.type == "date":
            if not isinstance(value, str):
                raise ValueError(f"expected a date YYYY-MM-DD, YYYY-MM or YYYY, got {value!r}")
            return PartialDate.parse(value).as_param()
        if isinstance(value, str):
            return [v.strip() for v in value.split(",") if v.strip()]
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return value
        raise ValueError("expected a comma-separated list of text")


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    params: tuple[Param, ...]
    cypher: str
    path: Path

    @property
    def pages(self) -> bool:
        """Whether the Cypher uses `$row_limit`: computes no more rows than its reader takes."""
        return f"${ROW_LIMIT}" in self.cypher

    def bind(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """Typed parameters for the Cypher, or ParamError naming every bad or missing one."""
        known = {p.name: p for p in self.params}
        problems = {k: "unknown parameter" for k in given if k not in known}
        bound: dict[str, Any] = {}
        for param in self.params:
            if param.name not in given or given[param.name] in (None, ""):
                if param.required:
                    problems[param.name] = f"required ({param.type})"
                bound[param.name] = param.default
                continue
            try:
                bound[param.name] = param.coerce(given[param.name])
            except ValueError as exc:
                problems[param.name] = str(exc)
        if problems:
            raise ParamError(problems)
        if self.pages:
            bound[ROW_LIMIT] = NO_ROW_LIMIT
        return bound


def parse(path: Path) -> NamedQuery:
    header: dict[str, str] = {}
    params: list[Param] = []
    body: list[str] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _HEADER.match(line.strip()) if not body else None
        if match is None:
            if line.strip() or body:
                body.append(line)
            continue
        key, value = match.groups()
        if key != "param":
            header[key] = value.strip()
            continue
        pm = _PARAM.match(value.strip())
        if pm is None or pm["type"] not in PARAM_TYPES:
            raise CatalogueError(
                f"{path}:{number}: bad param line; expected `name: type [= default]`"
            )
        default = json.loads(pm["default"]) if pm["default"] is not None else None
        params.append(
            Param(pm["name"], pm["type"], pm["default"] is None, default, (pm["doc"] or "").strip())
        )
    if "name" not in header or header["name"] != path.stem:
        raise CatalogueError(f"{path}: `// name:` must be present and equal the file name")
    if not header.get("description"):
        raise CatalogueError(f"{path}: `// description:` is required")
    cypher = "\n".join(body).strip()
    used = set(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", cypher)) - {ROW_LIMIT}
    declared = {p.name for p in params}
    if ROW_LIMIT in declared:
        raise CatalogueError(f"{path}: ${ROW_LIMIT} is reserved: set by the reader, not declared")
    if used != declared:
        raise CatalogueError(
            f"{path}: parameters used {sorted(used)} differ from those declared {sorted(declared)}"
        )
    return NamedQuery(header["name"], header["description"], tuple(params), cypher, path)


@cache
def catalogue(directory: Path = QUERY_DIR) -> dict[str, NamedQuery]:
    """Every named query, by name (read once per process)."""
    return {q.name: q for q in (parse(p) for p in sorted(directory.glob("*.cypher")))}
