"""The graph views: whole graph, ego network and query result, as a typed model and as HTML.

Layers: imports mineralkg.graph, loaders, ontology and settings; never the API or the CLI,
which (with the notebooks) use it.

- `filters`: `ViewFilter` (class, rel, from, to, undated) and its validation; the limits.
- `style`: colours and shapes of the ontology's top classes; the legend.
- `layout`: deterministic server-side positions.
- `labels`: short labels, tooltips, sizes.
- `model`: the pydantic `ViewModel` (`ViewNode`, `ViewEdge`, `LegendEntry`, ...), which is
  also the JSON form of a view.
- `build`: graph results -> `ViewModel` (filters, cap, styles, layout).
- `fetch`: the views read from a store (`graph_view`, `entity_view`, `query_view`).
- `render`: HTML through pyvis (`render_view`, `render_index`), nothing loaded from outside.
- `asof`: the as-of filter (`ViewFilter.as_of`): standings, ended relationships, statuses then.
- `timeline`, `timeline_model`, `timeline_render`: the timeline view (`timeline_view`), its
  typed `TimelineModel` and its page (script in `static/timeline.js`).
"""

from mineralkg.views.build import build
from mineralkg.views.fetch import collect, entity_view, graph_view, query_view, with_sources
from mineralkg.views.filters import (
    DEFAULT_LIMIT,
    FILTER_NAMES,
    MAX_LIMIT,
    ViewFilter,
    date_bounds,
    date_properties,
)
from mineralkg.views.layout import layout
from mineralkg.views.model import (
    LegendEntry,
    ViewCounts,
    ViewEdge,
    ViewEvidence,
    ViewFilters,
    ViewModel,
    ViewNode,
    ViewOmitted,
    ViewQuery,
    ViewSource,
)
from mineralkg.views.render import render_index, render_view
from mineralkg.views.style import STYLES, Style, styles, top_class, top_classes

__all__ = [
    "DEFAULT_LIMIT",
    "FILTER_NAMES",
    "MAX_LIMIT",
    "STYLES",
    "ViewCounts",
    "ViewEvidence",
    "LegendEntry",
    "ViewOmitted",
    "ViewSource",
    "Style",
    "ViewEdge",
    "ViewFilter",
    "ViewFilters",
    "ViewModel",
    "ViewNode",
    "ViewQuery",
    "build",
    "collect",
    "date_bounds",
    "date_properties",
    "entity_view",
    "graph_view",
    "layout",
    "query_view",
    "render_index",
    "render_view",
    "styles",
    "top_class",
    "top_classes",
    "with_sources",
]
