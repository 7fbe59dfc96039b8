"""Response and request models of the API."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StringConstraints

ParamName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=100)]


class Health(BaseModel):
    store: str
    address: str
    reachable: bool
    nodes: int
    relationships: int


class ParamInfo(BaseModel):
    name: str
    type: str
    required: bool
    default: Any = None
    description: str


class QueryInfo(BaseModel):
    name: str
    description: str
    params: list[ParamInfo]
    cypher: str


class QueryResult(BaseModel):
    columns: list[str]
    rows: list[dict[str, Any]]
    row_count: int
    truncated: bool = Field(description="True when more rows existed than the row limit")
    elapsed_ms: float


class CypherRequest(BaseModel):
    query: str = Field(min_length=1, max_length=20_000, description="Read-only Cypher")
    params: dict[ParamName, Any] = Field(
        default_factory=dict, description="Query parameters, by name (letters, digits, _)"
    )


class EntitySummary(BaseModel):
    id: str
    name: str
    type: str = Field(description="The most specific class of the entity")
    labels: list[str]


class SourceRef(BaseModel):
    id: str
    name: str
    title: str | None = None
    publisher: str | None = None
    publishedOn: str | None = None
    url: str | None = None


class Evidence(BaseModel):
    source: str
    quote: str | None = None
    attributedTo: str | None = None
    note: str | None = None


class StatusStep(BaseModel):
    status: str
    date: str
    earliest: str
    latest: str


class AsOfState(BaseModel):
    """How an entity stood on a date (`as_of`): see docs/data-format.md, "As of a date"."""

    date: str
    standing: Literal["known", "undecidable", "not-yet", "undated"]
    status: str | None = Field(description="Its status then: the last status change known by then")
    status_undecidable: list[str] = Field(
        description="Later status changes whose date straddles the date"
    )
    history: list[StatusStep]


class EntityDetail(EntitySummary):
    properties: dict[str, Any]
    evidence: list[Evidence]
    sources: list[SourceRef]
    degree: int
    as_of: AsOfState | None = None


class GraphNode(BaseModel):
    id: str | None
    labels: list[str]
    properties: dict[str, Any]


class GraphRelationship(BaseModel):
    type: str
    start: str | None
    end: str | None
    properties: dict[str, Any]


class Subgraph(BaseModel):
    nodes: list[GraphNode]
    relationships: list[GraphRelationship]
    truncated: bool = False
    undecidable: list[str] = Field(
        default=[], description="With as_of: ids and keys of facts whose date straddles it"
    )


class PathResult(BaseModel):
    found: bool
    length: int | None = None
    nodes: list[GraphNode] = []
    relationships: list[GraphRelationship] = []
