"""Use every core for work that splits into independent items.

Rendering study pages is most of a large build and each page is independent,
so it is spread over forked worker processes.  Forking shares the already
loaded content with the workers for free (nothing is pickled on the way in);
only the results travel back.  Order is kept, so output does not depend on
how the work was split.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

__all__ = ["PARALLEL_MINIMUM", "map_in_processes"]

Item = TypeVar("Item")
Result = TypeVar("Result")

PARALLEL_MINIMUM = 400
"""Below this many items, starting workers costs more than it saves."""

_job: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def map_in_processes(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    *,
    workers: int | None = None,
) -> list[Result]:
    """``[function(item) for item in items]``, computed by forked workers when it pays off."""
    global _job
    workers = workers or os.cpu_count() or 1
    if workers < 2 or len(items) < PARALLEL_MINIMUM or "fork" not in multiprocessing.get_all_start_methods():
        return [function(item) for item in items]
    size = -(-len(items) // (workers * 4))  # several chunks per worker evens out slow pages
    chunks = [(start, min(start + size, len(items))) for start in range(0, len(items), size)]
    _job = (function, items)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_run_chunk, chunks)
    finally:
        _job = None
    return [result for part in parts for result in part]


def _run_chunk(bounds: tuple[int, int]) -> list[Any]:
    assert _job is not None, "only called in a worker forked by map_in_processes"
    function, items = _job
    return [function(items[index]) for index in range(*bounds)]
