"""HTML for the graph views: a `ViewModel` drawn with pyvis, and the start page.

pyvis's own template links Bootstrap (and, for menus, tom-select) from CDNs, so pages are
rendered through pyvis (`Network`, its options and `generate_html`) with our template in
`mineralkg/views/templates/view.html`, which loads nothing from outside:

- served pages (`offline=False`) load vis-network's JS and CSS from this app, under
  `/static/vis/...` (the files pyvis ships in its package, `VIS_DIR`);
- offline pages (`offline=True`, `mineralkg view -o FILE.html`) inline them, so the one
  file opens without a network. Their panel has no links back to a server.

Every page also sets `window.mkg` = {network, nodes, edges, view, showNode, showEdge} and,
once the network is first drawn, `window.mkgReady = true` and `window.mkgDrawnAt` (ms since
navigation start), which the browser tests and `bench/views.py` wait for.
"""

from __future__ import annotations

import colorsys
import math
from collections.abc import Sequence
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape

from mineralkg.graph.examples import as_text
from mineralkg.views.filters import DEFAULT_LIMIT, MAX_LIMIT
from mineralkg.views.model import ViewEdge, ViewModel, ViewNode
from mineralkg.views.style import LABEL_INSIDE, top_classes

TEMPLATES = Path(__file__).resolve().parent / "templates"
# Found without importing pyvis, whose package imports its `network` (and so networkx and
# IPython): 0.5 s that the API's start and every test module of a page paid before a page drew.
_PYVIS = find_spec("pyvis")
if _PYVIS is None or _PYVIS.origin is None:
    raise ImportError("pyvis is not installed: it is a dependency of mineralkg (pip install -e .)")
VIS_DIR = Path(_PYVIS.origin).resolve().parent / "templates" / "lib" / "vis-9.1.2"
STATIC_PREFIX = "/static/vis"
ASSETS = {"vis-network.min.js": "text/javascript", "vis-network.css": "text/css"}
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"


