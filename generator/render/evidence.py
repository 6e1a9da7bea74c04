"""The evidence layer of a study page: derived effects, the p-value audit,
charts and the citation, computed from what the study file says.

This module adapts a validated study to the pure functions of
:mod:`generator.derive.effects`, :mod:`generator.render.charts` and
:mod:`generator.derive.citation`; every number it produces is either copied from the
file or computed from it, and says which.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from generator.derive.citation import CitedWork, bibtex, registry_url, ris
from generator.derive.effects import (
    Comparison,
    EventCount,
    PAudit,
    arm_events,
    audit_p_value,
    compare_arms,
    describe_effect,
    describe_nnt,
    describe_risk_difference,
    describe_risk_ratio,
)
from generator.read.content import StudyRecord
from generator.read.model import Arm, Effect, Outcome
from generator.read.values import parse_result_value
from generator.read.vocabulary import RATIO_MEASURES
from generator.render.charts import BarGroup, ForestRow, bar_chart, bar_chart_text, forest_plot, forest_plot_text
from generator.urls import page_url, study_src

__all__ = ["BIBTEX_FILE", "RIS_FILE", "Chart", "DerivedRow", "derived_rows", "study_charts", "cited_work",
           "citation_files", "registry_links", "effect_text", "outcomes_primary_first"]  # fmt: skip

BIBTEX_FILE = "citation.bib"
RIS_FILE = "citation.ris"
"""The names of a study's citation files, which lie beside its page (``studies/<slug>/citation.ris``)."""


@dataclass(frozen=True)
class DerivedRow:
    """Effects computed from one outcome's two arms, with how they were computed."""

    outcome: str
    primary: bool
    comparison: str  # "Low-dose IL-2 vs Placebo"
    basis: str  # "computed from the counts" or "from % and arm size, approximate"
    risk_difference: str
    risk_ratio: str
    number_needed: str
    significant: bool
    audit: PAudit | None


@dataclass(frozen=True)
class Chart:
    """One inline SVG chart and its text equivalent."""

    svg: Markup
    text: str


def effect_text(outcome: Outcome) -> str:
    """The reported effect estimate in words, or an empty string."""
    effect = outcome.effect
    if effect is None:
        return ""
    ci = (effect.ci[0], effect.ci[1]) if effect.ci else None
    return describe_effect(effect.measure, effect.estimate, ci, effect.ci_level)


def outcomes_primary_first(record: StudyRecord) -> list[Outcome]:
    """The study's outcomes, primary ones first, otherwise in the order written."""
    return sorted(record.study.study.outcomes, key=lambda outcome: not outcome.primary)


def derived_rows(record: StudyRecord) -> list[DerivedRow]:
    """Two-arm effects for every outcome whose first two arms give counts or percentages.

    The first arm listed in ``study.arms`` is compared with the second.
    Outcomes come primary first, as in the results table.
    """
    arms = record.study.study.arms[:2]
    if len(arms) < 2:
        return []
    rows = []
    for outcome in outcomes_primary_first(record):
        pair = _event_pair(outcome, arms)
        if pair is None:
            continue
        treatment, control = pair
        good = outcome.direction != "lower-is-better"
        comparison = compare_arms(treatment, control, events_are_good=good)
        audit = audit_p_value(treatment, control, outcome.p_value) if outcome.p_value else None
        rows.append(_row(outcome, arms, comparison, audit))
    return rows


def _event_pair(outcome: Outcome, arms: list[Arm]) -> tuple[EventCount, EventCount] | None:
    results = outcome.results or {}
    counts = []
    for arm in arms:
        if arm.key not in results:
            return None
        count = arm_events(parse_result_value(results[arm.key]), arm.participants)
        if count is None:
            return None
        counts.append(count)
    return counts[0], counts[1]


def _row(outcome: Outcome, arms: list[Arm], comparison: Comparison, audit: PAudit | None) -> DerivedRow:
    return DerivedRow(
        outcome=outcome.name,
        primary=outcome.primary,
        comparison=f"{arms[0].label} vs {arms[1].label}",
        basis=comparison.source,
        risk_difference=describe_risk_difference(comparison).removeprefix("Risk difference "),  # the column says so
        risk_ratio=describe_risk_ratio(comparison),
        number_needed=describe_nnt(comparison),
        significant=comparison.significant,
        audit=audit,
    )


def study_charts(record: StudyRecord) -> list[Chart]:
    """Charts for a study: per-arm bars where results are proportions, forest plots for reported effects."""
    details = record.study.study
    charts = []
    groups = [group for outcome in details.outcomes if (group := _bar_group(outcome, details.arms))]
    if groups:
        title = f"Results by arm: {record.study.title}"
        charts.append(Chart(Markup(bar_chart(title, groups, chart_id=f"bars-{record.slug}")), bar_chart_text(groups)))
    rows = [_forest_row(outcome.name, effect) for outcome in details.outcomes if (effect := outcome.effect) is not None]
    for scale, chosen in (("ratio", [r for r in rows if r.measure in RATIO_MEASURES]),
                          ("difference", [r for r in rows if r.measure not in RATIO_MEASURES])):  # fmt: skip
        if chosen:
            title = f"Reported effect estimates ({'ratios, log scale' if scale == 'ratio' else 'differences'})"
            svg = forest_plot(title, chosen, chart_id=f"forest-{scale}-{record.slug}")
            charts.append(Chart(Markup(svg), forest_plot_text(chosen)))
    return charts


def _bar_group(outcome: Outcome, arms: list[Arm]) -> BarGroup | None:
    results = outcome.results or {}
    values = []
    for arm in arms:
        if arm.key not in results:
            continue
        value = parse_result_value(results[arm.key])
        if value.kind == "percent":
            values.append((arm.label, value.percent))
        elif value.kind == "count" and value.numerator is not None and value.denominator is not None:
            values.append((arm.label, 100 * value.numerator / value.denominator))
        else:
            values.append((arm.label, None))
    if not any(percent is not None for _, percent in values):
        return None
    return outcome.name, values


def _forest_row(name: str, effect: Effect) -> ForestRow:
    low, high = effect.ci if effect.ci else (None, None)
    return ForestRow(name, effect.measure, effect.estimate, low, high, effect.ci_level)


def cited_work(record: StudyRecord) -> CitedWork | None:
    """The publication behind a study, from whatever its ``source`` says of it.

    None only when the source names no publication at all (no field but ``registration``, which
    identifies the trial, not an article).
    """
    source = record.study.source
    if source is None:
        return None
    work = CitedWork(
        title=" ".join(source.title.split()) if source.title else None,
        authors=source.authors,
        journal=source.journal,
        year=source.year,
        volume=source.volume,
        issue=source.issue,
        pages=source.pages,
        doi=source.doi,
        pmid=source.pmid,
        url=source.url,
    )
    return work if work != CitedWork() else None


def citation_files(record: StudyRecord) -> dict[str, str]:
    """``studies/<slug>/citation.bib`` and ``.ris`` for the study's publication, if citable."""
    work = cited_work(record)
    if work is None:
        return {}
    folder = page_url(study_src(record.slug))
    return {
        folder + BIBTEX_FILE: bibtex(record.slug.replace("-", "_"), work),
        folder + RIS_FILE: ris(work),
    }


def registry_links(record: StudyRecord) -> list[tuple[str, str | None]]:
    """Each registration number with its registry page, where the registry is known."""
    source = record.study.source
    return [(number, registry_url(number)) for number in (source.registration if source else [])]
