"""YAML syntax errors in an editor's words: the slip, its place and the fix, with libyaml and without it."""

from __future__ import annotations

import pytest
import yaml

from generator.errors import ContentError
from generator.read import loader
from generator.read.loader import parse_yaml
from tests.conftest import ROOT

PARSERS = [pytest.param(yaml.SafeLoader, id="pure-python")]
if hasattr(yaml, "CSafeLoader"):
    PARSERS.append(pytest.param(yaml.CSafeLoader, id="libyaml"))


@pytest.fixture(params=PARSERS, autouse=True)
def parser(request, monkeypatch) -> None:
    """Every case runs with both of PyYAML's parsers, whose own wording differs."""
    monkeypatch.setattr(loader, "_Loader", request.param)


def problems(text: str) -> list[str]:
    with pytest.raises(ContentError) as caught:
        parse_yaml(text, "x.yaml")
    return [str(problem) for problem in caught.value.problems]


QUOTE_A_COLON = "in quotes: it contains a colon followed by a space, which YAML reads as the start of another key"
INDENTATION = (
    "indentation slip: this line is not lined up with the lines it belongs with; indent it by exactly as many "
    "spaces as the keys beside it (or, in a block of text, as the text above)"
)
LIST_INDENTATION = (
    "indentation slip: this list item is not lined up with the keys or items above it; indent every `-` of a list "
    "by the same number of spaces, under its key"
)
ESCAPE = (
    "inside double quotes a backslash starts an escape such as \\n; write \\\\ for a backslash, or put the value in "
    "single quotes"
)
TAB = "this line is indented with a tab character, and YAML allows only spaces; replace the tab with spaces"

