"""Response and request models of the API."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints, field_validator

from mineralkg.graph.catalogue import INT64_MAX, INT64_MIN

ParamName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=100)]


class Health(BaseModel):
    store: str
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

    @field_validator("params")
    @classmethod
    def _fits_the_store(cls, params: dict[str, Any]) -> dict[str, Any]:
        """Whole numbers beyond 64 bits are refused here: the stores cannot hold them."""

        def check(value: Any, where: str) -> None:
            if isinstance(value, int) and not isinstance(value, bool):
                if not INT64_MIN <= value <= INT64_MAX:
                    raise ValueError(f"{where}: {value} does not fit in 64 bits")
            elif isinstance(value, list):
                for item in value:
                    check(item, where)
            elif isinstance(value, dict):
                for key, item in value.items():
                    check(item, f"{where}.{key}")

        for name, value in params.items():
            check(value, name)
        return params


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


class EntityDetail(EntitySummary):
    properties: dict[str, Any]
    evidence: list[Evidence]
    sources: list[SourceRef]
    degree: int


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


class PathResult(BaseModel):
    found: bool
    length: int | None = None
    nodes: list[GraphNode] = []
    relationships: list[GraphRelationship] = []
