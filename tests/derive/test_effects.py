"""Tests for generator.derive.effects: every derived figure against an independent computation.

The reference values are computed here from textbook formulas with the
standard library only (Wilson, Newcombe, Katz, Pearson, Fisher), or taken from
the published worked examples of Newcombe (Stat Med 1998;17:873, Table II).
"""

from __future__ import annotations

import math
from statistics import NormalDist

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats.contingency import relative_risk

from generator.derive.effects import (
    EventCount,
    arm_events,
    audit_p_value,
    describe_effect,
    finding_from_counts,
    format_nnt,
    format_number,
    format_ratio,
)
from generator.read.values import parse_result_value

Z95 = NormalDist().inv_cdf(0.975)
MINUS = "\u2212"


# --------------------------------------------------------------------------- reference formulas


def katz(a: float, n1: float, c: float, n2: float, z: float = Z95) -> tuple[float, float, float]:
    rr = (a / n1) / (c / n2)
    se = math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n2)
    return rr, rr * math.exp(-z * se), rr * math.exp(z * se)


def pearson_p(a: int, n1: int, c: int, n2: int) -> float:
    b, d = n1 - a, n2 - c
    n = n1 + n2
    x2 = n * (a * d - b * c) ** 2 / (n1 * n2 * (a + c) * (b + d))
    return math.erfc(math.sqrt(x2 / 2))  # survival function of chi-square with 1 df


def fisher_p(a: int, n1: int, c: int, n2: int) -> float:
    events = a + c

    def probability(x: int) -> float:
        return math.comb(n1, x) * math.comb(n2, events - x) / math.comb(n1 + n2, events)

    observed = probability(a)
    support = range(max(0, events - n2), min(n1, events) + 1)
    return sum(p for x in support if (p := probability(x)) <= observed * (1 + 1e-7))


def arm(text: str, n: int | None = None) -> EventCount | None:
    return arm_events(parse_result_value(text), n)


# --------------------------------------------------------------------------- arm_events


def test_a_count_is_exact():
    assert arm("16/29") == EventCount(16, 29, approximate=False, exact_match=True)


def test_a_count_ignores_the_arm_size():
    # The analysed denominator (29) may differ from the randomised arm (30).
    assert arm("16/29", 30) == EventCount(16, 29)


def test_a_percentage_that_is_a_whole_count_of_the_arm():
    assert 100 * 16 / 29 == pytest.approx(55.17, abs=0.005)
    assert arm("55.2%", 29) == EventCount(16, 29, approximate=True, exact_match=True)
    assert arm("30%", 30) == EventCount(9, 30, approximate=True, exact_match=True)
    assert arm("54%", 13) == EventCount(7, 13, approximate=True, exact_match=True)


def test_a_percentage_of_the_wrong_denominator_does_not_match():
    # 55.2% of 30 is 16.56; 17/30 = 56.67% and 16/30 = 53.33%, neither is 55.2%.
    assert sorted({round(100 * k / 30, 1) for k in (16, 17)}) == [53.3, 56.7]
    assert arm("55.2%", 30) == EventCount(17, 30, approximate=True, exact_match=False)


def test_a_whole_percentage_no_count_reproduces():
    assert 33 not in {round(100 * k / 29) for k in range(30)}
    assert arm("33%", 29) == EventCount(10, 29, approximate=True, exact_match=False)


def test_a_half_count_rounds_up():
    # 50% of 29 is 14.5 events; round() would give 14 (half to even).
    assert arm("50%", 29) == EventCount(15, 29, approximate=True, exact_match=False)


def test_of_several_matching_counts_the_closest_is_taken():
    # In an arm of 1000, 545 to 554 events all round to 55%.
    assert arm("55%", 1000) == EventCount(550, 1000, approximate=True, exact_match=True)


@pytest.mark.parametrize(("text", "events"), [("0%", 0), ("100%", 12), ("0/12", 0), ("12/12", 12)])
def test_zero_and_all(text, events):
    assert arm(text, 12).events == events


@pytest.mark.parametrize(("text", "n"), [("9", 30), ("55.2%", None), ("2.5", None)])
def test_no_count_without_a_denominator(text, n):
    assert arm(text, n) is None


def test_an_empty_arm_is_refused():
    with pytest.raises(ValueError, match="at least one participant"):
        arm("50%", 0)


def test_an_impossible_count_is_refused():
    with pytest.raises(ValueError):
        EventCount(5, 4)
    with pytest.raises(ValueError):
        EventCount(0, 0)


