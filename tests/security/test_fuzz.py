"""Fuzzing: whatever text, Markdown or HTML a study holds, it is accepted or rejected cleanly, and an accepted
study's page has no script, no event handler and no script URL that the templates did not put there."""

from __future__ import annotations

import dataclasses
import json
import os
import re

import markdown
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from generator.errors import ContentError
from generator.read.content import Content, load_content, parse_study
from generator.render.pages import SiteOptions, build_files, build_pages
from generator.text import NOT_PLAIN_TEXT as _FORBIDDEN

from ..conftest import ROOT, Project
from .test_hostile import BASE, dangers

F = "content/studies/s.yaml"
SEED_TEXT = (ROOT / "content" / "studies" / "low-dose-il2-sle.yaml").read_text(encoding="utf-8")
# FUZZ_EXAMPLES=2000 for a longer hunt; the default keeps the suite fast.
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", 60)), deadline=None, suppress_health_check=list(HealthCheck)
)

# Characters chosen to hurt: bidi controls, zero-width characters, NUL and other controls, a BOM, line and
# paragraph separators, non-characters, astral characters, and everything markup or templates treat specially.
NASTY = [
    "\u202e", "\u202d", "\u2066", "\u2069", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\x00", "\x07", "\x1b",
    "\x7f", "\x85", "\u2028", "\u2029", "\ufffe", "\uffff", "\U0001f600", "\u0430", "<", ">", "&", '"', "'", "`",
    "{{", "}}", "{%", "%}", "{#", "[", "](", ")", "{:", "*", "_", "|", "\\", "\n", "\t", "javascript:", "data:",
    "</script>", "<!--", "]]>", "=", "+", "@",
]  # fmt: skip
MARKUP = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<a href='javascript:alert(1)'>x</a>",
    "[x](javascript:alert(1))", "[x](data:text/html,<script>1</script>)", "<iframe src=//evil>", "<form action=x>",
    "<svg onload=alert(1)>", "<math><mi xlink:href=javascript:1>m</mi></math>", '<div markdown="1">*x*</div>',
    "{: onclick=alert(1) }", "<style>*{}</style>", "<object data=x>", "<base href=//evil>", "<!-- x -->",
    "<![CDATA[x]]>", "</section></div>", "<p", "<a href=\"https://e.org\" onclick=x>ok</a>", "\u0002wzxhzdk:0\u0003",
    "| a | b |\n|---|---|\n| 1 | 2 |\n", "```\n<script>x</script>\n```\n", "# h {#id onclick=x}", "{{ 7*7 }}",
    "{% raw %}", "&#x6a;avascript:alert(1)", "<a href=\"jav&#x09;ascript:alert(1)\">t</a>",
]  # fmt: skip

nasty_text = st.lists(st.sampled_from(NASTY) | st.sampled_from(MARKUP) | st.text(max_size=8), max_size=12).map("".join)


@pytest.fixture(scope="module")
def vocabularies(tmp_path_factory) -> Content:
    return load_content(Project(tmp_path_factory.mktemp("vocabularies")).root)


def rendered(record, vocabularies: Content) -> tuple[str, str]:
    """The study page as served (HTML) and its Markdown converted as MkDocs would."""
    pages = build_pages(dataclasses.replace(vocabularies, studies=(record,)), SiteOptions(), {})
    page = next(page for page in pages if page.src == f"studies/{record.slug}.md")
    text, _ = get_data(page.text)  # MkDocs' own reading of the front matter
    return text, markdown.markdown(text, extensions=["tables", "attr_list", "md_in_html"])


def check(text: str, vocabularies: Content) -> None:
    """Accepted or rejected with ContentError; an accepted study renders inert, with feeds and data files too."""
    try:
        record = parse_study(text, F, "s")
    except ContentError as error:
        assert error.problems and all(str(problem).startswith(f"{F}:") for problem in error.problems)
        assert all(str(problem).isprintable() for problem in error.problems)
        event("rejected")
        return
    study = record.study
    names_ok = (
        {study.condition, *study.also_conditions} <= set(vocabularies.conditions)
        and set(study.authors) <= set(vocabularies.authors)
        and not study.related.pin
        and not study.related.exclude
    )
    if not names_ok:  # load_content would reject it for what it names in other files
        event("rejected by cross-file checks")
        return
    event("accepted")
    html, converted = rendered(record, vocabularies)
    assert dangers(html) == [], html
    assert dangers(converted) == [], converted
    content = dataclasses.replace(vocabularies, studies=(record,))
    build_files(content, SiteOptions(), {})  # feeds, open data and citations: no exception whatever the text


_RAW_IN_YAML = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def quoted(value: str) -> str:
    """A YAML double-quoted scalar holding exactly ``value``: what YAML cannot hold raw (or would read as a line
    break) is escaped, the rest (emoji, other scripts) is written as is."""
    text = json.dumps(value, ensure_ascii=False)
    return _RAW_IN_YAML.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


