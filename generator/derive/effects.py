"""Derived two-arm statistics: what the per-arm results imply.

Editors write per-arm results as they appear in the paper (``16/29``,
``55.2%``).  From two arms this module derives a summary of findings (the
risk ratio, then the risks and their difference per 1,000 from that same
ratio, and the number needed to treat), re-checks the reported p-value, and
words editor-written effect estimates (``HR 1.18 (95% CI 1.08 to 1.29)``).

Everything here is a pure function of plain values; the page templates decide
what to show.  Conventions:

* risks are proportions in [0, 1]; differences are treatment minus control,
  shown per 1,000;
* every interval is two-sided at ``level`` (0.95 unless told otherwise);
* numbers derived from a percentage and an arm size are flagged as
  approximate, because the paper's analysed denominator may differ.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Literal

from scipy.stats import chi2_contingency, fisher_exact, norm

from generator.read.values import ResultValue
from generator.read.vocabulary import MEASURES

__all__ = [
    "EventCount",
    "Estimate",
    "NumberNeeded",
    "PAudit",
    "Finding",
    "corresponding_risk",
    "summarise_finding",
    "finding_from_counts",
    "denominator_note",
    "describe_per_1000",
    "describe_difference_per_1000",
    "describe_finding_nnt",
    "plain_statement",
    "arm_events",
    "audit_p_value",
    "parse_reported_p",
    "describe_effect",
    "format_number",
    "format_ratio",
    "format_nnt",
]

_MINUS = "\u2212"  # typographic minus: "−0.6" does not read as a dash
_INFINITY = "\u221e"
# Guards against float noise when a derived value should be a whole number:
# 1 / 0.25 may come out as 4.000000000000001, which must not round up to 5.
_EPSILON = 1e-9


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class EventCount:
    """Participants with the event out of the participants in one arm.

    ``approximate`` is true when the count was reconstructed from a percentage
    and the arm size; ``exact_match`` is then false when no whole count of the
    arm reproduces the percentage as written (so the paper's denominator was
    probably not the arm size).
    """

    events: int
    total: int
    approximate: bool = False
    exact_match: bool = True

    def __post_init__(self) -> None:
        if self.total < 1 or not 0 <= self.events <= self.total:
            raise ValueError(f"need 0 <= events <= total and total >= 1, got {self.events}/{self.total}")

    @property
    def risk(self) -> float:
        """The proportion with the event."""
        return self.events / self.total


@dataclass(frozen=True)
class Estimate:
    """A point estimate with the bounds of its confidence interval."""

    value: float
    low: float
    high: float


@dataclass(frozen=True)
class NumberNeeded:
    """The number needed to treat (NNT) or to harm (NNH), 1/|risk difference|.

    Following Altman (BMJ 1998;317:1309), the confidence interval is given as
    the NNT values and the NNH values it admits.  When the risk-difference
    interval excludes zero only one range is present and it is finite; when it
    crosses zero both run to infinity ("NNH 22 to ∞ to NNT 3").
    """

    kind: Literal["NNT", "NNH"] | None  # None when the two risks are equal
    value: float  # math.inf when the two risks are equal
    nnt_range: tuple[float, float] | None  # (smallest, largest) NNT in the interval; largest may be inf
    nnh_range: tuple[float, float] | None

    @property
    def significant(self) -> bool:
        """Whether the interval excludes "no difference" (an infinite NNT)."""
        return all(r is None or math.isfinite(r[1]) for r in (self.nnt_range, self.nnh_range))


@dataclass(frozen=True)
class PAudit:
    """A reported p-value re-checked against the arms' counts, in three tiers of weight.

    ``status`` is

    * ``consistent`` when Pearson's chi-square or Fisher's exact test
      reproduces the reported value to its rounding;
    * ``close`` when neither does but the difference is small: the chi-square
      test with Yates' continuity correction reproduces it, a test's p rounded
      down (truncated) gives it, or it lies between the standard tests' values;
    * ``inconsistent`` when none of that explains it (statcheck's idea of an
      inconsistency; ``changes_significance`` says whether it is also a gross
      one, reported on the other side of 0.05 from every standard test);
    * ``not-checkable`` when the counts or the reported text do not allow a check.
    """

    status: Literal["consistent", "close", "inconsistent", "not-checkable"]
    reported: str
    chi_square_p: float | None  # Pearson chi-square, no continuity correction
    fisher_p: float | None  # Fisher's exact test, two-sided
    matches: tuple[str, ...]  # the names of the tests that reproduce the reported value
    explanation: str  # one line, for readers
    yates_p: float | None = None  # chi-square with Yates' continuity correction
    changes_significance: bool = False


@dataclass(frozen=True)
class Finding:
    """One row of a summary of findings, in the manner of Cochrane's tables.

    The relative effect is a ratio with its interval; the risks per 1,000 come
    from it: the comparison arm's risk is the *assumed* risk, and the other
    arm's *corresponding* risk is the assumed risk converted with the ratio
    and with each bound of its interval.  The absolute difference per 1,000
    is corresponding minus assumed, so it includes no difference exactly when
    the ratio's interval includes 1: the two never disagree.
    ``corresponding`` and ``difference`` are None when the assumed risk is 0
    or 1, where no ratio moves it.
    """

    measure: str  # a key of read.vocabulary.MEASURES with a risk scale
    relative: Estimate
    level: float
    assumed: float  # per 1,000
    corresponding: Estimate | None  # per 1,000
    difference: Estimate | None  # per 1,000, corresponding minus assumed
    number_needed: NumberNeeded | None  # only when the interval excludes no difference
    events_are_good: bool
    relative_note: str | None = None  # e.g. that 0.5 was added to every cell

    @property
    def includes_no_effect(self) -> bool:
        """Whether the relative effect's interval includes 1 (and so the difference's includes 0)."""
        return self.relative.low <= 1 <= self.relative.high


def corresponding_risk(assumed: float, ratio: float, measure: str) -> float:
    """The risk in the other arm, given the comparison arm's ``assumed`` risk (0 to 1) and a ratio.

    A risk ratio multiplies the risk (capped at 1); an odds ratio multiplies
    the odds; a hazard ratio raises the survival to its power, 1 - (1 - risk)^HR
    (proportional hazards over the follow-up that gave the assumed risk).
    """
    scale = MEASURES[measure].risk_scale
    if not 0 <= assumed <= 1:
        raise ValueError(f"a risk must be between 0 and 1, got {assumed!r}")
    if ratio <= 0:
        raise ValueError(f"a ratio must be above 0, got {ratio!r}")
    if scale == "risk":
        return min(1.0, assumed * ratio)
    if scale == "odds":
        return ratio * assumed / (1 - assumed + ratio * assumed)
    if scale == "hazard":
        return float(1 - (1 - assumed) ** ratio)
    raise ValueError(f"a {MEASURES[measure].axis.lower()} does not convert a risk")


def summarise_finding(
    assumed: float, relative: Estimate, measure: str, level: float = 0.95, *, events_are_good: bool = True
) -> Finding:
    """A summary-of-findings row from the comparison arm's risk (0 to 1) and a ratio with its interval."""
    per_1000 = 1000 * assumed
    if assumed in (0, 1):
        return Finding(measure, relative, level, per_1000, None, None, None, events_are_good)
    risks = [1000 * corresponding_risk(assumed, r, measure) for r in (relative.value, relative.low, relative.high)]
    corresponding = Estimate(*risks)
    difference = Estimate(*(risk - per_1000 for risk in risks))
    finding = Finding(measure, relative, level, per_1000, corresponding, difference, None, events_are_good)
    if finding.includes_no_effect:
        return finding
    proportions = Estimate(difference.value / 1000, difference.low / 1000, difference.high / 1000)
    return Finding(measure, relative, level, per_1000, corresponding, difference,
                   _number_needed(proportions, events_are_good), events_are_good)  # fmt: skip