# --------------------------------------------------------------------------- the risk ratio


def ratio(treatment: EventCount, control: EventCount, level: float = 0.95) -> tuple[float, float, float]:
    finding = finding_from_counts(treatment, control, level)
    assert finding is not None
    return finding.relative.value, finding.relative.low, finding.relative.high


def test_il2_week_12_risk_ratio_is_katz_s_and_scipy_s():
    rr = ratio(EventCount(16, 29), EventCount(9, 30))
    assert rr == pytest.approx(katz(16, 29, 9, 30))
    scipy_ci = relative_risk(16, 29, 9, 30).confidence_interval()
    assert rr[1:] == pytest.approx((scipy_ci.low, scipy_ci.high))
    assert (round(rr[0], 2), round(rr[1], 2), round(rr[2], 2)) == (1.84, 0.97, 3.48)
    assert finding_from_counts(EventCount(16, 29), EventCount(9, 30)).relative_note is None


def test_zero_events_in_one_arm_uses_the_half_correction():
    assert ratio(EventCount(0, 13), EventCount(5, 12)) == pytest.approx(katz(0.5, 14, 5.5, 13))
    assert finding_from_counts(EventCount(0, 13), EventCount(5, 12)).relative_note == (
        "0.5 added to every cell because one cell is zero"
    )


def test_all_events_in_one_arm_is_corrected_too():
    # The arm with every participant has an empty non-event cell.
    assert ratio(EventCount(10, 10), EventCount(4, 10)) == pytest.approx(katz(10.5, 11, 4.5, 11))


def test_unequal_arms():
    assert ratio(EventCount(30, 200), EventCount(5, 40)) == pytest.approx(katz(30, 200, 5, 40))


def test_a_lower_level_narrows_the_interval():
    z90 = NormalDist().inv_cdf(0.95)
    at_90 = ratio(EventCount(19, 29), EventCount(11, 30), level=0.90)
    assert at_90 == pytest.approx(katz(19, 29, 11, 30, z90))
    at_95 = ratio(EventCount(19, 29), EventCount(11, 30))
    assert at_95[1] < at_90[1] < at_90[2] < at_95[2]


counts = st.integers(1, 300).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n)))


@given(counts, counts, st.sampled_from([0.9, 0.95, 0.99]))
def test_the_ratio_and_the_number_needed_are_coherent(treatment, control, level):
    finding = finding_from_counts(EventCount(*treatment), EventCount(*control), level)
    if finding is None:
        assert treatment[0] == control[0] == 0
        return
    assert 0 < finding.relative.low <= finding.relative.value <= finding.relative.high
    nn = finding.number_needed
    if nn is not None:
        assert not finding.includes_no_effect and nn.significant
        for span in (nn.nnt_range, nn.nnh_range):
            if span is not None:
                assert 1 - 1e-9 <= span[0] <= span[1]


# --------------------------------------------------------------------------- audit_p_value


def yates_p(a: int, n1: int, c: int, n2: int) -> float:
    b, d = n1 - a, n2 - c
    n = n1 + n2
    x2 = n * max(0.0, abs(a * d - b * c) - n / 2) ** 2 / (n1 * n2 * (a + c) * (b + d))
    return math.erfc(math.sqrt(x2 / 2))


def test_il2_week_12_reported_p_is_a_small_difference_between_the_tests():
    # 0.052 rounds from neither chi-square (0.0504) nor Fisher (0.0673), but lies between them: tier two, not a flag.
    audit = audit_p_value(EventCount(16, 29), EventCount(9, 30), "0.052")
    assert audit.chi_square_p == pytest.approx(pearson_p(16, 29, 9, 30))
    assert audit.fisher_p == pytest.approx(fisher_p(16, 29, 9, 30))
    assert audit.yates_p == pytest.approx(yates_p(16, 29, 9, 30))
    assert audit.chi_square_p == pytest.approx(0.0504, abs=5e-5)
    assert audit.fisher_p == pytest.approx(0.0673, abs=5e-5)
    assert audit.yates_p == pytest.approx(0.0905, abs=5e-5)
    assert audit.status == "close"
    assert audit.matches == ()
    assert audit.explanation == (
        "Reported p = 0.052 is close to what 16/29 vs 9/30 gives: it lies between chi-square (p = 0.0504)"
        " and Fisher's exact (p = 0.0673); a small difference of method or rounding."
    )


