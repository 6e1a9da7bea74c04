"""The evidence layer of a study page: derived effects, the p-value audit,
charts and the citation, computed from what the study file says.

This module adapts a validated study to the pure functions of
:mod:`generator.derive.effects`, :mod:`generator.render.charts` and
:mod:`generator.derive.citation`; every number it produces is either copied from the
file or computed from it, and says which.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import get_args

from markupsafe import Markup

from generator.derive.citation import CitedWork, bibtex, registry_url, ris
from generator.derive.effects import (
    PAudit,
    describe_difference_per_1000,
    describe_effect,
    describe_finding_nnt,
    describe_per_1000,
    format_ratio,
    plain_statement,
)
from generator.derive.findings import OutcomeFinding, study_findings
from generator.read.content import StudyRecord
from generator.read.model import Arm, Effect, Outcome
from generator.read.values import parse_result_value
from generator.read.vocabulary import CERTAINTIES, DOWNGRADES, MEASURES, RATIO_MEASURES
from generator.render.charts import (
    BarGroup,
    ForestRow,
    Layout,
    bar_chart,
    bar_chart_text,
    forest_plot,
    forest_plot_text,
)
from generator.urls import page_url, study_src

__all__ = ["BIBTEX_FILE", "RIS_FILE", "Chart", "FindingRow", "finding_rows", "study_charts", "cited_work",
           "citation_files", "registry_links", "effect_text", "outcomes_primary_first"]  # fmt: skip

BIBTEX_FILE = "citation.bib"
RIS_FILE = "citation.ris"
"""The names of a study's citation files, which lie beside its page (``studies/<slug>/citation.ris``)."""


@dataclass(frozen=True)
class FindingRow:
    """One outcome's row of the summary of findings, in words and numbers ready to print."""

    outcome: str
    primary: bool
    control_risk: str  # "300 per 1,000"
    treatment_risk: str  # "552 per 1,000"
    relative: str  # "RR 1.84 (95% CI 0.97 to 3.48)"
    difference: str  # "252 more per 1,000 (95% CI 8 fewer to 700 more)"
    statement: str  # the plain-language line
    number_needed: str | None  # "NNT 4 (95% CI 2 to 66)"; None when the interval includes no difference
    includes_no_effect: bool
    basis: str  # how the relative effect was obtained
    reported: bool  # whether the relative effect is the paper's own
    certainty: str | None  # "Low ⊕⊕◯◯: rated down for risk of bias, imprecision"
    audit: PAudit | None


_BASIS = {
    "counts": "risk ratio computed from the counts",
    "approximate": "risk ratio from % and arm size, approximate",
}


@dataclass(frozen=True)
class Chart:
    """One inline SVG chart in two layouts (the stylesheet shows one, by screen width) and its text equivalent."""

    svg: Markup
    text: str
    svg_narrow: Markup = Markup("")


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


def finding_rows(record: StudyRecord) -> list[FindingRow]:
    """The summary of findings: every two-arm outcome with a relative effect and the comparison arm's risk."""
    return [_finding_row(row) for row in study_findings(record.study)]


def _finding_row(row: OutcomeFinding) -> FindingRow:
    finding = row.finding
    if row.source == "reported":
        effect = row.outcome.effect
        assert effect is not None and effect.ci is not None
        relative = describe_effect(effect.measure, effect.estimate, (effect.ci[0], effect.ci[1]), effect.ci_level)
        basis = f"{MEASURES[finding.measure].axis.lower()} as reported"
    else:
        rr = finding.relative
        relative = f"RR {format_ratio(rr.value)} (95% CI {format_ratio(rr.low)} to {format_ratio(rr.high)})"
        basis = _BASIS[row.source] + (f"; {finding.relative_note}" if finding.relative_note else "")
    certainty = row.outcome.certainty
    certainty_text = None
    if certainty is not None:
        level = CERTAINTIES[certainty.level]
        reasons = ", ".join(DOWNGRADES[key] for key in certainty.downgraded_for)
        certainty_text = f"{level.label} {level.symbols}" + (f": rated down for {reasons}" if reasons else "")
    corresponding = finding.corresponding
    return FindingRow(
        outcome=row.outcome.name,
        primary=row.outcome.primary,
        control_risk=describe_per_1000(finding.assumed),
        treatment_risk=describe_per_1000(corresponding.value) if corresponding else "not estimable",
        relative=relative,
        difference=describe_difference_per_1000(finding),
        statement=plain_statement(finding, row.outcome.name, row.treatment.label, row.control.label),
        number_needed=describe_finding_nnt(finding) if finding.number_needed else None,
        includes_no_effect=finding.includes_no_effect,
        basis=basis,
        reported=row.source == "reported",
        certainty=certainty_text,
        audit=row.audit,
    )


_LAYOUTS: tuple[tuple[Layout, str], ...] = tuple(
    (layout, "" if layout == "wide" else f"-{layout}") for layout in get_args(Layout)
)
"""Each chart's layouts with the suffix of their ids: the wide one keeps the id it always had."""


def study_charts(record: StudyRecord) -> list[Chart]:
    """Charts for a study: per-arm bars where results are proportions, forest plots for reported effects."""
    details = record.study.study
    charts = []
    groups = [group for outcome in details.outcomes if (group := _bar_group(outcome, details.arms))]
    if groups:
        title = f"Results by arm: {record.study.title}"
        wide, narrow = (bar_chart(title, groups, chart_id=f"bars-{record.slug}{suffix}", layout=layout)
                        for layout, suffix in _LAYOUTS)  # fmt: skip
        charts.append(Chart(Markup(wide), bar_chart_text(groups), Markup(narrow)))
    rows = [_forest_row(outcome.name, effect) for outcome in details.outcomes if (effect := outcome.effect) is not None]
    for scale, chosen in (("ratio", [r for r in rows if r.measure in RATIO_MEASURES]),
                          ("difference", [r for r in rows if r.measure not in RATIO_MEASURES])):  # fmt: skip
        if chosen:
            title = f"Reported effect estimates ({'ratios, log scale' if scale == 'ratio' else 'differences'})"
            wide, narrow = (forest_plot(title, chosen, chart_id=f"forest-{scale}-{record.slug}{suffix}", layout=layout)
                            for layout, suffix in _LAYOUTS)  # fmt: skip
            charts.append(Chart(Markup(wide), forest_plot_text(chosen), Markup(narrow)))
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
