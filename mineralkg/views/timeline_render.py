"""HTML of the timeline view: `templates/timeline.html` with its script in `static/`.

Served pages load `timeline.js` from the app (`/static/mkg/timeline.js`), so they carry no
inline script; the page's data is a JSON block (`<script type="application/json">`), which is
never run. Offline pages (`mineralkg view --timeline -o FILE.html`) inline the script.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from mineralkg.graph import explore
from mineralkg.graph.reads import ReadLimits
from mineralkg.graph.store import GraphStore
from mineralkg.views.filters import ViewFilter
from mineralkg.views.render import _environment
from mineralkg.views.timeline import timeline_view
from mineralkg.views.timeline_model import TimelineModel

STATIC_DIR = Path(__file__).resolve().parent / "static"
STATIC_PREFIX = "/static/mkg"
ASSETS = {"timeline.js": "text/javascript", "timeline.css": "text/css"}


@cache
def asset(name: str) -> str:
    """The text of one of the page's own files (`ASSETS`)."""
    if name not in ASSETS:
        raise KeyError(name)
    return (STATIC_DIR / name).read_text(encoding="utf-8")


def render_timeline(view: TimelineModel, *, offline: bool = False, base: str = "") -> str:
    """The timeline page; `offline` inlines its script and drops links back to a server."""
    return (
        _environment()
        .get_template("timeline.html")
        .render(
            title=view.title,
            message=view.message,
            counts=view.counts,
            entity=view.entity,
            lanes_by=view.lanes_by,
            date_from=view.range.date_from,
            date_to=view.range.date_to,
            offline=offline,
            base=base,
            static=base + STATIC_PREFIX,
            timeline_css=asset("timeline.css"),
            timeline_js=asset("timeline.js") if offline else "",
            data=view.to_json(),
            conf={"offline": offline, "base": base},
        )
    )


def write_timeline(
    store: GraphStore,
    output: Path,
    entity: str | None,
    filters: ViewFilter,
    lanes: str,
    limits: ReadLimits,
) -> str | None:
    """`mineralkg view --timeline -o FILE`: the page written offline, and a line saying so;
    None when there is no such entity (ParamError for bad parameters)."""
    if entity and not explore.exists(store, entity):
        return None
    view = timeline_view(
        store,
        entity=entity,
        date_from=filters.date_from,
        date_to=filters.date_to,
        lanes_by=lanes,
        limits=limits,
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render_timeline(view, offline=True), encoding="utf-8")
    return f"wrote {output}: {view.counts.items} dated items, {view.counts.undated} undated"
