from __future__ import annotations

from fastapi import APIRouter

from mineralkg.api.deps import StoreDep
from mineralkg.api.models import Health

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, summary="Store kind, reachability and counts")
def health(store: StoreDep) -> Health:
    counts = store.counts()
    return Health(
        store=store.kind,
        address=store.address,
        reachable=True,
        nodes=counts.nodes,
        relationships=counts.relationships,
    )
