"""One data structure behind every graph view (whole graph, ego network, catalogue query).

`build()` turns graph results (nodes `{id, labels, properties}`, relationships
`{type, start, end, properties}`, as every store serialises them) into:

    {
      "kind": "graph" | "entity" | "query", "title": str, "centre": id | None,
      "nodes": [{id, label, name, class, group, color, shape, size, degree, title,
                 properties, sources, quotes, evidence, dates, status, x, y}],
      "edges": [{id, from, to, label, type, title, color, dashes,
                 properties, sources, quotes, evidence, dates}],
      "legend": [{class, color, shape, count}],
      "sources": {source id: {id, name, title, publisher, publishedOn, url}},
      "truncated": bool, "omitted": {"nodes": n, "edges": m}, "message": str,
      "counts": {"nodes", "edges", "total_nodes", "total_edges"}, "filters": {...}
    }

- `class` is the node's most specific ontology class; `group` its top class (a direct
  subclass of Entity), which picks colour and shape (`STYLES`) and the legend row.
- `title` is the plain-text tooltip (name, class, status, dates, sources, quotes);
  `properties` are the remaining public properties; `evidence` is the parsed list of
  `{source, quote?, attributedTo?, note?}`; `dates` maps each date property to its value.
- `size` grows with the node's degree in the view; `x`/`y` are precomputed by `layout()`,
  so the browser draws at once with physics off.

Filters (`ViewFilter`), applied in this order:

1. `classes`: keep nodes whose class is, or is a subclass of, one of them (`Actor` keeps
   States and Companies). The centre of an ego network always stays.
2. dates (`date_from`, `date_to`; ISO `YYYY`, `YYYY-MM` or `YYYY-MM-DD`): a node or edge
   stays when the span of its dates (earliest to latest of its date properties, each taken
   at its precision: `2025` runs from 2025-01-01 to 2025-12-31) overlaps the range.
   `recordedOn` (when the fact was curated) is not one of those dates. Nodes and edges
   without any date STAY by default (actors and minerals have none; dropping them would
   empty the graph); `undated="drop"` removes them.
3. `rels`: keep edges of those types only, and then only the nodes they touch.
4. edges whose ends were dropped are dropped.

The node cap (`limit`, default `DEFAULT_LIMIT`) keeps the highest-degree nodes (the ego's
centre first) and the edges between them; `message` says how many nodes and edges of which
classes were left out, and `truncated`/`omitted` say the same for programs.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from rdflib import XSD

from mineralkg.graph import explore
from mineralkg.graph.catalogue import NamedQuery, ParamError
from mineralkg.graph.reads import ReadLimits, read
from mineralkg.graph.store import GraphStore
from mineralkg.loaders import stored
from mineralkg.ontology.model import Ontology
from mineralkg.ontology.model import load as load_ontology

DEFAULT_LIMIT = 500
MAX_LIMIT = 5000
ROOT_CLASS = "Entity"
BOOKKEEPING_DATES = frozenset({"recordedOn"})
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_VALID_DATE = re.compile(r"^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$")
_SPLIT = frozenset({"evidence", "sources", "quotes"})


@dataclass(frozen=True)
class Style:
    color: str
    shape: str


# Colour and shape of each top class of the ontology (the direct subclasses of Entity).
# Tensions are red triangles and agreements green boxes, told apart at a glance; every
# class has its own shape as well as its own colour. `styles()` checks this table against
# the ontology, so a new top class cannot go unstyled silently.
STYLES: dict[str, Style] = {
    "Actor": Style("#2f6fb0", "dot"),
    "Agreement": Style("#2e9d4f", "box"),
    "Provision": Style("#98d49a", "square"),
    "Tension": Style("#d7263d", "triangle"),
    "Event": Style("#8e5cc4", "star"),
    "PolicyInstrument": Style("#f28c28", "hexagon"),
    "Mineral": Style("#b8860b", "diamond"),
    "CriticalMineralList": Style("#e0b000", "database"),
    "SupplyChainStage": Style("#16a5b8", "triangleDown"),
    "Source": Style("#7b8794", "ellipse"),
    "Statement": Style("#d46aa8", "dot"),
}
FALLBACK = Style("#a0a0a0", "dot")
TENSION_EDGE = "#e07a86"
EDGE = "#9aa5b1"
# Shapes that draw their label inside (vis-network sizes them by the label, not `size`).
LABEL_INSIDE = frozenset({"box", "ellipse", "database", "circle", "text"})


@cache
def top_classes() -> tuple[str, ...]:
    """The ontology's top classes, in the order of `STYLES` (then any others by name)."""
    ont = load_ontology()
    tops = {c.name for c in ont.node_classes() if c.parents == (ROOT_CLASS,)}
    return tuple([c for c in STYLES if c in tops] + sorted(tops - set(STYLES)))


