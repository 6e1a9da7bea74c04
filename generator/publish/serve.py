"""What the plugin keeps from one MkDocs build to the next: the command's session and a preview's state.

`mkdocs serve` builds again on every change, in one process with one
plugin.  A preview reuses the pages and studies that did not change, tells
``--dirty`` rebuilds which pages did, and, when the content breaks, keeps
serving the last good build rather than stalling until the file is fixed.

The editor watching the page learns of the problems there: every page of a
preview loads ``assets/preview-problems.js``, which shows the problems of
the latest build, read from ``assets/preview-problems.json``, in a banner,
and takes it away once they are fixed.  The list is a file of its own, not
part of each page, because a ``--dirty`` rebuild renders only the pages
whose text changed; the script asks for it again every second, and MkDocs'
live reload reloads the page after each build anyway.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import BytecodeCache, MemcachedBytecodeCache
from watchdog.events import FileClosedEvent, FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent
from watchdog.observers import Observer

from generator.errors import ContentError, Problem
from generator.publish.build import Build
from generator.publish.keptsite import KeptSite, holds_file
from generator.publish.problems import problem_count
from generator.publish.search import SEARCH_SUBDIR, PageIndex, SearchIndexError
from generator.read.content import StudyCache
from generator.render.memo import RenderCache

__all__ = ["BANNER_DATA", "BANNER_SCRIPT", "WATCHED", "Preview", "Session", "serve_log", "watch"]

WATCHED = ("content", "site_data", "templates")
"""The project's folders whose changes make `mkdocs serve` build again."""
BANNER_SCRIPT = "assets/preview-problems.js"
BANNER_DATA = "assets/preview-problems.json"
_SCRIPT_TEXT = (Path(__file__).parent / "preview-problems.js").read_text(encoding="utf-8")

serve_log = logging.getLogger("rheum_evidence.serve")
"""A preview's content problems: a logger of our own, which strict mode does not count as warnings."""
if not serve_log.handlers:
    serve_log.addHandler(logging.StreamHandler())
    serve_log.propagate = False


class _LeftAsTheyWere(logging.Filter):
    """Drops MkDocs' notice of each page a preview's rebuild left as the last build wrote it.

    MkDocs writes no page whose output is empty, and logs that it skipped it; the preview asks for exactly
    that (:meth:`Preview.output`), so its notices, and only they, are not news.
    """

    def __init__(self) -> None:
        super().__init__()
        self.notices: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        return not self.notices or record.getMessage() not in self.notices


_LEFT = _LeftAsTheyWere()
logging.getLogger("mkdocs.commands.build").addFilter(_LEFT)


class _Memory:
    """The client :class:`~jinja2.MemcachedBytecodeCache` asks for (``get`` and ``set``), kept in this process."""

    def __init__(self) -> None:
        self.entries: dict[str, bytes] = {}

    def get(self, key: str) -> bytes:
        return self.entries.get(key, b"")  # empty: Jinja finds no valid entry and compiles

    def set(self, key: str, value: bytes, timeout: int | None = None) -> None:
        self.entries[key] = value


def _compiled_templates() -> BytecodeCache:
    """Compiled theme templates kept between builds: MkDocs makes a new Jinja environment for each build.

    Jinja checks each entry against its template's source and compiles again what changed.
    """
    return MemcachedBytecodeCache(_Memory())


