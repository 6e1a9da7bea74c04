"""The project's error types.

Every problem an editor can cause is a :class:`Problem`: where it is (file,
line, column), which field it concerns, and what is wrong, in one line::

    content/studies/x.yaml:12:3: study.arms[0].key: must match ^[a-z0-9_]+$

A problem is an error (the file is rejected) or a warning (the file is
accepted, and ``check`` says what could be better), the same one line either
way; a warning's ``severity`` is ``"warning"``.

Exception tree::

    GeneratorError
     └── ContentError      one or more Problems in the content; never a traceback
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from generator.text import TERMINAL_UNSAFE

__all__ = ["GeneratorError", "ContentError", "Problem", "format_path", "printable"]

Severity = Literal["error", "warning"]

_SHORT_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r", "##[": "#\\x23["}


def printable(text: str) -> str:
    """``text`` made safe to print: each character a terminal or CI runner would obey becomes a visible escape.

    The escapes are Python's (``\\x1b``, ``\\n``, ``\\u202e``, ``\\udcff``); ``##[`` becomes ``#\\x23[``.
    Everything else, backslashes included, is kept as it is.
    """
    return TERMINAL_UNSAFE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    found = match.group()
    if found in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[found]
    code = ord(found)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _workflow_data(text: str) -> str:
    """Escape the message of a GitHub workflow command (@actions/core ``escapeData``)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _workflow_property(text: str) -> str:
    """Escape a property value of a GitHub workflow command (@actions/core ``escapeProperty``)."""
    return _workflow_data(text).replace(":", "%3A").replace(",", "%2C")


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
    severity: Severity = "error"
    """``error``: the content breaks the contract; ``warning``: it is accepted, but could be better."""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        message = f"warning: {self.message}" if self.severity == "warning" else self.message
        return printable(f"{where}: {self.field}: {message}" if self.field else f"{where}: {message}")

    def github_annotation(self, command: str = "error") -> str:
        """Render as a GitHub Actions workflow command shown inline on a pull request (``error`` or ``warning``).

        The file name and the text are made :func:`printable` first, then escaped as the workflow-command
        rules ask, so no name or message can end the command, add a property or start another line.
        """
        text = printable(f"{self.field}: {self.message}" if self.field else self.message)
        where = f"file={_workflow_property(printable(self.file))},line={self.line},col={self.column}"
        return f"::{self.severity} {where}::{_workflow_data(text)}"


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
