"""Dependencies injected into routes: the store and the settings.

They are `async def` on purpose: FastAPI runs a plain `def` dependency in the thread pool, a
thread hop per dependency per request (it made a cached catalogue answer about 4x slower in
the app); these only read `app.state` and never block.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from mineralkg.graph.store import GraphStore
from mineralkg.settings import Settings


async def get_store(request: Request) -> GraphStore:
    store: GraphStore = request.app.state.store
    return store


async def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_adhoc_store(request: Request) -> GraphStore:
    """Where ad-hoc reads run: the embedded store's low-priority twin, or the store."""
    store: GraphStore = getattr(request.app.state, "adhoc_store", request.app.state.store)
    return store


StoreDep = Annotated[GraphStore, Depends(get_store)]
AdhocStoreDep = Annotated[GraphStore, Depends(get_adhoc_store)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
