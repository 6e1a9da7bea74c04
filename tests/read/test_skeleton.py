"""A published study may not keep the skeleton's placeholder texts; a draft may."""

from __future__ import annotations

import pytest

from generator.errors import ContentError
from generator.read.content import load_content
from generator.read.skeleton import PLACEHOLDERS, Placeholder, placeholder_in

F = "content/studies/s.yaml"
TODO = "write the study's own text, or keep `status: draft` until it is written"
STILL = f"is still the skeleton's placeholder text; {TODO}"

SKELETON_TEXT = f"""\
title: {PLACEHOLDERS["title"]}
published: 2020-01-02
status: published
condition: sle
summary: >-
  Replace with two or three sentences (20 to 400 characters) that tell a busy
  rheumatologist what was found.
study:
  design: cohort
  arms: [{{key: a, label: A}}]
  outcomes:
    - name: {PLACEHOLDERS["outcome"]}
      results: {{a: 16/29}}
key_findings:
  - A finding of this study's own.
  - {PLACEHOLDERS["key_finding"]}
body: |
  {PLACEHOLDERS["body"]}
source:
  title: {PLACEHOLDERS["source_title"]}
"""


def problems(project, text: str) -> list[str]:
    project.study("s", text)
    with pytest.raises(ContentError) as caught:
        load_content(project.root)
    return [str(problem) for problem in caught.value.problems]


def test_each_field_still_holding_a_placeholder_gets_its_own_line(project) -> None:
    assert problems(project, SKELETON_TEXT) == [
        f"{F}:1:8: title: {STILL}",
        f"{F}:5:10: summary: {STILL}",
        f"{F}:12:13: study.outcomes[0].name: {STILL}",
        f"{F}:16:5: key_findings[1]: {STILL}",
        f"{F}:17:7: body: {STILL}",
        f"{F}:20:10: source.title: {STILL}",
    ]


def test_a_value_that_still_contains_a_placeholder_is_refused_too(project) -> None:
    text = SKELETON_TEXT.replace(f"  {PLACEHOLDERS['body']}\n", f"  Our own opening.\n\n  {PLACEHOLDERS['body']}\n")
    found = [line for line in problems(project, text) if ": body: " in line]
    assert found == [
        f'{F}:17:7: body: still contains the skeleton\'s placeholder text "Replace with the article, in Markdown..."; '
        f"remove it and {TODO}"
    ]


def test_a_short_placeholder_is_quoted_whole(project) -> None:
    text = SKELETON_TEXT.replace(f"title: {PLACEHOLDERS['title']}", f"title: Lupus. {PLACEHOLDERS['title'].upper()}")
    assert problems(project, text)[0] == (
        f"{F}:1:8: title: still contains the skeleton's placeholder text \"Replace with the headline readers will "
        f'see"; remove it and {TODO}'
    )


def test_a_study_without_status_is_published_so_it_is_refused(project) -> None:
    assert len(problems(project, SKELETON_TEXT.replace("status: published\n", ""))) == 6


def test_a_draft_may_hold_every_placeholder(project) -> None:
    project.study("s", SKELETON_TEXT.replace("status: published", "status: draft"))
    assert [record.slug for record in load_content(project.root).studies] == ["s"]


def test_the_study_s_own_text_passes(project) -> None:
    text = SKELETON_TEXT
    for name, placeholder in PLACEHOLDERS.items():
        text = text.replace(placeholder, f"Our own {name.replace('_', ' ')} text, long enough to be a summary.")
    text = text.replace(
        "Replace with two or three sentences (20 to 400 characters) that tell a busy\n  rheumatologist what was found.",
        "Our own summary of what this study found.",
    )
    project.study("s", text)
    assert [record.slug for record in load_content(project.root).studies] == ["s"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Replace with the headline readers will see", Placeholder(PLACEHOLDERS["title"], alone=True)),
        ("  replace with the HEADLINE\n readers will see\n", Placeholder(PLACEHOLDERS["title"], alone=True)),
        ("Lupus: Replace with the headline readers will see!", Placeholder(PLACEHOLDERS["title"], alone=False)),
        ("Replace with the headline", None),
        ("A headline readers will see", None),
    ],
)
def test_placeholder_in_ignores_wrapping_and_case_only(value: str, expected: Placeholder | None) -> None:
    assert placeholder_in(value) == expected
