"""The typed view model behind every graph view (whole graph, ego network, query result).

`ViewModel` is what `build()` returns, what the HTML page is drawn from and what the views
answer with `?format=json` (serialised by alias: `class`, `from`, `to`):

    {
      "kind": "graph" | "entity" | "query", "title": str, "centre": id | null,
      "nodes": [{id, label, name, class, group, color, shape, size, degree, title,
                 properties, sources, quotes, evidence, dates, status, standing, x, y}],
      "edges": [{id, from, to, label, type, title, color, dashes,
                 properties, sources, quotes, evidence, dates, standing}],
      "legend": [{class, color, shape, count}],
      "sources": {source id: {id, name, title, publisher, publishedOn, url}},
      "truncated": bool, "omitted": {"nodes": n, "edges": m}, "message": str,
      "counts": {"nodes", "edges", "total_nodes", "total_edges"},
      "filters": {"class", "rel", "from", "to", "undated", "limit", "as_of"},
      "query": {"name", "params"} | null,
      "as_of": {date, earliest, latest, undecidable, undated, not_yet, ended} | null
    }

Compared with the untyped dict it replaces, the JSON is a superset: optional fields that
were left out when empty are now present as null (`query` outside query views, the unknown
fields of an evidence item or of a source).

- `class` is the node's most specific ontology class; `group` its top class, which picks
  colour and shape and the legend row.
- `title` is the plain-text tooltip (name, class, status, dates, sources, quotes);
  `properties` are the remaining public properties; `evidence` is the parsed evidence list;
  `dates` maps each date property to its value.
- `size` grows with the node's degree in the view; `x`/`y` are precomputed by the layout,
  so the browser draws at once with physics off.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from mineralkg.ontology.dates import AsOf

ViewKind = Literal["graph", "entity", "query"]


def _named(public: str, field: str, **kwargs: Any) -> Any:
    """A field published as `public` (a Python keyword, or a name kept from the JSON form)
    and set as `field` or as `public`."""
    alias = AliasChoices(public, field)
    return Field(serialization_alias=public, validation_alias=alias, **kwargs)


class _Model(BaseModel):
    model_config = ConfigDict(serialize_by_alias=True)


class ViewEvidence(_Model):
    """One evidence item of a node or relationship: where it comes from and what it says."""

    model_config = ConfigDict(serialize_by_alias=True, extra="allow")

    source: str | None = Field(None, description="Id of the Source node")
    quote: str | None = Field(None, description="The verbatim sentence the fact rests on")
    attributedTo: str | None = Field(None, description="Id of the actor the source quotes")
    note: str | None = None


class ViewNode(_Model):
    id: str
    label: str = Field(description="A short label, on at most two lines")
    name: str
    cls: str = _named("class", "cls", description="The most specific ontology class")
    group: str = Field(description="The top class (a direct subclass of Entity)")
    color: str
    shape: str
    size: float
    degree: int = Field(description="Relationships in the view")
    title: str = Field(description="The plain-text tooltip")
    properties: dict[str, Any]
    sources: list[str]
    quotes: list[str]
    evidence: list[ViewEvidence]
    dates: dict[str, Any] = Field(description="The node's date properties (ontology dates)")
    status: str | None = None
    standing: AsOf | None = Field(
        default=None,
        description="As of the view's as_of: known, undecidable or undated (else null)",
    )
    x: int
    y: int


class ViewEdge(_Model):
    id: str = Field(description="The relationship's key: start|TYPE|end")
    start: str = _named("from", "start")
    end: str = _named("to", "end")
    label: str
    type: str
    title: str = Field(description="The plain-text tooltip")
    color: str
    dashes: bool = Field(description="Dashed: the edge touches a tension")
    properties: dict[str, Any]
    sources: list[str]
    quotes: list[str]
    evidence: list[ViewEvidence]
    dates: dict[str, Any]
    standing: AsOf | None = Field(default=None, description="As of the view's as_of (else null)")


class LegendEntry(_Model):
    cls: str = _named("class", "cls", description="A top class")
    color: str
    shape: str
    count: int = Field(description="Its nodes in the view")


class ViewSource(_Model):
    """A source a node or relationship in the view cites (what the store knows of it)."""

    model_config = ConfigDict(serialize_by_alias=True, extra="allow")

    id: str
    name: str | None = None
    title: str | None = None
    publisher: str | None = None
    publishedOn: str | None = None
    url: str | None = None


class ViewOmitted(_Model):
    """What the node cap left out of the view."""

    nodes: int = 0
    edges: int = 0


class ViewCounts(_Model):
    nodes: int = Field(description="Nodes in the view")
    edges: int = Field(description="Relationships in the view")
    total_nodes: int = Field(description="Nodes found before the filters and the cap")
    total_edges: int = Field(description="Relationships found before the filters and the cap")


class ViewFilters(_Model):
    """The filters the view was drawn with, by their public names."""

    classes: list[str] = _named("class", "classes", default_factory=list)
    rels: list[str] = _named("rel", "rels", default_factory=list)
    date_from: str | None = _named("from", "date_from", default=None)
    date_to: str | None = _named("to", "date_to", default=None)
    undated: Literal["keep", "drop"] = "keep"
    limit: int
    as_of: str | None = None


class ViewAsOf(_Model):
    """What the as_of filter did: the graph as it stood by the end of `date`."""

    date: str
    earliest: str = Field(description="The first day the date stands for")
    latest: str = Field(description="The last day: what is known by its end is shown")
    undecidable: list[str] = Field(
        description="Ids of nodes and edges whose first date straddles the date: kept, dashed"
    )
    undated: list[str] = Field(
        description="Ids of agreements, instruments, events and tensions with no date: kept"
    )
    not_yet: int = Field(description="Nodes and relationships left out: not yet by then")
    ended: int = Field(description="Relationships left out: ended by then")


class ViewQuery(_Model):
    """The catalogue query a query view draws, with its bound parameters."""

    name: str
    params: dict[str, Any]


class ViewModel(_Model):
    """One graph view: what the page draws and what `?format=json` answers."""

    kind: ViewKind
    title: str
    centre: str | None = Field(None, description="The ego network's centre")
    nodes: list[ViewNode]
    edges: list[ViewEdge]
    legend: list[LegendEntry]
    sources: dict[str, ViewSource] = Field(description="The sources cited, by id")
    truncated: bool = Field(description="Something was left out (the cap, or a row limit)")
    omitted: ViewOmitted
    message: str = Field(description="What was left out and how to narrow the view, in words")
    counts: ViewCounts
    filters: ViewFilters
    query: ViewQuery | None = None
    as_of: ViewAsOf | None = None

    def node(self, node_id: str) -> ViewNode | None:
        """The node of this id in the view, if it is there."""
        return next((n for n in self.nodes if n.id == node_id), None)

    def to_json(self) -> dict[str, Any]:
        """The JSON form (`?format=json`): JSON types, serialised by alias."""
        return self.model_dump(mode="json", by_alias=True)
