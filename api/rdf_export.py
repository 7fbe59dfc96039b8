"""The graph as an RDF file: written once per graph version and format into
MINERALKG_VAR_DIR/cache/export/, then sent from there in chunks, so a download costs the API
neither the whole text in memory nor a second read of the graph; one larger than
MINERALKG_EXPORT_LIMIT_BYTES is refused (413) while it is written, never sent cut short."""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path
from typing import BinaryIO

from mineralkg.graph.readback import dataset_from_graph
from mineralkg.graph.store import GraphStore
from mineralkg.loaders.rdf import triples
from mineralkg.loaders.rdf_text import write

EXTENSIONS = {"turtle": "ttl", "json-ld": "jsonld", "nt": "nt"}
_writing = threading.Lock()  # one export written at a time: a second request waits, then reuses


class ExportTooLarge(Exception):
    """The export would be larger than the limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"The export is larger than {limit:,} bytes (MINERALKG_EXPORT_LIMIT_BYTES). Ask for "
            "format=nt, the most compact, raise the limit, or run `mineralkg export` where the "
            "data is."
        )


class _Bounded:
    """A file that refuses to grow beyond `limit` bytes."""

    def __init__(self, file: BinaryIO, limit: int) -> None:
        self._file = file
        self._limit = limit
        self._size = 0

    def write(self, data: bytes) -> int:
        self._size += len(data)
        if self._size > self._limit:
            raise ExportTooLarge(self._limit)
        return self._file.write(data)

    def flush(self) -> None:
        self._file.flush()


def export_path(folder: Path, version: object, fmt: str) -> Path:
    digest = hashlib.sha256(repr(version).encode()).hexdigest()[:16]
    return folder / f"mineralkg-{digest}.{EXTENSIONS[fmt]}"


def export_file(store: GraphStore, version: object, fmt: str, folder: Path, limit: int) -> Path:
    """The file of the graph at `version` in `fmt`, written now unless it already is."""
    path = export_path(folder, version, fmt)
    if path.exists():
        return path
    with _writing:
        if path.exists():  # written by the request this one waited for
            return path
        folder.mkdir(parents=True, exist_ok=True)
        dataset = dataset_from_graph(store)
        part = path.with_name(path.name + ".part")
        try:
            with part.open("wb") as file:
                write(triples(dataset), fmt, _Bounded(file, limit))  # type: ignore[arg-type]
            os.replace(part, path)
        finally:
            part.unlink(missing_ok=True)
        for old in folder.glob("mineralkg-*"):  # the files of older versions
            if not old.name.startswith(path.name.rsplit(".", 1)[0]):
                old.unlink(missing_ok=True)
    return path
