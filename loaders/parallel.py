"""Map a function over payloads in worker processes, results in order, a few at a time.

Building and encoding the rows of a large load, or parsing a large data folder, is pure
Python and takes most of its time on one core. Each payload holds plain values (a batch of
rows, a file name), built by the parent just before it is sent, and goes to a fresh
interpreter (`python -m mineralkg.loaders.worker`) that imports only the function's module.
Workers forked from the parent instead copied, page by page, the
parent memory they touched (the dataset's objects, and the free space of its heap that their
own allocations reused): their private memory grew with the dataset, to 1 GB for 600k rows.
Fresh interpreters also run no code of the caller's main module, so a script needs no
`if __name__ == "__main__"` guard, as multiprocessing's spawn and forkserver would require.

Only `window` payloads are out at a time, so what a load holds beyond its dataset is a few
batches, whatever the dataset's size.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import importlib
import os
import pickle
import queue
import signal
import subprocess
import sys
import threading
import traceback
from collections import deque
from collections.abc import Callable, Generator, Iterable
from typing import Any

_PROTOCOL = pickle.HIGHEST_PROTOCOL
_STOP = object()


class WorkerError(RuntimeError):
    """A worker process ended without answering (killed, out of memory, crashed)."""


def cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def default_workers() -> int:
    """Worker processes worth starting here: one per CPU but one, given four or more CPUs.

    The loading process (feeding workers, sending blocks) and the FalkorDB server each keep
    a CPU busy for much of a load. With two CPUs there is none to spare: two workers loaded
    100k nodes no faster than none did (docs/benchmarks.md), so rows are built inline.
    """
    n = cpus()
    return n - 1 if n >= 4 else 1


class _Worker:
    """One worker process: payloads are written to it by a thread (so that a worker blocked
    writing a large result never waits on a parent blocked writing it the next payload) and
    its results read, in order, by the caller."""

    def __init__(self, fn: Callable[[Any], Any]) -> None:
        to_child, to_parent = os.pipe(), os.pipe()
        # the child imports what this process imports from where it imports it
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        target = f"{fn.__module__}:{fn.__qualname__}"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mineralkg.loaders.worker",
                target,
                str(to_child[0]),
                str(to_parent[1]),
            ],
            pass_fds=(to_child[0], to_parent[1]),
            stdin=subprocess.DEVNULL,
            env=env,
        )
        os.close(to_child[0])
        os.close(to_parent[1])
        self._writer = os.fdopen(to_child[1], "wb")
        self._reader = os.fdopen(to_parent[0], "rb")
        self._payloads: queue.Queue[Any] = queue.Queue()
        self._feeder = threading.Thread(target=self._feed, name="load-worker-feed", daemon=True)
        self._feeder.start()

    def _feed(self) -> None:
        try:
            while (payload := self._payloads.get()) is not _STOP:
                pickle.dump(payload, self._writer, _PROTOCOL)
                self._writer.flush()
        except OSError:  # the worker is gone: reading its result says how
            pass
        finally:
            with contextlib.suppress(OSError):
                self._writer.close()

    def submit(self, payload: Any) -> None:
        self._payloads.put(payload)

    def result(self) -> Any:
        try:
            ok, value = pickle.load(self._reader)
        except EOFError:
            status = self.process.wait()
            raise WorkerError(f"a load worker process ended (exit status {status})") from None
        if ok:
            return value
        raise value

    def stop(self, *, kill: bool) -> None:
        self._payloads.put(_STOP)
        if kill:
            self.process.kill()
        self._feeder.join()
        self.process.wait()
        self._reader.close()


def ordered_map[P, R](
    fn: Callable[[P], R], payloads: Iterable[P], workers: int, window: int = 0
) -> Generator[R]:
    """fn(payload) for each payload, in order; in `workers` processes, or inline for 1.

    `fn` is a function of a module (or a method of a class in one), which each worker imports;
    payloads and results are pickled.
    At most `window` payloads (default: two per worker, so that none waits for work) are taken
    from `payloads` before their results are. A worker's exception is raised here; closing the
    iterator early stops the workers.
    """
    if workers <= 1:
        yield from map(fn, payloads)
        return
    window = window or 2 * workers
    pool = [_Worker(fn) for _ in range(workers)]
    done = False
    try:
        pending: deque[_Worker] = deque()
        for i, payload in enumerate(payloads):
            worker = pool[i % workers]
            worker.submit(payload)
            pending.append(worker)
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
        done = True
    finally:
        for worker in pool:
            worker.stop(kill=not done)


def _reply(fn: Callable[[Any], Any], payload: Any) -> bytes:
    try:
        return pickle.dumps((True, fn(payload)), _PROTOCOL)
    except Exception as exc:
        exc.add_note(f"in a load worker process:\n{traceback.format_exc()}")
        try:
            return pickle.dumps((False, exc), _PROTOCOL)
        except Exception:  # an exception that does not pickle: its text does
            return pickle.dumps((False, RuntimeError(f"{type(exc).__name__}: {exc}")), _PROTOCOL)


def serve(target: str, in_fd: int, out_fd: int) -> None:
    """A worker: payloads in, results out, until the parent closes its end."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    gc.disable()  # rows hold no reference cycles (see loaders.plan.no_cyclic_gc)
    module, _, name = target.partition(":")
    found: Any = functools.reduce(getattr, name.split("."), importlib.import_module(module))
    fn: Callable[[Any], Any] = found
    with os.fdopen(in_fd, "rb") as reader, os.fdopen(out_fd, "wb") as writer:
        while True:
            try:
                payload = pickle.load(reader)
            except EOFError:
                return
            writer.write(_reply(fn, payload))
            writer.flush()
