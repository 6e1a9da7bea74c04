"""The files MkDocs builds: exactly the checked hand-written pages, plus the generated ones."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import PurePosixPath
from typing import cast

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel, set_exclusions
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from generator.errors import Problem
from generator.publish.build import Build
from generator.publish.keptsite import holds_file
from generator.read.confine import PAGES

__all__ = ["HeldFile", "HtmlPage", "add_files", "add_generated", "date_pages", "docs_problems", "html_pages"]


class HeldFile(File):
    """A generated page or data file, held in memory, that tells a ``--dirty`` build whether it changed.

    A dirty build (`mkdocs serve --dirty`) renders only the pages, and copies
    only the other files, that say :meth:`is_modified`.  MkDocs' own answer
    compares the times of a source file and its output, so a file held in
    memory always says it changed; this subclass answers from the generator
    instead, which knows each file's content and the content MkDocs built last
    time.  Subclassing is the supported way: :meth:`File.generated` is a
    classmethod that makes an instance of ``cls`` with everything MkDocs sets on
    a generated file, and ``is_modified`` is the public method MkDocs asks.
    (Files on disk would let MkDocs compare times, but the generator would
    write everything out only for MkDocs to read it back.)
    """

    modified: bool = True

    @classmethod
    def of(cls, config: MkDocsConfig, path: str, content: str | bytes, *, modified: bool) -> HeldFile:
        """The file at ``path`` in the site; ``modified`` says whether it differs from the one MkDocs built last."""
        file = cast(HeldFile, cls.generated(config, path, content=content))
        file.modified = modified
        return file

    def is_modified(self) -> bool:
        """Whether the content changed since MkDocs last built it (asked only by ``--dirty`` builds)."""
        return self.modified

    def copy_file(self, dirty: bool = False) -> None:
        """Write the file into the site, unless the last build wrote the same content there.

        Such a file is left as it is and only dated now, so that a preview's rebuild, which deletes
        what it did not write (:mod:`~generator.publish.keptsite`), keeps it.
        """
        held = holds_file(self.abs_dest_path)  # first, so that a link there is gone before the file is written
        if self.modified or not held:
            super().copy_file(dirty=False)
        elif not dirty:  # a --dirty build deletes nothing
            os.utime(self.abs_dest_path)


class HtmlPage(Page):
    """A generated page outside the navigation, whose HTML the generator made: MkDocs converts no Markdown for it.

    MkDocs sets up a Markdown converter with every extension for each page it
    reads, about a millisecond a page even for the empty text the plugin
    leaves it (``on_page_markdown``); this page skips that and has what the
    conversion of nothing would give.  ``on_page_content`` then puts the
    generator's HTML in, as for every other page.  Subclassing :class:`Page`
    for pages a plugin makes is what Material's own blog plugin does.
    """

    def render(self, config: MkDocsConfig, files: Files) -> None:
        """What converting no Markdown gives: no content, no headings, no anchors, no links."""
        self.content = ""
        self.toc = get_toc([])
        self._title_from_render = None
        self.present_anchor_ids = set()
        self.links_to_anchors = {}


def html_pages(files: Files, config: MkDocsConfig, build: Build) -> None:
    """Give the generated pages that are in no navigation an :class:`HtmlPage`.

    Called from ``on_files``: MkDocs' navigation then keeps a file's page and makes a :class:`Page` only
    for files that have none.  MkDocs works out the files' inclusion levels (``not_in_nav``) only after
    ``on_files``; its own function does it here first, with the same result.
    """
    set_exclusions(files, config)
    for file in files.documentation_pages():
        if file.page is None and file.src_uri in build.heads and file.inclusion.is_not_in_nav():
            HtmlPage(None, file, config)  # a Page registers itself as its file's page


def add_generated(
    files: Files, config: MkDocsConfig, build: Build, changed: Callable[[str, str | bytes], bool] | None = None
) -> None:
    """Add the generated pages, in no hand-written page's place, and the generated data files of ``build``.

    ``changed(path, content)`` tells which changed since the last build; without it, every one did.
    """
    for page in build.pages:
        if files.get_file_from_path(page.src) is not None:
            raise PluginError(f"content/pages/{page.src} would replace a generated page; rename it")
    for path, content in build.contents():
        files.append(HeldFile.of(config, path, content, modified=changed is None or changed(path, content)))


def add_files(files: Files, config: MkDocsConfig, generated: Mapping[str, str | bytes]) -> None:
    """Add files held in memory, by their path in the site."""
    for path, content in generated.items():
        files.append(File.generated(config, path, content=content))


def docs_problems(files: Files, docs_dir: str, checked: Mapping[str, str]) -> list[Problem]:
    """Make the files MkDocs found in ``docs_dir`` exactly the ``checked`` pages (file name → text).

    Each checked page gets the text that was checked, so MkDocs never reads
    the file again.  Every other file of ``docs_dir`` is taken out: silently
    when MkDocs would leave it out anyway (hidden files, ``exclude_docs``),
    otherwise as a problem, since it appeared after the check.
    """
    problems = []
    for file in list(files):
        if file.generated_by is not None or os.path.abspath(file.src_dir or "") != os.path.abspath(docs_dir):
            continue  # a plugin's file or a theme file
        if file.src_uri in checked:
            file.content_string = checked[file.src_uri]
            continue
        files.remove(file)
        if file.inclusion != InclusionLevel.EXCLUDED:
            display = (PurePosixPath(PAGES.as_posix()) / file.src_uri).as_posix()
            problems.append(Problem(display, 1, 1, "", "appeared after the content was checked; build again"))
    return problems


def date_pages(files: Files, build: Build) -> None:
    """Give each page the date of its last change as its ``update_date``, which MkDocs' sitemap prints as ``<lastmod>``.

    MkDocs dates every page with the build date; the generator knows better (:meth:`Build.update_date`).
    A page without a date gets an empty one, and the sitemap template leaves its ``<lastmod>`` out.  When no
    page has a date at all (a site without studies) MkDocs' dates stay: it dates ``sitemap.xml.gz`` with the
    newest page date and needs one.
    """
    pages = [file.page for file in files.documentation_pages() if file.page is not None]
    dates = [build.update_date(page.file.src_uri) for page in pages]
    if any(dates):
        for page, date in zip(pages, dates, strict=True):
            page.update_date = date
