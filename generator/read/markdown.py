"""The article body: Markdown to HTML, within a budget that grows linearly with the text.

Markdown is converted by cmark-gfm (GitHub's CommonMark in C), whose parser is
linear in the length of the text by design, pathological inputs included
(runs of brackets, emphasis, backticks, entities).  What it cannot bound is
how deeply the result nests: HTML tree builders (html5ever inside nh3, and
browsers) check "is this element in scope" against every open element, so
each tag costs as much as the current depth and a body of 100,000 nested
quotes takes minutes.  :func:`check_body` therefore measures the nesting of the
converted HTML and refuses a body nested deeper than the limits, which the
model applies so that ``check`` and the build refuse the same bodies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cmarkgfm
from cmarkgfm.cmark import Options

__all__ = ["MAX_ELEMENT_DEPTH", "MAX_LIST_DEPTH", "MAX_QUOTE_DEPTH", "body_to_html", "check_body", "nesting_problem"]

MAX_LIST_DEPTH = 12
MAX_QUOTE_DEPTH = 12
MAX_ELEMENT_DEPTH = 40

# Raw HTML is passed through here and cleaned by nh3 afterwards (render.markdown_to_safe_html).
_OPTIONS = Options.CMARK_OPT_UNSAFE
_EXTENSIONS = ["table"]
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)
# A start or end tag, and the source line cmark writes into block tags with CMARK_OPT_SOURCEPOS.
_TAG = re.compile(r'<(/?)([A-Za-z][A-Za-z0-9-]*)(?:\s+data-sourcepos="(\d+):)?')


def body_to_html(text: str, *, sourcepos: bool = False) -> str:
    """Convert Markdown ``text`` to HTML (tables on, raw HTML kept for the cleaner); linear in ``len(text)``."""
    options = _OPTIONS | (Options.CMARK_OPT_SOURCEPOS if sourcepos else 0)
    html: str = cmarkgfm.markdown_to_html_with_extensions(text, options, extensions=_EXTENSIONS)
    return html


@dataclass
class _Deepest:
    depth: int = 0
    line: int = 1


def nesting_problem(html: str) -> str | None:
    """Why ``html`` nests too deeply for readers' browsers and the cleaner, or None when it is within the limits.

    The stack of open elements is modelled in one pass over the tags, written by hand because the point is to
    avoid a tree builder: an end tag closes the innermost open element of its name and everything opened after
    it, an end tag with no open element of its name is ignored, as HTML parsers do.  Elements HTML closes
    implicitly (a ``<p>`` left open by raw HTML) stay counted, so the model errs towards the deeper reading.
    """
    stack: list[str] = []
    open_counts: dict[str, int] = {}
    lists, quotes, elements = _Deepest(), _Deepest(), _Deepest()
    line = 1
    for match in _TAG.finditer(html):
        closing, name, at = match.group(1), match.group(2).lower(), match.group(3)
        line = int(at) if at else line
        if name in _VOID:
            continue
        if closing:
            while open_counts.get(name):
                popped = stack.pop()
                open_counts[popped] -= 1
                if popped == name:
                    break
            continue
        stack.append(name)
        open_counts[name] = open_counts.get(name, 0) + 1
        for deepest, depth in (
            (lists, open_counts.get("ul", 0) + open_counts.get("ol", 0)),
            (quotes, open_counts.get("blockquote", 0)),
            (elements, len(stack)),
        ):
            if depth > deepest.depth:
                deepest.depth, deepest.line = depth, line
    if lists.depth > MAX_LIST_DEPTH:
        return (
            f"lists are nested {lists.depth} levels deep (line {lists.line} of the body); the limit is "
            f"{MAX_LIST_DEPTH}: indent fewer levels or split the list"
        )
    if quotes.depth > MAX_QUOTE_DEPTH:
        return (
            f"quotes are nested {quotes.depth} levels deep (line {quotes.line} of the body, `>` inside `>`); "
            f"the limit is {MAX_QUOTE_DEPTH}: use fewer `>`"
        )
    if elements.depth > MAX_ELEMENT_DEPTH:
        return (
            f"formatting is nested {elements.depth} levels deep (line {elements.line} of the body: emphasis, "
            f"links, lists, quotes or HTML tags inside one another); the limit is {MAX_ELEMENT_DEPTH}: "
            "close what you open and nest less"
        )
    return None


def check_body(text: str) -> str:
    """Pydantic check of a study's ``body``: refuse Markdown whose HTML would nest beyond the limits."""
    if problem := nesting_problem(body_to_html(text, sourcepos=True)):
        raise ValueError(problem)
    return text
