"""The view filters (class, rel, from, to, undated) and the node cap (limit).

Filters, applied in this order by `mineralkg.views.build`:

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
5. `as_of` (a date): the graph as it stood by the end of that day, month or year
   (`mineralkg.ontology.dates.fact_standing`): facts not yet on record are dropped, those
   whose first date straddles it are kept and marked `undecidable`, relationships already
   ended (`endedOnLatest` by then) are dropped; undated agreements, instruments, events and
   tensions stay, marked `undated`. Timeless classes (actors, minerals, sources) stay.

Bad input raises `ParamError` naming each parameter by its public name (`class`, `rel`,
`from`, `to`, `undated`), which the API answers as a 422 and the CLI as exit code 2.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from rdflib import XSD

from mineralkg.graph.catalogue import ParamError
from mineralkg.loaders import stored
from mineralkg.ontology.dates import RECORD_KEEPING, DateError, PartialDate
from mineralkg.ontology.model import load as load_ontology

DEFAULT_LIMIT = 500
MAX_LIMIT = 5000
FILTER_NAMES = ("class", "rel", "from", "to", "undated", "as_of")
"""The filters' public names: query-string parameters of the views, options of the CLI."""

Undated = Literal["keep", "drop"]


@cache
def date_properties() -> frozenset[str]:
    """Properties whose values are dates, from the ontology (bookkeeping dates left out)."""
    kinds = {XSD.date, XSD.gYear, XSD.gYearMonth, XSD.dateTime}
    ont = load_ontology()
    return frozenset(
        p.name
        for p in ont.properties.values()
        if p.datatype in kinds and not stored.is_date_bound(p.name)
    ) - (RECORD_KEEPING)


def date_bounds(value: Any) -> tuple[str, str] | None:
    """The first and last day a date of any precision stands for, as ISO strings; None for a
    value that is not a date."""
    try:
        date = PartialDate.parse(value)
    except DateError:
        return None
    return date.earliest.isoformat(), date.latest.isoformat()


def _split(values: Iterable[str] | None) -> list[str]:
    return [v.strip() for value in values or [] for v in str(value).split(",") if v.strip()]


def _problems(
    classes: list[str],
    rels: list[str],
    date_from: str | None,
    date_to: str | None,
    undated: str | None,
    as_of: str | None = None,
) -> dict[str, str]:
    """What is wrong with the input, by the parameter's public name."""
    ont = load_ontology()
    problems: dict[str, str] = {}
    known = {c.name for c in ont.node_classes()}
    bad = [c for c in classes if c not in known]
    if bad:
        problems["class"] = f"unknown class(es): {', '.join(bad)}"
    bad = [r for r in rels if r not in ont.relationships]
    if bad:
        problems["rel"] = f"unknown relationship type(s): {', '.join(bad)}"
    for name, value in (("from", date_from), ("to", date_to), ("as_of", as_of)):
        if value:
            try:
                PartialDate.parse(value)
            except DateError as exc:
                problems[name] = str(exc)
    if "from" not in problems and "to" not in problems and date_from and date_to:
        lo, hi = date_bounds(date_from), date_bounds(date_to)
        if lo and hi and lo[0] > hi[1]:
            problems["to"] = f"{date_to} is before {date_from}"
    if undated not in (None, "", "keep", "drop"):
        problems["undated"] = f"expected keep or drop, got {undated!r}"
    return problems


@dataclass(frozen=True)
class ViewFilter:
    classes: tuple[str, ...] = ()
    rels: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    undated: Undated = "keep"
    as_of: str | None = None

    @classmethod
    def parse(
        cls,
        classes: Iterable[str] | None = None,
        rels: Iterable[str] | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        undated: str | None = None,
        as_of: str | None = None,
    ) -> ViewFilter:
        """A filter from user input (repeated or comma-separated values), or ParamError."""
        class_list = _split(classes)
        rel_list = _split(rels)
        problems = _problems(class_list, rel_list, date_from, date_to, undated, as_of)
        if problems:
            raise ParamError(problems)
        return cls(
            tuple(class_list),
            tuple(rel_list),
            date_from or None,
            date_to or None,
            "drop" if undated == "drop" else "keep",
            PartialDate.parse(as_of).text if as_of else None,
        )

    @property
    def has_dates(self) -> bool:
        return bool(self.date_from or self.date_to)

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
        if self.as_of:
            out.append(f"as of {self.as_of}")
        return out

    @property
    def as_of_date(self) -> PartialDate | None:
        return PartialDate.parse(self.as_of) if self.as_of else None

    def in_range(self, dates: Mapping[str, Any]) -> bool:
        """Whether an item with these dates overlaps the range (undated: per `undated`)."""
        if not self.has_dates:
            return True
        bounds = [b for b in (date_bounds(v) for v in dates.values()) if b is not None]
        if not bounds:
            return self.undated == "keep"
        start = min(b[0] for b in bounds)
        end = max(b[1] for b in bounds)
        lo = (date_bounds(self.date_from) or ("0000", "0000"))[0] if self.date_from else "0000"
        hi = (date_bounds(self.date_to) or ("9999", "9999"))[1] if self.date_to else "9999"
        return end >= lo and start <= hi
