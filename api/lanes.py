"""Lanes: where each kind of store work runs, how much of it at once, and for how long.

Store calls block, and the database cannot always stop a query on time (FalkorDB checks its
timeout coarsely: `UNWIND range(1, 100000000)` ran 15 s past a 5 s limit). So no store call
runs on the server's shared thread pool, and no request waits for one longer than its
deadline:

- the ad-hoc lane (`/cypher`): `cypher_concurrency` threads; a request beyond them, or beyond
  `cypher_per_client` for its client, is refused at once (429 with Retry-After) rather than
  queued. A slot stays taken until the database has really finished, even after the client
  got its 408, so queries that overrun cannot pile up behind the answers. A client whose
  queries crashed the store twice in ten minutes is refused there for a while.
- the store lane (catalogue, entities, paths, views, export, health): its own threads, so a
  full ad-hoc lane never delays them; past the deadline the client gets a 503.

Endpoints that need no store (`/queries`, `/ontology`, the static files) use neither and stay
fast while the store hangs. Work whose client has gone before it started is dropped.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import threading
import time
import typing
from collections import Counter, OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from starlette.requests import Request

from mineralkg.graph.guard import QueryCrashedStore
from mineralkg.graph.lanes import engine_threads, within
from mineralkg.graph.store import GraphStore, QueryTimeout, StoreError, StoreUnavailable
from mineralkg.settings import Settings

T = TypeVar("T")

GRACE_S = 0.5
"""What a deadline adds to the query timeout: the database's own stop often comes first, and
the rest of the second is left for the answer to reach a client on a busy machine (with 0.9
s, 1 in about 100 hostile answers on Neo4j arrived 1.1-1.4 s after the timeout)."""
STORE_THREADS = 8
"""Threads of the store lane: more than the machine's cores, as most calls wait on the store."""
MIN_BUDGET_S = 0.1
"""The least time a read is given once admitted, however long it waited."""
DISCONNECT_POLL_S = 0.2
ADMIT_WAIT_S = 1.0
"""How long an ad-hoc query waits for a free slot before its 429."""


def client_of(request: Request) -> str:
    """Who a request comes from, for per-client limits: its address."""
    return request.client.host if request.client else "?"


class LaneFull(StoreError):
    """Too many ad-hoc queries at once, overall or from this client (429 with Retry-After)."""

    status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ClientGone(Exception):
    """The client closed the connection before its answer was ready."""


