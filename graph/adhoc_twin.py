"""Ad-hoc reads on a copy of the embedded graph, in a second FalkorDB server that runs at the
lowest CPU priority.

FalkorDB runs a query on one of its threads to its end and stops it only coarsely, so a hostile
ad-hoc query held a core beside the catalogue and entity reads (with 8 hostile clients their
p99 rose from 41 ms to 313-538 ms on 2 cores, docs/benchmarks.md). The twin holds the graph
as the main server last saved it (saved first if it changed since); its threads run at nice 19,
so the kernel gives the cores to the main server and the API before it. A query that overruns
its deadline is stopped by killing the twin (`recycle`; the next ad-hoc read starts it again
from its copy), and a query that crashes FalkorDB crashes the twin only.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import psutil

from mineralkg.graph.embedded import EmbeddedStore
from mineralkg.graph.guard import QueryTooLarge
from mineralkg.graph.lanes import BoundedStore, tune
from mineralkg.graph.store import GraphStore, Mode, Result, StoreUnavailable
from mineralkg.settings import Settings

LOWEST_PRIORITY = 19
WATCH_S = 0.1  # how often the twin's memory is looked at while a read runs on it


def rss(pid: int) -> int:
    """Resident memory of a process, in bytes (0 if it is gone)."""
    try:
        return int(psutil.Process(pid).memory_info().rss)
    except psutil.Error:
        return 0


def renice(pid: int, niceness: int = LOWEST_PRIORITY) -> None:
    """Every thread of process `pid` at `niceness` (Linux's nice is a thread's, and FalkorDB
    starts its query threads with the server)."""
    for tid in os.listdir(f"/proc/{pid}/task"):
        with contextlib.suppress(ProcessLookupError):
            os.setpriority(os.PRIO_PROCESS, int(tid), niceness)


_PREFIX = "mineralkg-adhoc-"


def _remove_orphans() -> None:
    """Copies left by processes that died without closing their twin (kill -9): their
    servers were stopped by the embedded store's watchdog, their files stay."""
    for folder in Path(tempfile.gettempdir()).glob(f"{_PREFIX}*-*"):
        owner = folder.name.removeprefix(_PREFIX).split("-", 1)[0]
        if owner.isdigit() and not psutil.pid_exists(int(owner)):
            shutil.rmtree(folder, ignore_errors=True)


def _kill(pid: int) -> None:
    if pid > 0:  # never 0 or -1: those would signal this process group or every process
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


