"""A Content-Security-Policy for each built page.

The policy allows only what the site uses: its own files, the theme's inline
scripts (each allowed by its SHA-256 hash, computed from the finished page, so
no other inline script can run; a script inside the page's content is never
hashed) and, when comments are configured, giscus.
"""

from __future__ import annotations

import base64
import hashlib
import re

from markupsafe import escape

__all__ = ["GISCUS_ORIGIN", "add_policy", "policy"]

GISCUS_ORIGIN = "https://giscus.app"

_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL | re.IGNORECASE)
# Where the theme puts the page's content (Material: the content <div> through the article's end).
_CONTENT_START, _CONTENT_END = 'data-md-component="content"', "</article>"
_NOT_EXECUTED = re.compile(r"""\b(src=|type=["']?application/(ld\+)?json)""", re.IGNORECASE)


def policy(script_hashes: list[str], *, comments: bool, wasm: bool = False) -> str:
    """The policy text for a page whose inline scripts have ``script_hashes``.

    ``wasm`` allows WebAssembly, which the search page's index reader needs.
    """
    extra = (" 'wasm-unsafe-eval'" if wasm else "") + (f" {GISCUS_ORIGIN}" if comments else "")
    scripts = " ".join(f"'sha256-{digest}'" for digest in sorted(set(script_hashes)))
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' {scripts}{extra}".replace("  ", " "),
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


def add_policy(html: str, *, comments: bool) -> str:
    """Insert a CSP ``<meta>`` as the first element of ``<head>``."""
    # Only the theme's own scripts are allowed: one inside the page's content (a hand-written page's raw HTML,
    # or anything that ever slipped past escaping) gets no hash, so the browser refuses to run it.
    start, end = html.find(_CONTENT_START), html.rfind(_CONTENT_END)
    hashes = [
        base64.b64encode(hashlib.sha256(match["body"].encode("utf-8")).digest()).decode()
        for match in _INLINE_SCRIPT.finditer(html)
        if not _NOT_EXECUTED.search(match["attrs"]) and match["body"].strip() and not 0 <= start < match.start() < end
    ]
    text = policy(hashes, comments=comments, wasm="pagefind-ui.js" in html)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{escape(text)}">'
    return html.replace("<head>", "<head>\n    " + meta, 1)
