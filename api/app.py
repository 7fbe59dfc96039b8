"""The FastAPI application: `create_app()` wires the store, the routers and the error shape."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api import errors
from api.cache import ResultCache
from api.routes import entities, health, queries, semantic, views
from graph.factory import open_store
from graph.store import GraphStore
from mineralkg.settings import Settings, get_settings

DESCRIPTION = """
An open knowledge graph of trans-Atlantic critical-mineral diplomacy: who agreed what with whom,
on which minerals, when, under which tensions, and on what evidence.

Every node and relationship carries its sources and, where the source has one, the quote it
rests on. Ad-hoc Cypher is read-only by the database's own access mode.
"""


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    """The app; it opens the configured store at start-up unless one is given (tests)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = store is None
        app.state.store = store if store is not None else open_store(settings)
        app.state.settings = settings
        try:
            yield
        finally:
            if owned:
                app.state.store.close()

    app = FastAPI(
        title="mineralkg",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    if store is not None:  # given by the caller (tests): usable even without the lifespan
        app.state.store = store
        app.state.settings = settings
    app.state.cache = ResultCache(settings.cache_ttl)
    errors.install(app)
    for module in (health, queries, entities, semantic, views):
        app.include_router(module.router)
    return app
