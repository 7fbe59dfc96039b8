"""Rows as text for people and tools: tables, CSV, TSV and JSON, never altering a character.

Quotes are the evidence the graph rests on, so no output reads cell text as markup: Rich
tables get `Text` objects (no `[bold]` or `:emoji:` interpretation) and fold long words
rather than cut them; CSV and TSV go through the `csv` module; JSON keeps non-ASCII text.
A cell that is not text (a list, a map, a node) is written as compact JSON.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any, Literal, TextIO

Format = Literal["table", "json", "csv", "tsv"]
FORMATS: tuple[Format, ...] = ("table", "json", "csv", "tsv")
Row = dict[str, Any]


def format_of(name: str) -> Format:
    """`name` as one of `FORMATS`, or ValueError listing them."""
    for known in FORMATS:
        if name == known:
            return known
    raise ValueError(f"expected one of {', '.join(FORMATS)}, got {name!r}")


def key_values(pairs: Sequence[str]) -> dict[str, str]:
    """`key=value` texts as a dict (the value may hold `=`), or ValueError naming the bad one."""
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"expected key=value, got {pair!r}")
        params[key.strip()] = value
    return params


def literal(text: str) -> Any:
    """A value typed on a command line: a JSON literal (3, 2.5, true, null, "3", [1, 2],
    {"a": 1}) when it is one, else the text as it is."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def cell_text(value: Any) -> str:
    """One cell as text: strings verbatim, nothing for null, anything else as JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def to_json(rows: Sequence[Row]) -> str:
    return json.dumps(list(rows), ensure_ascii=False, indent=2, default=str)


def to_delimited(columns: Sequence[str], rows: Sequence[Row], delimiter: str = ",") -> str:
    """CSV (RFC 4180 quoting) or, with a tab, TSV; a header line of the column names."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell_text(row.get(c)) for c in columns])
    return out.getvalue()


def print_table(
    columns: Sequence[str],
    rows: Sequence[Row],
    file: TextIO | None = None,
    width: int | None = None,
) -> None:
    """A Rich table whose cells wrap (long words fold) to the terminal's width."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(show_lines=True)
    for name in columns:
        table.add_column(Text(name), overflow="fold")
    for row in rows:
        table.add_row(*(Text(cell_text(row.get(c))) for c in columns))
    console = Console(file=file, width=width, markup=False, emoji=False, highlight=False)
    console.print(table)


def write(
    fmt: Format,
    columns: Sequence[str],
    rows: Sequence[Row],
    file: TextIO | None = None,
    width: int | None = None,
) -> None:
    """Rows in one of `FORMATS` to `file` (standard output by default)."""
    import sys

    stream = file or sys.stdout
    if fmt == "table":
        print_table(columns, rows, stream, width)
    elif fmt == "json":
        stream.write(to_json(rows) + "\n")
    else:
        stream.write(to_delimited(columns, rows, "\t" if fmt == "tsv" else ","))
