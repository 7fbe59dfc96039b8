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

from mineralkg import service
from mineralkg.graph import explore
from mineralkg.graph.catalogue import NamedQuery, catalogue
from mineralkg.graph.factory import open_store
from mineralkg.graph.store import GraphStore, Result
from mineralkg.loaders.dataset import Dataset
from mineralkg.loaders.plan import LoadReport, build_plan
from mineralkg.service import checked_dataset, run_cypher, run_query
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
        return service.load(self.store, build_plan(self.dataset(path)), self.settings)

    def dataset(self, path: Path | None = None) -> Dataset:
        """The curated YAML (or `path`), fully validated (SHACL included)."""
        return checked_dataset(path, self.settings)

    @staticmethod
    def catalogue() -> dict[str, NamedQuery]:
        return catalogue()

    def query(self, name: str, **params: Any) -> Rows:
        """Run a named query of the catalogue with typed, checked parameters."""
        return self._rows(run_query(self.store, name, params, self.settings))

    def cypher(self, text: str, **params: Any) -> Rows:
        """Run read-only Cypher; the database refuses writes."""
        return self._rows(run_cypher(self.store, text, params, self.settings))

    def neighbourhood(self, entity_id: str, depth: int = 1) -> dict[str, Any]:
        return explore.neighbourhood(self.store, entity_id, depth, None, self.settings.row_limit)

    @staticmethod
    def _rows(result: Result) -> Rows:
        return Rows(result.columns, result.rows, result.truncated)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