CASES = {
    "an unquoted colon and space in a title": (
        "title: Lupus: a new hope\nbody: x\n",
        f"x.yaml:1:13: put the value of `title` {QUOTE_A_COLON}",
    ),
    "a colon after a quoted word": (
        'summary: Patients said "no": they stopped\n',
        f"x.yaml:1:28: put the value of `summary` {QUOTE_A_COLON}",
    ),
    "a colon on the second line of a value": (
        "summary: In a trial\n  of lupus: it worked\n",
        f"x.yaml:2:11: put the value of `summary` {QUOTE_A_COLON}",
    ),
    "a colon in a nested value": (
        "study:\n  arms:\n    - key: a\n      label: Drug: high dose\n",
        f"x.yaml:4:18: put the value of `label` {QUOTE_A_COLON}",
    ),
    "a colon on the second line of a list item": (
        "key_findings:\n  - A finding\n    that continues: here\n",
        f"x.yaml:3:19: put the list item on line 2 {QUOTE_A_COLON}",
    ),
    "a key indented too far": (
        "title: x\n  body: y\n",
        "x.yaml:2:7: `body:` is indented further than the key above it, so YAML reads it as part of the value of "
        "`title`; line `body:` up with the keys it belongs beside (or, if this line is text, put the value of "
        "`title` in quotes)",
    ),
    "a key indented too little": ("study:\n  design: cohort\n blinding: open-label\n", f"x.yaml:3:2: {INDENTATION}"),
    "a line of a text block indented too little": ("body: |\n  line\n text\n", f"x.yaml:3:2: {INDENTATION}"),
    "a list item out of line": (
        "study:\n  arms:\n    - key: a\n      label: A\n     - key: b\n",
        f"x.yaml:5:6: {LIST_INDENTATION}",
    ),
    "a list item among keys": ("study:\n  design: cohort\n  - x\n", f"x.yaml:3:3: {LIST_INDENTATION}"),
    "a tab indenting a key": ("title: x\nstudy:\n\tdesign: cohort\n", f"x.yaml:3:1: {TAB}"),
    "a tab after spaces": ("study:\n  design: cohort\n\tblinding: x\n", f"x.yaml:3:1: {TAB}"),
    "a tab in a block of text": ("body: |\n  text\n\tmore\n", f"x.yaml:3:1: {TAB}"),
    "an unclosed double quote": (
        'title: "Lupus\nbody: x\n',
        'x.yaml:1:8: the quote " that opens the value of `title` is never closed; end the value with "',
    ),
    "an unclosed single quote": (
        "title: x\nsummary: 'Lupus\n",
        "x.yaml:2:10: the quote ' that opens the value of `summary` is never closed; end the value with '",
    ),
    "an apostrophe inside single quotes": (
        "summary: 'It's good'\n",
        "x.yaml:1:14: the value of `summary` starts with a quote, so YAML ends it at the next ' and finds more text "
        "after it; put the whole value in double quotes, or write each apostrophe in it twice ('')",
    ),
    "text after a double-quoted word": (
        'title: "Lupus" trial\n',
        'x.yaml:1:16: the value of `title` starts with a quote, so YAML ends it at the next " and finds more text '
        'after it; put the whole value in single quotes, or write each quote in it as \\"',
    ),
    "a quote closing one opened on an earlier line": (
        'title: "Lupus\nbody: "x"\n',
        'x.yaml:2:8: the " before this text closes a quote opened earlier; check that each quoted value above ends '
        "with its quote",
    ),
    "text after a bracketed word": (
        "title: [Updated] trial\n",
        "x.yaml:1:18: the value of `title` starts with `[`, so YAML reads it as a list and finds more text after it; "
        "if the value is text, put it in quotes",
    ),
    "a list item that starts with a bracketed word": (
        "key_findings:\n  - [New] finding\n",
        "x.yaml:2:11: the list item starts with `[`, so YAML reads it as a list and finds more text after it; if the "
        "value is text, put it in quotes",
    ),
    "an unclosed list": (
        "topics: [a, b\nbody: x\n",
        "x.yaml:1:9: this `[` starts a list that is not closed with `]`, or two of its items have no comma between "
        "them; write the list on one line, as [a, b], or one `- item` per line (if the value is text, put it in "
        "quotes)",
    ),
    "a mapping without a comma": (
        "results: {a: 1 b: 2}\n",
        "x.yaml:1:10: this `{` starts a mapping that is not closed with `}`, or two of its entries have no comma "
        "between them; write it on one line, as {a: 1, b: 2}, or one `key: value` per line (if the value is text, "
        "put it in quotes)",
    ),
    "a value starting with @": (
        "title: @home trial\n",
        "x.yaml:1:8: the value of `title` starts with `@`, a character YAML reserves; put the value in quotes",
    ),
    "a value starting with a backtick": (
        "title: `x` trial\n",
        "x.yaml:1:8: the value of `title` starts with a backtick (`), a character YAML reserves; put the value in "
        "quotes",
    ),
    "a value starting with %": (
        "title: %5 fewer flares\n",
        "x.yaml:1:8: the value of `title` starts with `%`, a character YAML reserves; put the value in quotes",
    ),
    "a line starting with @": (
        "@title: x\n",
        "x.yaml:1:1: a line cannot start with `@`, a character YAML reserves; put the text in quotes",
    ),
    "a line starting with %": (
        "%title: x\n",
        "x.yaml:1:1: a line that starts with `%` is read as a YAML directive; put the text in quotes",
    ),
    "a value starting with *": (
        "title: *Bold* trial\n",
        "x.yaml:1:8: the value of `title` starts with `*`, which YAML reads as a reference to an anchor (`*name`); "
        "put the value in quotes",
    ),
    "a list item starting with *": (
        "key_findings:\n  - *Bold* finding\n",
        "x.yaml:2:5: the list item starts with `*`, which YAML reads as a reference to an anchor (`*name`); put the "
        "value in quotes",
    ),
    "a value that is only *word": (
        "title: *x\n",
        "x.yaml:1:8: the value of `title` starts with `*`, which YAML reads as a reference to an anchor (`*name`); "
        "put the value in quotes",
    ),
    "a value starting with & and a space": (
        "title: & Co\n",
        "x.yaml:1:8: the value of `title` starts with `&`, which YAML reads as an anchor (`&name`); put the value in "
        "quotes",
    ),
    "a value starting with |": (
        "title: | trial\n",
        "x.yaml:1:8: the value of `title` starts with `|`, which YAML reads as the start of a block of text on the "
        "lines below; put the value in quotes, or start the text on the next line, indented",
    ),
    "a value starting with >": (
        "summary: > 50% responded\n",
        "x.yaml:1:10: the value of `summary` starts with `>`, which YAML reads as the start of a block of text on "
        "the lines below; put the value in quotes, or start the text on the next line, indented",
    ),
    "a line that is not a key": (
        "title: x\nbody\nsummary: y\n",
        "x.yaml:2:1: this line is neither `key: value` nor `- item`; if it goes on with the text above, indent it "
        "further than that text's key",
    ),
    "no space after a colon, then a key": (
        "title:Lupus\nbody: x\n",
        "x.yaml:2:5: put a space after the colon of `title:` on line 1; without it YAML reads the line as text",
    ),
    "no space after a colon, at the end": (
        "body: x\ntitle:Lupus\n",
        "x.yaml:2:1: put a space after the colon of `title:`; without it YAML reads the line as text",
    ),
    "a line --- between two studies": (
        "a: 1\n---\nb: 2\n",
        "x.yaml:2:1: `---` at the start of a line ends the study, and a file holds one study; remove the line, or "
        "indent it if it belongs to the text above",
    ),
}