@pytest.mark.parametrize(
    ("reported", "status"),
    [
        ("0.05", "consistent"),
        ("0.050", "consistent"),
        ("0.051", "close"),  # between chi-square and Fisher
        ("p > 0.05", "consistent"),
        ("0.067", "consistent"),  # Fisher's
        ("0.09", "close"),  # Yates' 0.0905
        ("0.2", "inconsistent"),  # beyond every test, same side of 0.05
        ("0.03", "inconsistent"),  # below 0.05 while every test is above
        ("0.0499", "inconsistent"),
    ],
)
def test_the_written_decimals_set_the_tolerance(reported, status):
    assert audit_p_value(EventCount(16, 29), EventCount(9, 30), reported).status == status


def test_the_continuity_correction_explains_a_small_difference_and_is_named():
    audit = audit_p_value(EventCount(16, 29), EventCount(9, 30), "0.09")
    assert audit.explanation == (
        "Reported p = 0.09 is close to what 16/29 vs 9/30 gives: chi-square with continuity correction gives"
        " p = 0.0905; a small difference of method or rounding."
    )


def test_a_p_value_rounded_down_is_a_small_difference_and_says_which_test():
    # Fisher's p for 16/29 vs 9/30 is 0.067278...: rounded to four decimals 0.0673, cut 0.0672.
    assert fisher_p(16, 29, 9, 30) == pytest.approx(0.067278, abs=1e-6)
    audit = audit_p_value(EventCount(16, 29), EventCount(9, 30), "0.0672")
    assert audit.status == "close"
    assert audit.explanation == (
        "Reported p = 0.0672 is close to what 16/29 vs 9/30 gives: Fisher's exact gives p = 0.0673,"
        " which rounded down is 0.0672; a small difference of method or rounding."
    )


def test_a_difference_beyond_the_tests_that_keeps_significance_is_flagged_but_not_gross():
    audit = audit_p_value(EventCount(16, 29), EventCount(9, 30), "0.2")
    assert (audit.status, audit.changes_significance) == ("inconsistent", False)
    assert audit.explanation == (
        "Reported p = 0.2 is not reproduced from 16/29 vs 9/30 (chi-square p = 0.0504, chi-square with continuity"
        " correction p = 0.0905, Fisher's exact p = 0.0673): further from every standard test than rounding or the"
        " choice of test explains; the paper may have used another analysis (adjusted, or on other counts),"
        " which its methods section should say."
    )


def test_il2_week_24_matches_the_chi_square():
    audit = audit_p_value(EventCount(19, 29), EventCount(11, 30), "0.027")
    assert audit.chi_square_p == pytest.approx(pearson_p(19, 29, 11, 30))
    assert audit.fisher_p == pytest.approx(fisher_p(19, 29, 11, 30))
    assert round(audit.chi_square_p, 3) == 0.027
    assert round(audit.fisher_p, 3) == 0.038
    assert audit.status == "consistent"
    assert audit.matches == ("chi-square",)
    assert audit.explanation == "Reported p = 0.027 agrees with chi-square on 19/29 vs 11/30 (chi-square p = 0.0267)."


def test_lupus_nephritis_remission_is_not_reproduced():
    audit = audit_p_value(EventCount(7, 13), EventCount(2, 12), "0.036")
    assert audit.chi_square_p == pytest.approx(pearson_p(7, 13, 2, 12))
    assert audit.fisher_p == pytest.approx(fisher_p(7, 13, 2, 12))
    assert (round(audit.chi_square_p, 3), round(audit.fisher_p, 3)) == (0.053, 0.097)
    assert audit.status == "inconsistent"
    assert audit.changes_significance, "reported below 0.05, every standard test above: statcheck's gross error"
    assert audit.explanation == (
        "Reported p = 0.036 is not reproduced from 7/13 vs 2/12 (chi-square p = 0.053, chi-square with continuity"
        " correction p = 0.129, Fisher's exact p = 0.0968): the reported value is below 0.05 and every standard test"
        " is at or above it; the paper may have used another analysis (adjusted, or on other counts),"
        " which its methods section should say."
    )


def test_counts_reconstructed_from_percentages_are_said_so():
    audit = audit_p_value(arm("54%", 13), arm("17%", 12), "0.036")
    assert audit.status == "inconsistent"
    assert "(counts reconstructed from percentages)" in audit.explanation


@pytest.mark.parametrize("reported", ["<0.001", "< 0.001", "p<0.001", "P < 0.001", "\u22640.001", "<=0.001"])
def test_a_bound(reported):
    audit = audit_p_value(EventCount(25, 30), EventCount(5, 30), reported)
    assert pearson_p(25, 30, 5, 30) < 0.001 and fisher_p(25, 30, 5, 30) < 0.001
    assert audit.status == "consistent"
    assert audit.matches == ("chi-square", "Fisher's exact")


