"""Hand-written pages (``content/pages/*.md``): checked like study files, converted and cleaned like bodies.

Editors write these pages too, so their front matter is read with the
project's own YAML loader and a typed model (no tags, aliases or unknown
keys; title and description plain text), and MkDocs is handed a page whose
front matter is re-written from the checked values, HTML-escaped where the
theme prints them raw.  Their Markdown is converted as a study's body is
(cmark-gfm, linear in the text, within the same nesting limits; MkDocs' own
converter is quadratic on runs of brackets), cleaned with an allow-list, and
links to other pages written ``about.md`` become links to their addresses.
"""

from __future__ import annotations

import html as htmllib
import posixpath
import re
from collections.abc import Collection
from typing import Annotated, Literal

import nh3
from markupsafe import escape
from pydantic import Field

from .body import body_to_html, nesting_problem
from .errors import ContentError, Problem
from .loader import parse_yaml
from .model import Text, _Strict
from .render import BODY_ATTRIBUTES, BODY_TAGS, front_matter
from .urls import relative_href
from .validate import describe, validate_model

__all__ = ["PageMeta", "clean_page_html", "page_html", "page_markdown", "page_source"]

# The front matter MkDocs recognises (mkdocs.utils.meta): a first line of three dashes, the YAML, a closing line.
_FRONT_MATTER = re.compile(r"-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
_HREF = re.compile(r'href="([^"]*)"')
_PAGE_TAGS = BODY_TAGS | {"h1", "img"}
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_PAGE_ATTRIBUTES = {
    **BODY_ATTRIBUTES,
    **{heading: {"id"} for heading in _HEADINGS},  # the table of contents links to them
    "img": {"src", "alt", "title", "width", "height"},
    "th": {*BODY_ATTRIBUTES["th"], "style"},
    "td": {*BODY_ATTRIBUTES["td"], "style"},  # column alignment of Markdown tables
}


class PageSearch(_Strict):
    """Search settings of a page."""

    exclude: bool = False


class PageMeta(_Strict):
    """The front matter a hand-written page may have."""

    title: Text(1, 150, one_line=True) | None = None
    description: Text(1, 400) | None = None
    hide: Annotated[list[Literal["navigation", "toc", "footer", "path"]], Field(max_length=4)] = []
    search: PageSearch | None = None


def page_source(text: str, display: str) -> str:
    """The page MkDocs is given for the hand-written page ``text``: checked front matter, then the Markdown.

    Raises :class:`ContentError` when the front matter breaks :class:`PageMeta`.
    The result always opens with YAML front matter, so MkDocs never reads the
    Markdown's first lines as MultiMarkdown meta-data.
    """
    meta, markdown = PageMeta(), page_markdown(text)
    match = _FRONT_MATTER.match(text)
    if match:
        # A leading newline stands for the opening dashes, so positions are the file's own lines.
        document = parse_yaml("\n" + match.group(1), display)
        if not isinstance(document.data, dict):
            message = f"front matter must be `key: value` lines, not {describe(document.data)}"
            raise ContentError([Problem(display, 1, 1, "", message)])
        checked, problems = validate_model(document, PageMeta)
        if problems:
            raise ContentError(problems)
        meta = checked
    if problem := nesting_problem(body_to_html(markdown, sourcepos=True)):
        raise ContentError([Problem(display, 1, 1, "", problem.replace("of the body", "of the text"))])
    return front_matter(meta.model_dump(exclude_none=True, exclude_defaults=True)) + markdown


def clean_page_html(html: str) -> str:
    """Keep only allow-listed markup in the HTML of a hand-written page (no scripts, handlers or frames)."""
    return nh3.clean(
        html,
        tags=_PAGE_TAGS,
        attributes=_PAGE_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        filter_style_properties={"text-align"},
    )


def page_markdown(text: str) -> str:
    """The Markdown of a page, without its front matter and the blank lines after it."""
    match = _FRONT_MATTER.match(text)
    return (text[match.end() :] if match else text).lstrip("\n")


def page_html(markdown: str, src: str, pages: Collection[str]) -> tuple[str, list[str]]:
    """The cleaned HTML of the page ``src`` and the links in it to ``.md`` files that are not among ``pages``.

    A relative link to a page's file (``editorial-policy.md#sources``) becomes a link to its address.
    """
    broken: list[str] = []

    def address(match: re.Match[str]) -> str:
        href = htmllib.unescape(match[1])
        path, _, fragment = href.partition("#")
        if not path.endswith(".md") or ":" in path or path.startswith("/"):
            return match[0]
        target = posixpath.normpath(posixpath.join(posixpath.dirname(src), path))
        if target not in pages:
            broken.append(href)
            return match[0]
        return f'href="{escape(relative_href(src, target, fragment))}"'

    return _HREF.sub(address, clean_page_html(body_to_html(markdown))), broken