@pytest.mark.parametrize(("text", "expected"), CASES.values(), ids=CASES.keys())
def test_a_slip_gets_its_place_and_its_fix(text: str, expected: str) -> None:
    assert problems(text) == [expected]


def test_a_backslash_in_double_quotes(parser) -> None:
    # The parsers point at the backslash (libyaml) or at the letter after it (PyYAML).
    [problem] = problems('title: "a\\q"\n')
    assert problem in {f"x.yaml:1:{column}: {ESCAPE}" for column in (10, 11)}


def test_a_slip_not_recognised_keeps_the_parsers_words_and_place() -> None:
    [problem] = problems("title: ? x\n")
    assert problem.startswith("x.yaml:1:8: YAML syntax error: mapping keys are not allowed ")


def test_several_slips_in_one_study_are_reported_one_at_a_time_from_the_first() -> None:
    text = "title: Lupus: a new hope\nsummary: 'It's good'\nbody:\tx\n"
    assert problems(text) == [f"x.yaml:1:13: put the value of `title` {QUOTE_A_COLON}"]
    text = text.replace("title: Lupus: a new hope", 'title: "Lupus: a new hope"')
    assert problems(text)[0].startswith("x.yaml:2:14: the value of `summary` starts with a quote")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n",
        ":",
        "- :",
        "[x](y)",
        "- [x] y",
        "{a}b",
        "'a'b",
        '"a"b',
        "- 'a'b",
        "'",
        '"',
        "[",
        "{",
        "*",
        "&",
        "|x",
        "\t",
        "a:\n\t",
        "a: b: c",
    ],
)
def test_any_slip_gives_one_line_and_never_a_traceback(text: str) -> None:
    try:
        parse_yaml(text, "x.yaml")
    except ContentError as error:
        assert len(error.problems) == 1 and str(error.problems[0]).startswith("x.yaml:")


def test_a_markdown_link_pasted_before_the_first_line_of_a_study() -> None:
    # Found by the fuzz test: the value has no key, so the message speaks of "the value".
    text = "[x](javascript:alert(1))" + (ROOT / "content/studies/low-dose-il2-sle.yaml").read_text(encoding="utf-8")
    assert problems(text) == [
        "x.yaml:1:4: the value starts with `[`, so YAML reads it as a list and finds more text after it; if the value "
        "is text, put it in quotes"
    ]