def styles() -> dict[str, Style]:
    """The class -> style table for every top class of the ontology."""
    return {c: STYLES.get(c, FALLBACK) for c in top_classes()}


def top_class(cls: str, ont: Ontology | None = None) -> str:
    """The top class a class belongs to (itself if it is one); '' if not in the ontology."""
    ont = ont or load_ontology()
    if cls not in ont.classes:
        return ""
    for name in (cls, *ont.classes[cls].ancestors):
        if ont.classes[name].parents == (ROOT_CLASS,):
            return name
    return ""


@cache
def date_properties() -> frozenset[str]:
    """Properties whose values are dates, from the ontology (bookkeeping dates left out)."""
    kinds = {XSD.date, XSD.gYear, XSD.gYearMonth, XSD.dateTime}
    ont = load_ontology()
    return frozenset(p.name for p in ont.properties.values() if p.datatype in kinds) - (
        BOOKKEEPING_DATES
    )


def date_bounds(value: Any) -> tuple[str, str] | None:
    """The first and last day a date of any precision stands for, as ISO strings."""
    match = _DATE.match(str(value))
    if match is None:
        return None
    year, month, day = match.groups()
    if day:
        return f"{year}-{month}-{day}", f"{year}-{month}-{day}"
    if month:
        return f"{year}-{month}-01", f"{year}-{month}-31"
    return f"{year}-01-01", f"{year}-12-31"


@dataclass(frozen=True)
class ViewFilter:
    classes: tuple[str, ...] = ()
    rels: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    undated: Literal["keep", "drop"] = "keep"

    @classmethod
    def parse(
        cls,
        classes: Iterable[str] | None = None,
        rels: Iterable[str] | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        undated: str | None = None,
    ) -> ViewFilter:
        """A filter from user input (repeated or comma-separated values), or ParamError."""
        ont = load_ontology()
        class_list = _split(classes)
        rel_list = _split(rels)
        problems: dict[str, str] = {}
        known = {c.name for c in ont.node_classes()}
        bad = [c for c in class_list if c not in known]
        if bad:
            problems["class"] = f"unknown class(es): {', '.join(bad)}"
        bad = [r for r in rel_list if r not in ont.relationships]
        if bad:
            problems["rel"] = f"unknown relationship type(s): {', '.join(bad)}"
        for name, value in (("from", date_from), ("to", date_to)):
            if value and not _VALID_DATE.match(value):
                problems[name] = f"expected a date YYYY-MM-DD, YYYY-MM or YYYY, got {value!r}"
        if (
            "from" not in problems
            and "to" not in problems
            and date_from
            and date_to
            and (date_bounds(date_from) or ("",))[0] > (date_bounds(date_to) or ("", ""))[1]
        ):
            problems["to"] = f"{date_to} is before {date_from}"
        if undated not in (None, "", "keep", "drop"):
            problems["undated"] = f"expected keep or drop, got {undated!r}"
        if problems:
            raise ParamError(problems)
        return cls(
            tuple(class_list),
            tuple(rel_list),
            date_from or None,
            date_to or None,
            "drop" if undated == "drop" else "keep",
        )

    @property
    def has_dates(self) -> bool:
        return bool(self.date_from or self.date_to)

    def as_dict(self) -> dict[str, Any]:
        return {
            "class": list(self.classes),
            "rel": list(self.rels),
            "from": self.date_from,
            "to": self.date_to,
            "undated": self.undated,
        }

    def describe(self) -> list[str]:
        """The filter in words, for titles."""
        out = []
        if self.classes:
            out.append("classes " + ", ".join(self.classes))
        if self.rels:
            out.append("relationships " + ", ".join(self.rels))
        if self.has_dates:
            out.append(f"dates {self.date_from or '…'} to {self.date_to or '…'}")
            if self.undated == "drop":
                out.append("dated only")
        return out

    def in_range(self, dates: Mapping[str, Any]) -> bool:
        if not self.has_dates:
            return True
        bounds = [b for b in (date_bounds(v) for v in dates.values()) if b is not None]
        if not bounds:
            return self.undated == "keep"
        start = min(b[0] for b in bounds)
        end = max(b[1] for b in bounds)
        lo = date_bounds(self.date_from)[0] if self.date_from else "0000"  # type: ignore[index]
        hi = date_bounds(self.date_to)[1] if self.date_to else "9999"  # type: ignore[index]
        return end >= lo and start <= hi


