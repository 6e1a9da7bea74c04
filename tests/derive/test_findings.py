"""The summary of findings: risks per 1,000 from a ratio, checked against SciPy and hand arithmetic."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats.contingency import relative_risk

from generator.derive.effects import (
    Estimate,
    EventCount,
    corresponding_risk,
    denominator_note,
    describe_difference_per_1000,
    describe_finding_nnt,
    describe_per_1000,
    finding_from_counts,
    plain_statement,
    summarise_finding,
)
from generator.derive.findings import study_findings
from tests.factories import record, seed_record


def scipy_rr(k1: int, n1: int, k2: int, n2: int) -> tuple[float, float, float]:
    result = relative_risk(k1, n1, k2, n2)
    ci = result.confidence_interval(0.95)
    return result.relative_risk, ci.low, ci.high


def test_il2_week_12_per_1000_from_the_risk_ratio():
    finding = finding_from_counts(EventCount(16, 29), EventCount(9, 30))
    assert finding is not None
    rr, low, high = scipy_rr(16, 29, 9, 30)
    assert (finding.relative.value, finding.relative.low, finding.relative.high) == pytest.approx((rr, low, high))
    assert (round(low, 2), round(high, 2)) == (0.97, 3.48)
    assert finding.assumed == pytest.approx(300.0)
    assert finding.corresponding is not None and finding.difference is not None
    # Corresponding risk = assumed risk x RR, and x each bound (capped at everyone).
    assert finding.corresponding.value == pytest.approx(1000 * 16 / 29)
    assert finding.corresponding.low == pytest.approx(300 * low)
    assert finding.corresponding.high == 1000.0  # 300 x 3.48 = 1044 is more than everyone
    assert finding.difference.value == pytest.approx(1000 * 16 / 29 - 300)
    assert finding.difference.low == pytest.approx(300 * (low - 1))
    assert finding.includes_no_effect and finding.difference.low < 0 < finding.difference.high
    assert finding.number_needed is None
    assert describe_per_1000(finding.assumed) == "300 per 1,000"
    assert describe_per_1000(finding.corresponding.value) == "552 per 1,000"
    assert describe_difference_per_1000(finding) == "252 more per 1,000 (95% CI 8 fewer to 700 more)"
    assert describe_finding_nnt(finding) == "No NNT: the interval includes no difference"
    assert plain_statement(finding, "SRI-4 response at week 12", "Low-dose IL-2", "Placebo") == (
        "SRI-4 response at week 12: 252 more per 1,000 with Low-dose IL-2 than with Placebo"
        " (95% CI 8 fewer to 700 more); the interval includes no difference."
    )


def test_il2_week_24_gives_an_nnt_because_its_interval_excludes_no_difference():
    finding = finding_from_counts(EventCount(19, 29), EventCount(11, 30))
    assert finding is not None and finding.difference is not None
    rr, low, high = scipy_rr(19, 29, 11, 30)
    assigned = 11 / 30
    assert finding.difference.low == pytest.approx(1000 * assigned * (low - 1))
    assert not finding.includes_no_effect
    # NNT = 1 / difference, its interval from the difference's bounds: 1000/289.1 -> 4, 1000/632.9 -> 2, 1000/15.4 -> 66.
    assert describe_finding_nnt(finding) == "NNT 4 (95% CI 2 to 66)"
    assert plain_statement(finding, "SRI-4 response at week 24", "Low-dose IL-2", "Placebo") == (
        "SRI-4 response at week 24: 289 more per 1,000 with Low-dose IL-2 than with Placebo"
        " (95% CI 15 more to 633 more), in favour of Low-dose IL-2."
    )


def test_aps_thrombosis_from_the_reported_risk_ratio_as_cochrane_does():
    finding = summarise_finding(0.063, Estimate(1.83, 0.71, 4.76), "risk-ratio", events_are_good=False)
    assert finding.corresponding == Estimate(
        pytest.approx(63 * 1.83), pytest.approx(63 * 0.71), pytest.approx(63 * 4.76)
    )
    assert describe_difference_per_1000(finding) == "52 more per 1,000 (95% CI 18 fewer to 237 more)"
    assert plain_statement(finding, "Recurrent thrombosis", "Rivaroxaban", "VKA").endswith(
        "; the interval includes no difference."
    )


def test_a_harm_that_is_shown_favours_the_comparator_and_is_an_nnh():
    finding = summarise_finding(0.1, Estimate(3.0, 1.5, 6.0), "risk-ratio", events_are_good=False)
    assert describe_finding_nnt(finding) == "NNH 5 (95% CI 2 to 20)"  # 1000/200, 1000/500, 1000/50
    assert plain_statement(finding, "Stroke", "A", "B") == (
        "Stroke: 200 more per 1,000 with A than with B (95% CI 50 more to 500 more), in favour of B."
    )


@pytest.mark.parametrize(
    ("measure", "ratio", "expected"),
    [
        ("risk-ratio", 2.0, 0.4),
        ("risk-ratio", 6.0, 1.0),  # capped
        ("odds-ratio", 2.0, 2 * 0.2 / (1 - 0.2 + 2 * 0.2)),  # odds 0.25 x 2 = 0.5 -> risk 1/3
        ("hazard-ratio", 2.0, 1 - 0.8**2),
    ],
)
def test_corresponding_risk_by_measure(measure, ratio, expected):
    assert corresponding_risk(0.2, ratio, measure) == pytest.approx(expected)
    assert corresponding_risk(0.2, 1.0, measure) == pytest.approx(0.2)


def test_a_measure_without_a_risk_scale_is_refused():
    with pytest.raises(ValueError, match="does not convert a risk"):
        corresponding_risk(0.2, 2.0, "rate-ratio")


def test_no_events_with_the_comparator_has_no_absolute_effect():
    finding = finding_from_counts(EventCount(5, 13), EventCount(0, 12))
    assert finding is not None and finding.difference is None
    assert finding.relative_note == "0.5 added to every cell because one cell is zero"
    assert describe_difference_per_1000(finding) == (
        "not estimable from a ratio: the comparison arm's risk is 0 or 1,000 per 1,000"
    )
    assert finding_from_counts(EventCount(0, 13), EventCount(0, 12)) is None


@given(
    st.integers(0, 60).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))).filter(lambda t: t[1] > 0),
    st.integers(1, 60).flatmap(lambda n: st.tuples(st.integers(1, n - 1) if n > 1 else st.just(0), st.just(n))),
)
def test_the_absolute_and_relative_effects_never_disagree_about_no_effect(treatment, control):
    finding = finding_from_counts(EventCount(*treatment), EventCount(*control))
    if finding is None or finding.difference is None:
        return
    difference = finding.difference
    assert difference.low <= difference.value + 1e-9 and difference.value <= difference.high + 1e-9
    crosses = difference.low <= 1e-9 and difference.high >= -1e-9
    assert (
        crosses == finding.includes_no_effect
        or math.isclose(finding.relative.low, 1)
        or math.isclose(finding.relative.high, 1)
    )
    assert (finding.number_needed is None) == finding.includes_no_effect


@pytest.mark.parametrize(
    ("denominator", "participants", "randomised", "note"),
    [(29, 30, True, "analysed of 30 randomised"), (30, 30, True, None), (29, None, True, None),
     (1200, 1500, False, "analysed of 1,500 in the arm")],
)  # fmt: skip
def test_denominator_note(denominator, participants, randomised, note):
    assert denominator_note(denominator, participants, randomised) == note


def test_study_findings_of_the_seed_trials():
    il2 = study_findings(seed_record("low-dose-il2-sle").study)
    assert [(row.outcome.name, row.source) for row in il2] == [
        ("SRI-4 response at week 12", "counts"),
        ("SRI-4 response at week 24", "counts"),
        ("Complete remission of lupus nephritis", "counts"),
    ]
    aps = study_findings(seed_record("rivaroxaban-vs-warfarin-aps").study)
    assert [(row.outcome.name, row.source) for row in aps] == [
        ("Recurrent thrombosis", "reported"),
        ("Major bleeding", "reported"),
    ]
    for slug in ("aav-mortality-usa", "aspirin-vasodilators-ssc", "opportunistic-infections-myositis",
                 "serum-interferon-predicts-lupus-flares"):  # fmt: skip
        assert study_findings(seed_record(slug).study) == [], slug


def test_a_hazard_ratio_with_the_comparators_percentage_gets_a_row():
    item = record(
        "x",
        study={
            "arms": [{"key": "a", "label": "A"}, {"key": "b", "label": "B"}],
            "outcomes": [{"name": "Flare", "results": {"a": "20%", "b": "30%"},
                          "effect": {"measure": "hazard-ratio", "estimate": "0.6", "ci": ["0.4", "0.9"]}}],
        },
    )  # fmt: skip
    [row] = study_findings(item.study)
    assert row.source == "reported"
    assert row.finding.corresponding is not None
    assert row.finding.corresponding.value == pytest.approx(1000 * (1 - 0.7**0.6))
