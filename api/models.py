"""Response and request models of the API."""

from __future__ import annotations

from typing import Annotated, Any, Literal

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
    example: Any = Field(None, description="A value to try, in the parameter's type")
    entity: bool = Field(False, description="Takes an entity's id, name or alias")


class QueryInfo(BaseModel):
    name: str
    description: str
    params: list[ParamInfo]
    cypher: str


class QueryResult(BaseModel):
    columns: list[str]
    rows: list[dict[str, Any]]
    row_count: int = Field(description="Rows in this page")
    truncated: bool = Field(
        description="True when more rows existed than were read (offset + limit): "
        "then total is a lower bound"
    )
    elapsed_ms: float
    total: int = Field(default=0, description="Rows of the whole answer (see truncated)")
    offset: int = Field(default=0, description="Rows skipped before this page")
    limit: int = Field(default=0, description="Most rows in a page")
    next_offset: int | None = Field(default=None, description="The offset of the next page, if any")
    message: str | None = Field(default=None, description="Why the answer is empty, when it is")


class CypherRequest(BaseModel):
    query: str = Field(min_length=1, max_length=20_000, description="Read-only Cypher")
    params: dict[ParamName, Any] = Field(
        default_factory=dict, description="Query parameters, by name (letters, digits, _)"
    )
    offset: int = Field(0, ge=0, le=1_000_000, description="Rows to skip (paging)")
    limit: int | None = Field(
        None,
        ge=1,
        description="Rows in the page (default MINERALKG_PAGE_SIZE, 100; csv or tsv "
        "MINERALKG_ROW_LIMIT; at most MINERALKG_ROW_LIMIT, 1,000)",
    )
    format: Literal["json", "csv", "tsv"] = Field(
        "json", description="json: the answer with its total; csv or tsv: the rows"
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
    total: int | None = Field(default=None, description="Relationships found (see truncated)")
    offset: int = Field(default=0, description="Relationships skipped before this page")
    limit: int | None = Field(default=None, description="Most relationships in a page")
    next_offset: int | None = Field(default=None, description="The next page's offset")


class PathResult(BaseModel):
    found: bool
    length: int | None = None
    nodes: list[GraphNode] = []
    relationships: list[GraphRelationship] = []
