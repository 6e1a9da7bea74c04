"""A study's summary of findings: each two-arm outcome's risks per 1,000 and its relative effect, as data.

The first arm listed in ``study.arms`` is compared with the second (the
contract asks editors to list the intervention first).  An outcome gets a row
when its relative effect and the comparison arm's risk are known:

* the paper's own ratio (a risk, odds or hazard ratio with its interval) with
  the comparison arm's result as a percentage or a count, or else
* both arms' counts (``16/29``), or percentages with the arms' sizes, from
  which the risk ratio is computed.

Outcomes come primary first, as in the results table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from generator.derive.effects import (
    Estimate,
    EventCount,
    Finding,
    PAudit,
    arm_events,
    audit_p_value,
    finding_from_counts,
    summarise_finding,
)
from generator.read.model import Arm, Outcome, Study
from generator.read.values import parse_result_value
from generator.read.vocabulary import MEASURES

__all__ = ["OutcomeFinding", "event_pair", "comparison_risk", "outcome_finding", "study_findings"]


@dataclass(frozen=True)
class OutcomeFinding:
    """One outcome's row of the summary of findings, with what it was computed from."""

    outcome: Outcome
    treatment: Arm
    control: Arm
    finding: Finding
    source: Literal["counts", "approximate", "reported"]
    """``counts``: the ratio computed from counts; ``approximate``: from percentages and arm sizes;
    ``reported``: the paper's ratio, applied to the comparison arm's risk."""
    events: tuple[EventCount, EventCount] | None  # the arms' counts, when known
    audit: PAudit | None  # the reported p-value re-checked against the counts


def event_pair(outcome: Outcome, arms: list[Arm]) -> tuple[EventCount, EventCount] | None:
    """The two arms' event counts, when both results give one (counts, or percentages with the arm's size)."""
    results = outcome.results or {}
    counts = []
    for arm in arms[:2]:
        if arm.key not in results:
            return None
        count = arm_events(parse_result_value(results[arm.key]), arm.participants)
        if count is None:
            return None
        counts.append(count)
    if len(counts) < 2:
        return None
    return counts[0], counts[1]


def comparison_risk(outcome: Outcome, arm: Arm) -> float | None:
    """The comparison arm's risk (0 to 1) as written: a percentage or a count; None otherwise."""
    text = (outcome.results or {}).get(arm.key)
    if text is None:
        return None
    value = parse_result_value(text)
    if value.kind == "percent" and value.percent is not None:
        return value.percent / 100
    if value.kind == "count" and value.numerator is not None and value.denominator:
        return value.numerator / value.denominator
    return None


def outcome_finding(outcome: Outcome, arms: list[Arm]) -> OutcomeFinding | None:
    """The summary-of-findings row of one outcome, or None when the study does not give one."""
    if len(arms) < 2:
        return None
    treatment, control = arms[0], arms[1]
    good = outcome.direction != "lower-is-better"
    pair = event_pair(outcome, arms)
    audit = audit_p_value(*pair, outcome.p_value) if pair and outcome.p_value else None
    effect = outcome.effect
    if effect is not None and effect.ci and MEASURES[effect.measure].risk_scale is not None:
        assumed = comparison_risk(outcome, control)
        if assumed is not None and 0 <= assumed <= 1:
            relative = Estimate(float(effect.estimate), float(effect.ci[0]), float(effect.ci[1]))
            finding = summarise_finding(assumed, relative, effect.measure, effect.ci_level, events_are_good=good)
            return OutcomeFinding(outcome, treatment, control, finding, "reported", pair, audit)
    if pair is None:
        return None
    computed = finding_from_counts(*pair, events_are_good=good)
    if computed is None:
        return None
    source: Literal["counts", "approximate"] = "approximate" if pair[0].approximate or pair[1].approximate else "counts"
    return OutcomeFinding(outcome, treatment, control, computed, source, pair, audit)


def study_findings(study: Study) -> list[OutcomeFinding]:
    """Every outcome's summary-of-findings row, primary outcomes first."""
    arms = study.study.arms
    ordered = sorted(study.study.outcomes, key=lambda outcome: not outcome.primary)
    return [row for outcome in ordered if (row := outcome_finding(outcome, arms)) is not None]
