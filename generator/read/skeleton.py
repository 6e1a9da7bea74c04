"""The placeholder texts of the skeleton study that ``python -m generator new`` writes.

They have this one home: the skeleton's template (``templates/new-study.yaml.j2``)
writes them from :data:`PLACEHOLDERS`, and the check refuses a published study
with a value that still holds one (:func:`placeholder_in`).  Each begins
"Replace with", so an editor sees at once what is still to be written.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["PLACEHOLDERS", "Placeholder", "placeholder_in"]

PLACEHOLDERS = {
    "title": "Replace with the headline readers will see",
    "summary": (
        "Replace with two or three sentences (20 to 400 characters) that tell a busy rheumatologist what was found."
    ),
    "body": "Replace with the article, in Markdown. Write it in your own words.",
    "key_finding": "Replace with one finding, in a sentence a reader can take away.",
    "outcome": "Replace with the outcome as the paper names it",
    "source_title": "Replace with the article's title as the journal printed it",
}
"""What the skeleton writes in each place an editor must fill in, by the template's name for the place."""


def _words(text: str) -> str:
    """``text`` as compared: runs of spaces and line breaks as one space, case ignored (a folded block joins lines)."""
    return " ".join(text.split()).casefold()


_COMPARED = {_words(text): text for text in PLACEHOLDERS.values()}


class Placeholder(NamedTuple):
    """A placeholder found in a value: its text, and whether it is all the value holds."""

    text: str
    alone: bool


def placeholder_in(value: str) -> Placeholder | None:
    """The placeholder text ``value`` still holds (wrapped or re-cased, alone or among other text), or None."""
    words = _words(value)
    for compared, text in _COMPARED.items():
        if compared in words:
            return Placeholder(text, alone=compared == words)
    return None
