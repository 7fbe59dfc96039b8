"""Rows made safe for a JSON answer, and cut at a size in bytes.

A row cap is not a size cap: 1,000 rows of 1 MB strings made a 523 MB answer. Each row is
encoded once, its bytes counted as it is added, and the answer stops before the row that
would carry it past `result_limit_bytes`. Values JSON cannot carry as such (a Neo4j
`Duration`, a spatial point) become their text form instead of failing the whole answer.
"""

from __future__ import annotations

from typing import Any

import orjson

from mineralkg.graph.store import Row


def _plain(value: Any) -> Any:
    """The JSON form of what orjson cannot encode: ISO 8601 for temporal values, else text."""
    iso = getattr(value, "iso_format", None) or getattr(value, "isoformat", None)
    if callable(iso):  # Neo4j's temporal types
        return iso()
    if type(value).__name__ == "relativedelta":  # FalkorDB's durations (python-dateutil)
        return _iso_duration(value)
    return str(value)


def _iso_duration(d: Any) -> str:
    date = "".join(f"{n}{u}" for n, u in ((d.years, "Y"), (d.months, "M"), (d.days, "D")) if n)
    seconds = d.seconds + d.microseconds / 1e6
    time = "".join(f"{n:g}{u}" for n, u in ((d.hours, "H"), (d.minutes, "M"), (seconds, "S")) if n)
    return "P" + (date or ("" if time else "0D")) + (f"T{time}" if time else "")


def encode(row: Row) -> bytes:
    return orjson.dumps(row, default=_plain, option=orjson.OPT_NON_STR_KEYS)


def fit(rows: list[Row], max_bytes: int) -> tuple[list[Row], bool]:
    """The rows that fit in `max_bytes` of JSON (as plain JSON values), and whether any were
    left out."""
    kept: list[Row] = []
    size = 0
    for row in rows:
        try:
            data = orjson.dumps(row)
            plain = row
        except TypeError:  # a value JSON has no type for: its text form
            data = encode(row)
            plain = orjson.loads(data)
        size += len(data) + 1
        if size > max_bytes:
            return kept, True
        kept.append(plain)
    return kept, False