class Lane:
    """A bounded set of threads; `limit` of them at once, `per_client` for one client."""

    def __init__(self, name: str, threads: int, per_client: int | None = None) -> None:
        self.name = name
        self.threads = threads
        self.per_client = per_client
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix=f"lane-{name}")
        self._lock = threading.Lock()
        self._busy: Counter[str] = Counter()  # client -> calls not yet finished in the store

    @property
    def busy(self) -> int:
        with self._lock:
            return sum(self._busy.values())

    def _admit(self, client: str, retry_after: int) -> None:
        with self._lock:
            if sum(self._busy.values()) >= self.threads:
                raise LaneFull(
                    f"{self.threads} ad-hoc queries are running, the most at once; "
                    f"retry in {retry_after} s or use a catalogue query",
                    retry_after,
                )
            if self.per_client is not None and self._busy[client] >= self.per_client:
                raise LaneFull(
                    f"you already run {self._busy[client]} ad-hoc queries, the most one client "
                    f"may run at once; wait for them or retry in {retry_after} s",
                    retry_after,
                )
            self._busy[client] += 1

    async def _admit_soon(self, client: str, retry_after: int) -> None:
        """Admit, waiting up to ADMIT_WAIT_S for a slot (a query just past its timeout may
        take a moment to end in the database) before the 429."""
        deadline = time.monotonic() + ADMIT_WAIT_S
        while True:
            try:
                self._admit(client, retry_after)
                return
            except LaneFull:
                if time.monotonic() >= deadline:
                    raise
            await asyncio.sleep(0.05)

    def _release(self, client: str) -> None:
        with self._lock:
            self._busy[client] -= 1
            if self._busy[client] <= 0:
                del self._busy[client]

    async def run(
        self,
        request: Request,
        call: Callable[[], T],
        budget: float,
        on_late: Callable[[], Exception],
        admit: bool = False,
        since: float | None = None,
    ) -> T:
        """`call()` on a lane thread, its reads within `budget` seconds together; `on_late()`
        is raised after `budget + GRACE_S` seconds whatever the store does, and ClientGone if
        the client left (queued work is then dropped, never started). `since`: when the
        request arrived, if the budget counts from then (the wait for a slot included)."""
        client = client_of(request)
        if admit:
            await self._admit_soon(client, retry_after=max(1, round(budget)))
        else:
            with self._lock:
                self._busy[client] += 1
        if since is not None:  # time spent waiting for a slot comes out of the budget
            budget = max(MIN_BUDGET_S, budget - (time.monotonic() - since))
        deadline = budget + GRACE_S
        future: Future[T] = self._pool.submit(within, budget, call)
        future.add_done_callback(lambda _: self._release(client))
        waiter = asyncio.wrap_future(future)
        watcher = asyncio.ensure_future(_gone(request))
        both: set[asyncio.Future[Any]] = {waiter, watcher}
        try:
            done, _ = await asyncio.wait(
                both, timeout=deadline, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            watcher.cancel()
        if waiter in done:
            return waiter.result()
        future.cancel()  # not started yet: never runs; running: finishes in the background
        waiter.cancel()
        if watcher in done:
            raise ClientGone()
        raise on_late()

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


async def _gone(request: Request) -> None:
    """Returns once the client has disconnected."""
    while not await request.is_disconnected():
        await asyncio.sleep(DISCONNECT_POLL_S)


CRASH_THRESHOLD = 2
CRASH_COOLDOWN_S = 600.0
CRASH_CLIENTS = 1024
"""Clients remembered at most (the oldest forgotten first): the memory stays bounded."""


class CrashingClients:
    """Clients whose ad-hoc queries keep crashing the store, refused for a while.

    The store refuses a query that crashed its server (graph/guard.py CrashBreaker), but only
    that text: a client that varies it (another id, another name) could crash the embedded
    server again and again, seconds of restart each. After `threshold` crashes within
    `cooldown` seconds a client's ad-hoc queries are refused (429 with Retry-After) until
    `cooldown` seconds have passed since its last crash; other clients go on as before."""

    def __init__(
        self,
        threshold: int = CRASH_THRESHOLD,
        cooldown: float = CRASH_COOLDOWN_S,
        size: int = CRASH_CLIENTS,
    ) -> None:
        self.threshold = threshold
        self.cooldown = cooldown
        self.size = size
        self._crashes: OrderedDict[str, list[float]] = OrderedDict()
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> list[float]:
        kept = [t for t in self._crashes.get(client, ()) if now - t < self.cooldown]
        if kept:
            self._crashes[client] = kept
        else:
            self._crashes.pop(client, None)
        return kept

    def check(self, client: str) -> None:
        """Raise LaneFull (429) if the client's queries crashed the store too often lately."""
        now = time.monotonic()
        with self._lock:
            recent = self._recent(client, now)
        if len(recent) >= self.threshold:
            wait = max(1, round(self.cooldown - (now - recent[-1])))
            raise LaneFull(
                f"your ad-hoc queries crashed the database server {len(recent)} times; they are "
                f"refused for {wait} s. Catalogue, entity and view requests still work.",
                retry_after=wait,
            )

    def record(self, client: str) -> None:
        now = time.monotonic()
        with self._lock:
            recent = self._recent(client, now)
            self._crashes[client] = [*recent, now]
            self._crashes.move_to_end(client)
            while len(self._crashes) > self.size:
                self._crashes.popitem(last=False)


class Lanes:
    """The two lanes of one app, and the deadlines of the work they run."""

    def __init__(self, timeout: float, cypher_threads: int, per_client: int) -> None:
        self.timeout = timeout
        self.adhoc = Lane("adhoc", cypher_threads, per_client)
        self.prepare: Callable[[], None] | None = None
        """Called (on a thread, waited for up to the timeout) before an ad-hoc read is
        admitted, outside the read's deadline: the embedded twin checks the main graph for
        changes then, and makes its first copy (a first copy that takes longer goes on, and
        the read is a 503: retry)."""
        self.on_overrun: Callable[[], None] | None = None
        """Called when an ad-hoc read is answered 408 while the store still runs it (the
        embedded twin is then killed: graph/adhoc_twin.py)."""
        self.store = Lane("store", STORE_THREADS)
        self.crashers = CrashingClients()

    @classmethod
    def of(cls, settings: Settings, store: GraphStore | None = None) -> Lanes:
        """The lanes for these settings. Ad-hoc queries get at most all but one of the cores
        the store's queries run on, where known (`engine_threads`): FalkorDB runs a query on
        one of its threads to its end, so a lane as wide as the engine would queue every
        other read behind hostile ones; a Neo4j on this machine burns a core per running
        query, and on two cores a second one doubled the entity p99 (docs/benchmarks.md)."""
        threads = settings.cypher_concurrency
        engine = engine_threads(store) if store is not None else None
        if engine is not None:
            threads = max(1, min(threads, engine - 1))
        return cls(settings.query_timeout, threads, settings.cypher_per_client)

    async def cypher(self, request: Request, call: Callable[[], T]) -> T:
        """An ad-hoc read: admitted or refused (429), answered or stopped (408) on time."""

        def late() -> Exception:
            if self.on_overrun is not None:
                self.on_overrun()
            return QueryTimeout(
                f"the query was stopped at the {self.timeout:g} s limit "
                "(MINERALKG_QUERY_TIMEOUT); narrow it (a LIMIT, fewer hops, a smaller range)"
            )

        client = client_of(request)
        self.crashers.check(client)
        if self.prepare is not None:
            try:
                await asyncio.wait_for(asyncio.to_thread(self.prepare), self.timeout + GRACE_S)
            except TimeoutError:
                raise StoreUnavailable(
                    "the store did not answer, or the copy of the graph that ad-hoc queries "
                    "read is still being made: retry shortly"
                ) from None
        arrived = time.monotonic()  # after the copy of a new graph: its deadline starts here
        try:
            return await self.adhoc.run(
                request, call, self.timeout, late, admit=True, since=arrived
            )
        except QueryCrashedStore:
            self.crashers.record(client)
            raise

    async def read(
        self, request: Request, call: Callable[[], T], what: str = "the store", reads: int = 1
    ) -> T:
        """A catalogue, entity, path, view or export read of up to `reads` queries; 503 if
        not done within their deadline (the store hung, restarting, or too much asked)."""
        budget = reads * self.timeout

        def late() -> Exception:
            return StoreUnavailable(
                f"{what} did not answer within {budget + GRACE_S:g} s; the store may be busy "
                "or restarting: retry shortly, or ask for less (fewer hops, a smaller limit)"
            )

        return await self.store.run(request, call, budget, late)

    def close(self) -> None:
        self.adhoc.close()
        self.store.close()


def on_store_lane(
    what: str, reads: int = 1, adhoc: bool = False
) -> Callable[[Callable[..., T]], Callable[..., Any]]:
    """Turn a blocking route function into one whose body runs on the store lane (its
    dependencies are still solved by FastAPI first); adds a `request` parameter if needed.
    `reads`: the queries it may make one after the other, each within the query timeout.
    `adhoc`: on the ad-hoc lane instead, admitted like `/cypher` (work whose cost the client
    sets, such as a path search of any depth), within one query timeout."""

    def decorate(route: Callable[..., T]) -> Callable[..., Any]:
        hints = typing.get_type_hints(route, include_extras=True)
        signature = inspect.signature(route)
        params = [
            p.replace(annotation=hints.get(p.name, p.annotation))
            for p in signature.parameters.values()
        ]
        given = "request" in signature.parameters
        if not given:
            params.append(
                inspect.Parameter("request", inspect.Parameter.KEYWORD_ONLY, annotation=Request)
            )

        @functools.wraps(route)
        async def bounded(*args: Any, **kwargs: Any) -> T:
            request: Request = kwargs["request"] if given else kwargs.pop("request")
            lanes: Lanes = request.app.state.lanes
            if adhoc:
                return await lanes.cypher(request, lambda: route(*args, **kwargs))
            return await lanes.read(request, lambda: route(*args, **kwargs), what, reads)

        bounded.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=params, return_annotation=hints.get("return", signature.return_annotation)
        )
        return bounded

    return decorate
