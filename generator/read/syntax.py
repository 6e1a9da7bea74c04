"""YAML syntax errors in an editor's words.

PyYAML and libyaml describe a slip in the parser's terms ("mapping values are
not allowed in this context", "did not find expected key").  :func:`syntax_problem`
keeps the parser's position, looks at the line it points at and says what the
slip most likely is and how to fix it: an unquoted colon followed by a space,
a tab, an indentation slip, an unclosed quote or bracket, a value that starts
with a character YAML reserves.  A slip it does not recognise keeps the
parser's own words after "YAML syntax error:".

Both parsers are understood (their wording differs), so the messages do not
depend on whether libyaml is installed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from generator.errors import Problem

__all__ = ["syntax_problem"]

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# A line that starts with a key: indentation, any list dashes, the key (plain or quoted), a colon and a space.
_KEY_LINE = re.compile(r"(?P<indent> *)(?P<dashes>(?:- +)*)(?P<key>\w[\w ./()-]*?|\"[^\"]*\"|'[^']*') *:(?= |$)")
# A key written without the space after its colon (`title:Lupus`), which YAML reads as text.
_NO_SPACE = re.compile(r" *(?:- +)*(?P<key>\w[\w-]*):(?P<rest>[^\s:][^:]*)$")
_QUOTES = "\"'"


@dataclass(frozen=True)
class _Where:
    """A place in the text: 0-based line and column, and the line's text."""

    line: int
    column: int
    text: str

    @property
    def indent(self) -> int:
        return len(self.text) - len(self.text.lstrip(" "))

    @property
    def character(self) -> str:
        return self.text[self.column] if self.column < len(self.text) else ""


def syntax_problem(error: yaml.MarkedYAMLError, text: str, display: str) -> Problem:
    """The :class:`Problem` an editor sees for the YAML syntax error ``error`` in ``text``."""
    lines = _LINE_BREAK.split(text)
    problem_mark = error.problem_mark or error.context_mark
    context_mark = error.context_mark or problem_mark
    if problem_mark is None or context_mark is None:
        return Problem(display, 1, 1, "", f"YAML syntax error: {error.problem or 'invalid YAML'}")
    at = _where(lines, problem_mark)
    opened = _where(lines, context_mark)
    explained = _explain(lines, error.context or "", error.problem or "", at, opened)
    if explained is None:
        return Problem(display, at.line + 1, at.column + 1, "", f"YAML syntax error: {error.problem or 'invalid YAML'}")
    place, message = explained
    return Problem(display, place.line + 1, place.column + 1, "", message)


def _where(lines: list[str], mark: yaml.Mark) -> _Where:
    line = mark.line if mark.line < len(lines) else len(lines) - 1
    return _Where(line, mark.column, lines[line] if line >= 0 else "")


def _explain(lines: list[str], context: str, problem: str, at: _Where, opened: _Where) -> tuple[_Where, str] | None:
    """Where to point and what to say, or None for a slip this module does not recognise."""
    if "tab" in problem or at.character == "\t":
        return at, _tab(at)
    if problem.startswith("mapping values are not allowed"):
        return at, _colon(lines, at)
    if "scanning a quoted scalar" in context and "end of stream" in problem:
        quote = opened.character or '"'
        owner = _owner(lines, opened)
        return opened, f"the quote {quote} that opens {owner} is never closed; end the value with {quote}"
    if "unknown escape character" in problem:
        return at, (
            "inside double quotes a backslash starts an escape such as \\n; write \\\\ for a backslash, "
            "or put the value in single quotes"
        )
    if "scanning an alias" in context or "undefined alias" in problem:
        place = opened if "scanning an alias" in context else at
        return place, _reserved(lines, place, "*", "which YAML reads as a reference to an anchor (`*name`)")
    if "scanning an anchor" in context:
        return opened, _reserved(lines, opened, "&", "which YAML reads as an anchor (`&name`)")
    if "scanning a block scalar" in context and "line break" in problem:
        indicator = opened.character if opened.character in ("|", ">") else "|"
        return opened, (
            f"{_owner(lines, opened)} starts with `{indicator}`, which YAML reads as the start of a block of "
            "text on the lines below; put the value in quotes, or start the text on the next line, indented"
        )
    if "cannot start any token" in problem:
        return at, _reserved(lines, at, at.character, "a character YAML reserves")
    if "scanning a directive" in context:
        return opened, "a line that starts with `%` is read as a YAML directive; put the text in quotes"
    if "flow sequence" in context or "flow mapping" in context:
        return opened, _flow(opened, "sequence" in context)
    if "could not find expected ':'" in problem:
        return opened, _no_colon(opened)
    if "expected key" in problem or "expected <block end>" in problem or "expected '-' indicator" in problem:
        return at, _block(lines, at)
    if "another document" in problem:
        return at, (
            "`---` at the start of a line ends the study, and a file holds one study; remove the line, "
            "or indent it if it belongs to the text above"
        )
    return None


def _owner(lines: list[str], at: _Where) -> str:
    """Whose value stands at ``at``: "the value of `title`", "the list item on line 3", or "the value"."""
    match = _KEY_LINE.match(at.text)
    if match and match.end() <= at.column:
        return f"the value of `{match.group('key').strip(_QUOTES)}`"
    if re.match(r" *-( |$)", at.text):
        return "the list item"
    for number in range(at.line - 1, -1, -1):
        above = _Where(number, 0, lines[number])
        if not above.text.strip() or above.text.lstrip().startswith("#") or above.indent >= at.indent:
            continue
        if match := _KEY_LINE.match(above.text):
            if match.group("dashes") and match.end("dashes") > at.indent:
                return f"the list item on line {number + 1}"
            return f"the value of `{match.group('key').strip(_QUOTES)}`"
        if above.text.lstrip().startswith("-"):
            return f"the list item on line {number + 1}"
        break
    return "the value"


