"""The public Python API: open a store, load the curated data, ask questions, get rows.

from mineralkg import KnowledgeGraph
kg = KnowledgeGraph.open()                 # the embedded store (or store="neo4j")
kg.load()                                  # the curated data, validated
kg.query("agreement_parties", agreement="uk-us-critical-minerals-mou").df()
kg.cypher("MATCH (s:State) RETURN s.name AS name").rows
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mineralkg.graph import explore
from mineralkg.graph.catalogue import NamedQuery, catalogue
from mineralkg.graph.factory import open_store
from mineralkg.graph.store import GraphStore
from mineralkg.loaders.dataset import Dataset, load_dataset
from mineralkg.loaders.plan import LoadReport, build_plan
from mineralkg.settings import Settings, get_settings

if TYPE_CHECKING:
    import pandas


@dataclass
class Rows:
    """Query results: `rows` as dicts, `df()` as a pandas DataFrame."""

    columns: list[str]
    rows: list[dict[str, Any]]
    truncated: bool = False

    def df(self) -> pandas.DataFrame:
        import pandas as pd

        return pd.DataFrame(self.rows, columns=self.columns)

    def __len__(self) -> int:
        return len(self.rows)


class KnowledgeGraph:
    """One store and the settings it was opened with."""

    def __init__(self, store: GraphStore, settings: Settings) -> None:
        self.store = store
        self.settings = settings

    @classmethod
    def open(cls, store: str | None = None, **overrides: Any) -> KnowledgeGraph:
        """Open the configured store; keyword overrides are Settings fields (neo4j_uri=...)."""
        base = get_settings()
        # validated again, so that e.g. a password given as text becomes a SecretStr
        settings = Settings(**{**base.model_dump(), **overrides}) if overrides else base
        return cls(open_store(settings, kind=store), settings)

    def load(self, path: Path | None = None) -> LoadReport:
        """Validate the curated YAML (or `path`) and make the graph hold exactly it."""
        return self.store.load(
            build_plan(self.dataset(path)),
            batch_size=self.settings.batch_size,
            workers=self.settings.load_workers or None,
        )

    def dataset(self, path: Path | None = None) -> Dataset:
        return load_dataset(path or self.settings.data_dir, self.settings.sources_dir)

    @staticmethod
    def catalogue() -> dict[str, NamedQuery]:
        return catalogue()

    def query(self, name: str, **params: Any) -> Rows:
        """Run a named query of the catalogue with typed, checked parameters."""
        named = catalogue()[name]
        return self._read(named.cypher, named.bind(params))

    def cypher(self, text: str, **params: Any) -> Rows:
        """Run read-only Cypher; the database refuses writes."""
        return self._read(text, params)

    def neighbourhood(self, entity_id: str, depth: int = 1) -> dict[str, Any]:
        return explore.neighbourhood(self.store, entity_id, depth, None, self.settings.row_limit)

    def _read(self, text: str, params: dict[str, Any]) -> Rows:
        result = self.store.run(
            text,
            params,
            mode="read",
            timeout=self.settings.query_timeout,
            limit=self.settings.row_limit,
        )
        return Rows(result.columns, result.rows, result.truncated)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