_RISK_RATIO = next(key for key, measure in MEASURES.items() if measure.risk_scale == "risk")


def finding_from_counts(
    treatment: EventCount, control: EventCount, level: float = 0.95, *, events_are_good: bool = True
) -> Finding | None:
    """A summary-of-findings row from two arms' counts: the risk ratio (Katz's log interval), then per 1,000.

    None when no arm has an event (no ratio is estimable).
    """
    ratio, note = _risk_ratio(treatment, control, _z(level))
    if ratio is None:
        return None
    finding = summarise_finding(control.risk, ratio, _RISK_RATIO, level, events_are_good=events_are_good)
    return Finding(**{**finding.__dict__, "relative_note": note})


def denominator_note(denominator: int, participants: int | None, randomised: bool) -> str | None:
    """What a count's denominator says about who was analysed: "analysed of 30 randomised", or None.

    None when the denominator is the arm's size, or the size is unknown.
    """
    if participants is None or denominator == participants:
        return None
    return f"analysed of {participants:,} {'randomised' if randomised else 'in the arm'}"


# --------------------------------------------------------------------------- arms


def arm_events(value: ResultValue, arm_participants: int | None) -> EventCount | None:
    """The event count one arm's result implies, or None when it implies none.

    ``16/29`` is exact.  ``55.2%`` with an arm of 29 becomes 16/29, flagged
    approximate; it matches exactly when some whole count of 29 rounds to the
    percentage at the decimals written (16/29 = 55.17% -> "55.2%").  Plain
    numbers and percentages without an arm size give None.
    """
    if value.kind == "count":
        assert value.numerator is not None and value.denominator is not None
        return EventCount(value.numerator, value.denominator)
    if value.kind != "percent" or arm_participants is None:
        return None
    assert value.percent is not None
    n = arm_participants
    if n < 1:
        raise ValueError(f"an arm needs at least one participant, got {n}")
    tolerance = 0.5 * 10.0 ** -_decimals(value.text) + _EPSILON
    target = value.percent * n / 100
    # The tolerance interval is centred on the target, so if any whole count matches, the nearest does:
    # checking floor and ceil is enough (and keeps huge arms fast).
    nearest = dict.fromkeys((math.floor(target), math.ceil(target)))
    matching = [k for k in nearest if 0 <= k <= n and abs(100 * k / n - value.percent) <= tolerance]
    if matching:
        events = min(matching, key=lambda k: abs(k - target))
    else:
        events = math.floor(target + 0.5)  # round half up; Python's round() would round half to even
    return EventCount(events, n, approximate=True, exact_match=bool(matching))


