"""Change digests: what happened in a period, as JSON (`/changes`) and as an Atom feed
(`/changes.atom`) a researcher can subscribe to."""

from __future__ import annotations

import html
from typing import Annotated, Any
from urllib.parse import quote
from xml.etree import ElementTree as ET

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from mineralkg.api.deps import SettingsDep, StoreDep
from mineralkg.api.lanes import Lanes
from mineralkg.graph.changes import Change, Digest
from mineralkg.service import changes as digest

router = APIRouter(tags=["changes"])

ATOM = "http://www.w3.org/2005/Atom"
ERRORS: dict[int | str, dict[str, Any]] = {
    422: {
        "description": "A date that is not YYYY, YYYY-MM or YYYY-MM-DD, a period that ends "
        "before it begins, or an id that is no actor"
    },
}

Since = Annotated[
    str | None,
    Query(description="First day of the period: YYYY, YYYY-MM or YYYY-MM-DD (its first day)"),
]
Until = Annotated[
    str | None,
    Query(description="Last day of the period: YYYY, YYYY-MM or YYYY-MM-DD (its last day)"),
]
Actor = Annotated[
    str | None, Query(description="Only facts involving this actor (and its bodies and people)")
]
Other = Annotated[str | None, Query(description="With actor: only facts involving both")]


async def period_digest(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    since: Since = None,
    until: Until = None,
    actor: Actor = None,
    other: Other = None,
) -> Digest:
    """The changes both routes answer with, read on the store lane (api/lanes.py): answered
    or 503 within its time."""
    lanes: Lanes = request.app.state.lanes
    return await lanes.read(
        request,
        lambda: digest(store, since, until, actor, other, settings),
        "the changes",
        reads=3,
    )


DigestDep = Annotated[Digest, Depends(period_digest)]


@router.get(
    "/changes",
    response_model=Digest,
    responses=ERRORS,
    summary="What happened in a period, oldest first, each change with its sources",
)
def changes(found: DigestDep) -> Digest:
    return found


@router.get(
    "/changes.atom",
    response_class=Response,
    responses={**ERRORS, 200: {"content": {"application/atom+xml": {}}}},
    summary="The same changes as an Atom feed",
)
def changes_feed(request: Request, found: DigestDep) -> Response:
    base = str(request.base_url).rstrip("/")
    body = atom_feed(found, base, str(request.url))
    return Response(body, media_type="application/atom+xml")


def entry_id(change: Change) -> str:
    """Stable across requests and loads: the fact and which of its dates."""
    return f"tag:mineralkg,2026:change:{quote(change.subject, safe='')}:{change.property}"


def _timestamp(day: str) -> str:
    return f"{day}T00:00:00Z"


def _title(change: Change) -> str:
    if change.kind == "status-change":
        return change.name
    return f"{change.name}: {change.label} {change.date}"


def _content(change: Change) -> str:
    """The entry's text as HTML: the date with its bounds, then each source and what it says."""
    span = (
        change.earliest
        if change.earliest == change.latest
        else (f"{change.earliest} to {change.latest}")
    )
    lines = [
        f"<p>{html.escape(change.kind)}: {html.escape(change.label)} {html.escape(change.date)}"
        f" ({html.escape(change.precision)}: {span})"
        + (" — straddles the period's bounds" if change.straddles else "")
        + "</p>",
        "<ul>",
    ]
    for source in change.sources:
        name = html.escape(source.name or source.id)
        link = f'<a href="{html.escape(source.url)}">{name}</a>' if source.url else name
        said = source.quote or source.claim
        meta = ", ".join(html.escape(v) for v in (source.publisher, source.date) if v)
        lines.append(
            f"<li>{link}"
            + (f" ({meta})" if meta else "")
            + (f": “{html.escape(said)}”" if said else "")
            + "</li>"
        )
    lines.append("</ul>")
    return "\n".join(lines)


def atom_feed(found: Digest, base: str, self_url: str) -> bytes:
    """The digest as an Atom 1.0 document (RFC 4287); ElementTree does the escaping."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")

    def add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        child = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        child.text = text
        return child

    period = f"{found.since or 'the beginning'} to {found.until or 'now'}"
    who = " and ".join(x for x in (found.actor, found.other) if x)
    add(feed, "id", f"{base}/changes.atom?{self_url.partition('?')[2]}".rstrip("?"))
    add(feed, "title", f"mineralkg: what changed, {period}" + (f" ({who})" if who else ""))
    days = [c.earliest for c in found.changes]
    add(feed, "updated", _timestamp(max(days)) if days else _timestamp("1970-01-01"))
    add(add(feed, "author"), "name", "mineralkg")
    add(feed, "link", rel="self", href=self_url, type="application/atom+xml")
    add(feed, "link", rel="alternate", href=f"{base}/", type="text/html")
    for change in found.changes:
        entry = add(feed, "entry")
        add(entry, "id", entry_id(change))
        add(entry, "title", _title(change))
        add(entry, "updated", _timestamp(change.earliest))
        page = f"{base}/view/entity/{quote(change.entity, safe='')}"
        add(entry, "link", rel="alternate", href=page, type="text/html")
        add(entry, "category", term=change.kind)
        add(entry, "content", _content(change), type="html")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
