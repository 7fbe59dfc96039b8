"""Map a function over jobs in forked worker processes, results in order.

Building and encoding the rows of a large load is pure Python and took most of its time on
one core (14 s of 17 s for 600k rows). The jobs only name slices of data the parent already
holds, so workers forked after it was prepared read it from their copy of the parent's
memory, and nothing but the job (a few integers) and its result (bytes) crosses the pipe.

Fork is safe here though the parent may run other threads (a progress bar's): the children
run only the row code, which takes no lock such a thread could hold, and then exit.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any

# what a worker reads its data from: set in the parent just before the fork
_state: Any = None


def state() -> Any:
    """The object given to ordered_map, in the parent and in every worker."""
    return _state


def cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def ordered_map[J, R](
    fn: Callable[[J], R], jobs: Sequence[J], shared: Any, workers: int
) -> Iterator[R]:
    """fn(job) for each job, in order; in `workers` forked processes, or inline for 1.

    `fn` reads `shared` through state(). A worker's exception is raised here; closing the
    iterator early stops the workers.
    """
    global _state
    _state = shared
    try:
        if workers <= 1 or len(jobs) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
            yield from map(fn, jobs)
            return
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            # a few jobs a message: fewer round trips, and still results in order
            yield from pool.imap(fn, jobs, chunksize=4)
    finally:
        _state = None
