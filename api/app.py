"""The FastAPI application: `create_app()` wires the store, the routers and the error shape."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from mineralkg.api import errors, guard, schema
from mineralkg.api.cache import ResultCache
from mineralkg.api.lanes import Lanes
from mineralkg.api.response_cache import CachedResponses
from mineralkg.api.routes import (
    changes,
    docs,
    entities,
    health,
    queries,
    semantic,
    timeline,
    views,
    workbench,
)
from mineralkg.graph.adhoc_twin import AdhocTwin, adhoc_store
from mineralkg.graph.catalogue import catalogue
from mineralkg.graph.factory import open_store
from mineralkg.graph.lanes import BoundedStore, tune
from mineralkg.graph.store import GraphStore
from mineralkg.ontology.model import load as load_ontology
from mineralkg.settings import Settings, get_settings
from mineralkg.views import date_properties, top_classes

DESCRIPTION = """
An open knowledge graph of trans-Atlantic critical-mineral diplomacy: who agreed what with whom,
on which minerals, when, under which tensions, and on what evidence.

Every node and relationship carries its sources and, where the source has one, the quote it
rests on. Ad-hoc Cypher is read-only by the database's own access mode.
"""


def settle_heap() -> None:
    """Load what every request needs, then keep it out of the garbage collector's way.

    After start-up the process holds about 120,000 long-lived objects (the ontology's rdflib
    graph, the catalogue, pydantic and FastAPI models); a full (generation 2) collection scans
    them all: 36-70 ms on the benchmark machine, a pause every request in flight waits out.
    They are rare (none in 20,000 cached requests), but `gc.freeze()` makes them harmless: it
    moves everything alive now into a permanent generation that collections skip (a full
    collection then takes under 1 ms). Not done for apps handed a store (tests): freezing
    would keep a test session's garbage for good.
    """
    catalogue()
    load_ontology()
    top_classes()
    date_properties()
    gc.collect()
    gc.freeze()


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    """The app; it opens the configured store at start-up unless one is given (tests)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = store is None
        app.state.store = BoundedStore(store or open_store(settings), settings.query_timeout)
        app.state.settings = settings
        app.state.lanes = Lanes.of(settings, app.state.store)  # fresh threads for each run
        tune(app.state.store)
        adhoc = app.state.adhoc_store = adhoc_store(app.state.store, settings)
        if isinstance(adhoc, AdhocTwin):
            app.state.lanes.prepare = adhoc.prepare
            app.state.lanes.on_overrun = adhoc.recycle
        cache: ResultCache = app.state.cache
        cache.start(app.state.store)  # re-reads the graph version every ttl in the background
        if owned:  # a served process, not a test handing in its store
            settle_heap()
        try:
            yield
        finally:
            cache.stop()
            app.state.lanes.close()
            if isinstance(adhoc, AdhocTwin):
                adhoc.close()
            if owned:
                app.state.store.close()

    app = FastAPI(
        title="mineralkg",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served by routes/docs.py with local assets
        redoc_url=None,
        redirect_slashes=False,  # its redirects were built from the Host header
    )
    if store is not None:  # given by the caller (tests): usable even without the lifespan
        app.state.store = app.state.adhoc_store = BoundedStore(store, settings.query_timeout)
        app.state.settings = settings
    app.state.cache = ResultCache(settings.cache_ttl)
    app.state.lanes = Lanes.of(settings)
    app.add_middleware(queries.CachedAnswers, cache=app.state.cache, page_size=settings.page_size)
    app.add_middleware(CachedResponses, cache=app.state.cache)
    guard.install(app, settings, app.state.cache)
    errors.install(app)
    for module in (health, queries, entities, changes, semantic, timeline, views, workbench, docs):
        app.include_router(module.router)
    schema.install(app)
    return app