@cache
def asset(name: str) -> str:
    """The text of one of the vis-network files pyvis ships (`ASSETS`)."""
    if name not in ASSETS:
        raise KeyError(name)
    return (VIS_DIR / name).read_text(encoding="utf-8")


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _shade(color: str, factor: float) -> str:
    """The colour made darker (factor < 1) or lighter (factor > 1)."""
    r, g, b = (int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    h, lum, s = colorsys.rgb_to_hls(r, g, b)
    lum = min(0.95, lum * factor) if factor > 1 else lum * factor
    r, g, b = colorsys.hls_to_rgb(h, lum, s)
    return "#" + "".join(f"{round(v * 255):02x}" for v in (r, g, b))


def vis_node(node: ViewNode, centre: str | None) -> dict[str, Any]:
    """The fields vis-network draws a node with (the rest stays in the panel data)."""
    color = node.color
    inside = node.shape in LABEL_INSIDE
    out: dict[str, Any] = {
        "id": node.id,
        "label": node.label,
        "title": node.title,
        "shape": node.shape,
        "size": node.size,
        "x": node.x,
        "y": node.y,
        "group": node.group,
        "color": {
            "background": color,
            "border": _shade(color, 0.7),
            "highlight": {"background": _shade(color, 1.25), "border": "#111111"},
            "hover": {"background": _shade(color, 1.15), "border": "#111111"},
        },
    }
    if inside:
        out["font"] = {
            "color": "#ffffff" if node.group != "CriticalMineralList" else "#1f2933",
            "size": round(13 + min(5.0, math.sqrt(node.degree))),
            "strokeWidth": 0,
        }
        out["margin"] = 8
    else:  # hubs' labels are bigger, so they stay readable when zoomed out
        out["font"] = {"size": round(12 + min(16.0, 2.2 * math.sqrt(node.degree)))}
    if node.standing == "undecidable":  # may or may not have happened by the as-of date
        out["shapeProperties"] = {"borderDashes": [5, 4]}
        out["borderWidth"] = 3
        out["color"]["border"] = "#1f2933"
    if node.id == centre:
        out["borderWidth"] = 4
        if not inside:
            out["font"] = {"size": max(17, out["font"]["size"])}
    return out


def vis_edge(edge: ViewEdge) -> dict[str, Any]:
    if edge.standing == "undecidable":  # dotted: may or may not hold by the as-of date
        return {**_vis_edge(edge), "dashes": [2, 5], "width": 2}
    return _vis_edge(edge)


def _vis_edge(edge: ViewEdge) -> dict[str, Any]:
    return {
        "id": edge.id,
        "from": edge.start,
        "to": edge.end,
        "label": edge.label,
        "title": edge.title,
        "dashes": edge.dashes,
        "color": {"color": edge.color, "highlight": "#1f2933", "hover": "#52606d"},
    }


def _spread_parallel(edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Edges between the same two nodes curve apart, so each label stays readable."""
    seen: dict[tuple[str, str], int] = {}
    for edge in edges:
        a, b = edge["from"], edge["to"]
        pair = (a, b) if a <= b else (b, a)
        n = seen.get(pair, 0)
        seen[pair] = n + 1
        if n:
            clockwise = (n % 2 == 1) == (a <= b)  # the same side, whatever the direction
            edge["smooth"] = {
                "enabled": True,
                "type": "curvedCW" if clockwise else "curvedCCW",
                "roundness": 0.25 * ((n + 1) // 2),
            }
    return edges


def vis_options(node_count: int, edge_count: int) -> dict[str, Any]:
    """Physics off (positions come from the server), so any size draws at once."""
    big = node_count > 1000 or edge_count > 2000
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 1},
        "interaction": {
            "hover": not big,
            "tooltipDelay": 250,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "multiselect": False,
            "navigationButtons": False,
            "keyboard": False,
        },
        "nodes": {
            "borderWidth": 1.5,
            "borderWidthSelected": 3,
            "font": {
                "size": 13,
                "face": FONT,
                "color": "#1f2933",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
            },
            "shapeProperties": {"interpolation": False, "borderRadius": 4},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.45}},
            "smooth": False,
            "width": 1,
            "selectionWidth": 1.5,
            "hoverWidth": 0.5,
            "font": {
                "size": 10,
                "face": FONT,
                "color": "#52606d",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
                "align": "horizontal",
            },
        },
    }


PANEL_NODE = {
    "name",
    "cls",
    "group",
    "color",
    "shape",
    "status",
    "standing",
    "dates",
    "properties",
    "sources",
    "quotes",
    "evidence",
    "degree",
}
PANEL_EDGE = {"type", "start", "end", "dates", "properties", "sources", "quotes", "evidence"}
PANEL_EDGE |= {"standing"}
PANEL_VIEW = {"kind", "title", "centre", "message", "truncated", "omitted", "counts", "as_of"}


def _panel_item(item: ViewNode | ViewEdge, fields: set[str]) -> dict[str, Any]:
    out = item.model_dump(mode="json", include=fields)
    if any(ev.quote for ev in item.evidence):
        out["quotes"] = []  # the evidence holds them, with their sources
    return out


def panel_data(view: ViewModel) -> dict[str, Any]:
    """What the side panel shows, by node and edge id (kept out of vis's DataSets)."""
    return {
        **view.model_dump(mode="json", include=PANEL_VIEW | {"legend", "sources"}),
        "nodes": {n.id: _panel_item(n, PANEL_NODE) for n in view.nodes},
        "edges": {e.id: _panel_item(e, PANEL_EDGE) for e in view.edges},
    }


def render_view(
    view: ViewModel,
    *,
    offline: bool = False,
    base: str = "",
    query: Sequence[tuple[str, str]] = (),
) -> str:
    """A page drawing the view with pyvis; `offline` inlines vis-network and drops links.
    `query` is the page's query string: the as-of form keeps its other parameters."""
    from pyvis.network import Network  # imports IPython and networkx: only when rendering

    net = Network(
        height="100%",
        width="100%",
        directed=True,
        heading=view.title,
        cdn_resources="in_line" if offline else "local",
    )
    net.set_template_dir(str(TEMPLATES) + "/", "view.html")
    net.templateEnv = _environment()
    # filled directly: pyvis's add_node/add_edge check membership in lists, O(n * m)
    net.nodes = [vis_node(n, view.centre) for n in view.nodes]
    net.node_ids = [n["id"] for n in net.nodes]
    net.node_map = {n["id"]: n for n in net.nodes}
    net.edges = _spread_parallel([vis_edge(e) for e in view.edges])
    net.options = vis_options(len(net.nodes), len(net.edges))
    net.templateEnv.globals.update(
        offline=offline,
        base=base,
        static=base + STATIC_PREFIX,
        vis_js=asset("vis-network.min.js") if offline else "",
        vis_css=asset("vis-network.css") if offline else "",
        panel=panel_data(view),
        title=view.title,
        message=view.message,
        counts=view.counts,
        as_of=view.filters.as_of,
        keep_params=[(k, v) for k, v in query if k != "as_of"],
        timeline=base + "/view/timeline" + (f"?entity={quote(view.centre)}" if view.centre else ""),
    )
    return net.generate_html()


def placeholder(value: Any) -> str:
    """A parameter's example as a form shows it, as the query string takes it."""
    return "" if value is None else f"e.g. {as_text(value)}"


def render_index(queries: list[dict[str, Any]], *, base: str = "") -> str:
    """The start page: entity search, the whole-graph form and the catalogue of queries."""
    for query in queries:
        for param in query["params"]:
            param["placeholder"] = placeholder(param.get("example"))
    return (
        _environment()
        .get_template("index.html")
        .render(
            base=base,
            queries=queries,
            classes=top_classes(),
            max_limit=MAX_LIMIT,
            default_limit=DEFAULT_LIMIT,
        )
    )
