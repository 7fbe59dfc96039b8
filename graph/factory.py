"""Opening the configured store: the one place that knows which implementations exist."""

from __future__ import annotations

from mineralkg.graph.store import GraphStore
from mineralkg.settings import Settings, get_settings


def open_store(settings: Settings | None = None, kind: str | None = None) -> GraphStore:
    """The store named by `kind` (default: MINERALKG_STORE), connected and answering."""
    settings = settings or get_settings()
    kind = kind or settings.store
    if kind == "embedded":
        from mineralkg.graph.embedded import EmbeddedStore

        store: GraphStore = EmbeddedStore(settings.var_dir / "graph.db", settings.graph_name)
    elif kind == "neo4j":
        from mineralkg.graph.neo4j_store import Neo4jStore

        store = Neo4jStore(
            settings.neo4j_uri,
            settings.neo4j_user,
            settings.neo4j_password.get_secret_value(),
            settings.neo4j_database,
        )
    else:
        raise ValueError(f"unknown store {kind!r}; expected 'embedded' or 'neo4j'")
    store.ping()
    return store
