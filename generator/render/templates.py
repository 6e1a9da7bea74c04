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

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from generator.read.pages import front_matter

__all__ = [
    "TEMPLATES_DIR",
    "environment",
    "format_date",
    "render_page",
    "templates_signature",
]

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"


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


def templates_signature(templates_dir: Path = TEMPLATES_DIR) -> str:
    """Changes whenever a template file changes, so cached pages are rendered again."""
    stamps = sorted((path.as_posix(), path.stat().st_mtime_ns) for path in templates_dir.rglob("*") if path.is_file())
    return repr(stamps)


def format_date(day: dt.date) -> str:
    """A date as readers expect it: ``18 Oct 2019``."""
    return f"{day.day} {day:%b %Y}"
