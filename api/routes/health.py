from __future__ import annotations

from fastapi import APIRouter

from mineralkg.api.deps import StoreDep
from mineralkg.api.lanes import on_store_lane
from mineralkg.api.models import Health

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, summary="Store kind, reachability and counts")
@on_store_lane("the store", reads=2)
def health(store: StoreDep) -> Health:
    counts = store.counts()
    return Health(
        store=store.kind,
        reachable=True,
        nodes=counts.nodes,
        relationships=counts.relationships,
    )
