"""A byte cap on the embedded store's answers, enforced while they arrive.

FalkorDB builds an answer whole and sends it as one reply, and redis-py reads a reply whole
before anyone sees a row: 1,000 rows of 1 MB strings took the API to 1.3 GB before it cut
them to MINERALKG_RESULT_LIMIT_BYTES. The parser below counts the bytes of a reply as they
come off the socket and gives up once they pass the calling thread's cap: redis-py then drops
the connection (as after any failed read), the server discards the rest of the reply, and the
caller gets ReplyTooLarge. Threads that set no cap (loads, exports) read as before.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from redis._parsers import _HiredisParser

_cap = threading.local()  # one connection serves one thread at a time: the cap is the thread's


class ReplyTooLarge(Exception):
    def __init__(self, cap: int) -> None:
        super().__init__(f"the answer passed {cap:,} bytes")
        self.cap = cap


@contextmanager
def capped(max_bytes: int | None) -> Iterator[None]:
    """Replies read by this thread inside the block stop past `max_bytes` (None: no cap)."""
    previous = getattr(_cap, "bytes", None)
    _cap.bytes = max_bytes
    try:
        yield
    finally:
        _cap.bytes = previous


class _CountingReader:
    """hiredis's reader, with the bytes fed to it since the reply began counted."""

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self.fed = 0

    def feed(self, buffer: Any, offset: int = 0, length: int = -1) -> None:
        self.fed += length if length >= 0 else len(buffer) - offset
        cap = getattr(_cap, "bytes", None)
        if cap is not None and self.fed > cap:
            raise ReplyTooLarge(cap)
        self._reader.feed(buffer, offset, length)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)


class CappedParser(_HiredisParser):
    """redis-py's hiredis parser, stopping a reply past the calling thread's byte cap."""

    def on_connect(self, connection: Any, **kwargs: Any) -> None:
        super().on_connect(connection, **kwargs)
        self._reader = _CountingReader(self._reader)

    def read_response(self, *args: Any, **kwargs: Any) -> Any:
        reader = self._reader
        if isinstance(reader, _CountingReader) and not reader.has_data():
            reader.fed = 0  # a new reply begins
        return super().read_response(*args, **kwargs)


def install(client: Any) -> None:
    """Make every connection of a redis-py client read through CappedParser."""
    pool = client.connection_pool
    pool.connection_kwargs["parser_class"] = CappedParser
    pool.disconnect()  # connections made before keep their parser: drop them
    pool.reset()
