"""The theme's page around generated pages, rendered once per kind of page and filled in for each.

Material renders its whole template (header, navigation, footer, a few
thousand template calls) for every page, and with thousands of study pages
that was most of a build.  Yet all study pages of one folder get the same
theme output but for a handful of values: the title, the description, the
canonical address, the extra ``<head>`` and the content.  So the theme is
rendered once per *group* of pages that agree in everything else (template,
folder, front matter, navigation links), with a unique marker in place of each
of those values; the output, split at the markers, is the group's
:class:`Frame`, and every page of the group is the frame joined with its own
values.  No library does this: Jinja has no partial evaluation, and MkDocs
renders each page's template in full.

A frame is trusted only once it has been checked: the first page of each
group is rendered in full as well, and the group gets a frame only if filling
it in gives exactly that output.  A page whose title or description holds a
character a template filter could change (``<``, ``&``, quotes, runs of
spaces) is rendered in full, as is every page of a group whose check failed.
The frame's own text, all theme markup, loses its blank lines and
indentation (about 3 KB a page); the page's values are put in as they are.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import jinja2

__all__ = ["FILLED_TEMPLATE", "Frame", "Frames", "compact", "frame_of", "group_of", "page_values"]

FILLED_TEMPLATE = "rheum-evidence/filled.html"
"""The template MkDocs renders for a framed page: the page as the frames made it."""
FILLED_KEY = "rheum_evidence_filled"
"""The key of the filled page in the template context."""
_FILLED_SOURCE = "{{ " + FILLED_KEY + " | safe }}"

SLOTS = ("Title", "Description", "Canonical", "Head", "Content")
"""The values a frame leaves open, as they are named in its markers."""
_MARKER = re.compile("\ue000([A-Za-z]+)[^\ue001]*\ue001")  # private-use characters: in no theme and no page
_INERT = re.compile(r"[^\s<>&\"'\ue000\ue001]+( [^\s<>&\"'\ue000\ue001]+)*")
"""Text no template filter (escape, striptags, trim, ...) changes: only one space at a time, no markup."""
_LAYOUT = re.compile(r"\n[ \t]*(?=\n)|(?<=\n)[ \t]+")


@dataclass(frozen=True)
class Frame:
    """A group's theme output: literal text and, between the pieces, the names of the open values."""

    parts: tuple[str, ...]
    """Text, slot name, text, slot name, ..., text."""

    def fill(self, values: Mapping[str, str]) -> str:
        """The page with ``values`` (slot name → text) in the open places."""
        return "".join(values[part] if index % 2 else part for index, part in enumerate(self.parts))

    def compacted(self) -> Frame:
        """The same frame without the blank lines and indentation of its own text."""
        return Frame(tuple(part if index % 2 else compact(part) for index, part in enumerate(self.parts)))


def compact(html: str) -> str:
    """``html`` without whitespace-only lines and line indentation (for markup with no ``<pre>`` or ``<textarea>``)."""
    return _LAYOUT.sub("", html)


def frame_of(output: str) -> Frame | None:
    """The frame of a probe's output, or None when a marker is missing, repeated oddly or mangled."""
    parts = tuple(_MARKER.split(output))
    names = parts[1::2]
    if any(name not in SLOTS for name in names) or "\ue000" in "".join(parts[::2]):
        return None
    return Frame(parts)


def _marker(name: str, padding: str = "") -> str:
    """The marker of the open value ``name``; ``padding`` is text the theme may test the value for."""
    return f"\ue000{name}{padding}\ue001"


def page_values(page: Any, context: Mapping[str, Any]) -> dict[str, str] | None:
    """The open values of ``page`` as the theme prints them, or None when one might be printed otherwise."""
    title, description = page.meta.get("title"), page.meta.get("description")
    if not isinstance(title, str) or not _INERT.fullmatch(title) or page.title != title:
        return None
    if description is not None and not (isinstance(description, str) and _INERT.fullmatch(description)):
        return None
    return {
        "Title": title,
        "Description": description or "",
        "Canonical": page.canonical_url or "",
        "Head": str(context.get("extra_head", "")),
        "Content": page.content or "",
    }


def group_of(template: str, page: Any) -> tuple[Any, ...] | None:
    """What pages must share to share a frame, or None for a page that is rendered in full.

    Pages in the navigation (they mark their own entry), with a table of contents, neighbours or an edit
    link are never framed; the folder fixes every relative link.
    """
    if page.parent is not None or page.previous_page or page.next_page or page.toc or page.edit_url:
        return None
    if page.is_homepage or not page.file.inclusion.is_not_in_nav():
        return None
    meta = {key: value for key, value in page.meta.items() if key not in ("title", "description", "template")}
    folder = page.url.rstrip("/").rpartition("/")[0]
    content = page.content or ""
    return (template, folder, repr(sorted(meta.items())), "description" in page.meta, "\u003ch1" in content)


@dataclass
class Frames:
    """The frames of one build, made as the first page of each group is rendered."""

    env: jinja2.Environment
    templates: dict[str, str] = field(default_factory=dict)
    """The template each framed page would have had, by source path."""
    frames: dict[tuple[Any, ...], Frame | None] = field(default_factory=dict)

    @classmethod
    def install(cls, env: jinja2.Environment, pages: list[Any], framed: set[str]) -> Frames:
        """Frames for the ``pages`` whose source is in ``framed``; they get the template that prints a filled page.

        MkDocs picks each page's template from its front matter before any plugin sees the page's
        context, so the template is switched here, and :meth:`page` switches it back.
        """
        loader = env.loader
        env.loader = jinja2.ChoiceLoader(
            [jinja2.DictLoader({FILLED_TEMPLATE: _FILLED_SOURCE}), *([loader] if loader else [])]
        )
        frames = cls(env)
        for page in pages:
            if page.file.src_uri in framed:
                frames.templates[page.file.src_uri] = page.meta.get("template", "main.html")
                page.meta["template"] = FILLED_TEMPLATE
        return frames

    def page(self, page: Any, context: dict[str, Any]) -> None:
        """Put the theme's output for ``page`` into ``context``, for the template :meth:`install` gave it."""
        template = self.templates.get(page.file.src_uri)
        if template is None:
            return
        page.meta["template"] = template  # the page's front matter as written, for the theme
        context[FILLED_KEY] = self.output(template, page, context)

    def output(self, template: str, page: Any, context: Mapping[str, Any]) -> str:
        """The theme's output for ``page``: its group's frame filled in, or a full render."""
        group, values = group_of(template, page), page_values(page, context)
        if group is None or values is None:
            return self._render(template, context)
        if group in self.frames:
            frame = self.frames[group]
            return frame.fill(values) if frame is not None else self._render(template, context)
        full = self._render(template, context)
        frame = frame_of(self._render(template, _probe(page, context)))
        if frame is None or frame.fill(values) != full:
            self.frames[group] = None
            return full
        self.frames[group] = frame = frame.compacted()
        return frame.fill(values)

    def _render(self, template: str, context: Mapping[str, Any]) -> str:
        return self.env.get_template(template).render(context)


def _probe(page: Any, context: Mapping[str, Any]) -> dict[str, Any]:
    """``context`` for a copy of ``page`` whose open values are markers."""
    probe = copy.copy(page)
    probe.meta = {**page.meta, "title": _marker("Title")}
    if "description" in page.meta:
        probe.meta["description"] = _marker("Description")
    probe.title = _marker("Title")
    probe.canonical_url = _marker("Canonical")
    probe.content = _marker("Content", "\u003ch1" if "\u003ch1" in (page.content or "") else "")
    return {**context, "page": probe, "extra_head": _marker("Head")}
