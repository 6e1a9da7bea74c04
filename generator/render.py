"""Render pages through the Jinja2 templates in ``templates/``.

Text from study files is untrusted: the environment autoescapes everything,
templates are compiled only from ``templates/`` (content is passed as data,
so ``{{ 7*7 }}`` in a study stays literal), and the Markdown body is turned
into HTML here and cleaned with an allow-list before it reaches a template.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

import nh3
import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from .body import body_to_html

__all__ = [
    "BODY_ATTRIBUTES",
    "BODY_TAGS",
    "TEMPLATES_DIR",
    "environment",
    "format_date",
    "front_matter",
    "markdown_to_safe_html",
    "render_page",
    "templates_signature",
]

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"

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

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@cache
def environment(templates_dir: Path = TEMPLATES_DIR) -> Environment:
    """The Jinja2 environment for page templates (autoescaping, strict undefined)."""
    return Environment(
        loader=FileSystemLoader(templates_dir),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_page(template: str, meta: dict[str, Any], templates_dir: Path = TEMPLATES_DIR, **context: Any) -> str:
    """Render ``template`` with ``context`` and prefix the page's front matter ``meta``."""
    body = environment(templates_dir).get_template(template).render(**context)
    return front_matter(meta) + body


def front_matter(meta: dict[str, Any]) -> str:
    """YAML front matter for MkDocs; the title is HTML-escaped because themes print it as HTML."""
    safe = {key: str(escape(value)) if key in {"title", "description"} else value for key, value in meta.items()}
    text = yaml.dump(safe, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1_000_000)
    return "---\n" + text + "---\n\n"


def markdown_to_safe_html(text: str) -> Markup:
    """Convert the Markdown body of a study to HTML and keep only allow-listed markup.

    Level-one headings become level two.  External links get ``rel="noopener noreferrer"``; only http, https and
    mailto links survive.  Linear in the length of ``text`` for a body that passed the model's nesting check
    (:func:`generator.body.check_body`).
    """
    html = body_to_html(text)
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")  # the page title is the only h1
    cleaned = nh3.clean(
        html,
        tags=BODY_TAGS,
        attributes=BODY_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return Markup(cleaned)


def templates_signature(templates_dir: Path = TEMPLATES_DIR) -> str:
    """Changes whenever a template file changes, so cached pages are rendered again."""
    stamps = sorted((path.as_posix(), path.stat().st_mtime_ns) for path in templates_dir.rglob("*") if path.is_file())
    return repr(stamps)


def format_date(day: dt.date) -> str:
    """A date as readers expect it: ``18 Oct 2019``."""
    return f"{day.day} {day:%b %Y}"
