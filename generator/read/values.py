"""Parse the value forms an editor may write for a per-arm result.

The contract allows three forms: a percentage (``55.2%``), a count over a
denominator (``16/29``) and a plain number (``9``).  The text is always kept
exactly as written; the parsed parts feed the derived statistics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

__all__ = ["RESULT_PATTERN", "ResultValue", "parse_result_value", "VALUE_FORMS", "KIND_NAMES", "SHARE_KINDS"]

VALUE_FORMS = 'a percentage ("55.2%"), a count over a denominator ("16/29") or a plain number ("9")'
KIND_NAMES = {"percent": "a percentage", "count": "a count over a denominator", "number": "a plain number"}
"""Each kind of value, as messages name it."""
SHARE_KINDS = frozenset({"percent", "count"})
"""The kinds that give the share of an arm with the outcome: arms may mix them (charts and statistics do)."""

# Each form is matched against the whole stripped text, in ASCII digits (Python's \d takes every script's
# digits) and with at most a space inside (never a newline or tab).
_FORMS = (r"([0-9]+(?:\.[0-9]+)?) ?%", r"([0-9]+) ?/ ?([0-9]+)", r"-?[0-9]+(?:\.[0-9]+)?")
_PERCENT, _COUNT, _NUMBER = (re.compile(form) for form in _FORMS)
RESULT_PATTERN = rf"^\s*({'|'.join(_FORMS)})\s*$"
"""The three forms as one ECMA-262 pattern, for the JSON Schema."""


@dataclass(frozen=True)
class ResultValue:
    """One arm's result, as written and as understood."""

    text: str
    kind: Literal["percent", "count", "number"]
    percent: float | None = None
    numerator: int | None = None
    denominator: int | None = None
    number: float | None = None


def parse_result_value(text: str) -> ResultValue:
    """Parse ``text`` into a :class:`ResultValue`.

    Raises ``ValueError`` with an editor-facing message when the text is none
    of the allowed forms, or is a count whose numerator exceeds its
    denominator, or a percentage above 100.
    """
    stripped = text.strip()
    if match := _PERCENT.fullmatch(stripped):
        percent = float(match.group(1))
        if percent > 100:
            raise ValueError(f"a percentage cannot exceed 100% (got {text!r})")
        return ResultValue(text=text, kind="percent", percent=percent)
    if match := _COUNT.fullmatch(stripped):
        numerator, denominator = int(match.group(1)), int(match.group(2))
        if denominator == 0:
            raise ValueError(f"a count needs a denominator of at least 1 (got {text!r})")
        if numerator > denominator:
            raise ValueError(f"a count cannot exceed its denominator (got {text!r})")
        return ResultValue(text=text, kind="count", numerator=numerator, denominator=denominator)
    if _NUMBER.fullmatch(stripped):
        return ResultValue(text=text, kind="number", number=float(stripped))
    raise ValueError(f"expected {VALUE_FORMS}, got {text!r}")