# The same, less what the contract refuses in plain text (controls, bidi overrides, line breaks in one-line
# fields): most such studies are accepted, so their rendering is what gets fuzzed.
renderable_text = nasty_text.map(lambda text: _FORBIDDEN.sub("", text).replace("\n", " ")[:50])


@FUZZ
@given(title=nasty_text, summary=nasty_text, topic=nasty_text, finding=nasty_text, label=nasty_text)
def test_arbitrary_unicode_in_text_fields(vocabularies, title, summary, topic, finding, label) -> None:
    check(study_with(title, summary, topic, finding, label), vocabularies)


@FUZZ
@given(title=renderable_text, summary=renderable_text, topic=renderable_text, finding=renderable_text,
       label=renderable_text)  # fmt: skip
def test_renderable_unicode_in_text_fields(vocabularies, title, summary, topic, finding, label) -> None:
    check(study_with(title, summary, topic, finding, label), vocabularies)


def study_with(title: str, summary: str, topic: str, finding: str, label: str) -> str:
    return (
        f"title: {quoted('Title ' + title)}\npublished: 2020-01-02\ncondition: sle\n"
        f"summary: {quoted('Summary of twenty characters ' + summary)}\n"
        f"topics: [{quoted('t ' + topic)}]\nkey_findings: [{quoted('F ' + finding)}]\n"
        f"study:\n  design: randomized-controlled-trial\n  arms:\n"
        f"    - {{key: a, label: {quoted('A ' + label)}, participants: 20}}\n    - {{key: b, label: B, participants: 20}}\n"
        f"  outcomes:\n    - {{name: {quoted(label + finding)}, results: {{a: 5/20, b: 25%}}, p_value: 0.05}}\n"
        f"disclosures: {quoted(summary)}\nsource: {{title: {quoted(title)}, journal: {quoted(topic)}, year: 2020}}\n"
        f"body: {quoted(finding)}\n"
    )


@FUZZ
@given(st.lists(st.sampled_from(MARKUP) | st.sampled_from(NASTY) | st.text(max_size=20), min_size=1, max_size=20))
def test_arbitrary_markdown_and_html_in_the_body(vocabularies, pieces) -> None:
    body = "".join(pieces)
    text = "".join(f"{key}: {quoted(value)}\n" for key, value in {**BASE, "body": body}.items())
    check(text, vocabularies)


@st.composite
def mutated_seed(draw) -> str:
    text = SEED_TEXT
    for _ in range(draw(st.integers(1, 5))):
        position = draw(st.integers(0, len(text)))
        piece = draw(st.sampled_from(NASTY) | st.sampled_from(MARKUP))
        if draw(st.booleans()):
            text = text[:position] + piece + text[position:]
        else:
            text = text[:position] + piece + text[position + len(piece) :]
    return text


@FUZZ
@given(mutated_seed())
def test_mutated_valid_files(vocabularies, text: str) -> None:
    check(text, vocabularies)


realistic = st.floats(min_value=1e-7, max_value=1e7).map(lambda number: f"{number:.6g}")
number_text = st.one_of(
    st.from_regex(r"\A-?[0-9]{1,12}(\.[0-9]{1,8})?([eE]-?[0-9]{1,3})?\Z"),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    realistic,
    realistic,
    realistic,
)
count_text = st.one_of(
    st.from_regex(r"\A[0-9]{1,22}/[0-9]{1,22}\Z"),
    st.tuples(st.integers(0, 10**8), st.integers(1, 10**8)).map(lambda pair: f"{min(pair)}/{max(pair)}"),
    st.floats(0, 100).map(lambda percent: f"{percent:.3g}%"),
)


@FUZZ
@given(
    numbers=st.lists(number_text, min_size=3, max_size=3),
    measure=st.sampled_from(["hazard-ratio", "odds-ratio", "mean-difference", "percent-change", "risk-difference"]),
    counts=st.tuples(count_text, count_text),
    participants=st.integers(1, 10**6),
)
def test_arbitrary_numbers_never_crash_the_statistics_or_charts(vocabularies, numbers, measure, counts, participants):
    low, estimate, high = sorted(numbers, key=lambda text: float(text) if _number(text) else 0.0)
    text = (
        "title: Numbers study\npublished: 2020-01-02\ncondition: sle\nsummary: Twenty characters or more here.\n"
        f"study:\n  design: cohort\n  arms: [{{key: a, label: A, participants: {participants}}}, {{key: b, label: B}}]\n"
        f"  outcomes:\n    - {{name: X, results: {{a: {quoted(counts[0])}, b: {quoted(counts[1])}}}, p_value: 0.04}}\n"
        f"    - {{name: Y, effect: {{measure: {measure}, estimate: {quoted(estimate)}, "
        f"ci: [{quoted(low)}, {quoted(high)}]}}}}\n"
        f"    - {{name: Z, effect: {{measure: {measure}, estimate: {quoted(estimate)}}}}}\n"
        "body: x\n"
    )
    check(text, vocabularies)


def _number(text: str) -> bool:
    try:
        return float(text) == float(text)
    except ValueError:
        return False