@dataclass
class Preview:
    """What `mkdocs serve` keeps between builds."""

    dirty: bool = False
    """`mkdocs serve --dirty`: MkDocs renders again only the pages whose text changed."""
    render_cache: RenderCache = field(default_factory=RenderCache)
    """Pages, feeds and each study's open data, made by earlier builds."""
    study_cache: StudyCache = field(default_factory=dict)
    cards: dict[str, bytes] = field(default_factory=dict)
    """Social cards drawn while serving, by key (they are also kept on disk)."""
    templates: BytecodeCache = field(default_factory=_compiled_templates)
    """The theme's templates, compiled by earlier builds."""
    previous: dict[str, str | bytes] = field(default_factory=dict)
    """What MkDocs built last time of each generated page (its Markdown) and data file, by path."""
    last: Build | None = None
    """The last good build, served again while the content is broken."""
    problems: tuple[Problem, ...] = ()
    """The content problems of the build under way, which every page's banner lists."""
    kept: KeptSite | None = None
    """The last build, hidden from MkDocs' clean step of a rebuild that is not ``--dirty``."""
    indexing: threading.Thread | None = None
    """The last build's search index being written, while the build is served already."""
    written: dict[str, bytes] = field(default_factory=dict)
    """A digest of each page's HTML as the site folder holds it, by its source path."""

    def start(self) -> None:
        """Begin another build: its problems are yet to be found, and it has left no page as it was."""
        self.problems = ()
        _LEFT.notices = set()

    def caches(self) -> tuple[RenderCache, StudyCache]:
        """The page and study caches, for :func:`~generator.pipeline.generate`."""
        return self.render_cache, self.study_cache

    def keep_serving(self, error: ContentError) -> Build | None:
        """The last good build to serve again despite ``error`` (which is logged), or None if there is none."""
        if self.last is None:
            return None
        serve_log.error("%s; still serving the last good version:\n%s", problem_count(error), error)
        self.problems += error.problems
        return self.last.again()

    def left_out(self, error: ContentError) -> None:
        """Log the hand-written pages a preview leaves out because they were not checked."""
        serve_log.error("%s", error)
        self.problems += error.problems

    def banner_files(self) -> dict[str, str]:
        """The banner's script and the current problems it lists, by path in the site."""
        problems = ContentError(self.problems)
        summary = f"{problem_count(problems)}: fix and save; until then this preview shows the last good version"
        data = {
            "summary": summary if problems.problems else "",
            "problems": [str(problem) for problem in problems.problems],
        }
        return {BANNER_SCRIPT: _SCRIPT_TEXT, BANNER_DATA: json.dumps(data, indent=1) + "\n"}

    @staticmethod
    def with_banner(output: str, site_url: str | None) -> str:
        """A preview page's HTML that loads the banner's script, by its path from the site's root (for 404s too)."""
        path = html.escape((urlsplit(site_url or "").path or "/").rstrip("/") + "/" + BANNER_SCRIPT)
        tag = f'<script src="{path}" defer></script>'
        head, found, tail = output.rpartition("</body>")
        return f"{head}{tag}{found}{tail}" if found else output + tag

    def output(self, src_uri: str, dest_path: str, output: str) -> str:
        """What MkDocs should write of a page: nothing if the site folder holds this very HTML already.

        Only a rebuild that put the last build back (:meth:`before_clean`) holds it; the page is then
        dated now, so that deleting what the rebuild did not write keeps it.  Writing thousands of pages
        that did not change is much of such a rebuild.
        """
        digest = hashlib.blake2b(output.encode("utf-8", "xmlcharrefreplace"), digest_size=16).digest()
        held = holds_file(dest_path)  # first, so that a link there is gone before MkDocs writes the page
        unchanged = held and self.kept is not None and self.written.get(src_uri) == digest
        self.written[src_uri] = digest
        if not unchanged:
            return output
        os.utime(dest_path)
        _LEFT.notices.add(f"Page skipped: '{src_uri}'. Generated empty output.")
        return ""

    def changed(self, path: str, content: str | bytes) -> bool:
        """Whether MkDocs must build ``path`` again: always, unless the site folder holds it as last built.

        It does in a ``--dirty`` preview, and in a rebuild that put the last build back (:meth:`before_clean`).
        """
        keeps_files = self.dirty or self.kept is not None
        return not (keeps_files and self.previous.get(path) == content)

    def remember(self, build: Build) -> None:
        """Keep what MkDocs builds now of ``build``."""
        self.previous = dict(build.contents())

    def before_clean(self, site_dir: Path) -> None:
        """Let the last search index be written; hide the last build from MkDocs' clean step (not ``--dirty``).

        Hidden, the last build's files are overwritten by the rebuild instead of deleted and made again.
        """
        self.wait_for_index()
        self.kept = None if self.dirty else KeptSite.hide(site_dir)

    def after_clean(self) -> None:
        """Put the last build back for MkDocs to overwrite."""
        if self.kept is not None:
            self.kept.put_back()

    def after_build(self, search: PageIndex | None, site_dir: Path) -> None:
        """Delete what the rebuild did not write, then write its search index while the rebuild is served.

        The page an editor saved is on screen that much sooner (writing the index takes about half a
        second at 1,000 studies); a search in the preview meanwhile finds the last index's results.
        """
        if self.kept is not None:
            kept, self.kept = self.kept, None
            kept.remove_unwritten()
        if search is not None:
            self.indexing = threading.Thread(target=_write_index, args=(search, site_dir), name="search index")
            self.indexing.start()

    def wait_for_index(self) -> None:
        """Wait until the last build's search index is written."""
        if self.indexing is not None:
            indexing, self.indexing = self.indexing, None
            indexing.join()

    def build_failed(self) -> None:
        """Put back what is still hidden of the last build: MkDocs stopped before writing, or half-way.

        Which files it wrote is not known, so the next build writes every file again.
        """
        self.previous = {}
        self.written = {}
        if self.kept is not None:
            kept, self.kept = self.kept, None
            kept.restore()

    def indexed(self, site_dir: Path) -> bool:
        """Whether the search index may stay as it is: a ``--dirty`` preview indexes once, to keep rebuilds quick."""
        return self.dirty and (site_dir / SEARCH_SUBDIR).is_dir()


