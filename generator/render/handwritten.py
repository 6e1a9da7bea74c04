"""Hand-written pages as HTML: converted like a study body, cleaned, with links to pages made addresses.

Their Markdown is converted as a study's body is (cmark-gfm, linear in the
text; MkDocs' own converter is quadratic on runs of brackets), cleaned with
the pages' allow-list, and links to other pages written ``about.md`` become
links to their addresses.
"""

from __future__ import annotations

import html as htmllib
import posixpath
import re
from collections.abc import Collection

from markupsafe import escape

from generator.read.markdown import body_to_html
from generator.render.sanitise import clean_page_html
from generator.urls import relative_href

__all__ = ["page_html"]

_HREF = re.compile(r'href="([^"]*)"')


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
