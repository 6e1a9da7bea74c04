"""Untrusted HTML made safe: the one allow-list of markup that editors' text may become.

Study bodies and hand-written pages are Markdown from editors; once converted
to HTML (:mod:`generator.read.markdown`) they are cleaned here by nh3
(ammonia), keeping ordinary formatting, lists, tables, quotes, code and links,
and never scripts, styles, event handlers, frames or forms.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urljoin

import nh3
from markupsafe import Markup

from generator.read.markdown import body_to_html

__all__ = ["BODY_ATTRIBUTES", "BODY_TAGS", "clean_page_html", "markdown_to_safe_html"]

# What the article body may contain once converted from Markdown: ordinary
# formatting, lists, tables, quotes, code and links; never scripts, styles,
# event handlers, frames or forms.
BODY_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s", "sub", "sup",
    "small", "mark", "abbr", "code", "pre", "blockquote", "ul", "ol", "li", "dl", "dt", "dd",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "a",
}  # fmt: skip
BODY_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope", "colspan", "rowspan"},
                    "td": {"colspan", "rowspan"}, "ol": {"start"}}  # fmt: skip
_PAGE_TAGS = BODY_TAGS | {"h1", "img"}
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_PAGE_ATTRIBUTES = {
    **BODY_ATTRIBUTES,
    **{heading: {"id"} for heading in _HEADINGS},  # the table of contents links to them
    "img": {"src", "alt", "title", "width", "height"},
    "th": {*BODY_ATTRIBUTES["th"], "style"},
    "td": {*BODY_ATTRIBUTES["td"], "style"},  # column alignment of Markdown tables
}


def markdown_to_safe_html(text: str, *, base_url: str | None = None) -> Markup:
    """Convert the Markdown body of a study to HTML and keep only allow-listed markup.

    Level-one headings become level two.  External links get ``rel="noopener noreferrer"``; only http, https and
    mailto links survive.  Linear in the length of ``text`` for a body that passed the model's nesting check
    (:func:`generator.read.markdown.check_body`).  With a ``base_url`` (the page's absolute address), relative
    links are made absolute against it, for copies of the body read away from the page (feeds); the allow-list
    is the same.
    """
    html = body_to_html(text)
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")  # the page title is the only h1
    cleaned = nh3.clean(
        html,
        tags=BODY_TAGS,
        attributes=BODY_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        attribute_filter=_absolute_links(base_url) if base_url else None,
    )
    return Markup(cleaned)


def _absolute_links(base_url: str) -> Callable[[str, str, str], str | None]:
    """An nh3 attribute filter that resolves each kept ``href`` against ``base_url``."""

    def resolve(tag: str, attribute: str, value: str) -> str | None:
        return urljoin(base_url, value) if tag == "a" and attribute == "href" else value

    return resolve


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
