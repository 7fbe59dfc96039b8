"""The timeline view: dated facts on a time axis, lanes per kind or per actor.

- `GET /view/timeline`: the whole graph's timeline; `entity` (an entity's own timeline: its
  facts, its neighbours' and its relationships'), `from`/`to` (YYYY, YYYY-MM or YYYY-MM-DD),
  `lanes` (kind or actor), `format` (html or json: the `TimelineModel`).
- `GET /static/mkg/{name}`: the page's script and style sheet.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from mineralkg.api.deps import SettingsDep, StoreDep
from mineralkg.api.errors import NotFound
from mineralkg.api.lanes import on_store_lane
from mineralkg.graph import explore
from mineralkg.graph.reads import ReadLimits
from mineralkg.views import timeline_render
from mineralkg.views.timeline import timeline_view
from mineralkg.views.timeline_model import TimelineModel

router = APIRouter(tags=["views"])

RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "model": TimelineModel,
        "content": {"text/html": {"schema": {"type": "string"}}},
        "description": "An HTML page, or the timeline (a TimelineModel) as JSON with format=json",
    },
    404: {"description": "No such entity"},
    422: {"description": "Bad parameters, each named"},
}
DateQ = Query(
    description="YYYY, YYYY-MM or YYYY-MM-DD; a date is in the range when its days overlap it"
)


@router.get(
    "/view/timeline",
    response_class=JSONResponse,
    responses=RESPONSES,
    summary="Dated facts on a time axis, lanes per kind or per actor",
)
@on_store_lane("the timeline", reads=3)
def timeline(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    entity: Annotated[str | None, Query(description="Only this entity's timeline")] = None,
    date_from: Annotated[
        str | None, Query(alias="from", description="First day, month or year")
    ] = None,
    date_to: Annotated[str | None, Query(alias="to", description="Last day, month or year")] = None,
    lanes: Annotated[
        Literal["kind", "actor"], Query(description="Lanes per kind or per actor")
    ] = "kind",
    format: Annotated[Literal["html", "json"], Query(description="html or json")] = "html",
) -> Response:
    if entity and not explore.exists(store, entity):
        raise NotFound(f"entity {entity!r}")
    view = timeline_view(
        store,
        entity=entity or None,
        date_from=date_from or None,
        date_to=date_to or None,
        lanes_by=lanes,
        limits=ReadLimits.of(settings),
    )
    if format == "json":
        return JSONResponse(view.to_json())
    base = str(request.scope.get("root_path") or "").rstrip("/")
    return HTMLResponse(timeline_render.render_timeline(view, base=base))


@router.get(timeline_render.STATIC_PREFIX + "/{name}", include_in_schema=False)
def timeline_asset(name: str) -> Response:
    """The timeline page's own script and style sheet (nothing else is served)."""
    if name not in timeline_render.ASSETS:
        raise NotFound(f"file {name!r}")
    return Response(
        timeline_render.asset(name),
        media_type=timeline_render.ASSETS[name],
        headers={"Cache-Control": "public, max-age=86400"},
    )
