"""One partial-date type: the loader, the catalogue's parameters and the views' filters parse,
refuse and compare dates alike."""

from __future__ import annotations

import datetime as dt

import pytest

from mineralkg.graph.catalogue import Param, ParamError
from mineralkg.loaders.schema import _partial_date
from mineralkg.ontology.dates import DateError, PartialDate
from mineralkg.views.filters import ViewFilter, date_bounds


@pytest.mark.parametrize(
    ("text", "precision", "earliest", "latest"),
    [
        ("2025", "year", "2025-01-01", "2025-12-31"),
        ("2025-02", "month", "2025-02-01", "2025-02-28"),
        ("2024-02", "month", "2024-02-01", "2024-02-29"),
        ("2025-04", "month", "2025-04-01", "2025-04-30"),
        ("2025-12", "month", "2025-12-01", "2025-12-31"),
        ("2024-02-29", "day", "2024-02-29", "2024-02-29"),
    ],
)
def test_a_date_covers_the_days_of_its_precision(
    text: str, precision: str, earliest: str, latest: str
) -> None:
    date = PartialDate.parse(text)
    assert (date.precision, date.earliest.isoformat(), date.latest.isoformat()) == (
        precision,
        earliest,
        latest,
    )
    assert date.stored("signedOn") == {
        "signedOn": text,
        "signedOnEarliest": earliest,
        "signedOnLatest": latest,
        "signedOnPrecision": precision,
    }


BAD = ["2026-02-30", "2025-02-29", "2025-13", "2025-00", "2025-1", "25", "2025/01/02", "", "x"]


@pytest.mark.parametrize("text", BAD)
def test_every_reader_refuses_the_same_bad_dates(text: str) -> None:
    with pytest.raises(DateError):
        PartialDate.parse(text)
    with pytest.raises(ValueError):
        _partial_date(text)
    with pytest.raises(ValueError):
        Param("as_of", "date", True, None, "").coerce(text)
    if text:
        with pytest.raises(ParamError) as caught:
            ViewFilter.parse(date_from=text)
        assert "from" in caught.value.problems
        assert date_bounds(text) is None


def test_dates_from_yaml_values() -> None:
    assert PartialDate.parse(dt.date(2025, 10, 9)).text == "2025-10-09"
    assert PartialDate.parse(2025).precision == "year"
    with pytest.raises(DateError):
        PartialDate.parse(dt.datetime(2025, 10, 9, 12, 0))
    with pytest.raises(DateError):
        PartialDate.parse(True)


@pytest.mark.parametrize(
    ("a", "b", "relation"),
    [
        ("2025-10", "2025-11-02", "before"),
        ("2025-10-31", "2025-11", "before"),
        ("2025-10", "2025-10-15", "overlaps"),
        ("2025", "2025-06-01", "overlaps"),
        ("2024", "2025-01-01", "before"),
        ("2026-01-01", "2025", "after"),
        ("2025-06-01", "2025-06-01", "overlaps"),
    ],
)
def test_partial_dates_are_ordered_only_when_their_spans_do_not_overlap(
    a: str, b: str, relation: str
) -> None:
    assert PartialDate.parse(a).relation(PartialDate.parse(b)) == relation


def test_sorting_puts_the_earlier_span_first() -> None:
    dates = [PartialDate.parse(t) for t in ["2025-10-02", "2025", "2025-10", "2024-12-31"]]
    assert [d.text for d in sorted(dates, key=PartialDate.sort_key)] == [
        "2024-12-31",
        "2025",
        "2025-10",
        "2025-10-02",
    ]
