"""JSON as the site writes it: the open data, the JSON Feed and the JSON-LD of study pages."""

from __future__ import annotations

import json
from typing import Any

from generator.text import LONE_SURROGATE

__all__ = ["json_file", "json_text"]


def json_text(data: Any) -> str:
    """``data`` as compact JSON (no spaces, no line breaks), every character as itself except what JSON escapes.

    Compact: a program reads these, and indentation made the open data and each page's JSON-LD about a
    quarter larger (and ``json`` encodes indented output in Python, not in C).  JSON escapes control
    characters; a lone surrogate, which it leaves raw and UTF-8 cannot encode, becomes U+FFFD.
    """
    return LONE_SURROGATE.sub("\ufffd", json.dumps(data, ensure_ascii=False, separators=(",", ":")))


def json_file(data: Any) -> bytes:
    """``data`` as the bytes of a UTF-8 JSON file: :func:`json_text` and a final newline."""
    return (json_text(data) + "\n").encode("utf-8")