def _split(values: Iterable[str] | None) -> list[str]:
    return [v.strip() for value in values or [] for v in str(value).split(",") if v.strip()]


@dataclass
class _Item:
    """A node or an edge on its way into the view."""

    raw: dict[str, Any]
    props: dict[str, Any] = field(default_factory=dict)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    dates: dict[str, Any] = field(default_factory=dict)


def _item(raw: Mapping[str, Any]) -> _Item:
    props = stored.public(dict(raw.get("properties") or {}))
    try:
        evidence = json.loads(props.get("evidence") or "[]")
    except (TypeError, ValueError):
        evidence = []
    if not isinstance(evidence, list):
        evidence = []
    names = date_properties()
    dates = {k: v for k, v in props.items() if k in names and v not in (None, "")}
    return _Item(dict(raw), props, evidence, dates)


def _node_class(node: _Item, ont: Ontology) -> str:
    cls = node.props.get("class")
    if isinstance(cls, str) and cls in ont.classes:
        return cls
    labels = [lbl for lbl in node.raw.get("labels") or [] if lbl in ont.classes]
    if not labels:
        return str(cls or ROOT_CLASS)
    return max(labels, key=lambda lbl: (len(ont.classes[lbl].ancestors), lbl))


def _label(name: str, width: int = 22, lines: int = 2) -> str:
    """A short label on at most two lines; the full name is in the tooltip and the panel."""
    out: list[str] = []
    line = ""
    for word in name.split():
        if len(word) > width:
            word = word[: width - 1] + "…"
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= width:
            line = f"{line} {word}"
        else:
            out.append(line)
            line = word
    if line:
        out.append(line)
    if len(out) > lines:
        out = out[:lines]
        last = out[-1] if len(out[-1]) < width else out[-1][: width - 1]
        out[-1] = last.rstrip(" ,;:–-") + "…"
    return "\n".join(out)


