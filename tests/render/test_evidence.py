"""The summary-of-findings rows a study page prints, from study records."""

from __future__ import annotations

from generator.render.evidence import finding_rows
from generator.render.pages import SiteOptions, build_pages
from tests.factories import content, record

ARMS = [{"key": "a", "label": "Drug", "participants": 30}, {"key": "b", "label": "Placebo", "participants": 30}]


def graded(certainty: dict | None) -> object:
    outcome = {"name": "Response", "primary": True, "results": {"a": "16/29", "b": "9/30"}}
    if certainty is not None:
        outcome["certainty"] = certainty
    return record("graded", study={"design": "randomized-controlled-trial", "arms": ARMS, "outcomes": [outcome]})


def test_certainty_is_shown_beside_the_effect_when_given() -> None:
    [row] = finding_rows(graded({"level": "low", "downgraded_for": ["risk-of-bias", "imprecision"]}))
    assert row.certainty == "Low \u2295\u2295\u25ef\u25ef: rated down for risk of bias, imprecision"
    [row] = finding_rows(graded({"level": "high"}))
    assert row.certainty == "High \u2295\u2295\u2295\u2295"
    [row] = finding_rows(graded(None))
    assert row.certainty is None


def test_the_page_has_a_certainty_column_only_when_an_outcome_is_graded() -> None:
    def page(item) -> str:
        return next(p.text for p in build_pages(content(item), SiteOptions(), {}) if p.src == "studies/graded.md")

    with_grade = page(graded({"level": "moderate", "downgraded_for": ["imprecision"]}))
    assert '<th scope="col">Certainty (GRADE)</th>' in with_grade
    assert (
        '<td data-label="Certainty (GRADE)" class="re-certainty">Moderate \u2295\u2295\u2295\u25ef: rated down for'
        " imprecision</td>" in with_grade
    )
    assert "Certainty (GRADE)" not in page(graded(None))
    assert "16/29 analysed of 30 randomised" in page(graded(None)).replace('<span class="re-basis">', "").replace(
        "</span>", ""
    )
