"""Errors in curated data, each naming the file, line and field a curator has to fix."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


def display_path(path: Path) -> str:
    """A path as a curator would type it: relative to the working directory when below it."""
    absolute = path.resolve()
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)


@dataclass(frozen=True, order=True)
class DataError:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class ValidationFailed(Exception):
    """The data has errors; `errors` holds every one of them, sorted by file and line."""

    def __init__(self, errors: list[DataError]) -> None:
        self.errors = sorted(set(errors))
        super().__init__(f"{len(self.errors)} error(s) in the data")

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)