def _decimals(text: str) -> int:
    """How many decimals a written number has: "55.2%" -> 1, "30%" -> 0."""
    match = re.search(r"\.(\d+)", text)
    return len(match.group(1)) if match else 0


# --------------------------------------------------------------------------- ratio


@lru_cache(maxsize=16)
def _z(level: float) -> float:
    """The two-sided standard-normal quantile for a confidence level (1.96 for 95%)."""
    return float(norm.ppf(0.5 + level / 2))


def _risk_ratio(treatment: EventCount, control: EventCount, z: float) -> tuple[Estimate | None, str | None]:
    # The log method (Katz 1978), written out because SciPy's relative_risk
    # offers no correction for zero cells.  As in RevMan, 0.5 is added to every
    # cell when any cell is zero, and the ratio is not estimable when neither
    # arm has an event.
    a: float = treatment.events  # becomes a half when cells are corrected below
    c: float = control.events
    n1, n2 = treatment.total, control.total
    if a == 0 and c == 0:
        return None, "not estimable: no events in either arm"
    note = None
    if 0 in (a, n1 - a, c, n2 - c):
        a, n1, c, n2 = a + 0.5, n1 + 1, c + 0.5, n2 + 1
        note = "0.5 added to every cell because one cell is zero"
    ratio = (a / n1) / (c / n2)
    standard_error = math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n2)
    spread = math.exp(z * standard_error)
    return Estimate(ratio, ratio / spread, ratio * spread), note


def _number_needed(risk_difference: Estimate, events_are_good: bool) -> NumberNeeded:
    # Work on the benefit scale: positive = treatment better.
    sign = 1 if events_are_good else -1
    benefit = sign * risk_difference.value
    low, high = sorted((sign * risk_difference.low, sign * risk_difference.high))
    if low > 0:
        nnt_range, nnh_range = (1 / high, 1 / low), None
    elif high < 0:
        nnt_range, nnh_range = None, (1 / -low, 1 / -high)
    else:
        nnt_range = (1 / high, math.inf) if high > 0 else None
        nnh_range = (1 / -low, math.inf) if low < 0 else None
    kind: Literal["NNT", "NNH"] | None = "NNT" if benefit > 0 else "NNH" if benefit < 0 else None
    value = 1 / abs(benefit) if benefit else math.inf
    return NumberNeeded(kind=kind, value=value, nnt_range=nnt_range, nnh_range=nnh_range)


