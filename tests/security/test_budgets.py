"""Budgets: editor text is parsed and rendered in time and memory linear in its size, or refused in one line.

The attack families live in tests/security/budget_attacks.py and run in a child process capped at 2 GB of address
space with a generous timeout, so a regression (a hang, a MemoryError, a RecursionError) fails the test
instead of the suite.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.errors import ContentError
from generator.read.content import parse_study
from generator.read.loader import MAX_REPORTED, parse_yaml
from generator.read.markdown import MAX_ELEMENT_DEPTH, MAX_LIST_DEPTH, MAX_QUOTE_DEPTH, check_body
from tests.conftest import ROOT

HEAD = """title: A study title
published: 2020-01-02
condition: sle
summary: A summary that is long enough.
study: {design: cohort}
body: |
"""
BODY_AT = "content/studies/x.yaml:6:7: body: "


def study_with_body(body: str) -> str:
    return HEAD + "".join(f"  {line}\n" for line in body.split("\n"))


def refusal(text: str) -> list[str]:
    with pytest.raises(ContentError) as caught:
        parse_study(text, "content/studies/x.yaml", "x")
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize("family, cases", [("runs", 78), ("nests", 40), ("mixtures", 20), ("yaml", 18)])
def test_attack_family_finishes_in_memory_without_traceback(family: str, cases: int) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "tests.security.budget_attacks", family, "18"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert run.returncode == 0, run.stderr[-2_000:]
    assert run.stderr == ""
    outcomes = run.stdout.splitlines()
    assert len(outcomes) == cases
    assert all(": refused: " in line or ": rendered " in line for line in outcomes), outcomes


def test_a_list_nested_too_deeply_is_refused_in_one_line() -> None:
    body = "\n".join("  " * level + "- item" for level in range(MAX_LIST_DEPTH + 1))
    assert refusal(study_with_body(body)) == [
        BODY_AT + "lists are nested 13 levels deep (line 13 of the body); the limit is 12: indent fewer levels "
        "or split the list"
    ]


def test_quotes_nested_too_deeply_are_refused_in_one_line() -> None:
    assert refusal(study_with_body("Intro.\n\n" + "> " * 40 + "quoted")) == [
        BODY_AT + "quotes are nested 40 levels deep (line 3 of the body, `>` inside `>`); the limit is 12: use "
        "fewer `>`"
    ]


def test_formatting_nested_too_deeply_is_refused_in_one_line() -> None:
    assert refusal(study_with_body("<b>" * 41 + "bold")) == [
        BODY_AT + "formatting is nested 42 levels deep (line 1 of the body: emphasis, links, lists, quotes or "
        "HTML tags inside one another); the limit is 40: close what you open and nest less"
    ]


OPENERS = {
    "list": (lambda depth: "\n".join("  " * level + "- x" for level in range(depth)), MAX_LIST_DEPTH, "lists"),
    "ordered list": (
        lambda depth: "\n".join("   " * level + "1. x" for level in range(depth)),
        MAX_LIST_DEPTH,
        "lists",
    ),
    "quote": (lambda depth: "> " * depth + "x", MAX_QUOTE_DEPTH, "quotes"),
    "raw tags": (lambda depth: "<div>" * depth + "x", MAX_ELEMENT_DEPTH, "formatting"),
    "stray end tags do not hide nesting": (
        lambda depth: "<div></span>" * depth + "x",
        MAX_ELEMENT_DEPTH,
        "formatting",
    ),
}


@pytest.mark.parametrize("kind", OPENERS)
@settings(max_examples=25, deadline=None)
@example(offset=0)
@example(offset=1)
@given(offset=st.integers(min_value=-11, max_value=300))
def test_nesting_is_refused_exactly_beyond_its_limit(kind: str, offset: int) -> None:
    build, limit, what = OPENERS[kind]
    depth = limit + offset
    body = build(depth)
    if depth <= limit:
        assert check_body(body) == body
    else:
        with pytest.raises(ValueError, match=rf"^{what} are nested \d+ levels deep|^{what} is nested \d+ levels"):
            check_body(body)


@pytest.mark.parametrize("path", sorted((ROOT / "content/studies").glob("*.yaml")), ids=lambda path: path.stem)
def test_real_articles_are_within_the_budgets(path) -> None:
    record = parse_study(path.read_text(encoding="utf-8"), path.name, path.stem)
    assert check_body(record.study.body) == record.study.body


def test_aliased_duplicate_keys_stop_at_the_value_cap_with_a_bounded_report() -> None:
    text = "d: &d {" + ", ".join(["k: 1"] * 2_000) + "}\nl: [" + ", ".join(["*d"] * 100) + "]\n"
    with pytest.raises(ContentError) as caught:
        parse_yaml(text, "x.yaml")
    lines = [str(problem) for problem in caught.value.problems]
    assert len(lines) == MAX_REPORTED + 2
    assert lines[:2] == [
        f"x.yaml:1:{column}: d.k: duplicate key `k` (first given on line 1); keep one" for column in (14, 20)
    ]
    assert lines[-2:] == [
        "x.yaml:1:134: and 1,979 more problems from here on; fix the ones above and check again",
        "x.yaml:1:11846: l[23].k: more than 50,000 values (aliases expanding too far?); simplify the file",
    ]


def test_many_problems_in_one_file_are_reported_as_the_first_ones_and_a_count() -> None:
    text = "".join(f"k: {index}\n" for index in range(101))
    with pytest.raises(ContentError) as caught:
        parse_yaml(text, "x.yaml")
    lines = [str(problem) for problem in caught.value.problems]
    assert lines[0] == "x.yaml:2:1: k: duplicate key `k` (first given on line 1); keep one"
    assert lines[MAX_REPORTED - 1] == "x.yaml:21:1: k: duplicate key `k` (first given on line 1); keep one"
    assert lines[MAX_REPORTED:] == [
        "x.yaml:22:1: and 80 more problems from here on; fix the ones above and check again"
    ]
