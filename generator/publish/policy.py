"""The Content-Security-Policy of each page MkDocs builds (see :mod:`generator.render.csp`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import jinja2
from mkdocs.utils import get_relative_url

from generator.render.csp import add_policy, theme_script_hashes

__all__ = ["SEARCH_PAGE", "PagePolicy"]

SEARCH_PAGE = "search.md"
"""The page whose Pagefind index reader is WebAssembly."""


class PagePolicy:
    """Adds the policy to the pages of one build, computing the theme's script hashes once per page depth."""

    def __init__(self, env: jinja2.Environment, features: Iterable[str], *, comments: bool):
        self.env = env
        self.features = list(features)
        self.comments = comments
        self.hashes: dict[str, frozenset[str]] = {}
        """The theme's script hashes, by the ``base_url`` of the pages they are for."""

    def page(self, html: str, page: Any) -> str:
        """``html`` of the MkDocs ``page`` with its policy."""
        wasm = page.file.src_uri == SEARCH_PAGE
        return self._add(html, get_relative_url(".", page.url), wasm=wasm)

    def error_page(self, html: str, site_url: str | None) -> str:
        """``html`` of one of the theme's own pages (404.html) with its policy."""
        # MkDocs addresses error pages from the site's root path (see its build of 404.html).
        return self._add(html, urlsplit(site_url or "/").path)

    def _add(self, html: str, base_url: str, *, wasm: bool = False) -> str:
        if base_url not in self.hashes:
            self.hashes[base_url] = theme_script_hashes(self.env, base_url, self.features)
        return add_policy(html, self.hashes[base_url], comments=self.comments, wasm=wasm)
