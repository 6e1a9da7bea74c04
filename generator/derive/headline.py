"""The headline check: does a title claim an effect that the study's primary outcome does not show?

A title claims an effect when it uses a word of benefit, superiority or
effect (:data:`CLAIM_WORDS`: "effective", "superior", "reduces", ...).  The
primary outcome shows an effect when its reported p-value is below 0.05 and
its interval (the reported one, or else the risk ratio computed from the
counts) excludes no effect.  The check says nothing when the study gives no
primary outcome with a p-value or an interval: there is nothing to compare.

The result is a message for editors, never a refusal: a headline may be
right for reasons the numbers do not carry (a later time point, a
noninferiority margin), and the editor can say so with ``headline_checked``.
"""

from __future__ import annotations

import re

from generator.derive.effects import describe_effect, format_ratio, parse_reported_p
from generator.derive.findings import outcome_finding
from generator.read.model import Outcome, Study
from generator.read.vocabulary import MEASURES

__all__ = ["CLAIM_WORDS", "ACKNOWLEDGE_FIELD", "claim_word", "primary_shortfall", "headline_warning"]

CLAIM_WORDS = (
    "effective", "efficacious", "superior", "superiority", "improves", "improved", "improve", "improvement",
    "reduces", "reduced", "reduce", "reduction", "lowers", "lowered", "better", "beats", "beat", "outperforms",
    "outperform", "protects", "protective", "protection", "prevents", "prevent", "benefit", "benefits",
    "beneficial", "halves", "cuts", "slows", "works", "wins",
)  # fmt: skip
"""Words by which a headline claims benefit, superiority or an effect."""

ACKNOWLEDGE_FIELD = "headline_checked"
"""The study field with which an editor keeps a headline the check questions."""

_CLAIM = re.compile(r"\b(" + "|".join(CLAIM_WORDS) + r")\b", re.IGNORECASE)
_THRESHOLD = 0.05


def claim_word(title: str) -> str | None:
    """The first word of ``title`` that claims an effect, as written, or None."""
    match = _CLAIM.search(title)
    return match.group() if match else None


def _shortfalls(outcome: Outcome, study: Study) -> tuple[list[str], bool]:
    """What about one outcome does not show an effect, and whether it gave any evidence at all."""
    found: list[str] = []
    evidence = False
    if outcome.p_value and (parsed := parse_reported_p(outcome.p_value)):
        operator, number = parsed
        value = float(number)
        if operator == "=":
            evidence = True
            if value >= _THRESHOLD:
                found.append(f"p = {number}")
        elif operator in ("<", "\u2264") and value <= _THRESHOLD:
            evidence = True
        elif operator in (">", "\u2265") and value >= _THRESHOLD:
            evidence = True
            found.append(f"p {operator} {number}")
    effect = outcome.effect
    if effect is not None and effect.ci:
        evidence = True
        low, high = (float(bound) for bound in effect.ci)
        null = 1.0 if MEASURES[effect.measure].ratio else 0.0
        if low <= null <= high:
            text = describe_effect(effect.measure, effect.estimate, (effect.ci[0], effect.ci[1]), effect.ci_level)
            found.append(f"{text}, an interval that includes no effect")
    elif not evidence:
        row = outcome_finding(outcome, study.study.arms)
        if row is not None:
            evidence = True
            if row.finding.includes_no_effect:
                relative = row.finding.relative
                found.append(
                    f"RR {format_ratio(relative.value)} (95% CI {format_ratio(relative.low)} to"
                    f" {format_ratio(relative.high)}) computed from the counts, an interval that includes no effect"
                )
    return found, evidence


def primary_shortfall(study: Study) -> str | None:
    """Why the primary outcome does not show an effect ("SRI-4 response at week 12: p = 0.052"), or None.

    None also when no primary outcome gives a p-value, an interval or counts.
    """
    for outcome in study.study.outcomes:
        if not outcome.primary:
            continue
        found, _ = _shortfalls(outcome, study)
        if found:
            return f"{outcome.name}: {'; '.join(found)}"
    return None


def headline_warning(study: Study) -> str | None:
    """The message for an editor when the title claims an effect the primary outcome does not show."""
    if getattr(study, ACKNOWLEDGE_FIELD) is not None:
        return None
    word = claim_word(study.title)
    if word is None:
        return None
    shortfall = primary_shortfall(study)
    if shortfall is None:
        return None
    return (
        f"the headline claims an effect (`{word}`) that the primary outcome does not show"
        f" ({shortfall}); reword the title, or keep it by adding"
        f" `{ACKNOWLEDGE_FIELD}: <why the headline stands>` to the file"
    )
