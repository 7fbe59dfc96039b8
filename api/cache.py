"""A cache of encoded answers (catalogue; entity, path and view), for one version of the graph.

The curated graph changes only when it is loaded. Every load stamps all nodes (`_load`), so
that stamp is the graph's version: a cached answer is served while the version it was
computed for is current. `ttl = 0` turns the cache off.

The version is re-read every `ttl` seconds by one background thread (`start`, from the
app's lifespan), never on the request path: requests answer from the cache for the last
version read, so an answer outlives a load by about `ttl` seconds (plus the time the version
query takes). Only when the version is unknown (before the first read) or too old (the
refresher has not succeeded for `3 * ttl`, see `grace`) does a request read it itself, and
then only one request at a time: the others wait for its answer instead of each querying the
store.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

from mineralkg.graph.store import GraphStore

VERSION = "MATCH (n:Entity) RETURN n._load AS version LIMIT 1"

log = logging.getLogger("mineralkg.api")
REFRESHER = "cache-version"  # the background thread's name


class _Unknown:
    """No version read yet, or the last one is too old to serve from (None is a version)."""


UNKNOWN = _Unknown()


MAX_BYTES = 256 * 2**20
"""What the cached answers may hold together: a catalogue answer may be 8 MB
(MINERALKG_RESULT_LIMIT_BYTES), so 2,048 of them could hold 16 GB; clients choose the
parameters, so they could fill it. The least recently used answers go first."""


class ResultCache:
    def __init__(self, ttl: float, maxsize: int = 2048, max_bytes: int = MAX_BYTES) -> None:
        self.ttl = ttl
        self.maxsize = maxsize
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, tuple[object, bytes]] = OrderedDict()
        self._bytes = 0  # the bodies' sizes together
        # (version, monotonic time its read started): one attribute, so it is read atomically
        self._state: tuple[object, float] = (UNKNOWN, float("-inf"))
        self._reads = 0  # version reads that succeeded
        self._lock = threading.Lock()  # the entries and the version read
        self._reading = threading.Lock()  # one request reads the version at a time
        self._refresher: threading.Thread | None = None
        self._stop = threading.Event()

    @property
    def enabled(self) -> bool:
        return self.ttl > 0

    @property
    def grace(self) -> float:
        """How old the last version read may be before requests stop serving from it.

        With the refresher running: 3 * ttl. It re-reads every ttl, so a version older than
        that means it missed two rounds (the store failing or hanging, a stalled process);
        requests then check themselves rather than serve answers that may be far behind a
        load. Without the refresher (an app used without its lifespan): ttl, as a request is
        then the only one to re-read it.
        """
        return 3 * self.ttl if self._refresher is not None else self.ttl

    def current(self) -> object:
        """The last version read if it is recent enough, else UNKNOWN; never touches the store."""
        version, read_at = self._state
        return version if time.monotonic() - read_at < self.grace else UNKNOWN

    def refresh(self, store: GraphStore) -> object:
        """Read the graph's version from the store now (the refresher's call, and a request's
        when the version is unknown or too old).

        Takes no single-flight lock itself: a refresher stuck on the store must not hold up
        the requests that check for themselves once its reads are overdue.
        """
        started = time.monotonic()  # the answer reflects the graph at this time or later
        rows = store.run(VERSION).rows
        version = rows[0]["version"] if rows else None
        with self._lock:
            if started >= self._state[1]:  # a read that started later may have finished first
                self._state = (version, started)
            self._reads += 1
        return version

    def version(self, store: GraphStore) -> object:
        """The version to answer for: the last one read if recent, else read it (single flight)."""
        version = self.current()
        if version is not UNKNOWN:
            return version
        reads = self._reads
        with self._reading:
            if self._reads != reads:  # read by the thread that held the lock: use its answer
                return self._state[0]
            return self.refresh(store)

    # ----------------------------------------------------------- refresher

    def start(self, store: GraphStore) -> None:
        """Re-read the version every ttl seconds in a background thread (none if disabled)."""
        if not self.enabled or self._refresher is not None:
            return
        self._stop.clear()

        def loop() -> None:
            next_at = time.monotonic()
            while True:
                try:
                    self.refresh(store)
                except Exception:  # the store is down or slow: requests check themselves
                    log.warning("cache: could not read the graph version", exc_info=True)
                next_at = max(next_at + self.ttl, time.monotonic())
                if self._stop.wait(next_at - time.monotonic()):
                    return

        self._refresher = threading.Thread(target=loop, name=REFRESHER, daemon=True)
        self._refresher.start()

    def stop(self, timeout: float = 10.0) -> None:
        refresher, self._refresher = self._refresher, None
        if refresher is not None:
            self._stop.set()
            refresher.join(timeout)

    # ------------------------------------------------------------- answers

    def get(self, key: Hashable, version: object) -> bytes | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != version:
                return None
            self._entries.move_to_end(key)
            return entry[1]

    @property
    def largest(self) -> int:
        """The largest answer kept: an eighth of the budget, so one never pushes out most others."""
        return self.max_bytes // 8

    @property
    def size(self) -> tuple[int, int]:
        """(answers, bytes) held."""
        with self._lock:
            return len(self._entries), self._bytes

    def put(self, key: Hashable, version: object, body: bytes) -> None:
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old[1])
            if len(body) > self.largest:
                return
            self._entries[key] = (version, body)
            self._bytes += len(body)
            while len(self._entries) > self.maxsize or self._bytes > self.max_bytes:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._bytes -= len(dropped)

    def peek(self, key: Hashable) -> bytes | None:
        """A cached answer for the last version read, if that is recent; never touches the store."""
        if not self.enabled:
            return None
        version = self.current()
        return None if version is UNKNOWN else self.get(key, version)

    def fetch(self, store: GraphStore, key: Hashable, compute: Callable[[], bytes]) -> bytes:
        """A cached answer, or `compute()` stored for the current version (blocking)."""
        if not self.enabled:
            return compute()
        version = self.version(store)
        body = self.get(key, version)
        if body is None:
            body = compute()
            self.put(key, version, body)
        return body
