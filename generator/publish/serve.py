"""What the plugin keeps from one MkDocs build to the next: the command's session and a preview's state.

`mkdocs serve` builds again on every change, in one process with one
plugin.  A preview reuses the pages and studies that did not change, tells
``--dirty`` rebuilds which pages did, and, when the content breaks, keeps
serving the last good build rather than stalling until the file is fixed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import ContentError
from generator.publish.build import Build
from generator.publish.problems import problem_count
from generator.publish.search import SEARCH_SUBDIR
from generator.read.content import StudyCache
from generator.render.pages import GeneratedPage

__all__ = ["WATCHED", "Preview", "Session", "serve_log", "watch"]

WATCHED = ("content", "site_data", "templates")
"""The project's folders whose changes make `mkdocs serve` build again."""

serve_log = logging.getLogger("rheum_evidence.serve")
"""A preview's content problems: a logger of our own, which strict mode does not count as warnings."""
if not serve_log.handlers:
    serve_log.addHandler(logging.StreamHandler())
    serve_log.propagate = False


@dataclass
class Preview:
    """What `mkdocs serve` keeps between builds."""

    dirty: bool = False
    """`mkdocs serve --dirty`: MkDocs renders again only the pages whose text changed."""
    page_cache: dict[str, GeneratedPage] = field(default_factory=dict)
    study_cache: StudyCache = field(default_factory=dict)
    previous: dict[str, str] = field(default_factory=dict)
    """The text of each generated page MkDocs built last time, by source path."""
    last: Build | None = None
    """The last good build, served again while the content is broken."""

    def caches(self) -> tuple[dict[str, GeneratedPage], StudyCache]:
        """The page and study caches, for :func:`~generator.pipeline.generate`."""
        return self.page_cache, self.study_cache

    def keep_serving(self, error: ContentError) -> Build | None:
        """The last good build to serve again despite ``error`` (which is logged), or None if there is none."""
        if self.last is None:
            return None
        serve_log.error("%s; still serving the last good version:\n%s", problem_count(error), error)
        return self.last.again()

    def left_out(self, error: ContentError) -> None:
        """Log the hand-written pages a preview leaves out because they were not checked."""
        serve_log.error("%s", error)

    def changed(self, page: GeneratedPage) -> bool:
        """Whether MkDocs must render ``page`` again: always, unless a ``--dirty`` preview built the same text."""
        return not (self.dirty and self.previous.get(page.src) == page.text)

    def remember(self, pages: list[GeneratedPage]) -> None:
        """Keep the texts of the ``pages`` MkDocs builds now, and only their entries of the page cache."""
        current = {id(page) for page in pages}
        self.page_cache = {key: page for key, page in self.page_cache.items() if id(page) in current}
        self.previous = {page.src: page.text for page in pages}

    def indexed(self, site_dir: Path) -> bool:
        """Whether the search index may stay as it is: a ``--dirty`` preview indexes once, to keep rebuilds quick."""
        return self.dirty and (site_dir / SEARCH_SUBDIR).is_dir()


@dataclass
class Session:
    """One MkDocs command, from the plugins' ``on_startup`` to their ``on_shutdown``."""

    started: bool = False
    publishes: bool = False
    """Builds replace the site folder; never for `mkdocs serve`, and for `mkdocs serve --clean` only its first."""
    preview: Preview | None = None
    """What `mkdocs serve` keeps between builds (``--clean`` starts as a plain build and keeps nothing)."""

    @classmethod
    def start(cls, command: str, *, dirty: bool) -> Session:
        """The session of ``command`` (as MkDocs names it to ``on_startup``)."""
        serving = command == "serve"
        return cls(started=True, publishes=not serving, preview=Preview(dirty=dirty) if serving else None)


def watch(server: Any, root: Path) -> None:
    """Make `mkdocs serve` build again when study files, vocabularies or templates change."""
    for folder in WATCHED:
        if (root / folder).is_dir():
            server.watch(str(root / folder))
