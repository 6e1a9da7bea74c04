"""Read content files safely, keeping the line and column of every value.

YAML is composed into nodes with PyYAML's safe machinery and converted here
by hand, because no library offers all of what editors need at once:

* positions of every key and value, so each error can point at its place;
* YAML 1.1 traps defused: every scalar arrives as the text written (``no``,
  ``1:30``, ``0777`` stay text) and the typed model decides what a field
  means; only an empty value, ``~`` or ``null`` is "nothing";
* duplicate keys, unknown tags and merge keys rejected instead of silently
  resolved;
* bounded work: file size, nesting depth and alias expansion are capped so a
  hostile file fails fast instead of exhausting memory.
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.errors import ContentError, Problem, format_path
from generator.read.syntax import syntax_problem
from generator.text import LONE_SURROGATE

__all__ = [
    "Document",
    "Position",
    "load_yaml",
    "parse_yaml",
    "read_text",
    "MAX_FILE_BYTES",
    "MAX_DEPTH",
    "MAX_VALUES",
    "MAX_REPORTED",
]

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 24
MAX_VALUES = 50_000
MAX_REPORTED = 20

# libyaml's parser is about ten times faster than PyYAML's pure-Python one and
# gives the same nodes and marks; it also caps nesting itself (at 1000 levels).
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_TOO_DEEP = f"nested too deeply; the limit is {MAX_DEPTH} levels"
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = frozenset(
    _CORE + name for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq", "value")
)


@dataclass(frozen=True)
class Position:
    """A 1-based line and column in a file."""

    line: int
    column: int


Path_ = tuple[str | int, ...]


@dataclass
class Document:
    """A parsed YAML file: its data and where each key and value stands."""

    file: str
    data: Any
    values: dict[Path_, Position] = field(default_factory=dict)
    keys: dict[Path_, Position] = field(default_factory=dict)

    def locate(self, path: Path_, *, key: bool = False) -> Position:
        """Position of the value (or, with ``key``, the key) at ``path``.

        Falls back to the nearest enclosing value that exists, so a missing
        field points at the mapping that should hold it.
        """
        if key and path in self.keys:
            return self.keys[path]
        for end in range(len(path), -1, -1):
            if path[:end] in self.values:
                return self.values[path[:end]]
        return Position(1, 1)

    def problem(self, path: Path_, message: str, *, key: bool = False) -> Problem:
        """A :class:`Problem` about the field at ``path`` in this document."""
        where = self.locate(path, key=key)
        return Problem(self.file, where.line, where.column, format_path(path), message)


def read_text(path: Path, display: str) -> str:
    """Read ``path`` as UTF-8 text, refusing oversized files and invalid bytes.

    A UTF-8 byte-order mark is accepted and dropped.  ``display`` is the name
    the editor sees in messages.
    """
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ContentError(
            [Problem(display, 1, 1, "", f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} (1 MB)")]
        )
    raw = path.read_bytes()
    bom = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    try:
        return raw[bom:].decode("utf-8")
    except UnicodeDecodeError as error:
        offset = bom + error.start
        before = raw[bom:offset]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        message = f"not valid UTF-8 (byte {offset} is 0x{raw[offset]:02x}); save the file as UTF-8"
        raise ContentError([Problem(display, line, column, "", message)]) from None


def load_yaml(path: Path, display: str) -> Document:
    """Read and parse one YAML file; see :func:`parse_yaml`."""
    return parse_yaml(read_text(path, display), display)


def parse_yaml(text: str, display: str) -> Document:
    """Parse YAML ``text`` into a :class:`Document`.

    Raises :class:`ContentError` for syntax errors (in an editor's words, see
    :mod:`generator.read.syntax`), several documents in one
    file, duplicate keys, tags, merge keys and exceeded limits.  An empty file
    gives a document whose data is ``None``.
    """
    try:
        node = _Loader(text).get_single_node()
    except yaml.MarkedYAMLError as error:
        if "maximum nesting depth" in (error.problem or ""):
            raise ContentError([Problem(display, 1, 1, "", _TOO_DEEP)]) from None
        raise ContentError([syntax_problem(error, text, display)]) from None
    except yaml.YAMLError as error:  # reader errors: characters YAML does not allow
        raise ContentError([_reader_problem(text, display, error)]) from None
    except RecursionError:
        raise ContentError([Problem(display, 1, 1, "", _TOO_DEEP)]) from None
    document = Document(display, None)
    if node is not None:
        converter = _Converter(document)
        document.data = converter.convert(node, ())
        if converter.problems or converter.limit:
            raise ContentError([*_first_problems(converter.problems), *filter(None, [converter.limit])])
    return document


def _first_problems(problems: list[Problem]) -> list[Problem]:
    """The first :data:`MAX_REPORTED` problems in file order, then one line saying how many more there are.

    A node reached through several aliases is one place in the file: its problem is reported once, under the
    first path that reached it.
    """
    by_place: dict[tuple[int, int, str], Problem] = {}
    for problem in sorted(problems):
        by_place.setdefault((problem.line, problem.column, problem.message), problem)
    ordered = list(by_place.values())
    if len(ordered) <= MAX_REPORTED:
        return ordered
    rest = ordered[MAX_REPORTED]
    message = f"and {len(ordered) - MAX_REPORTED:,} more problems from here on; fix the ones above and check again"
    return [*ordered[:MAX_REPORTED], Problem(rest.file, rest.line, rest.column, "", message)]


def _reader_problem(text: str, display: str, error: yaml.YAMLError) -> Problem:
    position = getattr(error, "position", 0) or 0
    before = text[:position]
    line = before.count("\n") + 1
    column = position - (before.rfind("\n") + 1) + 1
    character = getattr(error, "character", None)
    code = ord(character) if isinstance(character, str) else character
    shown = f"U+{code:04X}" if isinstance(code, int) else "here"
    return Problem(display, line, column, "", f"the character {shown} is not allowed in a YAML file")


class _LimitExceeded(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem


class _Converter:
    """Turn composed nodes into plain data, recording positions and problems."""

    def __init__(self, document: Document):
        self.document = document
        self.problems: list[Problem] = []
        self.limit: Problem | None = None  # the cap that stopped the conversion: always reported
        self.count = 0

    def convert(self, node: Node, path: Path_) -> Any:
        try:
            return self._node(node, path, 0)
        except _LimitExceeded as stop:
            self.limit = stop.problem
            return None

    def _problem(self, node: Node, path: Path_, message: str) -> Problem:
        mark = node.start_mark
        return Problem(self.document.file, mark.line + 1, mark.column + 1, format_path(path), message)

    def _tick(self, node: Node, path: Path_) -> None:
        """Count one unit of work against :data:`MAX_VALUES`: a node converted or a key refused."""
        self.count += 1
        if self.count > MAX_VALUES:
            message = f"more than {MAX_VALUES:,} values (aliases expanding too far?); simplify the file"
            raise _LimitExceeded(self._problem(node, path, message))

    def _refuse(self, key_node: Node, path: Path_, message: str) -> None:
        # Aliases are shared nodes that the conversion expands, so a refused key costs a unit like a value does:
        # otherwise an aliased mapping of duplicate keys yields a problem per key per alias, never reaching the cap.
        self._tick(key_node, path)
        self.problems.append(self._problem(key_node, path, message))

    def _node(self, node: Node, path: Path_, depth: int) -> Any:
        self._tick(node, path)
        if depth > MAX_DEPTH:
            raise _LimitExceeded(self._problem(node, path, _TOO_DEEP))
        if path not in self.document.values:
            self.document.values[path] = Position(node.start_mark.line + 1, node.start_mark.column + 1)
        if node.tag not in _ALLOWED_TAGS:
            tag = node.tag.replace(_CORE, "!!")
            self.problems.append(self._problem(node, path, f"the tag `{tag}` is not allowed; remove it"))
            return None
        if isinstance(node, ScalarNode):
            # Half of a character, which no text field can use; libyaml refuses these, PyYAML's own reader does not.
            if match := LONE_SURROGATE.search(node.value):
                self.problems.append(self._problem(node, path, _surrogate_message(match.group())))
                return None
            return None if not node.style and node.value in _NULLS else node.value  # plain style: None or ""
        if isinstance(node, SequenceNode):
            return [self._node(item, (*path, index), depth + 1) for index, item in enumerate(node.value)]
        assert isinstance(node, MappingNode)
        return self._mapping(node, path, depth)

    def _mapping(self, node: MappingNode, path: Path_, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag == _CORE + "merge":
                what = "merge keys (<<)" if key_node.tag == _CORE + "merge" else "a list or mapping as a key"
                self._refuse(key_node, path, f"{what} is not supported here")
                continue
            key = key_node.value
            # A key is a name: one with a control or invisible character would be echoed raw to the editor's
            # terminal in "unknown key" messages.
            if not key.isprintable():
                self._refuse(key_node, path, _key_message(key))
                continue
            child = (*path, key)
            if key in first_seen:
                message = f"duplicate key `{key}` (first given on line {first_seen[key]}); keep one"
                self._refuse(key_node, child, message)
                continue
            first_seen[key] = key_node.start_mark.line + 1
            self.document.keys[child] = Position(key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self._node(value_node, child, depth + 1)
        return result


def _key_message(key: str) -> str:
    character = next(character for character in key if not character.isprintable())
    if LONE_SURROGATE.match(character):
        return _surrogate_message(character)
    code = f"U+{ord(character):04X}"
    name = unicodedata.name(character, "")
    what = f"the invisible character {name} ({code})" if name else f"the control character {code}"
    return f"a key cannot contain {what}; remove it"


def _surrogate_message(character: str) -> str:
    return f"contains a lone surrogate \\u{ord(character):04x} (half of a character pair, not a character); remove it"
