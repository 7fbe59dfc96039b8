"""Running the API with uvicorn: `mineralkg serve`."""

from __future__ import annotations

from collections.abc import Callable

import uvicorn

from mineralkg.api.app import create_app
from mineralkg.settings import Settings

REQUEST_HEAD_BYTES = 1 << 20
"""Longest request line and headers read (h11's default, 16 kB, answered a long but valid
`/table/cypher?query=...&params=...` with a plain-text 400 before the app could check it;
those two parameters take at most 20,000 characters each, 480 kB percent-encoded)."""


class ServerRefused(Exception):
    """Settings the server will not run with; the message says why."""


def run(
    settings: Settings,
    host: str | None,
    port: int | None,
    workers: int | None,
    access_log: bool | None,
    say: Callable[[str], object] = print,
) -> None:
    """Serve until stopped; the arguments override the settings when given."""
    host = host or settings.host
    port = port or settings.port
    workers = workers or settings.workers
    if workers > 1 and settings.store == "embedded":
        # each worker would open the graph file on its own: two servers on one file serve
        # different graphs and overwrite each other's saves
        raise ServerRefused(
            f"--workers {workers} needs MINERALKG_STORE=neo4j; the embedded store serves "
            "from one process (one FalkorDB server per graph file)"
        )
    access_log = settings.access_log if access_log is None else access_log
    base = f"http://{host}:{port}"
    say(f"mineralkg on {base}: API docs {base}/docs, graph view {base}/view")
    if workers > 1:  # each worker process builds its own app from the same settings
        uvicorn.run(
            "mineralkg.api.app:create_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="info",
            access_log=access_log,
            h11_max_incomplete_event_size=REQUEST_HEAD_BYTES,
        )
    else:
        uvicorn.run(
            create_app(settings),
            host=host,
            port=port,
            log_level="info",
            access_log=access_log,
            h11_max_incomplete_event_size=REQUEST_HEAD_BYTES,
        )