# --------------------------------------------------------------------------- p-value audit

_REPORTED_P = re.compile(
    r"^\s*(?:p\s*)?(?P<op><=|>=|=|<|>|\u2264|\u2265)?\s*(?P<number>\d*\.?\d+(?:e-?\d+)?)\s*$",
    re.IGNORECASE,
)
_OPERATORS = {"<=": "\u2264", ">=": "\u2265"}  # shown, and compared, in their one-character form
_CHI_SQUARE = "chi-square"
_FISHER = "Fisher's exact"
_YATES = "chi-square with continuity correction"


def audit_p_value(treatment: EventCount, control: EventCount, reported: str) -> PAudit:
    """Re-check a reported two-sided p-value against the two arms' counts.

    The rule: a test reproduces the reported value when the test's p rounds
    to it at the decimals written ("0.052" accepts 0.0515 to 0.0525, "0.05"
    accepts 0.045 to 0.055), or, for a bound, when the test's p satisfies it
    ("<0.001" accepts anything below 0.001).  Pearson's chi-square without
    continuity correction and Fisher's exact test decide agreement; the
    chi-square test with Yates' continuity correction, a test's p rounded down
    instead of to the nearest, and the spread between the tests can explain a
    small difference (see :class:`PAudit` for the tiers).  Pass the p-value as
    the editor wrote it: "0.050" and "0.05" promise different precision.
    """
    parsed = _parse_reported(reported)
    shown = f"Reported p {parsed[0]} {parsed[1]}" if parsed else f"Reported p {reported.strip()!r}"

    def not_checkable(reason: str, chi: float | None = None, fisher: float | None = None) -> PAudit:
        return PAudit("not-checkable", reported, chi, fisher, (), f"{shown} cannot be checked: {reason}.")

    if not (treatment.exact_match and control.exact_match):
        return not_checkable(
            "the percentages are not whole counts of the arm sizes, so the analysed counts are unknown"
        )
    events = treatment.events + control.events
    if events in (0, treatment.total + control.total):
        everyone = "no participant" if events == 0 else "every participant"
        return not_checkable(f"{everyone} had the event, so no test can tell the arms apart")

    table = [
        [treatment.events, treatment.total - treatment.events],
        [control.events, control.total - control.events],
    ]
    chi = float(chi2_contingency(table, correction=False).pvalue)
    yates = float(chi2_contingency(table, correction=True).pvalue)
    fisher = float(fisher_exact(table).pvalue)
    if parsed is None:
        return not_checkable("it is not a p-value", chi, fisher)

    basis = f"{treatment.events}/{treatment.total} vs {control.events}/{control.total}"
    if treatment.approximate or control.approximate:
        basis += " (counts reconstructed from percentages)"
    tests = ((_CHI_SQUARE, chi), (_FISHER, fisher))
    matches = tuple(name for name, p in tests if _agrees(p, *parsed))
    if matches:
        computed = ", ".join(f"{name} p = {_show_p(p)}" for name, p in tests if name in matches)
        explanation = f"{shown} agrees with {' and '.join(matches)} on {basis} ({computed})."
        return PAudit("consistent", reported, chi, fisher, matches, explanation, yates)

    def close(reason: str) -> PAudit:
        explanation = f"{shown} is close to what {basis} gives: {reason}; a small difference of method or rounding."
        return PAudit("close", reported, chi, fisher, (), explanation, yates)

    standard = ((_CHI_SQUARE, chi), (_YATES, yates), (_FISHER, fisher))
    if _agrees(yates, *parsed):
        return close(f"{_YATES} gives p = {_show_p(yates)}")
    truncated = [(name, p) for name, p in standard if parsed[0] == "=" and _truncates_to(p, parsed[1])]
    if truncated:
        name, p = truncated[0]
        return close(f"{name} gives p = {_show_p(p)}, which rounded down is {parsed[1]}")
    if parsed[0] == "=":
        below = [(name, p) for name, p in standard if p <= float(parsed[1])]
        above = [(name, p) for name, p in standard if p >= float(parsed[1])]
        if below and above:
            (low_name, low), (high_name, high) = max(below, key=lambda t: t[1]), min(above, key=lambda t: t[1])
            return close(f"it lies between {low_name} (p = {_show_p(low)}) and {high_name} (p = {_show_p(high)})")

    computed = ", ".join(f"{name} p = {_show_p(p)}" for name, p in standard)
    reported_significant = _significant(*parsed)
    gross = reported_significant is not None and all((p < 0.05) != reported_significant for _, p in standard)
    if gross:
        side = "below" if reported_significant else "at or above"
        other = "at or above" if reported_significant else "below"
        why = f"the reported value is {side} 0.05 and every standard test is {other} it"
    else:
        why = "further from every standard test than rounding or the choice of test explains"
    explanation = (
        f"{shown} is not reproduced from {basis} ({computed}): {why}; the paper may have used another analysis"
        " (adjusted, or on other counts), which its methods section should say."
    )
    return PAudit("inconsistent", reported, chi, fisher, (), explanation, yates, gross)


