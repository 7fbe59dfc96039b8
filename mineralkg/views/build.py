"""`build()`: graph results in, a `ViewModel` out (filters, cap, styles, tooltips, layout).

The input is what every store serialises: nodes `{id, labels, properties}` and
relationships `{type, start, end, properties}`. The filters are those of
`mineralkg.views.filters`; the node cap (`limit`) keeps the highest-degree nodes (an ego
network's centre first) and the edges between them, and the view's `message` says how many
nodes and edges of which classes were left out (`truncated`/`omitted` say the same for
programs).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mineralkg.loaders import stored
from mineralkg.ontology.model import Ontology
from mineralkg.ontology.model import load as load_ontology
from mineralkg.views import labels
from mineralkg.views.asof import AsOfTally
from mineralkg.views.filters import DEFAULT_LIMIT, MAX_LIMIT, ViewFilter, date_properties
from mineralkg.views.layout import layout
from mineralkg.views.model import (
    ViewCounts,
    ViewEdge,
    ViewEvidence,
    ViewFilters,
    ViewKind,
    ViewModel,
    ViewNode,
    ViewOmitted,
    ViewSource,
)
from mineralkg.views.style import (
    EDGE,
    LABEL_INSIDE,
    ROOT_CLASS,
    TENSION_EDGE,
    legend,
    style_of,
    top_class,
)

_SPLIT = frozenset({stored.EVIDENCE, stored.SOURCES, stored.QUOTES})
"""Provenance keys shown on their own, not among the properties."""

Raw = Mapping[str, Any]


@dataclass
class _Item:
    """A node or an edge on its way into the view."""

    raw: Raw
    props: dict[str, Any] = field(default_factory=dict)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    dates: dict[str, Any] = field(default_factory=dict)

    def texts(self, key: str) -> list[str]:
        return [str(v) for v in self.props.get(key) or []]

    def shown_properties(self) -> dict[str, Any]:
        return {k: v for k, v in self.props.items() if k not in _SPLIT}


def _evidence(props: Mapping[str, Any]) -> list[dict[str, Any]]:
    try:
        items = stored.decode_evidence(props)
    except (TypeError, ValueError):  # not JSON: show the fact without its evidence
        return []
    return [item for item in items if isinstance(item, dict)]


def _item(raw: Raw) -> _Item:
    props = stored.public(dict(raw.get("properties") or {}))
    names = date_properties()
    dates = {k: v for k, v in props.items() if k in names and v not in (None, "")}
    return _Item(raw, props, _evidence(props), dates)


def _node_class(node: _Item, ont: Ontology) -> str:
    cls = node.props.get(stored.CLASS)
    if isinstance(cls, str) and cls in ont.classes:
        return cls
    found = [lbl for lbl in node.raw.get("labels") or [] if lbl in ont.classes]
    if not found:
        return str(cls or ROOT_CLASS)
    return max(found, key=lambda lbl: (len(ont.classes[lbl].ancestors), lbl))


def _edge_key(rel: Raw, props: Mapping[str, Any]) -> str:
    key = props.get(stored.KEY)
    if isinstance(key, str) and key:
        return key
    return f"{rel.get('start')}|{rel.get('type')}|{rel.get('end')}"


@dataclass
class _Selection:
    """What the filters and the cap keep of the graph results."""

    found: dict[str, _Item]
    classes: dict[str, str]
    keep: dict[str, _Item]
    rels: dict[str, tuple[Raw, _Item]] = field(default_factory=dict)
    total_edges: int = 0
    matched_nodes: int = 0
    matched_edges: int = 0
    left_out: Counter[str] = field(default_factory=Counter)
    as_of: AsOfTally | None = None

    def degrees(self) -> Counter[str]:
        degree: Counter[str] = Counter()
        for raw, _ in self.rels.values():
            degree[raw["start"]] += 1
            degree[raw["end"]] += 1
        return degree


def _select_nodes(
    nodes: Iterable[Raw], filters: ViewFilter, centre: str | None, ont: Ontology
) -> _Selection:
    """Nodes once each by id; steps 1-2 of the filters (classes, dates) on them."""
    found: dict[str, _Item] = {}
    for raw in nodes:
        node_id = raw.get("id") or (raw.get("properties") or {}).get(stored.ID)
        if node_id is not None and str(node_id) not in found:
            found[str(node_id)] = _item(raw)
    classes = {nid: _node_class(item, ont) for nid, item in found.items()}
    as_of = filters.as_of_date
    tally = AsOfTally(as_of) if as_of else None
    keep: dict[str, _Item] = {}
    for nid in sorted(found):
        if nid != centre:
            cls = classes[nid]
            wanted = not filters.classes or any(
                cls in ont.classes and ont.is_a(cls, c) for c in filters.classes
            )
            if not wanted or not filters.in_range(found[nid].dates):
                continue
            group = top_class(cls, ont) or cls
            if tally and not tally.keep_node(nid, found[nid].props, group):
                continue
        keep[nid] = found[nid]
    return _Selection(found, classes, keep, as_of=tally)


def _select_edges(
    sel: _Selection, relationships: Iterable[Raw], filters: ViewFilter, centre: str | None
) -> None:
    """Steps 2-4 of the filters: types, dates, both ends kept; one edge per key."""
    total: set[str] = set()
    for raw in relationships:
        item = _item(raw)
        key = _edge_key(raw, item.props)
        start, end = raw.get("start"), raw.get("end")
        if start in sel.found and end in sel.found:
            total.add(key)
        if key in sel.rels or start not in sel.keep or end not in sel.keep:
            continue
        if filters.rels and raw.get("type") not in filters.rels:
            continue
        if not filters.in_range(item.dates):
            continue
        if sel.as_of is None or sel.as_of.keep_edge(key, item.props):
            sel.rels[key] = (raw, item)
    sel.total_edges = len(total)
    if filters.rels:
        touched = {raw[end] for raw, _ in sel.rels.values() for end in ("start", "end")}
        sel.keep = {n: item for n, item in sel.keep.items() if n in touched or n == centre}


def _cap(sel: _Selection, limit: int, centre: str | None, ont: Ontology) -> None:
    """The centre, then the highest-degree nodes, up to `limit`; the edges among them."""
    sel.matched_nodes, sel.matched_edges = len(sel.keep), len(sel.rels)
    if len(sel.keep) <= limit:
        return
    degree = sel.degrees()
    ranked = sorted(sel.keep, key=lambda n: (n != centre, -degree[n], n))
    for nid in ranked[limit:]:
        sel.left_out[top_class(sel.classes[nid], ont) or sel.classes[nid]] += 1
    shown = set(ranked[:limit])
    sel.keep = {nid: item for nid, item in sel.keep.items() if nid in shown}
    sel.rels = {
        k: v for k, v in sel.rels.items() if v[0]["start"] in shown and v[0]["end"] in shown
    }


def _node(
    nid: str, item: _Item, cls: str, group: str, degree: int, at: tuple[int, int]
) -> ViewNode:
    style = style_of(group)
    name = str(item.props.get(stored.NAME) or nid)
    sources, quotes = item.texts(stored.SOURCES), item.texts(stored.QUOTES)
    status = item.props.get("status")
    head = [name, f"{cls} ({group})" if cls != group else cls]
    return ViewNode(
        id=nid,
        label=labels.label(name),
        name=name,
        cls=cls,
        group=group,
        color=style.color,
        shape=style.shape,
        size=labels.size(degree),
        degree=degree,
        title=labels.tooltip(head, status, item.dates, sources, item.evidence, quotes),
        properties=item.shown_properties(),
        sources=sources,
        quotes=quotes,
        evidence=[ViewEvidence.model_validate(ev) for ev in item.evidence],
        dates=dict(item.dates),
        status=None if status is None else str(status),
        x=at[0],
        y=at[1],
    )


def _edge(key: str, raw: Raw, item: _Item, nodes: Mapping[str, ViewNode]) -> ViewEdge:
    rtype = str(raw.get("type"))
    start, end = nodes[raw["start"]], nodes[raw["end"]]
    sources, quotes = item.texts(stored.SOURCES), item.texts(stored.QUOTES)
    tension = "Tension" in (start.group, end.group)
    head = [rtype, f"{start.name} → {end.name}"]
    if item.props.get("role"):
        head.append(f"role: {item.props['role']}")
    return ViewEdge(
        id=key,
        start=start.id,
        end=end.id,
        label=rtype,
        type=rtype,
        title=labels.tooltip(head, None, item.dates, sources, item.evidence, quotes, 1, 160),
        color=TENSION_EDGE if tension else EDGE,
        dashes=tension,
        properties=item.shown_properties(),
        sources=sources,
        quotes=quotes,
        evidence=[ViewEvidence.model_validate(ev) for ev in item.evidence],
        dates=dict(item.dates),
    )


def _nodes(sel: _Selection, centre: str | None, ont: Ontology) -> dict[str, ViewNode]:
    """The kept nodes, styled, sized and placed."""
    degree = sel.degrees()
    groups = {nid: top_class(sel.classes[nid], ont) or sel.classes[nid] for nid in sel.keep}
    wide = [nid for nid in sel.keep if style_of(groups[nid]).shape in LABEL_INSIDE]
    pairs = sorted((raw["start"], raw["end"]) for raw, _ in sel.rels.values())
    ids = sorted(sel.keep)
    positions = layout(ids, pairs, sel.classes, centre if centre in sel.keep else None, wide)
    return {
        nid: _node(nid, sel.keep[nid], sel.classes[nid], groups[nid], degree[nid], positions[nid])
        for nid in ids
    }


def _message(sel: _Selection, shown: int, notes: Sequence[str], limit: int) -> str:
    parts = list(notes)
    omitted_nodes = sel.matched_nodes - len(sel.keep)
    if omitted_nodes > 0:
        left = ", ".join(f"{n} {c}" for c, n in sel.left_out.most_common())
        parts.append(
            f"Showing the {len(sel.keep):,} best-connected of {sel.matched_nodes:,} nodes and "
            f"{len(sel.rels):,} of {sel.matched_edges:,} relationships; left out "
            f"{omitted_nodes:,} nodes ({left}) and {sel.matched_edges - len(sel.rels):,} "
            f"relationships. Narrow the view with class, rel or from/to filters, or raise "
            f"limit (now {limit:,}, at most {MAX_LIMIT:,})."
        )
    if not shown and not sel.found:  # say why: nothing was found, or the filters left nothing
        parts.append("Nothing to draw: the answer holds no node or relationship.")
    elif not shown:
        parts.append("Nothing matches: no node is left after the filters.")
    return " ".join(parts)


def _cited(nodes: Iterable[ViewNode], edges: Iterable[ViewEdge]) -> list[str]:
    """Ids of every source the nodes and edges cite, in their sources or their evidence."""
    cited: set[str] = set()
    items: list[ViewNode | ViewEdge] = [*nodes, *edges]
    for item in items:
        cited.update(item.sources)
        cited.update(str(ev.source) for ev in item.evidence if ev.source)
    return sorted(cited)


def _filters(filters: ViewFilter, limit: int) -> ViewFilters:
    return ViewFilters(
        classes=list(filters.classes),
        rels=list(filters.rels),
        date_from=filters.date_from,
        date_to=filters.date_to,
        undated=filters.undated,
        limit=limit,
        as_of=filters.as_of,
    )


def build(
    nodes: Iterable[Raw],
    relationships: Iterable[Raw],
    *,
    kind: ViewKind = "graph",
    title: str = "mineralkg",
    filters: ViewFilter | None = None,
    limit: int = DEFAULT_LIMIT,
    centre: str | None = None,
    truncated: bool = False,
    notes: Sequence[str] = (),
    sources: Mapping[str, Mapping[str, Any]] | None = None,
) -> ViewModel:
    """The view of graph nodes and relationships (see `mineralkg.views.model`)."""
    ont = load_ontology()
    filters = filters or ViewFilter()
    limit = max(1, int(limit))
    sel = _select_nodes(nodes, filters, centre, ont)
    _select_edges(sel, relationships, filters, centre)
    _cap(sel, limit, centre, ont)
    by_id = _nodes(sel, centre, ont)
    edges = [_edge(key, *sel.rels[key], by_id) for key in sorted(sel.rels)]
    out_nodes = list(by_id.values())
    omitted = ViewOmitted(
        nodes=sel.matched_nodes - len(sel.keep), edges=sel.matched_edges - len(sel.rels)
    )
    known = sources or {}
    return ViewModel(
        kind=kind,
        title=title,
        centre=centre if centre in sel.keep else None,
        nodes=out_nodes,
        edges=edges,
        legend=legend(Counter(n.group for n in out_nodes)),
        sources={
            s: ViewSource.model_validate(known.get(s) or {"id": s})
            for s in _cited(out_nodes, edges)
        },
        truncated=bool(truncated or omitted.nodes > 0),
        omitted=omitted,
        message=_message(sel, len(out_nodes), notes, limit),
        counts=ViewCounts(
            nodes=len(out_nodes),
            edges=len(edges),
            total_nodes=len(sel.found),
            total_edges=sel.total_edges,
        ),
        filters=_filters(filters, limit),
        as_of=sel.as_of.mark(out_nodes, edges) if sel.as_of else None,
    )
