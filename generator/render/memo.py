"""What `mkdocs serve` keeps of one build's rendering for the next: pages and files by what they are made from.

A rebuild after one edit changes a few pages and files; everything else is
made from the same data as last time.  Each rendering is kept under a digest
of its inputs (the JSON of the data handed to its template or writer, plus
the templates' signature), so an entry can never be stale: an input that
changed gives another key.  Entries the latest build did not ask for are
dropped, so the cache holds one build's worth.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

__all__ = ["Memo", "RenderCache"]

T = TypeVar("T")


@dataclass
class RenderCache:
    """Renderings of earlier builds by key, and the keys the build under way asked for."""

    entries: dict[str, Any] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)

    def get(self, key: str, make: Callable[[], T]) -> T:
        """The entry of ``key``, made now by ``make()`` if no earlier build made it."""
        self.used.add(key)
        if key not in self.entries:
            self.entries[key] = make()
        return cast(T, self.entries[key])

    def keep_used(self) -> None:
        """End a build: keep only the entries it asked for."""
        self.entries = {key: value for key, value in self.entries.items() if key in self.used}
        self.used = set()


@dataclass(frozen=True)
class Memo:
    """One build's view of a :class:`RenderCache`; without a cache, everything is made afresh."""

    cache: RenderCache | None = None
    stamp: str = ""
    """What every entry depends on besides its own inputs (the templates' signature)."""

    def get(self, inputs: Sequence[Any] | Callable[[], Sequence[Any]], make: Callable[[], T]) -> T:
        """What ``make()`` gives for ``inputs`` (JSON data; other values by ``str``): from the cache, or made now.

        ``inputs`` may be a function giving them, called only when there is a cache to look in.
        """
        if self.cache is None:
            return make()
        data = inputs() if callable(inputs) else inputs
        key = hashlib.sha256(json.dumps([self.stamp, *data], sort_keys=True, default=str).encode()).hexdigest()
        return self.cache.get(key, make)
