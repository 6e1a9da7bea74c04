"""Output channels: what `check` and the plugin print can never act on a terminal or a CI runner.

The runner model below follows GitHub's runner (ActionCommand.TryParseV2 and the
legacy TryParse): a line starting with ``::`` is a command up to the next ``::``,
its properties split at ``,`` and ``=``, and ``##[name`` anywhere in a line is a
legacy command.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.errors import ContentError, Problem, printable

from ..conftest import MINIMAL_STUDY
from .test_hostile import SLUG_RULE

# Unlike generator.errors, defined by Unicode's categories: what must never reach a terminal raw.
_BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _obeyed(char: str) -> bool:
    return unicodedata.category(char) in {"Cc", "Cs", "Zl", "Zp"} or char in _BIDI


HOSTILE_PIECES = [
    "\n", "\r", "\r\n", "\x1b[2J", "\x1b]0;title\x07", "\x9b31m", "\x00", "\x7f", "\x85", "\u2028", "\u2029",
    "\u202e", "\u2066", "\u200f", "\ud800", "\udcff", "::", "::error::", ",line=1::", "%0A", "%25", "%", ":",
    ",", "=", "##[add-mask]", "##[stop-commands]", "#", "[", "\\", "::warning file=x::forged",
]  # fmt: skip
hostile_text = st.lists(st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(max_size=4)), max_size=10).map("".join)


# --------------------------------------------------------------------------- printable


@pytest.mark.parametrize(
    "text, shown",
    [
        ("plain text, é and ü", "plain text, é and ü"),
        ("a\nb\rc\td", "a\\nb\\rc\\td"),
        ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),
        ("\x00\x07\x7f\x85\x9b", "\\x00\\x07\\x7f\\x85\\x9b"),
        ("evil\u202etxt.yaml", "evil\\u202etxt.yaml"),
        ("\u2066\u2069\u061c\u200e\u200f", "\\u2066\\u2069\\u061c\\u200e\\u200f"),
        ("line\u2028sep\u2029", "line\\u2028sep\\u2029"),
        ("\ud800 and \udcff", "\\ud800 and \\udcff"),
        ("x ##[add-mask]secret", "x #\\x23[add-mask]secret"),
        ("###[error]", "##\\x23[error]"),
        ("a\\x1b stays", "a\\x1b stays"),
    ],
)
def test_printable_shows_each_control_as_a_visible_escape(text: str, shown: str) -> None:
    assert printable(text) == shown


@given(hostile_text)
def test_printable_leaves_nothing_a_terminal_or_runner_would_obey(text: str) -> None:
    shown = printable(text)
    assert not any(_obeyed(char) for char in shown)
    assert "##[" not in shown
    assert printable(shown) == shown


@given(st.text().filter(lambda text: not any(_obeyed(char) for char in text) and "##[" not in text))
def test_printable_keeps_harmless_text_as_it_is(text: str) -> None:
    assert printable(text) == text


# --------------------------------------------------------------------------- Problem lines


@given(hostile_text, hostile_text, hostile_text)
def test_a_problem_is_always_one_harmless_line(file: str, field: str, message: str) -> None:
    for line in (str(Problem(file, 3, 4, field, message)), str(ContentError([Problem(file, 3, 4, field, message)]))):
        assert len(line.splitlines()) <= 1
        assert not any(_obeyed(char) for char in line)
        assert "##[" not in line


def test_problem_line_escapes_the_file_field_and_message() -> None:
    problem = Problem("content/studies/a\n::error::x\x1b[2J.yaml", 1, 2, "title\u202e", "got 'x'\r\n##[add-mask]y")
    assert str(problem) == (
        "content/studies/a\\n::error::x\\x1b[2J.yaml:1:2: title\\u202e: got 'x'\\r\\n#\\x23[add-mask]y"
    )


# --------------------------------------------------------------------------- GitHub annotations


def _runner_unescape(text: str, pairs: list[tuple[str, str]]) -> str:
    for escaped, char in pairs:
        text = text.replace(escaped, char)
    return text


_PROPERTY_PAIRS = [("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")]
_DATA_PAIRS = [("%0D", "\r"), ("%0A", "\n"), ("%25", "%")]


def _runner_commands(output: str) -> list[tuple[str, dict[str, str], str]]:
    """The workflow commands a GitHub runner would find in ``output``, as (name, properties, data)."""
    commands = []
    for line in output.splitlines():
        if "##[" in line:
            commands.append(("legacy", {}, line))
        stripped = line.lstrip()
        end = stripped.find("::", 2)
        if not stripped.startswith("::") or end < 0:
            continue
        name, _, properties = stripped[2:end].partition(" ")
        parsed = {}
        for pair in filter(None, properties.strip().split(",")):
            key, equals, value = pair.partition("=")
            if equals and key and value:
                parsed[key] = _runner_unescape(value, _PROPERTY_PAIRS)
        commands.append((name, parsed, _runner_unescape(stripped[end + 2 :], _DATA_PAIRS)))
    return commands


@pytest.mark.parametrize(
    "file, annotation",
    [
        ("content/studies/s.yaml", "::error file=content/studies/s.yaml,line=7,col=3::title: too short"),
        ("a,line=1::.yaml", "::error file=a%2Cline=1%3A%3A.yaml,line=7,col=3::title: too short"),
        ("x::error::forged.yaml", "::error file=x%3A%3Aerror%3A%3Aforged.yaml,line=7,col=3::title: too short"),
        ("a\n::error::b.yaml", "::error file=a\\n%3A%3Aerror%3A%3Ab.yaml,line=7,col=3::title: too short"),
        ("%0A%2C.yaml", "::error file=%250A%252C.yaml,line=7,col=3::title: too short"),
        ("\x1b[2J\u202e.yaml", "::error file=\\x1b[2J\\u202e.yaml,line=7,col=3::title: too short"),
    ],
)
def test_github_annotation_escapes_the_file_property(file: str, annotation: str) -> None:
    assert Problem(file, 7, 3, "title", "too short").github_annotation() == annotation


def test_github_annotation_escapes_the_message() -> None:
    problem = Problem("s.yaml", 1, 1, "title", "50% off\n::warning::forged %0A ##[add-mask]x")
    assert problem.github_annotation() == (
        "::error file=s.yaml,line=1,col=1::title: 50%25 off\\n::warning::forged %250A #\\x23[add-mask]x"
    )


@settings(max_examples=300)
@given(hostile_text.filter(bool), hostile_text, hostile_text)  # a problem always names a file
def test_github_annotation_is_one_command_whatever_the_text(file: str, field: str, message: str) -> None:
    annotation = Problem(file, 12, 5, field, message).github_annotation()
    text = f"{field}: {message}" if field else message
    assert _runner_commands(annotation) == [
        ("error", {"file": printable(file), "line": "12", "col": "5"}, printable(text))
    ]


# --------------------------------------------------------------------------- the command line


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


HOSTILE_NAMES = {
    "escape sequence": ("x\x1b[2J\x1b]0;pwned\x07", "x\\x1b[2J\\x1b]0;pwned\\x07"),
    "newline and workflow command": ("a\n::error file=evil.yaml::forged", "a\\n::error file=evil.yaml::forged"),
    "carriage return": ("ok\rcontent", "ok\\rcontent"),
    "legacy workflow command": ("##[add-mask]secret", "#\\x23[add-mask]secret"),
    "properties": ("b,line=1::", "b,line=1::"),
    "percent escapes": ("%0A%0D%25", "%0A%0D%25"),
    "bidi override": ("evil\u202elmth", "evil\\u202elmth"),
    "C1 control": ("c1\x9b31m", "c1\\x9b31m"),
    "not UTF-8": (os.fsdecode(b"bad\xff\xfe"), "bad\\udcff\\udcfe"),
}


@pytest.mark.parametrize("stem, shown", HOSTILE_NAMES.values(), ids=HOSTILE_NAMES.keys())
def test_check_shows_a_hostile_file_name_escaped(project, capsys, stem: str, shown: str) -> None:
    (project.root / "content" / "studies" / f"{stem}.yaml").write_text(MINIMAL_STUDY, encoding="utf-8")
    code, out, err = run(capsys, "--root", str(project.root), "check")
    assert (code, err) == (1, "1 problem in 1 file\n")
    assert out == f"content/studies/{shown}.yaml:1:1: file name `{shown}` must be a slug: {SLUG_RULE}\n"


@pytest.mark.parametrize("stem, shown", HOSTILE_NAMES.values(), ids=HOSTILE_NAMES.keys())
def test_check_github_format_gives_one_annotation_on_the_real_file(project, capsys, stem: str, shown: str) -> None:
    (project.root / "content" / "studies" / f"{stem}.yaml").write_text(MINIMAL_STUDY, encoding="utf-8")
    code, out, _ = run(capsys, "--root", str(project.root), "check", "--format", "github")
    assert code == 1
    message = f"file name `{shown}` must be a slug: {SLUG_RULE}"
    assert _runner_commands(out) == [
        ("error", {"file": f"content/studies/{shown}.yaml", "line": "1", "col": "1"}, message)
    ]


def test_check_escapes_a_missing_file_name(project, capsys) -> None:
    code, out, err = run(capsys, "--root", str(project.root), "check", "a\x1b[2J.yaml", "::error::b\n.yaml")
    assert (code, out) == (2, "")
    assert err == "no such file: a\\x1b[2J.yaml, ::error::b\\n.yaml\n"


def test_new_escapes_a_hostile_slug_and_condition(project, capsys) -> None:
    code, _, err = run(capsys, "--root", str(project.root), "new", "\x1b[2J\n::error::x", "--condition", "sle")
    assert (code, err) == (2, f"`\\x1b[2J\\n::error::x` is not a valid slug: {SLUG_RULE}\n")
    code, _, err = run(capsys, "--root", str(project.root), "new", "fine", "--condition", "\x1b]0;x\x07")
    assert code == 2
    assert err.startswith("unknown condition `\\x1b]0;x\\x07`; choose one of: ")


def test_content_problems_from_file_text_are_escaped_too(project, capsys) -> None:
    project.study("s", MINIMAL_STUDY.replace("condition: sle", 'condition: "##[stop-commands]tok"'))
    code, out, _ = run(capsys, "--root", str(project.root), "check")
    assert code == 1
    assert "##[" not in out
    assert "#\\x23[stop-commands]tok" in out


# --------------------------------------------------------------------------- check FILE the build does not read

NOT_READ = "is not a study file the build reads, so it was not checked; study files are content/studies/<slug>.yaml"
OUTSIDE = "is outside the project folder, so the build never reads it; give a file in content/studies"


def _write(path: Path, text: str = MINIMAL_STUDY) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


UNREAD = {
    "file in a sub-folder": ("content/studies/sub/s.yaml", 2, f"content/studies/sub/s.yaml:1:1: {NOT_READ}"),
    "hidden file": ("content/studies/.s.yaml", 2, f"content/studies/.s.yaml:1:1: {NOT_READ}"),
    "README at the root": ("README.md", 2, f"README.md:1:1: {NOT_READ}"),
    "other content folder": ("content/drafts/s.yaml", 2, f"content/drafts/s.yaml:1:1: {NOT_READ}"),
    "a vocabulary file": ("site_data/authors.yaml", 2, f"site_data/authors.yaml:1:1: {NOT_READ}"),
    ".yml in content/studies": ("content/studies/s.yml", 1, "content/studies/s.yml:1:1: file name must end in .yaml"),
    "README in content/studies": (
        "content/studies/README.md", 1, "content/studies/README.md:1:1: file name must end in .yaml",
    ),
}  # fmt: skip


@pytest.mark.parametrize("relative, code, line", UNREAD.values(), ids=UNREAD.keys())
def test_check_file_the_build_does_not_read_says_so(project, capsys, monkeypatch, relative, code, line) -> None:
    if not (project.root / relative).exists():  # the project already holds the real vocabularies
        _write(project.root / relative, MINIMAL_STUDY + "oops: 1\n")
    project.study("good", MINIMAL_STUDY)
    monkeypatch.chdir(project.root)
    assert run(capsys, "check", relative) == (code, line + "\n", "1 problem in 1 file\n")


def test_check_file_outside_the_project_says_so(project, capsys, tmp_path_factory) -> None:
    outside = _write(tmp_path_factory.mktemp("elsewhere") / "s.yaml")
    project.study("s", MINIMAL_STUDY)
    code, out, err = run(capsys, "--root", str(project.root), "check", str(outside))
    assert (code, out, err) == (2, f"{outside.as_posix()}:1:1: {OUTSIDE}\n", "1 problem in 1 file\n")


def test_check_good_and_unread_files_together_is_not_ok(project, capsys, monkeypatch) -> None:
    project.study("good", MINIMAL_STUDY)
    _write(project.root / "content/studies/sub/good.yaml")
    monkeypatch.chdir(project.root)
    code, out, err = run(capsys, "check", "content/studies/good.yaml", "content/studies/sub/good.yaml")
    assert (code, out, err) == (2, f"content/studies/sub/good.yaml:1:1: {NOT_READ}\n", "1 problem in 1 file\n")


def test_check_a_linked_study_reports_the_problems_of_the_link(project, capsys, monkeypatch) -> None:
    target = _write(project.root / "content/shared/s.yaml", MINIMAL_STUDY + "oops: 1\n")
    (project.root / "content/studies/s.yaml").symlink_to(target)
    monkeypatch.chdir(project.root)
    code, out, _ = run(capsys, "check", "content/studies/s.yaml")
    assert (code, out) == (1, "content/studies/s.yaml:8:1: oops: unknown key `oops`; did you mean `topics`?\n")


def test_check_ok_counts_only_files_it_validated(project, capsys, monkeypatch) -> None:
    project.study("a", MINIMAL_STUDY)
    project.study("b", MINIMAL_STUDY)
    project.study("broken", MINIMAL_STUDY + "oops: 1\n")
    monkeypatch.chdir(project.root)
    assert run(capsys, "check", "content/studies/a.yaml", "./content/studies/b.yaml") == (
        0, "", "OK: 2 study file(s) checked\n",
    )  # fmt: skip
