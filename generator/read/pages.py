"""Hand-written pages (``content/pages/*.md``): their front matter, read and checked like a study file.

Editors write these pages too, so their front matter is read with the
project's own YAML loader and a typed model (no tags, aliases or unknown
keys; title and description plain text), and MkDocs is handed a page whose
front matter is re-written from the checked values, HTML-escaped where the
theme prints them raw.  The Markdown must keep within a study body's nesting
limits; it is converted and cleaned in :mod:`generator.render.handwritten`.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

import yaml
from markupsafe import escape
from pydantic import Field

from generator.errors import ContentError, Problem
from generator.read.loader import parse_yaml
from generator.read.markdown import body_to_html, nesting_problem
from generator.read.model import Text, _Strict
from generator.read.validate import describe, validate_model

__all__ = ["PageMeta", "front_matter", "page_markdown", "page_source"]

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
# The front matter MkDocs recognises (mkdocs.utils.meta): a first line of three dashes, the YAML, a closing line.
_FRONT_MATTER = re.compile(r"-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)


class PageSearch(_Strict):
    """Search settings of a page."""

    exclude: bool = False


class PageMeta(_Strict):
    """The front matter a hand-written page may have."""

    title: Annotated[str, Text(1, 150, one_line=True)] | None = None
    description: Annotated[str, Text(1, 400)] | None = None
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


def page_markdown(text: str) -> str:
    """The Markdown of a page, without its front matter and the blank lines after it."""
    match = _FRONT_MATTER.match(text)
    return (text[match.end() :] if match else text).lstrip("\n")


def front_matter(meta: dict[str, Any]) -> str:
    """YAML front matter for MkDocs; the title is HTML-escaped because themes print it as HTML."""
    safe = {key: str(escape(value)) if key in {"title", "description"} else value for key, value in meta.items()}
    text = yaml.dump(safe, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1_000_000)
    return "---\n" + text + "---\n\n"
