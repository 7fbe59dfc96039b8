"""Reading curated YAML with the line of every record and field, for errors a curator can act on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from mineralkg.loaders.errors import DataError, display_path

Kind = Literal["nodes", "relations"]
FILE_KEYS = ("recordedOn", "nodes", "relations")


class _Constructor(RoundTripConstructor):
    """Leaves dates as text, so that a bad one is reported with its line, not as a crash."""


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", RoundTripConstructor.construct_yaml_str)


@dataclass(frozen=True)
class RawRecord:
    """One item of a file's `nodes` or `relations` list, as plain Python data."""

    file: str
    line: int
    kind: Kind
    data: dict[str, Any]
    lines: dict[str, int] = field(default_factory=dict)  # field -> line
    evidence_lines: tuple[int, ...] = ()
    item_lines: dict[str, tuple[int, ...]] = field(default_factory=dict)
    """For each list-valued field (history, contested, ...), the line of each item."""

    def line_of(self, key: str | int | None) -> int:
        if isinstance(key, str):
            return self.lines.get(key, self.line)
        return self.line


def data_files(path: Path) -> list[Path]:
    """The YAML files of a data folder (recursively, sorted), or the one file given."""
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*") if p.suffix in {".yaml", ".yml"} and p.is_file())


def _plain(value: Any) -> Any:
    """ruamel's round-trip containers and scalars as plain Python values."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return value


def read_file(path: Path) -> tuple[list[RawRecord], list[DataError]]:
    """Records of one file and the errors that kept any from being read."""
    name = display_path(path)
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        return [], [DataError(name, line, "yaml", f"malformed YAML: {exc.problem or exc}")]
    except (YAMLError, UnicodeDecodeError) as exc:
        return [], [DataError(name, 1, "yaml", f"malformed YAML: {exc}")]
    if doc is None:
        return [], []
    if not isinstance(doc, CommentedMap):
        return [], [
            DataError(name, 1, "file", "expected a mapping with `nodes` and/or `relations`")
        ]

    errors: list[DataError] = []
    for key in doc:
        if key not in FILE_KEYS:
            line = doc.lc.key(key)[0] + 1
            errors.append(
                DataError(name, line, str(key), f"unknown key; expected one of {FILE_KEYS}")
            )
    default_recorded = _plain(doc.get("recordedOn"))

    records: list[RawRecord] = []
    for kind in ("nodes", "relations"):
        items = doc.get(kind)
        if items is None:
            continue
        if not isinstance(items, CommentedSeq):
            line = doc.lc.key(kind)[0] + 1
            errors.append(DataError(name, line, kind, "expected a list of records"))
            continue
        for index, item in enumerate(items):
            line = items.lc.item(index)[0] + 1
            if not isinstance(item, CommentedMap):
                errors.append(DataError(name, line, kind, "expected a mapping (key: value lines)"))
                continue
            records.append(_record(name, line, kind, item, default_recorded))
    return records, errors


def _record(name: str, line: int, kind: Kind, item: CommentedMap, recorded: Any) -> RawRecord:
    lines = {str(k): item.lc.key(k)[0] + 1 for k in item}
    data = _plain(item)
    if recorded is not None and "recordedOn" not in data:
        data["recordedOn"] = recorded
    item_lines = {
        str(k): tuple(v.lc.item(i)[0] + 1 for i in range(len(v)))
        for k, v in item.items()
        if isinstance(v, CommentedSeq)
    }
    return RawRecord(name, line, kind, data, lines, item_lines.get("evidence", ()), item_lines)


def read_all(path: Path) -> tuple[list[RawRecord], list[DataError]]:
    records: list[RawRecord] = []
    errors: list[DataError] = []
    files = data_files(path)
    if not files:
        errors.append(DataError(display_path(path), 0, "path", "no YAML files found"))
    for file in files:
        recs, errs = read_file(file)
        records.extend(recs)
        errors.extend(errs)
    return records, errors
