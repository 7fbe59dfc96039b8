"""A cache of encoded catalogue-query responses, valid for one version of the graph.

The curated graph changes only when it is loaded. Every load stamps all nodes (`_load`), so
that stamp is the graph's version: a cached answer is served while the version it was
computed for is current. The version is read again at most every `ttl` seconds, so an
answer can outlive a load by up to `ttl` seconds; `ttl = 0` turns the cache off.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

from graph.store import GraphStore

VERSION = "MATCH (n:Entity) RETURN n._load AS version LIMIT 1"


class ResultCache:
    def __init__(self, ttl: float, maxsize: int = 2048) -> None:
        self.ttl = ttl
        self.maxsize = maxsize
        self._entries: OrderedDict[Hashable, tuple[object, bytes]] = OrderedDict()
        self._version: object = None
        self._checked = float("-inf")
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.ttl > 0

    def version(self, store: GraphStore) -> object:
        now = time.monotonic()
        if now - self._checked >= self.ttl:
            rows = store.run(VERSION).rows
            with self._lock:
                self._version = rows[0]["version"] if rows else None
                self._checked = now
        return self._version

    def get(self, key: Hashable, version: object) -> bytes | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != version:
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: Hashable, version: object, body: bytes) -> None:
        with self._lock:
            self._entries[key] = (version, body)
            self._entries.move_to_end(key)
            while len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)

    def peek(self, key: Hashable) -> bytes | None:
        """A cached answer if the version was checked recently enough; never touches the store."""
        if not self.enabled or time.monotonic() - self._checked >= self.ttl:
            return None
        return self.get(key, self._version)

    def fetch(self, store: GraphStore, key: Hashable, compute: Callable[[], bytes]) -> bytes:
        if not self.enabled:
            return compute()
        version = self.version(store)
        body = self.get(key, version)
        if body is None:
            body = compute()
            self.put(key, version, body)
        return body
