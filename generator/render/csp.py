"""A Content-Security-Policy for each built page: only the theme's and the site's own scripts run.

Scripts are allowed by construction, never by looking at the finished page.
The site's own scripts are files served from the site (``script-src 'self'``).
The theme's few inline scripts are allowed by SHA-256 hash, and each hash is
computed from the theme's own script templates
(``partials/javascripts/*.html``), rendered with nothing but the page's
address (``base_url``) and the theme's features.  Nothing from content or
configuration takes part, so no text a page shows (a title in ``<head>``, raw
HTML in a hand-written page, a crafted setting) can ever become a trusted
script: an inline script that is not the theme's own gets no hash and the
browser refuses to run it.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from html import escape
from typing import Any

import jinja2

__all__ = ["GISCUS_ORIGIN", "THEME_SCRIPTS", "add_policy", "inline_script_hashes", "policy", "theme_script_hashes"]

GISCUS_ORIGIN = "https://giscus.app"
THEME_SCRIPTS = "partials/javascripts/"
"""Where Material keeps the templates of its inline scripts."""

_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL | re.IGNORECASE)
_NOT_EXECUTED = re.compile(r"""\b(src=|type=["']?application/(ld\+)?json)""", re.IGNORECASE)


def policy(script_hashes: Iterable[str], *, comments: bool, wasm: bool = False) -> str:
    """The policy text for a page whose allowed inline scripts have ``script_hashes``.

    ``wasm`` allows WebAssembly, which the search page's index reader needs.  Pagefind compiles it in a
    web worker, which this ``<meta>`` policy does not govern, and falls back to the page itself when the
    worker cannot start; only that fallback needs ``'wasm-unsafe-eval'`` (Chromium 150: with
    ``worker-src 'none'`` added, search finds nothing without it and works with it).  The Nu Html
    Checker reports the keyword as an error because its CSP parser (Salvation) predates it
    (shapesecurity/salvation#260); it is CSP Level 3 and every current browser knows it.
    """
    sources = ["'self'", *(f"'sha256-{digest}'" for digest in sorted(set(script_hashes)))]
    sources += ["'wasm-unsafe-eval'"] * wasm + [GISCUS_ORIGIN] * comments
    return "; ".join(
        [
            "default-src 'self'",
            "script-src " + " ".join(sources),
            "style-src 'self' 'unsafe-inline'",  # the theme sets style attributes
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            f"frame-src {GISCUS_ORIGIN}" if comments else "frame-src 'none'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )


def add_policy(html: str, script_hashes: Iterable[str], *, comments: bool, wasm: bool = False) -> str:
    """Insert a CSP ``<meta>`` allowing ``script_hashes`` as the first element of ``<head>``."""
    text = policy(script_hashes, comments=comments, wasm=wasm)
    # Quoted with ", so the policy's many ' stay as they are (escaped, they made the tag 1.9 KB instead of 1.3).
    value = escape(text, quote=False).replace('"', "&quot;")
    meta = f'<meta http-equiv="Content-Security-Policy" content="{value}">'
    return html.replace("<head>", "<head>\n    " + meta, 1)


def inline_script_hashes(html: str) -> frozenset[str]:
    """SHA-256 hashes (base64) of the executable inline scripts in ``html``."""
    return frozenset(
        base64.b64encode(hashlib.sha256(match["body"].encode("utf-8")).digest()).decode()
        for match in _SCRIPT.finditer(html)
        if match["body"].strip() and not _NOT_EXECUTED.search(match["attrs"])
    )


def theme_script_hashes(env: jinja2.Environment, base_url: str, features: Iterable[str]) -> frozenset[str]:
    """Hashes of every inline script the theme's script templates produce for a page at ``base_url``.

    ``base_url`` is the relative path from the page to the site's root (``../..``), or
    the site's root path for error pages; the theme's feature flags choose optional scripts.
    """
    # Every setting reads as unset (`config.extra.scope | d(base_url)` gives base_url), so none reaches a script.
    config = jinja2.ChainableUndefined(name="config")
    context: dict[str, Any] = {"base_url": base_url, "features": list(features), "config": config}
    names = [name for name in env.list_templates() if name.startswith(THEME_SCRIPTS) and name.endswith(".html")]
    return frozenset().union(*(inline_script_hashes(env.get_template(name).render(context)) for name in names))
