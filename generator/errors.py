"""The project's error types.

Every problem an editor can cause is a :class:`Problem`: where it is (file,
line, column), which field it concerns, and what is wrong, in one line::

    content/studies/x.yaml:12:3: study.arms[0].key: must match ^[a-z0-9_]+$

Exception tree::

    GeneratorError
     └── ContentError      one or more Problems in the content; never a traceback
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["GeneratorError", "ContentError", "Problem", "format_path"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one place in one file.

    ``line`` and ``column`` are 1-based.  ``field`` is the dotted path of the
    field (``study.arms[0].key``), or empty when the problem concerns the file
    as a whole (unreadable bytes, a YAML syntax error).
    """

    file: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"

    def github_annotation(self) -> str:
        """Render as a GitHub Actions workflow command shown inline on a pull request."""
        text = f"{self.field}: {self.message}" if self.field else self.message
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::error file={self.file},line={self.line},col={self.column}::{text}"


class GeneratorError(Exception):
    """Base class of every error the generator raises on purpose."""


class ContentError(GeneratorError):
    """Raised when content breaks the contract; carries every problem found.

    The problems are sorted by file, line and column, so the output reads in
    the order of the files.
    """

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(sorted(set(problems)))
        super().__init__("\n".join(str(p) for p in self.problems))


def format_path(path: Iterable[str | int]) -> str:
    """Turn ``("study", "arms", 0, "key")`` into ``study.arms[0].key``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text