def test_a_bound_that_does_not_hold():
    audit = audit_p_value(EventCount(19, 29), EventCount(11, 30), "<0.001")
    assert audit.status == "inconsistent"
    assert audit.explanation.startswith("Reported p < 0.001 is not reproduced")


@pytest.mark.parametrize(("treatment", "control"), [((0, 10), (0, 12)), ((10, 10), (12, 12))])
def test_a_table_without_contrast_is_not_checkable(treatment, control):
    audit = audit_p_value(EventCount(*treatment), EventCount(*control), "1.0")
    assert audit.status == "not-checkable"
    assert audit.chi_square_p is None and audit.fisher_p is None


def test_percentages_that_are_not_counts_are_not_checkable():
    audit = audit_p_value(arm("55.2%", 30), arm("30%", 30), "0.052")
    assert audit.status == "not-checkable"
    assert "not whole counts" in audit.explanation


@pytest.mark.parametrize("reported", ["NS", "n.s.", "1.5", ""])
def test_text_that_is_not_a_p_value_is_not_checkable(reported):
    audit = audit_p_value(EventCount(16, 29), EventCount(9, 30), reported)
    assert audit.status == "not-checkable"
    assert audit.chi_square_p == pytest.approx(pearson_p(16, 29, 9, 30))


# --------------------------------------------------------------------------- wording


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("hazard-ratio", 1.18, (1.08, 1.29)), "HR 1.18 (95% CI 1.08 to 1.29)"),
        (("risk-ratio", 1.83, (0.71, 4.76)), "RR 1.83 (95% CI 0.71 to 4.76)"),
        (("risk-ratio", 19.0, (1.12, 321.9)), "RR 19.0 (95% CI 1.12 to 321.9)"),
        (("risk-ratio", "19.00", ("1.12", "321.9")), "RR 19.00 (95% CI 1.12 to 321.9)"),
        (("risk-ratio", 0.86, ("0.30", 2.46)), "RR 0.86 (95% CI 0.30 to 2.46)"),
        (("odds-ratio", 2, (1, 4)), "OR 2 (95% CI 1 to 4)"),
        (("rate-ratio", 0.71, (0.5, 0.99)), "rate ratio 0.71 (95% CI 0.5 to 0.99)"),
        (("mean-difference", -1.5, (-2.3, -0.7)), f"MD {MINUS}1.5 (95% CI {MINUS}2.3 to {MINUS}0.7)"),
        (("risk-difference", 0.12, (0.02, 0.22)), "RD 0.12 (95% CI 0.02 to 0.22)"),
        (("percent-change", -12.5, (-20, -5)), f"{MINUS}12.5% change (95% CI {MINUS}20% to {MINUS}5%)"),
        (("hazard-ratio", 1.5, None), "HR 1.5"),
        (("hazard-ratio", 1.5, (0.9, 2.6), 0.9), "HR 1.5 (90% CI 0.9 to 2.6)"),
        (("hazard-ratio", 1.5, (0.9, 2.6), 0.995), "HR 1.5 (99.5% CI 0.9 to 2.6)"),
    ],
)
def test_describe_effect(args, expected):
    assert describe_effect(*args) == expected


def test_describe_effect_refuses_an_unknown_measure():
    with pytest.raises(ValueError, match="unknown effect measure"):
        describe_effect("relative-odds", 1.0)


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (321.9, "321.9"),
        (0.71, "0.71"),
        (1e-05, "0.00001"),
        (-0.0, "0.0"),
        (12, "12"),
        (" 0.30 ", "0.30"),
        (-2.5, f"{MINUS}2.5"),
    ],
)
def test_format_number(number, text):
    assert format_number(number) == text


@pytest.mark.parametrize("number", ["1.2.3", "nan", math.nan, math.inf])
def test_format_number_refuses_non_numbers(number):
    with pytest.raises(ValueError):
        format_number(number)


def test_format_helpers():
    assert format_ratio(1.839080) == "1.84"
    assert format_ratio(19) == "19.00"
    assert format_nnt(3.97) == "4"
    assert format_nnt(4.2) == "5"
    assert format_nnt(1 / 0.25) == "4"
    assert format_nnt(1 / (0.7 - 0.45)) == "4"  # 3.9999999999999996 or 4.000000000000001: still 4
    assert format_nnt(math.inf) == "\u221e"
