"""How content problems are told when MkDocs builds: counted, then listed one a line."""

from __future__ import annotations

from generator.errors import ContentError

__all__ = ["nothing_built", "problem_count"]


def problem_count(error: ContentError) -> str:
    """``1 content problem``, ``3 content problems``."""
    count = len(error.problems)
    return f"{count} content problem{'s' * (count != 1)}"


def nothing_built(error: ContentError) -> str:
    """The message of a build that stops because of content problems."""
    return f"{problem_count(error)}; nothing was built:\n{error}"