def _truncates_to(p: float, number: str) -> bool:
    """Whether ``p`` cut (not rounded) at the decimals of ``number`` is ``number``: 0.0529 -> "0.052"."""
    exponent = Decimal(number).as_tuple().exponent
    assert isinstance(exponent, int)
    step = 10.0**exponent
    value = float(number)
    return value - step * _EPSILON <= p < value + step * (1 - _EPSILON)


def _significant(operator: str, number: str) -> bool | None:
    """Whether a reported p says "significant at 0.05"; None when a bound does not say ("<0.2")."""
    value = float(number)
    if operator == "=":
        return value < 0.05
    if operator in ("<", "\u2264"):
        return True if value <= 0.05 and not (operator == "\u2264" and value == 0.05) else None
    return False if value >= 0.05 else None


def parse_reported_p(reported: str) -> tuple[str, str] | None:
    """The comparison and the number of a reported p-value, "P<0.001" -> ("<", "0.001"), or None."""
    return _parse_reported(reported)


def _parse_reported(reported: str) -> tuple[str, str] | None:
    """The comparison and the number of a reported p: "P<0.001" -> ("<", "0.001")."""
    match = _REPORTED_P.match(reported)
    if not match or float(match.group("number")) > 1:
        return None
    operator = match.group("op") or "="
    return _OPERATORS.get(operator, operator), match.group("number")


def _agrees(p: float, operator: str, number: str) -> bool:
    """Whether a computed p agrees with a reported comparison and number."""
    value = float(number)
    if operator == "=":
        # Anything that rounds to the number at its written decimals; the
        # epsilon keeps the interval's ends inside despite binary floats.
        exponent = Decimal(number).as_tuple().exponent
        assert isinstance(exponent, int)  # the pattern admits finite numbers only
        return abs(p - value) <= 0.5 * 10.0**exponent * (1 + _EPSILON)
    return {"<": p < value, "\u2264": p <= value, ">": p > value, "\u2265": p >= value}[operator]


def _show_p(p: float) -> str:
    """A computed p with three significant digits, enough to compare with a rounded one."""
    return "<0.0001" if p < 0.0001 else f"{p:.3g}"


# --------------------------------------------------------------------------- wording


def format_number(number: float | int | str) -> str:
    """A number as an editor would write it: no float noise, a real minus sign.

    Text is kept as written (so "19.00" stays "19.00"); floats print their
    shortest exact form (0.71, 321.9, 19.0), never in scientific notation.
    """
    value = float(number)  # raises ValueError for text that is not a number
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {number!r}")
    if isinstance(number, str):
        text = number.strip()
    else:
        text = format(Decimal(repr(number)), "f") if isinstance(number, float) else str(number)
    if text.startswith("-") and value == 0:
        text = text[1:]
    return text.replace("-", _MINUS)


def format_ratio(ratio: float) -> str:
    """A ratio with 2 decimals: 1.8390 -> "1.84"."""
    return f"{ratio:.2f}"


def format_nnt(number: float) -> str:
    """A number needed to treat or harm, rounded up to a whole number by convention; inf -> "∞"."""
    if math.isinf(number):
        return _INFINITY
    return str(math.ceil(number - _EPSILON))


