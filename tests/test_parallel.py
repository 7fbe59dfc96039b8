"""Worker processes of a bulk load: results in order, a bounded window, failures reported."""

from __future__ import annotations

import math
import os
from collections.abc import Iterator

import pytest

from mineralkg.loaders.parallel import WorkerError, ordered_map


@pytest.mark.slow
def test_results_come_in_the_order_of_the_payloads() -> None:
    payloads = list(range(40, 0, -1))
    assert list(ordered_map(math.factorial, payloads, workers=3)) == [
        math.factorial(n) for n in payloads
    ]


def test_only_a_window_of_payloads_is_taken_ahead_of_the_results() -> None:
    """What a load holds at once is a few batches, not the dataset."""
    taken = 0

    def payloads() -> Iterator[int]:
        nonlocal taken
        for n in range(100):
            taken += 1
            yield n

    ahead = []
    for i, _ in enumerate(ordered_map(math.factorial, payloads(), workers=2, window=4)):
        ahead.append(taken - i)
    assert max(ahead) <= 4 and taken == 100


def test_an_exception_in_a_worker_is_raised_in_the_caller() -> None:
    with pytest.raises(ValueError, match="math domain error"):
        list(ordered_map(math.sqrt, [4.0, 9.0, -1.0, 16.0], workers=2))


def test_a_worker_that_dies_is_reported_not_waited_for() -> None:
    with pytest.raises(WorkerError, match="exit status 3"):
        list(ordered_map(os._exit, [3, 3], workers=2))  # type: ignore[arg-type]


def test_one_worker_runs_inline() -> None:
    assert list(ordered_map(str.upper, ["a", "b"], workers=1)) == ["A", "B"]
