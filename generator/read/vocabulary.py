"""The contract's vocabularies: study designs and effect measures, each value with what the site makes of it.

A design's rank orders designs by the strength of evidence they usually give
(1 is strongest), in the spirit of the evidence pyramid; its family groups
designs whose studies answer similar questions, for "More like this".  An
effect measure is a ratio (no effect is 1, drawn on a log scale) or a
difference (no effect is 0, drawn on a linear scale).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Design", "DESIGNS", "DESIGN_KEYS", "MEASURES", "MEASURE_KEYS", "Measure", "RATIO_MEASURES"]


@dataclass(frozen=True)
class Design:
    """One study design as readers see it."""

    key: str
    name: str
    rank: int
    family: str


DESIGNS: dict[str, Design] = {
    design.key: design
    for design in (
        Design("meta-analysis", "Meta-analysis", 1, "review"),
        Design("systematic-review", "Systematic review", 1, "review"),
        Design("randomized-controlled-trial", "Randomized controlled trial", 2, "trial"),
        Design("non-randomized-trial", "Non-randomized trial", 3, "trial"),
        Design("cohort", "Cohort study", 4, "observational"),
        Design("registry-analysis", "Registry analysis", 4, "observational"),
        Design("case-control", "Case-control study", 5, "observational"),
        Design("cross-sectional", "Cross-sectional study", 6, "observational"),
        Design("mortality-trend-analysis", "Mortality trend analysis", 6, "observational"),
        Design("biomarker-study", "Biomarker study", 6, "observational"),
        Design("case-series", "Case series", 7, "observational"),
        Design("case-report", "Case report", 8, "other"),
        Design("guideline", "Guideline", 2, "review"),
        Design("narrative-review", "Narrative review", 8, "review"),
        Design("other", "Other design", 9, "other"),
    )
}

DESIGN_KEYS: tuple[str, ...] = tuple(DESIGNS)


@dataclass(frozen=True)
class Measure:
    """One effect measure: how sentences name it and how a forest plot draws it."""

    key: str
    label: str
    """The short name before a number: "HR 1.18"."""
    axis: str
    """The caption of a forest plot's axis: "Hazard ratio"."""
    ratio: bool
    """Whether no effect is 1 and the axis logarithmic (otherwise no effect is 0 and the axis linear)."""


MEASURES: dict[str, Measure] = {
    measure.key: measure
    for measure in (
        Measure("hazard-ratio", "HR", "Hazard ratio", ratio=True),
        Measure("odds-ratio", "OR", "Odds ratio", ratio=True),
        Measure("risk-ratio", "RR", "Risk ratio", ratio=True),
        Measure("rate-ratio", "rate ratio", "Rate ratio", ratio=True),
        Measure("mean-difference", "MD", "Mean difference", ratio=False),
        Measure("risk-difference", "RD", "Risk difference", ratio=False),
        Measure("percent-change", "% change", "Percent change", ratio=False),
    )
}

MEASURE_KEYS: tuple[str, ...] = tuple(MEASURES)
RATIO_MEASURES = frozenset(key for key, measure in MEASURES.items() if measure.ratio)
