"""What one :func:`~generator.pipeline.generate` hands MkDocs, in the form its events use it."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator.pipeline import Generated
from generator.render.pages import GeneratedPage, SiteOptions, default_head, site_image
from generator.render.structured import SocialImage, site_head_html

__all__ = ["Build"]


@dataclass(frozen=True)
class Build:
    """The pages and files of one generation, and the HTML MkDocs is given for each page."""

    pages: list[GeneratedPage] = field(default_factory=list)
    files: dict[str, str | bytes] = field(default_factory=dict)
    heads: dict[str, str] = field(default_factory=dict)
    """The extra ``<head>`` of every generated page, by source path."""
    dates: dict[str, str] = field(default_factory=dict)
    """Each generated page's last change (``YYYY-MM-DD``) by source path; a page without one is absent."""
    written: dict[str, str] = field(default_factory=dict)
    """The HTML of each hand-written page, by source path."""
    checked: dict[str, str] = field(default_factory=dict)
    """Each hand-written page's file name → the text that was checked."""
    comments: bool = False
    """Whether the pages load giscus comments."""
    site_name: str = ""
    site_image: SocialImage | None = None
    """The social card of the pages that are not studies."""
    held: dict[str, str] = field(default_factory=dict)
    """Page HTML kept from ``on_page_markdown`` for ``on_page_content`` of the MkDocs run under way."""

    @classmethod
    def of(cls, generated: Generated, options: SiteOptions, admin: dict[str, bytes] | None = None) -> Build:
        """The build of ``generated``, made with ``options``, with the browser editor's files ``admin``."""
        return cls(
            pages=generated.pages,
            files={**generated.files, **(admin or {})},
            heads={page.src: page.head for page in generated.pages},
            dates={page.src: page.modified.isoformat() for page in generated.pages if page.modified},
            written=generated.written,
            checked={Path(page.file).name: page.text for page in generated.content.pages},
            comments=options.comments is not None,
            site_name=options.site_name,
            site_image=site_image(options),
        )

    def contents(self) -> Iterator[tuple[str, str | bytes]]:
        """Every generated page's Markdown and every data file, by path: what MkDocs is handed."""
        yield from ((page.src, page.text) for page in self.pages)
        yield from self.files.items()

    def again(self) -> Build:
        """The same build for another MkDocs run, holding no page's HTML yet."""
        return dataclasses.replace(self, held={})

    def hold(self, src: str, markdown: str) -> str:
        """The Markdown MkDocs should convert for the page ``src``: none where the generator made its HTML.

        Generated pages are HTML already; hand-written pages were converted and cleaned with the content.
        """
        if src in self.written:
            self.held[src] = self.written[src]
        elif src in self.heads:
            self.held[src] = markdown
        else:
            return markdown
        return ""

    def html(self, src: str, converted: str) -> str:
        """The page's HTML: what :meth:`hold` kept, in place of MkDocs' (empty) conversion."""
        return self.held.pop(src, converted)

    def update_date(self, src: str) -> str:
        """The page's date for the sitemap's ``<lastmod>``: empty (no ``<lastmod>``) for a page without one.

        Hand-written pages have none: the content does not say when they changed, and the build date
        would tell search engines that every page changes on every deploy.
        """
        return self.dates.get(src, "")

    def head(self, src: str, *, page_url: str = "", title: str = "", description: str | None = None) -> str:
        """The page's extra ``<head>``: feed links, structured data, OpenGraph and Twitter tags.

        A hand-written page gets the site's feed links and OpenGraph tags from its own ``page_url``,
        ``title`` and ``description`` (what MkDocs read from its front matter), and the site's card.
        """
        if src in self.heads:
            return self.heads[src]
        return site_head_html(page_url, self.site_name, title, description, self.site_image) + default_head(src)
