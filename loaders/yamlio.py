"""Reading curated YAML with the line of every record and field, for errors a curator can act on."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from mineralkg.loaders.errors import DataError, display_path
from mineralkg.loaders.parallel import cpus, ordered_map
from mineralkg.loaders.yamlnodes import DuplicateKey, Mapping, Sequence, compose, plain, unwrap

Kind = Literal["nodes", "relations"]
FILE_KEYS = ("recordedOn", "nodes", "relations")


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


def _parse(name: str, path: Path) -> tuple[Any, list[DataError]]:
    """The file's top-level value, or the error that kept it from being read."""
    try:
        node = compose(path.read_text(encoding="utf-8"))
        return (plain(node) if node is not None else None), []
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        return None, [DataError(name, line, "yaml", f"malformed YAML: {exc.problem or exc}")]
    except DuplicateKey as exc:
        return None, [DataError(name, exc.line, "yaml", f"malformed YAML: {exc}")]
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        return None, [DataError(name, 1, "yaml", f"malformed YAML: {exc}")]


def read_file(path: Path) -> tuple[list[RawRecord], list[DataError]]:
    """Records of one file and the errors that kept any from being read."""
    name = display_path(path)
    doc, errors = _parse(name, path)
    if doc is None:
        return [], errors
    if not isinstance(doc, Mapping):
        return [], [
            DataError(name, 1, "file", "expected a mapping with `nodes` and/or `relations`")
        ]
    for key, line in doc.lines.items():
        if key not in FILE_KEYS:
            errors.append(DataError(name, line, key, f"unknown key; expected one of {FILE_KEYS}"))
    default_recorded = unwrap(doc.values.get("recordedOn"))

    records: list[RawRecord] = []
    for kind in ("nodes", "relations"):
        items = doc.values.get(kind)
        if items is None:
            continue
        if not isinstance(items, Sequence):
            errors.append(DataError(name, doc.lines[kind], kind, "expected a list of records"))
            continue
        for item, line in zip(items.items, items.lines, strict=True):
            if not isinstance(item, Mapping):
                errors.append(DataError(name, line, kind, "expected a mapping (key: value lines)"))
                continue
            records.append(_record(name, line, kind, item, default_recorded))
    return records, errors


def _record(name: str, line: int, kind: Kind, item: Mapping, recorded: Any) -> RawRecord:
    data = unwrap(item)
    if recorded is not None and "recordedOn" not in data:
        data["recordedOn"] = recorded
    item_lines = {
        key: tuple(value.lines) for key, value in item.values.items() if isinstance(value, Sequence)
    }
    return RawRecord(
        name, line, kind, data, dict(item.lines), item_lines.get("evidence", ()), item_lines
    )


# Below this many bytes of YAML the files are read in this process: a worker's start (an
# interpreter and its imports, ~0.5 s) costs more than it saves.
PARALLEL_BYTES = 8_000_000


def read_all(path: Path) -> tuple[list[RawRecord], list[DataError]]:
    records: list[RawRecord] = []
    errors: list[DataError] = []
    files = data_files(path)
    if not files:
        errors.append(DataError(display_path(path), 0, "path", "no YAML files found"))
    size = sum(f.stat().st_size for f in files)
    workers = min(cpus(), len(files)) if size >= PARALLEL_BYTES else 1
    for recs, errs in ordered_map(read_file, files, workers):
        records.extend(recs)
        errors.extend(errs)
    return records, errors
