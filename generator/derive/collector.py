"""Pausing Python's cyclic garbage collector around work that makes many objects and no garbage cycles."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the ``with`` block, then restore it as it was.

    Loading, ranking and rendering build millions of small acyclic objects, which the collector would
    traverse again and again: full collections made large sites build in more than linear time, and
    pausing it halves the time of "More like this" on a large corpus.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
