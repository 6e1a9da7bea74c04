"""The contract's vocabularies: study designs, blinding and effect measures, each value with what the site makes of it.

A design's rank orders designs by the strength of evidence they usually give
(1 is strongest), in the spirit of the evidence pyramid; its family groups
designs whose studies answer similar questions, for "More like this".  Designs
and blinding carry their schema.org names for the structured data of study
pages (schema.org has no case-control member, so a case-control study is
``Observational``; guidelines and narrative reviews describe no study of their
own).  An effect measure is a ratio (no effect is 1, drawn on a log scale) or a
difference (no effect is 0, drawn on a linear scale).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol, TypeVar

__all__ = [
    "BLINDINGS",
    "BLINDING_KEYS",
    "Blinding",
    "DESIGNS",
    "DESIGN_KEYS",
    "Design",
    "MEASURES",
    "MEASURE_KEYS",
    "Measure",
    "RATIO_MEASURES",
    "CERTAINTIES",
    "CERTAINTY_KEYS",
    "Certainty",
    "DOWNGRADES",
    "DOWNGRADE_KEYS",
]


class _Entry(Protocol):
    """An entry of a vocabulary: anything with a key."""

    @property
    def key(self) -> str: ...


_E = TypeVar("_E", bound=_Entry)


def _by_key(*entries: _E) -> dict[str, _E]:
    """A vocabulary's entries by key, in the order given."""
    return {entry.key: entry for entry in entries}


@dataclass(frozen=True)
class Design:
    """One study design as readers and search engines see it."""

    key: str
    name: str
    rank: int
    family: str
    schema_type: str | None
    """The schema.org type of the study (MedicalTrial, MedicalObservationalStudy or MedicalStudy), or None."""
    schema_design: str | None = None
    """The schema.org member of MedicalTrialDesign or MedicalObservationalStudyDesign that fits, if any."""

    @property
    def randomised(self) -> bool:
        """Whether participants were assigned to the arms at random (the arms' sizes are the randomised)."""
        return self.schema_design == "RandomizedTrial"


_TRIAL, _OBSERVATIONAL, _STUDY = "MedicalTrial", "MedicalObservationalStudy", "MedicalStudy"

DESIGNS: dict[str, Design] = _by_key(
    Design("meta-analysis", "Meta-analysis", 1, "review", _STUDY),
    Design("systematic-review", "Systematic review", 1, "review", _STUDY),
    Design("randomized-controlled-trial", "Randomized controlled trial", 2, "trial", _TRIAL, "RandomizedTrial"),
    Design("non-randomized-trial", "Non-randomized trial", 3, "trial", _TRIAL),
    Design("cohort", "Cohort study", 4, "observational", _OBSERVATIONAL, "CohortStudy"),
    Design("registry-analysis", "Registry analysis", 4, "observational", _OBSERVATIONAL, "Registry"),
    Design("case-control", "Case-control study", 5, "observational", _OBSERVATIONAL, "Observational"),
    Design("cross-sectional", "Cross-sectional study", 6, "observational", _OBSERVATIONAL, "CrossSectional"),
    Design("mortality-trend-analysis", "Mortality trend analysis", 6, "observational", _OBSERVATIONAL, "Observational"),
    Design("biomarker-study", "Biomarker study", 6, "observational", _OBSERVATIONAL, "Observational"),
    Design("case-series", "Case series", 7, "observational", _OBSERVATIONAL, "CaseSeries"),
    Design("case-report", "Case report", 8, "other", _STUDY),
    Design("guideline", "Guideline", 2, "review", None),
    Design("narrative-review", "Narrative review", 8, "review", None),
    Design("other", "Other design", 9, "other", _STUDY),
)

DESIGN_KEYS: tuple[str, ...] = tuple(DESIGNS)


@dataclass(frozen=True)
class Blinding:
    """Who was kept from knowing which arm a participant was in, as readers and search engines see it."""

    key: str
    label: str
    trial_design: str
    """The schema.org member of MedicalTrialDesign."""


BLINDINGS: dict[str, Blinding] = _by_key(
    Blinding("open-label", "Open label", "OpenTrial"),
    Blinding("single-blind", "Single blind", "SingleBlindedTrial"),
    Blinding("double-blind", "Double blind", "DoubleBlindedTrial"),
)

BLINDING_KEYS: tuple[str, ...] = tuple(BLINDINGS)


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
    risk_scale: Literal["risk", "odds", "hazard"] | None = None
    """How the ratio turns a comparison arm's risk into the other arm's, for risks per 1,000 (None: it does not)."""


MEASURES: dict[str, Measure] = _by_key(
    Measure("hazard-ratio", "HR", "Hazard ratio", ratio=True, risk_scale="hazard"),
    Measure("odds-ratio", "OR", "Odds ratio", ratio=True, risk_scale="odds"),
    Measure("risk-ratio", "RR", "Risk ratio", ratio=True, risk_scale="risk"),
    Measure("rate-ratio", "rate ratio", "Rate ratio", ratio=True),
    Measure("mean-difference", "MD", "Mean difference", ratio=False),
    Measure("risk-difference", "RD", "Risk difference", ratio=False),
    Measure("percent-change", "% change", "Percent change", ratio=False),
)

MEASURE_KEYS: tuple[str, ...] = tuple(MEASURES)
RATIO_MEASURES = frozenset(key for key, measure in MEASURES.items() if measure.ratio)


@dataclass(frozen=True)
class Certainty:
    """One GRADE level of certainty of the evidence for an outcome."""

    key: str
    label: str
    symbols: str
    """GRADE's marks: four circles, as many filled as the level is high (⊕⊕◯◯ for low)."""


CERTAINTIES: dict[str, Certainty] = _by_key(
    Certainty("high", "High", "\u2295\u2295\u2295\u2295"),
    Certainty("moderate", "Moderate", "\u2295\u2295\u2295\u25ef"),
    Certainty("low", "Low", "\u2295\u2295\u25ef\u25ef"),
    Certainty("very-low", "Very low", "\u2295\u25ef\u25ef\u25ef"),
)

CERTAINTY_KEYS: tuple[str, ...] = tuple(CERTAINTIES)

DOWNGRADES: dict[str, str] = {
    "risk-of-bias": "risk of bias",
    "inconsistency": "inconsistency",
    "indirectness": "indirectness",
    "imprecision": "imprecision",
    "publication-bias": "publication bias",
}
"""GRADE's five reasons for rating the certainty of evidence down, with how readers see them."""

DOWNGRADE_KEYS: tuple[str, ...] = tuple(DOWNGRADES)