class AdhocTwin(BoundedStore):
    """The store ad-hoc reads use: reads go to the twin, the rest to the main store."""

    def __init__(self, main: EmbeddedStore, timeout: float, memory_bytes: int) -> None:
        super().__init__(main, timeout)
        self.memory_bytes = memory_bytes
        """What a read may add to the twin's memory before the twin is killed (its answer is
        built whole in FalkorDB, uncounted by QUERY_MEM_CAPACITY)."""
        self._base = 0  # the twin server's memory when it was ready
        self._over: set[int] = set()  # twin servers killed for their memory
        self._watching = threading.Event()
        self._reading = threading.Event()  # set while a read runs on a twin
        self.main = main
        _remove_orphans()
        self._folder = Path(tempfile.mkdtemp(prefix=f"{_PREFIX}{os.getpid()}-"))
        self._lock = threading.Lock()  # guards the current twin and the reads running
        self._preparing = threading.Lock()  # one copy at a time
        self._twin: EmbeddedStore | None = None
        self._key: tuple[Any, ...] | None = None
        self._niced = 0  # the twin server's pid whose threads were reniced
        self._copies = 0
        self._running: dict[int, EmbeddedStore] = {}  # thread -> the twin its read runs on

    def run(
        self,
        query: str,
        params: Mapping[str, Any] | None = None,
        *,
        mode: Mode = "read",
        timeout: float | None = None,
        limit: int | None = None,
        max_bytes: int | None = None,
    ) -> Result:
        if mode != "read":
            return super().run(query, params, mode=mode, timeout=timeout, limit=limit)
        with self._on_twin() as twin:
            pid = twin.server_pid
            try:
                return BoundedStore(twin, self.timeout).run(
                    query, params, timeout=timeout, limit=limit, max_bytes=max_bytes
                )
            except StoreUnavailable:
                if pid in self._over:
                    raise QueryTooLarge(
                        f"the query took more than {self.memory_bytes // 2**20} MB in the "
                        "database (MINERALKG_ADHOC_MEMORY_BYTES) and was stopped: return fewer "
                        "rows or smaller values"
                    ) from None
                raise

    @contextlib.contextmanager
    def _on_twin(self) -> Iterator[EmbeddedStore]:
        me = threading.get_ident()
        if self._twin is None:
            self.prepare()
        with self._lock:
            twin = self._twin
            assert twin is not None
            self._running[me] = twin
            self._reading.set()
        try:
            yield twin  # started and reniced by `prepare`, which runs before every read
        finally:
            with self._lock:
                self._running.pop(me, None)
                if not self._running:
                    self._reading.clear()
                idle = twin is not self._twin and twin not in self._running.values()
            if idle:
                self._retire(twin)

    def _ready(self, twin: EmbeddedStore) -> None:
        twin.ping()  # started again if it was killed or crashed
        if twin.server_pid != self._niced:
            renice(twin.server_pid)
            self._niced = twin.server_pid
            self._base = rss(twin.server_pid)
        if not self._watching.is_set():
            self._watching.set()
            threading.Thread(target=self._watch, name="adhoc-memory", daemon=True).start()

    def _watch(self) -> None:
        """Kill the twin while a read makes it grow past its allowance (until closed)."""
        while self._watching.is_set():
            self._reading.wait()  # idle while no read runs
            time.sleep(WATCH_S)
            twin = self._twin
            if twin is None or twin not in self._running.values():
                continue
            pid = twin.server_pid
            if rss(pid) > self._base + self.memory_bytes:
                self._over.add(pid)
                _kill(pid)

    @property
    def server_pid(self) -> int | None:
        return self._twin.server_pid if self._twin is not None else None

    def prepare(self) -> None:
        """Called before an ad-hoc read is admitted (outside its deadline). If the main graph
        changed (a load, writes, a restart) since the last copy, a new copy is made: waited
        for when there is no twin yet, else made in the background while reads go on on the
        previous graph. A twin killed by `recycle` is started again here."""
        key = self._main_key()
        if self._twin is None:
            with self._preparing:
                if self._twin is None:
                    self._refresh(key)
        elif key != self._key and not self._preparing.locked():
            threading.Thread(target=self._refresh_once, args=(key,), daemon=True).start()
        twin = self._twin
        assert twin is not None
        self._ready(twin)

    def _refresh_once(self, key: tuple[Any, ...]) -> None:
        with self._preparing:
            if key != self._key:
                self._refresh(key)

    def _refresh(self, key: tuple[Any, ...]) -> None:
        """Save the main graph's unsaved writes, copy its file, start a twin on the copy and
        make it the current one (the old one stops once no read runs on it)."""
        if key[2]:
            self.main.save()
            key = self._main_key()
        twin = self._copy()
        with self._lock:
            old, self._twin, self._key = self._twin, twin, key
            idle = old is not None and old not in self._running.values()
        if idle:
            assert old is not None
            self._retire(old)  # else by the last read on it

    def _main_key(self) -> tuple[Any, ...]:
        """What changes when the main graph has: its server, a save, unsaved writes. The
        writes of a running load (its staging graph exists) do not count: the load saves when
        it swaps its graph in, and until then the last copy is the live graph."""
        info = self.main.connection.info("server", "persistence")  # one round trip
        dirty = info["rdb_changes_since_last_save"]
        if dirty and self.main.staging_name in self.main.list_graphs():
            dirty = 0
        return info["run_id"], info["rdb_saves"], dirty

    def _copy(self) -> EmbeddedStore:
        """A new twin, started on a copy of the main server's file."""
        conn = self.main.connection
        source = Path(conn.config_get("dir")["dir"]) / conn.config_get("dbfilename")["dbfilename"]
        self._copies += 1
        copy = self._folder / f"twin-{self._copies}.db"
        if source.exists():
            shutil.copyfile(source, copy)
        twin = EmbeddedStore(copy, self.main.graph_name)
        tune(twin)
        return twin

    def _retire(self, old: EmbeddedStore) -> None:
        """Stop a twin that is no longer current (a read still on it gets a 503)."""
        pid = old.server_pid
        old.close()
        _kill(pid)  # close() leaves a server running while it still has a client

    def recycle(self) -> None:
        """Kill the twin if a read on it has overrun its deadline: FalkorDB would run it on."""
        twin = self._twin
        if twin is not None and twin in self._running.values():
            _kill(twin.server_pid)

    def close(self) -> None:
        """Stop the twin and remove its copies; the main store stays open."""
        self._watching.clear()
        self._reading.set()  # the watcher wakes and ends
        with self._lock:
            if self._twin is not None:
                self._retire(self._twin)
                self._twin = None
        shutil.rmtree(self._folder, ignore_errors=True)


def adhoc_store(store: BoundedStore, settings: Settings) -> GraphStore:
    """Where ad-hoc reads run: a twin of the embedded store (MINERALKG_ADHOC_TWIN), else the
    store itself (Neo4j stops its queries on time and has no cheap copy)."""
    main = store.inner
    if settings.adhoc_twin and isinstance(main, EmbeddedStore):
        return AdhocTwin(main, store.timeout, settings.adhoc_memory_bytes)
    return store
