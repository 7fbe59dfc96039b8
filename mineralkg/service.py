"""What the front doors share: the CLI, the API, the Python session and the notebooks validate,
load and read through these functions, so that each does it the same way (SHACL included, the
same timeout and row cap)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mineralkg.graph.catalogue import catalogue
from mineralkg.graph.changes import Digest, digest
from mineralkg.graph.reads import ReadLimits, read, read_named
from mineralkg.graph.store import GraphStore, Result
from mineralkg.loaders.dataset import Dataset, load_dataset
from mineralkg.loaders.errors import ValidationFailed
from mineralkg.loaders.plan import LoadPlan, LoadReport, Progress
from mineralkg.loaders.shacl import shacl_errors
from mineralkg.settings import Settings, get_settings


def checked_dataset(path: Path | None = None, settings: Settings | None = None) -> Dataset:
    """The curated YAML (or `path`), fully validated: models, references, quotes, then the
    SHACL shapes; ValidationFailed lists every error as file:line: field: message. Each
    file's records, checked alone, are cached in MINERALKG_VAR_DIR/cache/records/."""
    settings = settings or get_settings()
    cache_dir = settings.var_dir / "cache" / "records"
    dataset = load_dataset(path or settings.data_dir, settings.sources_dir, cache_dir=cache_dir)
    errors = shacl_errors(dataset)
    if errors:
        raise ValidationFailed(errors)
    return dataset


def load(
    store: GraphStore,
    plan: LoadPlan,
    settings: Settings | None = None,
    progress: Progress | None = None,
) -> LoadReport:
    """Make the graph hold exactly the plan's data, all or nothing, the way the store writes
    (MINERALKG_BATCH_SIZE, MINERALKG_LOAD_WORKERS)."""
    settings = settings or get_settings()
    return store.load(
        plan,
        batch_size=settings.batch_size,
        workers=settings.load_workers or None,
        progress=progress,
    )


def run_query(
    store: GraphStore, name: str, params: Mapping[str, Any], settings: Settings | None = None
) -> Result:
    """A named query of the catalogue (KeyError for an unknown name, ParamError for bad
    parameters)."""
    return read_named(store, catalogue()[name], params, ReadLimits.of(settings or get_settings()))


def run_cypher(
    store: GraphStore,
    text: str,
    params: Mapping[str, Any] | None = None,
    settings: Settings | None = None,
) -> Result:
    """Ad-hoc read-only Cypher."""
    return read(store, text, params, ReadLimits.of(settings or get_settings()))


def changes(
    store: GraphStore,
    since: str | None = None,
    until: str | None = None,
    actor: str | None = None,
    other: str | None = None,
    settings: Settings | None = None,
) -> Digest:
    """What happened in a period, oldest first, each change with its sources (ParamError for
    a bad date or an unknown actor)."""
    return digest(store, since, until, actor, other, ReadLimits.of(settings or get_settings()))
