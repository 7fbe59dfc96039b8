"""Each data file's records, parsed and checked alone, cached on disk between runs.

Parsing the YAML and checking each record against its class's pydantic model (building the
~55 models first) took about half of a `mineralkg validate` of the curated data. Neither
depends on anything but the file, the ontology and the code that does it, so the result is
kept per file, keyed by a hash of all three, and read back while none has changed: after an
edit only the edited file is parsed again. The checks across records (references, domains
and ranges, quotes, SHACL) run every time.

The cache is `MINERALKG_VAR_DIR/cache/records/` (one pickle per file version, written
atomically); it is safe to delete at any time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Iterable
from functools import cache
from importlib import metadata
from pathlib import Path

from mineralkg.loaders import errors, records, schema, yamlio, yamlnodes
from mineralkg.loaders.errors import DataError, display_path
from mineralkg.loaders.parallel import cpus, ordered_map
from mineralkg.loaders.records import Checked, check_record
from mineralkg.loaders.yamlio import PARALLEL_BYTES, RawRecord, data_files, read_file
from mineralkg.ontology import dates, model
from mineralkg.ontology.model import ONTOLOGY_FILE, Ontology
from mineralkg.ontology.model import load as load_ontology

# What the cached result depends on besides the file: the code that parses and checks a record.
_CODE = (errors, records, schema, yamlio, yamlnodes, dates, model, sys.modules[__name__])
_LIBRARIES = ("pydantic", "pydantic-core", "PyYAML", "ruamel.yaml")

Entry = tuple[list[DataError], list[Checked]]


@cache
def _salt() -> bytes:
    digest = hashlib.sha256(ONTOLOGY_FILE.read_bytes())
    for module in _CODE:
        digest.update(Path(str(module.__file__)).read_bytes())
    for name in _LIBRARIES:
        digest.update(f"{name}={metadata.version(name)};".encode())
    digest.update(sys.version.encode())
    return digest.digest()


def _key(name: str, content: bytes) -> str:
    return hashlib.sha256(_salt() + name.encode() + b"\0" + content).hexdigest()


def _read(path: Path) -> Entry | None:
    try:
        with path.open("rb") as f:
            entry: Entry = pickle.load(f)
        return entry
    except FileNotFoundError:
        return None
    except Exception:  # a damaged or foreign file: parse again and overwrite it
        return None


def _write(path: Path, entry: Entry) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(entry, f, pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # readers see the old file or the whole new one
    except OSError:  # a read-only or full disk costs the next run time, nothing else
        pass


def _parsed(files: list[Path]) -> Iterable[tuple[list[RawRecord], list[DataError]]]:
    # Below PARALLEL_BYTES a worker's start costs more than it saves (loaders/yamlio.py).
    size = sum(f.stat().st_size for f in files)
    workers = min(cpus(), len(files)) if size >= PARALLEL_BYTES else 1
    return ordered_map(read_file, files, workers)


def read_checked(
    path: Path, ont: Ontology, cache_dir: Path | None = None
) -> tuple[list[Checked], list[DataError]]:
    """Every record under `path`, checked alone, and the errors that kept records from being
    read; from `cache_dir` where a file is unchanged (only for the ontology of the project's
    own file, which the cache key covers)."""
    files = data_files(path)
    if not files:
        return [], [DataError(display_path(path), 0, "path", "no YAML files found")]
    use_cache = cache_dir is not None and ont is load_ontology()
    entries: dict[Path, Entry] = {}
    keys: dict[Path, tuple[Path, bytes]] = {}
    if use_cache and cache_dir is not None:
        for file in files:
            content = file.read_bytes()
            keys[file] = (cache_dir / f"{_key(display_path(file), content)}.pickle", content)
            hit = _read(keys[file][0])
            if hit is not None:
                entries[file] = hit
    missing = [f for f in files if f not in entries]
    for file, (recs, errs) in zip(missing, _parsed(missing), strict=True):
        entries[file] = (errs, [check_record(ont, rec) for rec in recs])
        # kept only if the file did not change while it was read
        if file in keys and file.read_bytes() == keys[file][1]:
            _write(keys[file][0], entries[file])
    checked: list[Checked] = []
    file_errors: list[DataError] = []
    for file in files:
        errs, done = entries[file]
        checked.extend(done)
        file_errors.extend(errs)
    return checked, file_errors
