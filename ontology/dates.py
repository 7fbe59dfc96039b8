"""Dates at the precision a source gives them: a day, a month or a year.

One type, used wherever a date is read (the YAML, the views' filters, the API's and the CLI's
parameters), so that they all parse, refuse and compare alike. A partial date covers a span
of days, from `earliest` to `latest`; in the graph it is stored as its text beside those two
days (ISO strings, which compare correctly in Cypher on every store) and its precision:

    signedOn: "2025-10"   signedOnEarliest: "2025-10-01"   signedOnLatest: "2025-10-31"
    signedOnPrecision: "month"

Two partial dates are ordered only when their spans do not overlap: "2025-10" is before
"2025-11-02", but neither before nor after "2025-10-15" (`relation` says "overlaps").
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

Precision = Literal["year", "month", "day"]
Relation = Literal["before", "after", "overlaps"]
Standing = Literal["known", "undecidable", "not-yet"]

FIRST_DATED = ("firstDatedEarliest", "firstDatedLatest")
"""The stored span of a fact's first dated step (loaders.derived.first_dated): the first day it
can have happened on and the day by which it is known to have happened."""
AsOf = Literal["known", "undecidable", "not-yet", "undated"]

RECORD_KEEPING = frozenset({"recordedOn", "accessedOn"})
"""Dates of the record (when a fact was curated, a page read), not of what happened: they
never date a fact."""

_FORM = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
EARLIEST = "Earliest"
LATEST = "Latest"
PRECISION = "Precision"
"""Suffixes of the stored bounds of a date property (`signedOn` -> `signedOnEarliest`, ...)."""


class DateError(ValueError):
    """A value that is not a date of day, month or year precision; the message says why."""


@dataclass(frozen=True)
class PartialDate:
    text: str
    precision: Precision
    earliest: dt.date
    latest: dt.date

    @classmethod
    def parse(cls, value: Any) -> PartialDate:
        """`2025`, `2025-10` or `2025-10-31` (text, an int year or a date); DateError otherwise."""
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, dt.datetime):
            raise DateError(f"expected a date without a time, got {value.isoformat()!r}")
        if isinstance(value, dt.date):
            return cls(value.isoformat(), "day", value, value)
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise DateError(f"expected a date as text (YYYY, YYYY-MM or YYYY-MM-DD), got {value!r}")
        text = str(value).strip()
        match = _FORM.match(text)
        if match is None:
            raise DateError(f"{text!r} is not a date; write YYYY-MM-DD, YYYY-MM or YYYY")
        year, month, day = (int(g) if g else None for g in match.groups())
        assert year is not None
        if year < 1:
            raise DateError(f"no year 0: {text!r}")
        if month is None:
            return cls(text, "year", dt.date(year, 1, 1), dt.date(year, 12, 31))
        if not 1 <= month <= 12:
            raise DateError(f"{text!r} is not a real date (no month {month})")
        last = calendar.monthrange(year, month)[1]
        if day is None:
            return cls(text, "month", dt.date(year, month, 1), dt.date(year, month, last))
        if not 1 <= day <= last:
            raise DateError(f"{text!r} is not a real date ({year}-{month:02d} has {last} days)")
        date = dt.date(year, month, day)
        return cls(text, "day", date, date)

    def relation(self, other: PartialDate) -> Relation:
        """Where this date lies against `other`: certainly before, certainly after, or their
        spans overlap (undecidable at the precision given)."""
        if self.latest < other.earliest:
            return "before"
        if self.earliest > other.latest:
            return "after"
        return "overlaps"

    def standing(self, as_of: PartialDate) -> Standing:
        """Whether what happened on this date had happened as of `as_of`, read as "by the end of
        `as_of`": known when this span ends by then, not yet when it starts after, and
        undecidable when `as_of` ends inside it ("2025-10" as of 2025-10-15)."""
        return span_standing(self.earliest, self.latest, as_of)

    def as_param(self) -> dict[str, str]:
        """The date as a Cypher parameter: `$d.earliest`, `$d.latest` compare with stored bounds."""
        return {
            "text": self.text,
            "earliest": self.earliest.isoformat(),
            "latest": self.latest.isoformat(),
            "precision": self.precision,
        }

    def sort_key(self) -> tuple[dt.date, dt.date]:
        """Chronological order: by the first day, then the narrower span first."""
        return self.earliest, self.latest

    def stored(self, name: str) -> dict[str, str]:
        """The properties a date property `name` is stored as."""
        return {
            name: self.text,
            name + EARLIEST: self.earliest.isoformat(),
            name + LATEST: self.latest.isoformat(),
            name + PRECISION: self.precision,
        }

    def __str__(self) -> str:
        return self.text


def span_standing(earliest: dt.date, latest: dt.date, as_of: PartialDate) -> Standing:
    """`PartialDate.standing` of a span of days (for example the first of a fact's dates)."""
    if latest <= as_of.latest:
        return "known"
    if earliest > as_of.latest:
        return "not-yet"
    return "undecidable"


def fact_standing(props: Mapping[str, Any], as_of: PartialDate) -> AsOf:
    """Where a stored fact stands as of `as_of`, from its first-dated span; "undated" when it
    has none (the caller decides whether its class is timeless)."""
    earliest, latest = (props.get(key) for key in FIRST_DATED)
    if earliest is None or latest is None:
        return "undated"
    return span_standing(dt.date.fromisoformat(earliest), dt.date.fromisoformat(latest), as_of)


def ended_by(props: Mapping[str, Any], as_of: PartialDate) -> bool:
    """Whether a stored fact is known to have ended (`endedOn`) by the end of `as_of`."""
    latest = props.get("endedOnLatest")
    return latest is not None and dt.date.fromisoformat(latest) <= as_of.latest
