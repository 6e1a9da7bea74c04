"""The characters that text may not carry somewhere, as regular-expression classes: one home for each.

Each output has one function that applies its class: the terminal shows an
escape instead (:func:`generator.errors.printable`), XML leaves the character
out (the Atom feed, the charts), JSON and CSV put U+FFFD in place of a lone
surrogate, an HTML attribute leaves it out, and editors' plain text is refused
when it holds one (:mod:`generator.read.model`).
"""

from __future__ import annotations

import re

__all__ = [
    "LONE_SURROGATE",
    "NOT_IN_ATTRIBUTE",
    "NOT_PLAIN_TEXT",
    "NOT_XML",
    "TERMINAL_UNSAFE",
]

# The ranges the classes below are made of.
_SURROGATES = "\ud800-\udfff"  # halves of a UTF-16 pair; UTF-8 cannot encode one alone
_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f"  # C0 controls other than tab, line feed and carriage return
_LAYOUT = "\t\n\r"  # the C0 controls that lay text out
_DELETE = "\x7f"
_C1_CONTROLS = "\x80-\x9f"
_BIDI_MARKS = "\u061c\u200e\u200f"  # Arabic letter mark, left-to-right and right-to-left marks
_BIDI_EMBEDDINGS = "\u202a-\u202e"  # embeddings and overrides
_BIDI_ISOLATES = "\u2066-\u2069"
_LINE_SEPARATORS = "\u2028\u2029"  # line and paragraph separators
_NONCHARACTERS = "\ufffe\uffff"

LONE_SURROGATE = re.compile(f"[{_SURROGATES}]")
"""A lone surrogate: the undecodable bytes of a file name as Python's surrogateescape gives them, or ``\\ud800``
escaped in a quoted YAML string.  UTF-8 cannot encode it."""

NOT_XML = re.compile(f"[{_CONTROLS}{_SURROGATES}{_NONCHARACTERS}]")
"""A character outside XML 1.0's Char production (#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] |
[#x10000-#x10FFFF]): XML cannot carry it even escaped."""

NOT_IN_ATTRIBUTE = re.compile(f"[{_CONTROLS}{_DELETE}{_SURROGATES}]")
"""What an HTML attribute's plain text leaves out: control characters (layout aside) and lone surrogates."""

NOT_PLAIN_TEXT = re.compile(f"[{_CONTROLS}\r{_DELETE}{_C1_CONTROLS}{_BIDI_EMBEDDINGS}{_BIDI_ISOLATES}]")
"""What is never legitimate in an editor's plain text: control characters (tab and newline aside) and the
bidirectional embeddings, overrides and isolates that make text display differently from what it is."""

TERMINAL_UNSAFE = re.compile(
    f"##\\[|[{_LAYOUT}{_CONTROLS}{_DELETE}{_C1_CONTROLS}{_BIDI_MARKS}{_LINE_SEPARATORS}{_BIDI_EMBEDDINGS}"
    f"{_BIDI_ISOLATES}{_SURROGATES}]"
)
"""What a terminal or a CI log would act on instead of showing: C0 and C1 controls and DEL (escape sequences,
a newline that starts a forged line), line and paragraph separators, bidirectional marks, embeddings,
overrides and isolates (text that reads differently from what it is), lone surrogates and ``##[``, which a
GitHub runner obeys anywhere in a line as a legacy workflow command."""