def _tab(at: _Where) -> str:
    if not at.text[: at.column + 1].strip(" \t"):
        return "this line is indented with a tab character, and YAML allows only spaces; replace the tab with spaces"
    return "YAML does not allow a tab character here; replace it with spaces"


def _colon(lines: list[str], at: _Where) -> str:
    """A colon followed by a space where YAML cannot start a key: in a value, or on a line indented too far."""
    match = _KEY_LINE.match(at.text)
    colon_first = match is not None and match.end() > at.column
    if not colon_first:  # `key: text with: colon`: a colon inside the value of the key on this line
        return (
            f"put {_owner(lines, at)} in quotes: it contains a colon followed by a space, which YAML reads as the "
            "start of another key"
        )
    assert match is not None
    word = match.group("key")
    owner = _owner(lines, at)
    if owner == "the value":  # nothing above is indented less: the line above may hold `key:value`
        previous = _previous_line(lines, at.line)
        if previous is not None and (spaced := _NO_SPACE.fullmatch(lines[previous])):
            key, number = spaced.group("key"), previous + 1
            return f"put a space after the colon of `{key}:` on line {number}; without it YAML reads the line as text"
        return "YAML cannot start a key here; check the line above (an unquoted colon followed by a space?)"
    if " " in word.strip():  # several words before the colon: text that goes on from the line above
        return (
            f"put {owner} in quotes: it contains a colon followed by a space, which YAML reads as the start of "
            "another key"
        )
    return (
        f"`{word}:` is indented further than the key above it, so YAML reads it as part of {owner}; line `{word}:` "
        f"up with the keys it belongs beside (or, if this line is text, put {owner} in quotes)"
    )


def _previous_line(lines: list[str], number: int) -> int | None:
    """The index of the nearest line above ``number`` that is neither blank nor a comment."""
    for above in range(number - 1, -1, -1):
        if lines[above].strip() and not lines[above].lstrip().startswith("#"):
            return above
    return None


def _reserved(lines: list[str], at: _Where, character: str, reading: str) -> str:
    """``reading`` says what YAML makes of ``character``: "which YAML reads as ...", or "a character YAML reserves"."""
    shown = "a backtick (`)" if character == "`" else f"`{character}`"
    if not at.text[: at.column].strip():
        return f"a line cannot start with {shown}, {reading}; put the text in quotes"
    return f"{_owner(lines, at)} starts with {shown}, {reading}; put the value in quotes"


def _flow(opened: _Where, sequence: bool) -> str:
    if sequence:
        return (
            "this `[` starts a list that is not closed with `]`, or two of its items have no comma between them; "
            "write the list on one line, as [a, b], or one `- item` per line (if the value is text, put it in quotes)"
        )
    return (
        "this `{` starts a mapping that is not closed with `}`, or two of its entries have no comma between them; "
        "write it on one line, as {a: 1, b: 2}, or one `key: value` per line (if the value is text, put it in quotes)"
    )


def _no_colon(opened: _Where) -> str:
    if spaced := _NO_SPACE.fullmatch(opened.text):
        return f"put a space after the colon of `{spaced.group('key')}:`; without it YAML reads the line as text"
    return (
        "this line is neither `key: value` nor `- item`; if it goes on with the text above, indent it further "
        "than that text's key"
    )


def _block(lines: list[str], at: _Where) -> str:
    """Something other than a key where a key was due: text after a closed value, or an indentation slip."""
    before = at.text[: at.column].rstrip()
    if at.column > at.indent and before:
        closing = before[-1]
        match = _KEY_LINE.match(at.text)
        value = at.text[match.end() if match else at.indent : at.column].strip().lstrip("- ")
        if closing in _QUOTES and len(value) >= 2 and value[0] == closing:
            fix = (
                "put the whole value in double quotes, or write each apostrophe in it twice ('')"
                if closing == "'"
                else 'put the whole value in single quotes, or write each quote in it as \\"'
            )
            return (
                f"{_owner(lines, at)} starts with a quote, so YAML ends it at the next {closing} and finds more "
                f"text after it; {fix}"
            )
        if closing in _QUOTES:
            return (
                f"the {closing} before this text closes a quote opened earlier; check that each quoted value "
                "above ends with its quote"
            )
        if closing in "]}" and value[:1] in ("[", "{"):
            what = "a list" if value[0] == "[" else "a mapping"
            return (
                f"{_owner(lines, at)} starts with `{value[0]}`, so YAML reads it as {what} and finds more text "
                "after it; if the value is text, put it in quotes"
            )
        return "YAML expected the end of the value here; if the value is text, put it in quotes"
    if at.text.lstrip().startswith("-"):
        return (
            "indentation slip: this list item is not lined up with the keys or items above it; indent every "
            "`-` of a list by the same number of spaces, under its key"
        )
    return (
        "indentation slip: this line is not lined up with the lines it belongs with; indent it by exactly "
        "as many spaces as the keys beside it (or, in a block of text, as the text above)"
    )