def _write_index(search: PageIndex, site_dir: Path) -> None:
    """Write a preview's search index; a failure is logged (the preview goes on, without search)."""
    try:
        search.write(site_dir)
    except SearchIndexError as error:
        serve_log.error("%s", error)


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


def watch(server: Any, root: Path, *, native: bool = True) -> None:
    """Make `mkdocs serve` build again when study files, vocabularies or templates change.

    With ``native``, the operating system says when a file changes (inotify, FSEvents or the Windows API,
    through watchdog's own choice of observer), and the watches MkDocs made before asking the plugin move
    there too.  MkDocs polls every watched file twice a second, which costs a quarter of a second on
    average before a rebuild even starts; it does so because a folder shared into Docker or on a network
    drive reports no changes, so ``native=False`` keeps its polling.
    """
    if native:
        _watch_natively(server)
    for folder in WATCHED:
        if (root / folder).is_dir():
            server.watch(str(root / folder))


CHANGES = (FileCreatedEvent, FileModifiedEvent, FileClosedEvent, FileDeletedEvent, FileMovedEvent)
"""The events that mean a watched file changed; MkDocs ignores folders' own events."""


class _ChangeObserver(Observer):  # type: ignore[misc, valid-type]  # the platform's observer class
    """watchdog's native observer, telling only of :data:`CHANGES`.

    inotify also reports a file being opened and closed unchanged, and MkDocs rebuilds on any event, so
    the build reading the files it watches would start the next build, for ever.
    """

    def schedule(self, event_handler: Any, path: Any, **options: Any) -> Any:
        """Watch ``path`` as watchdog does, for changes only unless asked for other events."""
        options["event_filter"] = options.get("event_filter") or list(CHANGES)
        return super().schedule(event_handler, path, **options)


def _watch_natively(server: Any) -> None:
    """Give ``server`` (MkDocs' LiveReloadServer, not yet serving) the native observer for all its watches."""
    polling = server.observer
    paths = [emitter.watch.raw_path for emitter in polling.emitters]  # as MkDocs named them
    for path in paths:
        server.unwatch(path)
    server.observer = _ChangeObserver()
    for path in paths:
        server.watch(path)