def _short(text: str, size: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def _tooltip(
    head: list[str],
    status: Any,
    dates: Mapping[str, Any],
    sources: Sequence[str],
    evidence: Sequence[Mapping[str, Any]],
    quotes: Sequence[str],
    most: int = 2,
    length: int = 200,
) -> str:
    lines = list(head)
    if status:
        lines.append(f"status: {status}")
    lines.extend(f"{k}: {v}" for k, v in sorted(dates.items()))
    if sources:
        lines.append("sources: " + ", ".join(sources))
    shown = [e for e in evidence if e.get("quote")] or [{"quote": q} for q in quotes]
    for ev in shown[:most]:
        who = f" ({ev['attributedTo']})" if ev.get("attributedTo") else ""
        where = f" [{ev['source']}]" if ev.get("source") else ""
        lines.append(f"“{_short(ev['quote'], length)}”{who}{where}")
    if len(shown) > most:
        lines.append(f"… {len(shown) - most} more quote(s): click for all")
    return "\n".join(lines)


def _size(degree: int) -> float:
    return round(min(42.0, 10.0 + 4.0 * math.sqrt(degree)), 1)


def _edge_key(rel: Mapping[str, Any], props: Mapping[str, Any]) -> str:
    key = props.get("key")
    if isinstance(key, str) and key:
        return key
    return f"{rel.get('start')}|{rel.get('type')}|{rel.get('end')}"


def build(
    nodes: Iterable[Mapping[str, Any]],
    relationships: Iterable[Mapping[str, Any]],
    *,
    kind: str = "graph",
    title: str = "mineralkg",
    filters: ViewFilter | None = None,
    limit: int = DEFAULT_LIMIT,
    centre: str | None = None,
    truncated: bool = False,
    notes: Sequence[str] = (),
    sources: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """The view structure (see the module docstring) from graph nodes and relationships."""
    ont = load_ontology()
    filters = filters or ViewFilter()
    limit = max(1, int(limit))

    found: dict[str, _Item] = {}
    for raw in nodes:
        node_id = raw.get("id") or (raw.get("properties") or {}).get("id")
        if node_id is not None and str(node_id) not in found:
            found[str(node_id)] = _item(raw)
    classes = {nid: _node_class(item, ont) for nid, item in found.items()}

    # 1-2. classes and dates, on nodes
    keep: dict[str, _Item] = {}
    for nid in sorted(found):
        item = found[nid]
        if nid != centre:
            if filters.classes and not any(
                classes[nid] in ont.classes and ont.is_a(classes[nid], c) for c in filters.classes
            ):
                continue
            if not filters.in_range(item.dates):
                continue
        keep[nid] = item

    # 2-4. relationships: types, dates, both ends kept; one edge per key
    rels: dict[str, tuple[Mapping[str, Any], _Item]] = {}
    total_rel_keys: set[str] = set()
    for raw in relationships:
        item = _item(raw)
        key = _edge_key(raw, item.props)
        start, end = raw.get("start"), raw.get("end")
        if start in found and end in found:
            total_rel_keys.add(key)
        if key in rels or start not in keep or end not in keep:
            continue
        if filters.rels and raw.get("type") not in filters.rels:
            continue
        if not filters.in_range(item.dates):
            continue
        rels[key] = (raw, item)
    if filters.rels:
        touched = {raw[end] for raw, _ in rels.values() for end in ("start", "end")}
        keep = {nid: item for nid, item in keep.items() if nid in touched or nid == centre}

    degree: Counter[str] = Counter()
    for raw, _ in rels.values():
        degree[raw["start"]] += 1
        degree[raw["end"]] += 1

    # the cap: the centre, then the highest-degree nodes
    matched_nodes, matched_edges = len(keep), len(rels)
    omitted_classes: Counter[str] = Counter()
    if len(keep) > limit:
        ranked = sorted(keep, key=lambda n: (n != centre, -degree[n], n))
        shown = set(ranked[:limit])
        for nid in ranked[limit:]:
            omitted_classes[top_class(classes[nid], ont) or classes[nid]] += 1
        keep = {nid: item for nid, item in keep.items() if nid in shown}
        rels = {k: v for k, v in rels.items() if v[0]["start"] in keep and v[0]["end"] in keep}
        degree = Counter()
        for raw, _ in rels.values():
            degree[raw["start"]] += 1
            degree[raw["end"]] += 1
    omitted = {"nodes": matched_nodes - len(keep), "edges": matched_edges - len(rels)}

    edge_pairs = sorted((raw["start"], raw["end"]) for raw, _ in rels.values())
    table = styles()
    wide = [
        n for n in keep if table.get(top_class(classes[n], ont), FALLBACK).shape in LABEL_INSIDE
    ]
    positions = layout(sorted(keep), edge_pairs, classes, centre if centre in keep else None, wide)

    out_nodes = []
    legend_counts: Counter[str] = Counter()
    for nid in sorted(keep):
        item = keep[nid]
        cls = classes[nid]
        group = top_class(cls, ont) or cls
        style = table.get(group, FALLBACK)
        legend_counts[group] += 1
        name = str(item.props.get("name") or nid)
        srcs = [str(s) for s in item.props.get("sources") or []]
        quotes = [str(q) for q in item.props.get("quotes") or []]
        status = item.props.get("status")
        props = {k: v for k, v in item.props.items() if k not in _SPLIT}
        x, y = positions[nid]
        out_nodes.append(
            {
                "id": nid,
                "label": _label(name),
                "name": name,
                "class": cls,
                "group": group,
                "color": style.color,
                "shape": style.shape,
                "size": _size(degree[nid]),
                "degree": degree[nid],
                "title": _tooltip(
                    [name, f"{cls} ({group})" if cls != group else cls],
                    status,
                    item.dates,
                    srcs,
                    item.evidence,
                    quotes,
                ),
                "properties": props,
                "sources": srcs,
                "quotes": quotes,
                "evidence": item.evidence,
                "dates": dict(item.dates),
                "status": status,
                "x": x,
                "y": y,
            }
        )

    names = {n["id"]: n["name"] for n in out_nodes}
    groups = {n["id"]: n["group"] for n in out_nodes}
    out_edges = []
    for key in sorted(rels):
        raw, item = rels[key]
        rtype = str(raw.get("type"))
        start, end = raw["start"], raw["end"]
        srcs = [str(s) for s in item.props.get("sources") or []]
        quotes = [str(q) for q in item.props.get("quotes") or []]
        tension = "Tension" in (groups[start], groups[end])
        head = [rtype, f"{names[start]} → {names[end]}"]
        if item.props.get("role"):
            head.append(f"role: {item.props['role']}")
        out_edges.append(
            {
                "id": key,
                "from": start,
                "to": end,
                "label": rtype,
                "type": rtype,
                "title": _tooltip(head, None, item.dates, srcs, item.evidence, quotes, 1, 160),
                "color": TENSION_EDGE if tension else EDGE,
                "dashes": tension,
                "properties": {k: v for k, v in item.props.items() if k not in _SPLIT},
                "sources": srcs,
                "quotes": quotes,
                "evidence": item.evidence,
                "dates": dict(item.dates),
            }
        )

    legend = [
        {"class": c, "color": s.color, "shape": s.shape, "count": legend_counts[c]}
        for c, s in table.items()
        if legend_counts[c]
    ] + [
        {"class": c, "color": FALLBACK.color, "shape": FALLBACK.shape, "count": n}
        for c, n in sorted(legend_counts.items())
        if c not in table
    ]

    capped = omitted["nodes"] > 0
    parts = list(notes)
    if capped:
        left = ", ".join(f"{n} {c}" for c, n in omitted_classes.most_common())
        parts.append(
            f"Showing the {len(keep):,} best-connected of {matched_nodes:,} nodes and "
            f"{len(rels):,} of {matched_edges:,} relationships; left out {omitted['nodes']:,} "
            f"nodes ({left}) and {omitted['edges']:,} relationships. Narrow the view with "
            f"class, rel or from/to filters, or raise limit (now {limit:,}, at most "
            f"{MAX_LIMIT:,})."
        )
    if not out_nodes:
        parts.append("Nothing matches: no node is left after the filters.")
    referenced = sorted(
        {s for n in out_nodes for s in n["sources"]}
        | {s for e in out_edges for s in e["sources"]}
        | {
            str(ev["source"])
            for x in (*out_nodes, *out_edges)
            for ev in x["evidence"]
            if ev.get("source")
        }
    )
    return {
        "kind": kind,
        "title": title,
        "centre": centre if centre in keep else None,
        "nodes": out_nodes,
        "edges": out_edges,
        "legend": legend,
        "sources": {s: dict((sources or {}).get(s) or {"id": s}) for s in referenced},
        "truncated": bool(truncated or capped),
        "omitted": omitted,
        "message": " ".join(parts),
        "counts": {
            "nodes": len(out_nodes),
            "edges": len(out_edges),
            "total_nodes": len(found),
            "total_edges": len(total_rel_keys),
        },
        "filters": {**filters.as_dict(), "limit": limit},
    }


# ---------------------------------------------------------------------------------- layout

IDEAL = 120.0  # ideal edge length, in vis-network canvas units
SMALL_EGO = 30  # ego networks up to this size keep their radial layout as it is
GOLDEN = math.pi * (3 - math.sqrt(5))


def layout(
    ids: Sequence[str],
    edges: Sequence[tuple[str, str]],
    classes: Mapping[str, str] | None = None,
    centre: str | None = None,
    wide: Iterable[str] = (),
) -> dict[str, tuple[int, int]]:
    """Deterministic positions: a start by class (or radial around an ego's centre), then
    a force layout (Fruchterman-Reingold with hubs and `wide` nodes, such as labelled boxes,
    repelling harder; repulsion through a grid, so a round costs O(n); pure Python).
    """
    n = len(ids)
    if n == 0:
        return {}
    index = {nid: i for i, nid in enumerate(ids)}
    pairs = sorted({(min(index[a], index[b]), max(index[a], index[b])) for a, b in edges if a != b})
    adj: list[list[int]] = [[] for _ in range(n)]
    for a, b in pairs:
        adj[a].append(b)
        adj[b].append(a)
    k = IDEAL
    if centre is not None and centre in index:
        xs, ys = _radial(index[centre], adj, k)
        if n <= SMALL_EGO:  # a radial tree is as clear as it gets
            return {nid: (round(xs[i]), round(ys[i])) for nid, i in index.items()}
    else:
        xs, ys = _clusters(ids, adj, classes or {}, k)
    root = index[centre] if centre is not None and centre in index else -1
    wide = set(wide)
    # nodes without an edge in the view skip the forces and line up under the rest
    linked = [i for i in range(n) if adj[i] or i == root]
    at = {i: j for j, i in enumerate(linked)}
    sub_x, sub_y = [xs[i] for i in linked], [ys[i] for i in linked]
    weights = [math.sqrt(len(adj[i]) + 1) * (1.8 if ids[i] in wide else 1.0) for i in linked]
    m = len(linked)
    rounds = 100 if m <= 300 else 50 if m <= 1000 else 30 if m <= 3000 else 20
    _force(sub_x, sub_y, [(at[a], at[b]) for a, b in pairs], weights, k, rounds, at.get(root, -1))
    for i, j in at.items():
        xs[i], ys[i] = sub_x[j], sub_y[j]
    _line_up([i for i in range(n) if i not in at], linked, xs, ys, k)
    return {nid: (round(xs[i]), round(ys[i])) for nid, i in index.items()}


def _line_up(
    loose: list[int], linked: list[int], xs: list[float], ys: list[float], k: float
) -> None:
    """Unconnected nodes in rows under the connected ones (or in a square if alone)."""
    if not loose:
        return
    if linked:
        left = min(xs[i] for i in linked)
        width = max(xs[i] for i in linked) - left
        top = max(ys[i] for i in linked) + 1.5 * k
    else:
        width = k * math.ceil(math.sqrt(len(loose)))
        left, top = -width / 2, -width / 2
    step = 1.5 * k
    cols = max(1, min(len(loose), int(width // step) + 1))
    for j, i in enumerate(loose):
        xs[i] = left + (j % cols) * step
        ys[i] = top + (j // cols) * 0.6 * k


def _clusters(
    ids: Sequence[str], adj: list[list[int]], classes: Mapping[str, str], k: float
) -> tuple[list[float], list[float]]:
    """Each top class a disc (hubs in the middle), the discs on a circle."""
    n = len(ids)
    members: dict[str, list[int]] = defaultdict(list)
    for i, nid in enumerate(ids):
        cls = classes.get(nid, "")
        members[top_class(cls) or cls].append(i)
    order = sorted(members, key=lambda c: (-len(members[c]), c))
    xs, ys = [0.0] * n, [0.0] * n
    ring = 0.0 if len(order) == 1 else k * (1.2 * math.sqrt(n) + 2)
    for g, cls in enumerate(order):
        angle = 2 * math.pi * g / len(order)
        cx, cy = ring * math.cos(angle), ring * math.sin(angle)
        for j, i in enumerate(sorted(members[cls], key=lambda i: (-len(adj[i]), ids[i]))):
            r = 0.6 * k * math.sqrt(j + 0.5)
            xs[i] = cx + r * math.cos(j * GOLDEN)
            ys[i] = cy + r * math.sin(j * GOLDEN)
    return xs, ys


def _radial(root: int, adj: list[list[int]], k: float) -> tuple[list[float], list[float]]:
    """A radial tree of the breadth-first tree from the centre; wedges by leaf counts."""
    n = len(adj)
    depth = [-1] * n
    parent = [-1] * n
    depth[root] = 0
    queue = [root]
    children: list[list[int]] = [[] for _ in range(n)]
    for v in queue:
        for w in sorted(adj[v]):
            if depth[w] < 0:
                depth[w] = depth[v] + 1
                parent[w] = v
                children[v].append(w)
                queue.append(w)
    leaves = [1] * n
    for v in reversed(queue):
        if children[v]:
            leaves[v] = sum(leaves[c] for c in children[v])
    xs, ys = [0.0] * n, [0.0] * n
    start = [0.0] * n
    span = [0.0] * n
    span[root] = 2 * math.pi
    # each ring far enough out for its nodes to sit about one ideal length apart
    per_ring = Counter(d for d in depth if d > 0)
    radius = [0.0]
    for d in range(1, max(depth) + 1):
        radius.append(max(radius[-1] + 2.5 * k, per_ring[d] * 1.1 * k / (2 * math.pi)))
    for v in queue:
        offset = start[v]
        for c in children[v]:
            start[c] = offset
            span[c] = span[v] * leaves[c] / leaves[v]
            offset += span[c]
            angle = start[c] + span[c] / 2
            r = radius[depth[c]]
            xs[c], ys[c] = r * math.cos(angle), r * math.sin(angle)
    stray = [i for i in range(n) if depth[i] < 0]
    for j, i in enumerate(stray):  # not reachable from the centre (filters)
        angle = 2 * math.pi * j / max(1, len(stray))
        r = radius[-1] + 2.0 * k
        xs[i], ys[i] = r * math.cos(angle), r * math.sin(angle)
    return xs, ys


def _force(
    xs: list[float],
    ys: list[float],
    pairs: Sequence[tuple[int, int]],
    weights: Sequence[float],
    k: float,
    rounds: int,
    pinned: int,
) -> None:
    n = len(xs)
    if n < 2:
        return
    cell = 3 * k  # repulsion reaches three ideal lengths: the grid's cells are that wide
    cutoff2 = cell * cell
    k2 = k * k
    gravity = 0.02
    temp = k * 2.0
    cool = temp / (rounds + 1)
    near = ((0, 0), (1, 0), (1, 1), (0, 1), (-1, 1))
    for _ in range(rounds):
        dx = [0.0] * n
        dy = [0.0] * n
        grid: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i in range(n):
            grid[(int(xs[i] // cell), int(ys[i] // cell))].append(i)
        for (cx, cy), here in grid.items():
            for ox, oy in near:
                there = here if (ox, oy) == (0, 0) else grid.get((cx + ox, cy + oy))
                if not there:
                    continue
                same = there is here
                for a_pos, a in enumerate(here):
                    ax, ay, wa = xs[a], ys[a], weights[a]
                    for b in there[a_pos + 1 :] if same else there:
                        ddx = ax - xs[b]
                        ddy = ay - ys[b]
                        d2 = ddx * ddx + ddy * ddy
                        if d2 >= cutoff2:
                            continue
                        if d2 < 0.01:
                            ddx, ddy, d2 = 0.1 * ((a - b) % 7 - 3) + 0.05, 0.1, 0.02
                        f = k2 * wa * weights[b] / d2
                        dx[a] += ddx * f
                        dy[a] += ddy * f
                        dx[b] -= ddx * f
                        dy[b] -= ddy * f
        for a, b in pairs:
            ddx = xs[a] - xs[b]
            ddy = ys[a] - ys[b]
            f = math.sqrt(ddx * ddx + ddy * ddy) / k
            dx[a] -= ddx * f
            dy[a] -= ddy * f
            dx[b] += ddx * f
            dy[b] += ddy * f
        for i in range(n):
            if i == pinned:
                continue
            gx = dx[i] - gravity * xs[i]
            gy = dy[i] - gravity * ys[i]
            d = math.sqrt(gx * gx + gy * gy)
            if d > temp:
                gx, gy = gx * temp / d, gy * temp / d
            xs[i] += gx
            ys[i] += gy
        temp -= cool


# ------------------------------------------------------------------------ from the store

ALL_NODES = (
    "MATCH (n:Entity) WHERE $labels IS NULL OR any(l IN labels(n) WHERE l IN $labels) RETURN n"
)
ALL_RELS = "MATCH (a:Entity)-[r]->(b:Entity) WHERE $types IS NULL OR type(r) IN $types RETURN r"
NODES_BY_ID = "MATCH (n:Entity) WHERE n.id IN $ids RETURN n"
RELS_AMONG = "MATCH (a:Entity)-[r]->(b:Entity) WHERE a.id IN $ids AND b.id IN $ids RETURN r"
SOURCES = (
    "MATCH (s:Source) WHERE s.id IN $ids RETURN s.id AS id, s.name AS name, s.title AS title, "
    "s.publisher AS publisher, s.publishedOn AS publishedOn, s.url AS url"
)
MAX_LOOKUP = 20_000


def with_sources(store: GraphStore, view: dict[str, Any]) -> dict[str, Any]:
    """Fill the view's `sources` map with each source's name, title, publisher and url."""
    ids = sorted(view["sources"])
    if ids:
        for row in store.run(SOURCES, {"ids": ids}).rows:
            view["sources"][row["id"]] = {k: v for k, v in row.items() if v is not None}
    return view


def graph_view(
    store: GraphStore, filters: ViewFilter | None = None, limit: int = DEFAULT_LIMIT
) -> dict[str, Any]:
    """The whole graph (filtered, capped)."""
    filters = filters or ViewFilter()
    nodes = store.run(ALL_NODES, {"labels": list(filters.classes) or None}).rows
    rels = store.run(ALL_RELS, {"types": list(filters.rels) or None}).rows
    view = build(
        (r["n"] for r in nodes),
        (r["r"] for r in rels),
        kind="graph",
        title=" · ".join(["The whole graph", *filters.describe()]),
        filters=filters,
        limit=limit,
    )
    return with_sources(store, view)


def entity_view(
    store: GraphStore,
    entity_id: str,
    depth: int = 1,
    filters: ViewFilter | None = None,
    limit: int = DEFAULT_LIMIT,
    rel_limit: int = 1000,
) -> dict[str, Any] | None:
    """An entity's ego network up to `depth` hops; None if there is no such entity."""
    if not explore.exists(store, entity_id):
        return None
    filters = filters or ViewFilter()
    found = explore.neighbourhood(store, entity_id, depth, list(filters.rels), rel_limit)
    notes = []
    if found["truncated"]:
        notes.append(f"The neighbourhood was cut at {rel_limit:,} relationships.")
    centre = next((n for n in found["nodes"] if n["id"] == entity_id), None)
    name = (centre or {}).get("properties", {}).get("name", entity_id)
    view = build(
        found["nodes"],
        found["relationships"],
        kind="entity",
        title=f"{name}: ego network, depth {depth}",
        filters=filters,
        limit=limit,
        centre=entity_id,
        truncated=found["truncated"],
        notes=notes,
    )
    return with_sources(store, view)


def collect(rows: Iterable[Any]) -> tuple[list[dict], list[dict], list[str]]:
    """Nodes, relationships (also from paths) and scalar strings anywhere in result rows."""
    nodes: list[dict] = []
    rels: list[dict] = []
    texts: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            keys = set(value)
            if keys == {"id", "labels", "properties"}:
                nodes.append(value)
            elif keys == {"type", "start", "end", "properties"}:
                rels.append(value)
            elif keys == {"nodes", "relationships"}:
                nodes.extend(value["nodes"])
                rels.extend(value["relationships"])
            else:
                for v in value.values():
                    walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, str) and len(texts) < MAX_LOOKUP:
            texts.append(value)

    walk(list(rows))
    return nodes, rels, texts


def query_view(
    store: GraphStore,
    query: NamedQuery,
    given: Mapping[str, Any],
    *,
    filters: ViewFilter | None = None,
    limit: int = DEFAULT_LIMIT,
    timeout: float | None = None,
    row_limit: int = 1000,
) -> dict[str, Any]:
    """A catalogue query's result as a graph.

    Nodes, relationships and paths in the rows are shown as they are. Text values in the
    rows, and the query's own text parameters (the agreement asked about), are looked up as
    entity ids (queries that return ids only). When the rows hold no relationship, the
    relationships among the nodes found are drawn.
    """
    params = query.bind(given)
    result = read(store, query.cypher, params, ReadLimits(timeout, row_limit))
    nodes, rels, texts = collect(result.rows)
    if result.rows:
        for value in params.values():
            texts += [
                v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)
            ]
    have = {n["id"] for n in nodes}
    wanted = (set(texts) | {r["start"] for r in rels} | {r["end"] for r in rels}) - have
    wanted.discard(None)  # type: ignore[arg-type]
    if wanted:
        nodes += [r["n"] for r in store.run(NODES_BY_ID, {"ids": sorted(wanted)}).rows]
    if not rels and nodes:
        ids = sorted({n["id"] for n in nodes if n.get("id") is not None})
        rels = [r["r"] for r in store.run(RELS_AMONG, {"ids": ids}).rows]
    notes = []
    if result.truncated:
        notes.append(f"The query's rows were cut at {row_limit:,}.")
    shown = ", ".join(f"{k}={v}" for k, v in given.items() if v not in (None, ""))
    view = build(
        nodes,
        rels,
        kind="query",
        title=f"{query.name}({shown})" if shown else query.name,
        filters=filters,
        limit=limit,
        truncated=result.truncated,
        notes=notes,
    )
    view["query"] = {"name": query.name, "params": {k: v for k, v in params.items()}}
    return with_sources(store, view)
