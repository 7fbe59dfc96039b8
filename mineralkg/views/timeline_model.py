"""The typed data dict of the timeline view, also its JSON form (`?format=json`).

    {
      "kind": "timeline", "title": str, "entity": id | null, "lanes_by": "actor" | "kind",
      "lanes": {"actor": [{id, label, color, count}], "kind": [...]},
      "items": [{id, date, start, end, precision, what, label, subject, name, class, group,
                 relation, object, object_name, status, kind_lane, actor_lanes,
                 sources, quotes, evidence}],
      "undated": [{id, name, class, group, sources, quotes, evidence}],
      "sources": {source id: {id, name, title, publisher, publishedOn, url}},
      "range": {"from", "to", "start", "end"}, "counts": {...}, "message": str
    }

An item is one dated fact (a signature, a status change, an event, a party's accession) drawn
from its first to its last possible day (`start`..`end`: a month-precise date is a bar of a
month). It sits on one lane of the kind switch (`kind_lane`) and on the lane of every actor it
involves (`actor_lanes`); the page switches between the two without a reload.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from mineralkg.views.model import ViewEvidence, ViewSource, _Model, _named

LanesBy = Literal["actor", "kind"]


class TimelineItem(_Model):
    id: str = Field(description="subject|what|relation|object: one dated fact")
    date: str = Field(description="The date as the source gives it (YYYY, YYYY-MM, YYYY-MM-DD)")
    start: str = Field(description="The first day the date stands for (ISO)")
    end: str = Field(description="The last day the date stands for (ISO)")
    precision: Literal["year", "month", "day"]
    what: str = Field(description="The date property (signedOn, ...) or statusChange")
    label: str = Field(description="A short text drawn beside the item")
    subject: str = Field(description="The node dated, or the relationship's start")
    name: str
    cls: str = _named("class", "cls", description="The subject's most specific class")
    group: str = Field(description="The subject's top class")
    relation: str | None = Field(None, description="The relationship type, for a relationship")
    object: str | None = Field(None, description="The relationship's end")
    object_name: str | None = None
    status: str | None = Field(None, description="The status a status change sets")
    kind_lane: str = Field(description="Its lane when lanes are by kind")
    actor_lanes: list[str] = Field(description="Its lanes when lanes are by actor")
    sources: list[str]
    quotes: list[str]
    evidence: list[ViewEvidence]


class TimelineLane(_Model):
    id: str
    label: str
    color: str
    count: int = Field(description="Items on the lane")


class UndatedItem(_Model):
    """An agreement, instrument, event or tension with no date of what happened."""

    id: str
    name: str
    cls: str = _named("class", "cls")
    group: str
    sources: list[str]
    quotes: list[str]
    evidence: list[ViewEvidence]


class TimelineRange(_Model):
    date_from: str | None = _named("from", "date_from", default=None)
    date_to: str | None = _named("to", "date_to", default=None)
    start: str | None = Field(None, description="The axis's first day (ISO)")
    end: str | None = Field(None, description="The axis's last day (ISO)")


class TimelineCounts(_Model):
    items: int
    undated: int
    rows: int = Field(description="Rows of the timeline query before the kinds were picked")


class TimelineModel(_Model):
    """One timeline: what the page draws and what `?format=json` answers."""

    kind: Literal["timeline"] = "timeline"
    title: str
    entity: str | None = None
    lanes_by: LanesBy
    lanes: dict[LanesBy, list[TimelineLane]]
    items: list[TimelineItem]
    undated: list[UndatedItem]
    sources: dict[str, ViewSource]
    range: TimelineRange
    counts: TimelineCounts
    message: str = ""

    def to_json(self) -> dict:
        return self.model_dump(mode="json", by_alias=True)