def describe_per_1000(risk: float) -> str:
    """A risk per 1,000, to the whole person: 551.7 -> "552 per 1,000"."""
    return f"{_round_half_up(risk):,} per 1,000"


def _round_half_up(number: float) -> int:
    return math.floor(number + 0.5 + _EPSILON) if number >= 0 else -math.floor(-number + 0.5 + _EPSILON)


def _more_or_fewer(number: float) -> str:
    whole = _round_half_up(number)
    return f"{abs(whole):,} more" if whole > 0 else f"{abs(whole):,} fewer" if whole < 0 else "0 more"


def describe_difference_per_1000(finding: Finding) -> str:
    """ "252 more per 1,000 (95% CI 9 fewer to 700 more)", as in Cochrane's tables."""
    difference = finding.difference
    if difference is None:
        return "not estimable from a ratio: the comparison arm's risk is 0 or 1,000 per 1,000"
    value = _round_half_up(difference.value)
    head = "no difference" if value == 0 else _more_or_fewer(difference.value)
    return (
        f"{head} per 1,000 ({_ci_label(finding.level)} {_more_or_fewer(difference.low)}"
        f" to {_more_or_fewer(difference.high)})"
    )


def describe_finding_nnt(finding: Finding) -> str:
    """ "NNT 4 (95% CI 2 to 34)" where the interval excludes no difference; otherwise why there is none."""
    nn = finding.number_needed
    if finding.difference is None:
        return "No NNT: the absolute effect is not estimable"
    if nn is None or nn.kind is None:
        return "No NNT: the interval includes no difference"
    low, high = nn.nnt_range or nn.nnh_range  # type: ignore[misc]  # exactly one is set when significant
    return f"{nn.kind} {format_nnt(nn.value)} ({_ci_label(finding.level)} {format_nnt(low)} to {format_nnt(high)})"


def plain_statement(finding: Finding, outcome: str, treatment: str, control: str) -> str:
    """The finding in one plain sentence, worded only from the outcome's name, the arms and the direction.

    "SRI-4 response at week 24: 289 more per 1,000 with Low-dose IL-2 than with
    Placebo (95% CI 15 more to 633 more), in favour of Low-dose IL-2."  An
    interval that includes no difference says so instead of naming a side.
    """
    difference = finding.difference
    if difference is None:
        return (
            f"{outcome}: the difference per 1,000 cannot be estimated from a ratio"
            f" when the risk with {control} is 0 or 1,000 per 1,000."
        )
    value = _round_half_up(difference.value)
    amount = (
        f"about the same per 1,000 with {treatment} as with {control}"
        if value == 0
        else f"{_more_or_fewer(difference.value)} per 1,000 with {treatment} than with {control}"
    )
    interval = f"{_ci_label(finding.level)} {_more_or_fewer(difference.low)} to {_more_or_fewer(difference.high)}"
    if finding.includes_no_effect:
        return f"{outcome}: {amount} ({interval}); the interval includes no difference."
    favoured = treatment if (difference.value > 0) == finding.events_are_good else control
    return f"{outcome}: {amount} ({interval}), in favour of {favoured}."


def _ci_label(level: float) -> str:
    return f"{format_number(round(level * 100, 6)).removesuffix('.0')}% CI"


def describe_effect(
    measure: str,
    estimate: float | str,
    ci: tuple[float | str, float | str] | None = None,
    ci_level: float = 0.95,
) -> str:
    """An editor-written effect estimate in words: "HR 1.18 (95% CI 1.08 to 1.29)".

    ``measure`` is a key of :data:`generator.read.vocabulary.MEASURES`.
    Numbers may be given as text to keep trailing zeros as written.
    """
    try:
        label = MEASURES[measure].label
    except KeyError:
        raise ValueError(f"unknown effect measure {measure!r}") from None
    # A percent change reads better with the label after the number: "−12.5% change".
    unit = "%" if measure == "percent-change" else ""
    head = f"{format_number(estimate)}% change" if unit else f"{label} {format_number(estimate)}"
    if ci is None:
        return head
    low, high = (format_number(bound) + unit for bound in ci)
    return f"{head} ({_ci_label(ci_level)} {low} to {high})"
