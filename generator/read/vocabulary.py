"""The study-design vocabulary: display names, evidence rank and family.

The rank orders designs by the strength of evidence they usually give
(1 is strongest), in the spirit of the evidence pyramid; the family groups
designs whose studies answer similar questions, for "More like this".
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Design", "DESIGNS", "DESIGN_KEYS"]


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
