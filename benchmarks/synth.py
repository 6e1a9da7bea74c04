"""A synthetic corpus of study files, for benchmarks and load tests.

Every file follows the editors' contract (v1, ``content-model.md``) and
reads like a real study summary: conditions, designs and topics come with
realistic, skewed frequencies; trials have arms whose per-arm results agree
with their sizes; observational studies report effect estimates with
confidence intervals; bodies are 150-600 words of Markdown.

The corpus is reproducible: study ``i`` depends only on ``(seed, i)``, so
the same seed always gives byte-identical files and a corpus of 1,000 studies
is a prefix of the corpus of 10,000.  :func:`corpus_data` gives the same
studies as plain data, without writing YAML, for benchmarks that run in
memory.  From the command line::

    python -m benchmarks.synth 10000 --out /tmp/bench/content/studies --seed 1
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import re
import sys
import time
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "SCHEMA_COMMENT",
    "CONDITION_WEIGHTS",
    "DESIGN_WEIGHTS",
    "TOPICS",
    "DEFAULT_SEED",
    "study_rng",
    "study_data",
    "synth_study",
    "corpus_data",
    "write_corpus",
    "add_arguments",
    "run",
    "main",
]

SCHEMA_COMMENT = "# yaml-language-server: $schema=../../schema/study.schema.json"
DEFAULT_SEED = 1
DOI_PREFIX = "10.5555/synth."  # 10.5555 is the DOI prefix reserved for tests and examples
LAST_DAY = dt.date(2026, 12, 31)  # "updated" dates stop here
BODY_WORDS = (150, 600)
WRAP = 78


# --- vocabulary -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Condition:
    """One condition of the contract with the words studies of it use."""

    key: str
    names: tuple[str, ...]  # full names; several for `other-rheumatic`
    short: str | None  # abbreviation used in titles; None: use the name
    weight: int  # relative frequency in the corpus
    drugs: tuple[str, ...]
    outcomes: tuple[str, ...]  # binary trial endpoints ("responders")
    markers: tuple[str, ...]
    risks: tuple[str, ...]  # events studied in observational designs
    related: tuple[str, ...] = ()  # candidates for `also_conditions`


_CONDITIONS: tuple[_Condition, ...] = (
    _Condition(
        "sle", ("systemic lupus erythematosus",), "SLE", 18,
        ("anifrolumab", "belimumab", "hydroxychloroquine", "rituximab", "low-dose IL-2", "obinutuzumab",
         "deucravacitinib", "litifilimab", "dapirolizumab pegol", "mycophenolate mofetil",
         "CAR-T cell therapy"),
        ("SRI-4 response", "BICLA response", "LLDAS attainment", "DORIS remission", "severe flare"),
        ("anti-dsDNA", "complement C3", "complement C4", "interferon signature", "serum interferon-alpha",
         "regulatory T cells"),
        ("cardiovascular events", "serious infections", "organ damage accrual", "neuropsychiatric events",
         "pregnancy loss", "death"),
        ("lupus-nephritis", "aps", "sjogrens"),
    ),
    _Condition(
        "lupus-nephritis", ("lupus nephritis",), "LN", 5,
        ("voclosporin", "belimumab", "obinutuzumab", "mycophenolate mofetil", "cyclophosphamide",
         "tacrolimus", "multitarget therapy"),
        ("complete renal response", "primary efficacy renal response", "renal flare",
         "proteinuria reduction of 50% or more"),
        ("urine protein-creatinine ratio", "eGFR", "anti-C1q", "urinary MCP-1", "kidney biopsy class"),
        ("end-stage kidney disease", "chronic kidney disease progression", "serious infections", "death"),
        ("sle",),
    ),
    _Condition(
        "ssc", ("systemic sclerosis",), "SSc", 6,
        ("nintedanib", "tocilizumab", "mycophenolate mofetil", "rituximab", "cyclophosphamide",
         "autologous stem cell transplantation", "iloprost", "bosentan"),
        ("CRISS improvement", "mRSS improvement of 5 points or more", "stable FVC (decline under 10%)",
         "digital ulcer healing"),
        ("anti-Scl-70", "anticentromere antibodies", "anti-RNA polymerase III", "KL-6", "NT-proBNP",
         "nailfold capillaroscopy"),
        ("interstitial lung disease progression", "pulmonary arterial hypertension",
         "scleroderma renal crisis", "digital ulcers", "death"),
        ("myositis", "sjogrens"),
    ),
    _Condition(
        "myositis", ("idiopathic inflammatory myopathies", "dermatomyositis", "polymyositis"), "IIM", 4,
        ("IVIG", "rituximab", "tacrolimus", "tofacitinib", "methotrexate", "abatacept", "azathioprine"),
        ("Total Improvement Score of 20 or more", "moderate improvement on ACR/EULAR criteria",
         "creatine kinase normalisation"),
        ("anti-MDA5", "anti-Jo-1", "anti-TIF1-gamma", "anti-HMGCR", "anti-Mi-2", "creatine kinase",
         "ferritin"),
        ("cancer", "rapidly progressive interstitial lung disease", "opportunistic infections", "death"),
        ("ssc", "other-rheumatic"),
    ),
    _Condition(
        "aps", ("antiphospholipid syndrome",), "APS", 3,
        ("warfarin", "rivaroxaban", "apixaban", "low-molecular-weight heparin", "hydroxychloroquine",
         "low-dose aspirin"),
        ("live birth", "freedom from recurrent thrombosis", "freedom from major bleeding"),
        ("lupus anticoagulant", "anticardiolipin antibodies", "anti-beta2-glycoprotein I",
         "triple positivity", "anti-phosphatidylserine/prothrombin"),
        ("recurrent thrombosis", "stroke", "pregnancy morbidity", "major bleeding", "arterial thrombosis"),
        ("sle",),
    ),
    _Condition(
        "aav", ("ANCA-associated vasculitis", "granulomatosis with polyangiitis", "microscopic polyangiitis"),
        "AAV", 4,
        ("rituximab", "avacopan", "cyclophosphamide", "plasma exchange", "mepolizumab", "azathioprine",
         "reduced-dose glucocorticoids"),
        ("sustained remission", "remission at week 26", "freedom from relapse"),
        ("PR3-ANCA", "MPO-ANCA", "eGFR", "urinary soluble CD163", "B-cell repopulation"),
        ("relapse", "end-stage kidney disease", "serious infections", "death"),
        ("other-rheumatic",),
    ),
    _Condition(
        "ra", ("rheumatoid arthritis",), "RA", 20,
        ("methotrexate", "adalimumab", "etanercept", "tocilizumab", "sarilumab", "abatacept", "rituximab",
         "baricitinib", "tofacitinib", "upadacitinib", "filgotinib", "certolizumab pegol", "golimumab",
         "leflunomide", "olokizumab", "peficitinib"),
        ("ACR20 response", "ACR50 response", "ACR70 response", "DAS28-CRP remission", "CDAI remission",
         "Boolean remission", "HAQ-DI improvement of 0.22 or more"),
        ("anti-CCP", "rheumatoid factor", "C-reactive protein", "MBDA score", "synovial tissue signature",
         "calprotectin"),
        ("major adverse cardiovascular events", "venous thromboembolism", "malignancy", "herpes zoster",
         "serious infections", "interstitial lung disease", "death"),
        ("sjogrens", "osteoporosis", "fibromyalgia"),
    ),
    _Condition(
        "psa", ("psoriatic arthritis",), "PsA", 6,
        ("secukinumab", "ixekizumab", "bimekizumab", "guselkumab", "risankizumab", "ustekinumab",
         "apremilast", "upadacitinib", "adalimumab", "tofacitinib", "deucravacitinib"),
        ("ACR50 response", "PASI 90 response", "minimal disease activity", "enthesitis resolution",
         "dactylitis resolution", "DAPSA remission"),
        ("HLA-B27", "C-reactive protein", "power Doppler synovitis", "serum IL-17A"),
        ("cardiovascular events", "metabolic syndrome", "depression", "serious infections"),
        ("axspa",),
    ),
    _Condition(
        "axspa", ("axial spondyloarthritis", "ankylosing spondylitis"), "axSpA", 5,
        ("secukinumab", "ixekizumab", "bimekizumab", "upadacitinib", "tofacitinib", "adalimumab",
         "certolizumab pegol", "etanercept", "NSAIDs"),
        ("ASAS40 response", "ASDAS low disease activity", "BASDAI50 response", "ASAS partial remission"),
        ("HLA-B27", "C-reactive protein", "MRI sacroiliitis", "calprotectin"),
        ("acute anterior uveitis", "inflammatory bowel disease", "cardiovascular events",
         "vertebral fractures", "radiographic progression"),
        ("psa",),
    ),
    _Condition(
        "gout", ("gout",), None, 5,
        ("allopurinol", "febuxostat", "pegloticase", "colchicine", "anakinra", "canakinumab", "probenecid",
         "SGLT2 inhibitors"),
        ("serum urate below 6 mg/dL", "freedom from flares", "tophus resolution",
         "pain reduction of 50% or more"),
        ("serum urate", "dual-energy CT urate volume", "HLA-B*58:01", "C-reactive protein"),
        ("cardiovascular events", "chronic kidney disease", "gout flares", "hospitalisation", "death"),
        ("osteoporosis",),
    ),
    _Condition(
        "sjogrens", ("Sjögren's disease",), "Sjögren's", 3,
        ("ianalumab", "dazodalibep", "hydroxychloroquine", "rituximab", "pilocarpine", "nipocalimab",
         "iscalimab"),
        ("ESSDAI improvement of 3 points or more", "ESSPRI improvement",
         "improved unstimulated salivary flow"),
        ("anti-SSA/Ro", "anti-SSB/La", "rheumatoid factor", "salivary gland ultrasound", "focus score",
         "BAFF"),
        ("lymphoma", "interstitial lung disease", "peripheral neuropathy", "severe fatigue"),
        ("sle", "ra"),
    ),
    _Condition(
        "gca", ("giant cell arteritis",), "GCA", 3,
        ("tocilizumab", "upadacitinib", "secukinumab", "guselkumab", "methotrexate", "abatacept"),
        ("sustained remission at week 52", "glucocorticoid-free remission", "freedom from relapse"),
        ("halo sign on ultrasound", "C-reactive protein", "erythrocyte sedimentation rate",
         "PET-CT vascular uptake", "temporal artery biopsy", "IL-6"),
        ("vision loss", "aortic aneurysm", "stroke", "glucocorticoid toxicity", "death"),
        ("pmr",),
    ),
    _Condition(
        "pmr", ("polymyalgia rheumatica",), "PMR", 2,
        ("tocilizumab", "sarilumab", "prednisolone", "methotrexate", "rituximab"),
        ("glucocorticoid-free remission", "sustained remission", "freedom from relapse"),
        ("C-reactive protein", "erythrocyte sedimentation rate", "ultrasound bursitis", "PET-CT", "IL-6"),
        ("glucocorticoid toxicity", "relapse", "giant cell arteritis", "fractures"),
        ("gca",),
    ),
    _Condition(
        "oa", ("osteoarthritis", "knee osteoarthritis", "hand osteoarthritis"), "OA", 5,
        ("intra-articular glucocorticoids", "hyaluronic acid", "platelet-rich plasma", "duloxetine",
         "topical NSAIDs", "tanezumab", "lorecivivint", "sprifermin", "exercise therapy"),
        ("WOMAC pain improvement of 50% or more", "OMERACT-OARSI response", "KOOS improvement"),
        ("joint space width", "MRI cartilage thickness", "ultrasound synovitis", "urinary CTX-II"),
        ("total knee replacement", "falls", "cardiovascular events", "long-term opioid use"),
        ("osteoporosis", "gout"),
    ),
    _Condition(
        "osteoporosis", ("osteoporosis", "glucocorticoid-induced osteoporosis"), None, 4,
        ("denosumab", "romosozumab", "zoledronic acid", "alendronate", "teriparatide", "abaloparatide",
         "vitamin D"),
        ("freedom from new vertebral fracture", "BMD gain of 3% or more", "freedom from clinical fracture"),
        ("bone mineral density", "trabecular bone score", "FRAX score", "serum CTX", "P1NP"),
        ("hip fracture", "vertebral fracture", "atypical femoral fracture", "osteonecrosis of the jaw",
         "death"),
        ("ra", "pmr", "sle"),
    ),
    _Condition(
        "fibromyalgia", ("fibromyalgia",), None, 2,
        ("duloxetine", "pregabalin", "milnacipran", "amitriptyline", "low-dose naltrexone",
         "exercise therapy", "cognitive behavioural therapy"),
        ("pain reduction of 30% or more", "PGIC much improved", "FIQR improvement"),
        ("small-fibre neuropathy", "pressure pain threshold", "functional MRI"),
        ("depression", "long-term opioid use", "work disability", "sleep disturbance"),
        ("ra", "sle", "axspa"),
    ),
    _Condition(
        "still-disease", ("Still's disease", "adult-onset Still's disease", "systemic JIA"), "Still's", 1,
        ("anakinra", "canakinumab", "tocilizumab", "emapalumab", "baricitinib"),
        ("clinical remission", "glucocorticoid-free remission", "resolution of fever"),
        ("ferritin", "IL-18", "S100A12", "CXCL9"),
        ("macrophage activation syndrome", "lung disease", "death"),
        ("jia",),
    ),
    _Condition(
        "behcet", ("Behçet's disease",), "Behçet's", 1,
        ("apremilast", "colchicine", "infliximab", "adalimumab", "azathioprine", "interferon-alpha"),
        ("complete response of oral ulcers", "freedom from uveitis relapse", "remission"),
        ("HLA-B51", "pathergy test", "neutrophil-to-lymphocyte ratio", "C-reactive protein"),
        ("vision loss", "venous thrombosis", "neuro-Behçet's disease", "pulmonary artery aneurysm"),
        ("other-rheumatic",),
    ),
    _Condition(
        "jia", ("juvenile idiopathic arthritis",), "JIA", 2,
        ("methotrexate", "etanercept", "adalimumab", "tocilizumab", "abatacept", "tofacitinib",
         "baricitinib"),
        ("JIA ACR70 response", "inactive disease", "JADAS remission", "freedom from flare"),
        ("antinuclear antibodies", "rheumatoid factor", "HLA-B27", "MRP8/14"),
        ("uveitis", "growth impairment", "flare", "serious infections"),
        ("still-disease", "axspa"),
    ),
    _Condition(
        "other-rheumatic",
        ("IgG4-related disease", "VEXAS syndrome", "Takayasu arteritis", "sarcoidosis",
         "relapsing polychondritis", "immune checkpoint inhibitor arthritis"),
        None, 1,
        ("rituximab", "tocilizumab", "IVIG", "anakinra", "inebilizumab", "azacitidine"),
        ("complete response", "remission", "freedom from relapse"),
        ("serum IgG4", "C-reactive protein", "PET-CT", "UBA1 mutation"),
        ("relapse", "organ damage", "serious infections", "death"),
        ("aav", "behcet"),
    ),
)  # fmt: skip

_CONDITION_BY_KEY = {condition.key: condition for condition in _CONDITIONS}
CONDITION_WEIGHTS: dict[str, int] = {condition.key: condition.weight for condition in _CONDITIONS}

DESIGN_WEIGHTS: dict[str, int] = {
    "randomized-controlled-trial": 22,
    "non-randomized-trial": 4,
    "meta-analysis": 8,
    "systematic-review": 4,
    "cohort": 20,
    "case-control": 6,
    "cross-sectional": 8,
    "registry-analysis": 7,
    "mortality-trend-analysis": 2,
    "case-series": 3,
    "case-report": 3,
    "biomarker-study": 6,
    "guideline": 2,
    "narrative-review": 3,
    "other": 2,
}
_FAMILY = {
    "randomized-controlled-trial": "trial",
    "non-randomized-trial": "trial",
    "meta-analysis": "pooled",
    "systematic-review": "pooled",
    "cohort": "observational",
    "case-control": "observational",
    "cross-sectional": "observational",
    "registry-analysis": "observational",
    "mortality-trend-analysis": "observational",
    "biomarker-study": "observational",
    "case-series": "case",
    "case-report": "case",
    "guideline": "narrative",
    "narrative-review": "narrative",
    "other": "narrative",
}
_DESIGN_NAMES = {
    "randomized-controlled-trial": "randomised controlled trial",
    "non-randomized-trial": "non-randomised trial",
    "meta-analysis": "meta-analysis",
    "systematic-review": "systematic review",
    "cohort": "cohort study",
    "case-control": "case-control study",
    "cross-sectional": "cross-sectional study",
    "registry-analysis": "registry analysis",
    "mortality-trend-analysis": "analysis of mortality trends",
    "biomarker-study": "biomarker study",
    "case-series": "case series",
    "case-report": "case report",
    "guideline": "guideline",
    "narrative-review": "narrative review",
    "other": "report",
}

# Topics readers follow across conditions; the most popular come first.
_HEAD_TOPICS = (
    "JAK inhibitors", "cardiovascular risk", "glucocorticoids", "biologics", "treat-to-target",
    "real-world evidence", "TNF inhibitors", "B-cell depletion", "pregnancy", "interstitial lung disease",
    "biomarkers", "safety", "remission", "disease activity", "quality of life",
)  # fmt: skip
_THEMES = (
    "IL-6 inhibitors", "IL-17 inhibitors", "IL-23 inhibitors", "biosimilars", "csDMARDs", "bDMARDs",
    "anti-interferon therapy", "calcineurin inhibitors", "complement inhibitors", "urate-lowering therapy",
    "anticoagulation", "statins", "vaccination", "COVID-19", "herpes zoster vaccine",
    "glucocorticoid tapering", "drug tapering", "drug survival", "adherence", "shared decision-making",
    "telemedicine", "health disparities", "cost-effectiveness", "early arthritis", "damage accrual",
    "frailty", "sarcopenia", "obesity", "diabetes", "smoking", "diet", "physical activity", "sleep",
    "mental health", "fertility", "lactation", "paediatric rheumatology", "older adults", "sex differences",
    "ethnicity", "transition of care", "venous thromboembolism", "malignancy risk", "lymphoma risk",
    "infection risk", "mortality", "hospitalisation", "fatigue", "pain", "work disability",
    "patient-reported outcomes", "flares", "organ involvement", "renal involvement", "cardiac involvement",
    "ocular involvement", "skin involvement", "neurological involvement", "Raynaud's phenomenon", "uveitis",
    "enthesitis", "dactylitis", "tophi", "machine learning", "Mendelian randomization",
    "genome-wide association", "single-cell RNA sequencing", "transcriptomics", "proteomics", "microbiome",
    "epigenetics", "ultrasound", "MRI", "PET-CT", "target trial emulation", "propensity scores",
    "claims data", "electronic health records", "biobanks", "network meta-analysis", "trial design",
    "placebo response", "outcome measures", "classification criteria", "diagnostic delay", "screening",
    "prediction models", "regulatory T cells", "NK cells", "plasmablasts", "type I interferon",
    "neutrophil extracellular traps", "autoantibodies", "cytokines", "CAR-T", "cell therapy",
    "stem cell transplantation", "precision medicine", "drug repurposing", "nephrology", "pulmonology",
    "cardiology", "dermatology", "ophthalmology", "primary care", "nursing", "guidelines",
)  # fmt: skip


def _build_topics() -> tuple[str, ...]:
    """The topic vocabulary in popularity order: a curated head, then a fixed shuffle of the rest."""
    seen = {topic.casefold() for topic in _HEAD_TOPICS}
    rest: list[str] = []
    for label in _THEMES + tuple(word for c in _CONDITIONS for word in (*c.drugs, *c.markers, *c.risks, *c.outcomes)):
        if label.casefold() not in seen and len(label) <= 60:
            seen.add(label.casefold())
            rest.append(label)
    random.Random("rheum-evidence topic order").shuffle(rest)
    return _HEAD_TOPICS + tuple(rest)


TOPICS: tuple[str, ...] = _build_topics()
# Zipf-Mandelbrot popularity: the top topic lands on about a quarter of studies, the median on a handful.
_TOPIC_CUMULATIVE = tuple(accumulate(1 / (rank + 3) ** 1.1 for rank in range(1, len(TOPICS) + 1)))
_CONDITION_KEYS = tuple(CONDITION_WEIGHTS)
_CONDITION_CUMULATIVE = tuple(accumulate(CONDITION_WEIGHTS.values()))
_DESIGN_KEYS = tuple(DESIGN_WEIGHTS)
_DESIGN_CUMULATIVE = tuple(accumulate(DESIGN_WEIGHTS.values()))

_COUNTRIES = (
    "United States", "United Kingdom", "China", "Japan", "Germany", "France", "Italy", "Spain", "Canada",
    "Australia", "the Netherlands", "Sweden", "Denmark", "Norway", "South Korea", "Brazil", "Mexico", "India",
    "Türkiye", "Israel", "Switzerland", "Belgium", "Poland", "Argentina", "Taiwan", "Finland",
)  # fmt: skip
_CENTRES = (
    "Karolinska University Hospital, Stockholm", "Hôpital Cochin, Paris", "Charité, Berlin",
    "Peking Union Medical College Hospital, Beijing", "Hospital for Special Surgery, New York",
    "Leeds Teaching Hospitals", "Leiden University Medical Center", "Seoul National University Hospital",
    "Keio University Hospital, Tokyo", "Mayo Clinic, Rochester", "Johns Hopkins Hospital, Baltimore",
    "Hospital Clínic, Barcelona", "University Hospital Zurich", "Rigshospitalet, Copenhagen",
)  # fmt: skip
_DATABASES = (
    "the Danish national patient registry", "the UK Clinical Practice Research Datalink",
    "a US commercial claims database", "the Swedish Rheumatology Quality Register",
    "the Korean National Health Insurance database", "the German RABBIT register", "the CORRONA registry",
    "the French SNDS database", "the Hopkins Lupus Cohort", "the UK Biobank",
    "Veterans Affairs health records", "the Japanese Diagnosis Procedure Combination database",
    "the Norwegian DANBIO and NOR-DMARD registers",
)  # fmt: skip
_JOURNALS = (
    "Annals of the Rheumatic Diseases", "Arthritis & Rheumatology", "Rheumatology (Oxford)",
    "The Lancet Rheumatology", "Arthritis Research & Therapy", "Lupus Science & Medicine", "RMD Open",
    "Journal of Rheumatology", "Seminars in Arthritis and Rheumatism", "Arthritis Care & Research",
    "The New England Journal of Medicine", "The Lancet", "JAMA", "BMJ", "Nature Reviews Rheumatology",
    "Clinical and Experimental Rheumatology", "Joint Bone Spine", "Modern Rheumatology",
)  # fmt: skip
_ROUTES = (
    "subcutaneously every 2 weeks", "orally once daily", "intravenously every 4 weeks", "orally twice daily",
    "subcutaneously once weekly",
)  # fmt: skip
_ADVERSE_EVENTS = (
    "Serious infection", "Herpes zoster", "Upper respiratory tract infection", "Headache", "Nausea",
    "Injection-site reaction", "Infusion reaction", "Raised liver enzymes", "Neutropenia", "Diarrhoea",
)  # fmt: skip
_ORGANISATIONS = ("EULAR", "ACR", "BSR", "APLAR", "EULAR/ACR", "KDIGO", "PANLAR")
_DISCLOSURES = (
    "The author has no conflicts of interest to disclose related to this subject.",
    "The author has received consulting fees from several manufacturers of drugs discussed here.",
    "This summary was prepared without industry funding.",
    "The editor declares no competing interests; the trial was funded by its sponsor.",
)


# --- text helpers ---------------------------------------------------------------------------------------


def _cap(text: str) -> str:
    """Capitalise the first letter only (``anti-CCP`` stays ``Anti-CCP``, ``eGFR`` stays as is)."""
    if text[:2].isalpha() and text[1:2].isupper():
        return text
    return text[:1].upper() + text[1:]


def _slugify(text: str, separator: str = "-") -> str:
    """Lowercase ASCII words of ``text`` joined by ``separator``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", separator, ascii_text.lower()).strip(separator)


_LINE = re.compile(rf"(.{{1,{WRAP}}}|\S+)(?: +|$)")


def _wrap(text: str) -> str:
    """Greedy word wrap at :data:`WRAP` columns (much faster than :mod:`textwrap` for plain prose)."""
    return "\n".join(_LINE.findall(text.strip()))


def _clip(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _uncap(text: str) -> str:
    """Lowercase the first letter unless the word is an abbreviation (``ACR20`` stays)."""
    if text[1:2].isupper() or text[1:2].isdigit():
        return text
    return text[:1].lower() + text[1:]


def _words(text: str) -> int:
    """Words in single-spaced text."""
    return text.count(" ") + bool(text)


def _percent(count: int, total: int) -> str:
    return f"{100 * count / total:.1f}%"


def _format_p(p: float) -> float | str:
    """A p-value as editors write it: three decimals, or ``"<0.001"``."""
    return "<0.001" if p < 0.001 else round(p, 3)


def _p_text(p: float | str) -> str:
    return "p<0.001" if p == "<0.001" else f"p={p}"


# --- the study's backbone ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    """The choices every part of one study is written from."""

    index: int
    condition: _Condition
    name: str
    short: str
    design: str
    family: str
    drug: str
    other: str
    marker: str
    risk: str
    outcome: str
    database: str
    org: str
    published: dt.date

    def words(self) -> dict[str, str]:
        """Placeholders for the sentence templates."""
        return {
            "name": self.name, "Name": _cap(self.name), "short": self.short,
            "drug": self.drug, "Drug": _cap(self.drug), "other": self.other,
            "marker": self.marker, "Marker": _cap(self.marker), "risk": self.risk, "Risk": _cap(self.risk),
            "outcome": self.outcome, "year": str(self.published.year), "design": _DESIGN_NAMES[self.design],
            "database": self.database, "org": self.org,
        }  # fmt: skip


def _context(rng: random.Random, index: int) -> _Context:
    condition = _CONDITION_BY_KEY[rng.choices(_CONDITION_KEYS, cum_weights=_CONDITION_CUMULATIVE)[0]]
    design = rng.choices(_DESIGN_KEYS, cum_weights=_DESIGN_CUMULATIVE)[0]
    name = rng.choice(condition.names)
    drug, other = rng.sample(condition.drugs, 2)
    return _Context(
        index=index,
        condition=condition,
        name=name,
        short=condition.short if name == condition.names[0] and condition.short else name,
        design=design,
        family=_FAMILY[design],
        drug=drug,
        other=other,
        marker=rng.choice(condition.markers),
        risk=rng.choice(condition.risks),
        outcome=rng.choice(condition.outcomes),
        database=rng.choice(_DATABASES),
        org=rng.choice(_ORGANISATIONS),
        published=_published(rng),
    )


def _published(rng: random.Random) -> dt.date:
    """A publication date in 2000-2025, commoner in recent years."""
    year = 2000 + int(26 * rng.random() ** 0.6)
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))


# --- the study block: arms, outcomes, effects -----------------------------------------------------------


@dataclass
class _Results:
    """The ``study:`` mapping and the sentences that report its numbers."""

    block: dict[str, Any]
    facts: list[str]
    positive: bool
    table: list[list[str]] | None = None


def _binary(rng: random.Random, rate: float, total: int) -> int:
    """A binomial-looking count of events among ``total`` (normal approximation)."""
    spread = math.sqrt(total * rate * (1 - rate))
    return min(total, max(0, round(total * rate + rng.gauss(0, spread))))


def _two_proportion_p(a: int, n1: int, b: int, n2: int) -> float:
    pooled = (a + b) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return 1.0 if se == 0 else math.erfc(abs(a / n1 - b / n2) / se / math.sqrt(2))


def _effect(measure: str, estimate: float, se: float, level: float = 0.95) -> dict[str, Any]:
    """An effect with its confidence interval; ``estimate`` and ``se`` on the log scale for ratios."""
    z = 1.959964 if level == 0.95 else 1.644854
    low, high = estimate - z * se, estimate + z * se
    if measure in {"hazard-ratio", "odds-ratio", "risk-ratio", "rate-ratio"}:
        values = [max(0.01, round(math.exp(x), 2)) for x in (estimate, low, high)]
    else:
        values = [round(x, 1) for x in (estimate, low, high)]
    effect: dict[str, Any] = {"measure": measure, "estimate": values[0], "ci": values[1:]}
    if level != 0.95:
        effect["ci_level"] = level
    return effect


def _effect_text(effect: dict[str, Any]) -> str:
    level = round(100 * effect.get("ci_level", 0.95))
    low, high = effect["ci"]
    return f"{effect['measure'].replace('-', ' ')} was {effect['estimate']} ({level}% CI {low} to {high})"


def _arms(rng: random.Random, ctx: _Context, total: int, weeks: int) -> list[dict[str, Any]]:
    """Two or three arms: the drug (one or two doses) and a comparator."""
    comparator = rng.choices(("placebo", ctx.other, "standard of care"), weights=(6, 3, 1))[0]
    drug_key = _slugify(ctx.drug, "_")[:30]
    doses = [("", "")] if rng.random() < 0.7 else [("_low", "lower dose"), ("_high", "higher dose")]
    arms = [{"key": drug_key + suffix, "label": _cap(f"{ctx.drug} {label}".strip())} for suffix, label in doses]
    arms.append({"key": _slugify(comparator, "_")[:30], "label": _cap(comparator)})
    shares = [2.0] * (len(arms) - 1) + [rng.choice((1.0, 2.0))]
    for arm, share in zip(arms, shares, strict=True):
        arm["participants"] = max(3, round(total * share / sum(shares)))
        if rng.random() < 0.6:
            arm["intervention"] = _intervention(rng, arm["label"], weeks)
    return arms


def _intervention(rng: random.Random, label: str, weeks: int) -> str:
    route = rng.choice(_ROUTES)
    return f"{label} {route}, added to background therapy, for {weeks} weeks"


_GENERIC_ARMS = frozenset({"placebo", "standard_of_care"})


def _trial(rng: random.Random, ctx: _Context) -> _Results:
    total = min(3000, max(12, round(math.exp(rng.gauss(5.3, 0.8)))))
    weeks = rng.choice((12, 16, 24, 26, 48, 52))
    arms = _arms(rng, ctx, total, weeks)
    block: dict[str, Any] = {"design": ctx.design}
    if ctx.design == "randomized-controlled-trial":
        blindings = ("double-blind",) if arms[-1]["key"] == "placebo" else ("open-label", "double-blind")
        block["blinding"] = rng.choice(blindings)
    elif rng.random() < 0.5:
        block["blinding"] = "open-label"
    comparator = arms[-1]
    block["comparator"] = _uncap(comparator["label"]) if comparator["key"] in _GENERIC_ARMS else comparator["label"]
    block.update(_setting(rng, ctx))
    block["participants"] = sum(arm["participants"] for arm in arms)
    block["population"] = f"adults with active {ctx.name} despite standard treatment"
    block["follow_up"] = f"{weeks} weeks"
    results = _Results(block, [], False)
    if rng.random() < 0.9:
        block["arms"] = arms
        endpoints = _endpoints(rng, ctx, weeks)
        block["outcomes"] = [_trial_outcome(rng, arms, name, i == 0, results) for i, name in enumerate(endpoints)]
        if rng.random() < 0.5:
            block["adverse_events"] = _adverse_events(rng, arms)
    return results


def _endpoints(rng: random.Random, ctx: _Context, weeks: int) -> list[str]:
    """The primary endpoint and up to three distinct secondary ones."""
    primary = f"{ctx.outcome} at week {weeks}"
    others = [f"{name} at week {week}" for name in ctx.condition.outcomes for week in sorted({4, weeks // 2, weeks})]
    others.remove(primary)
    return [_cap(name) for name in (primary, *rng.sample(others, rng.randint(0, 3)))]


def _trial_outcome(
    rng: random.Random, arms: list[dict[str, Any]], name: str, primary: bool, results: _Results
) -> dict[str, Any]:
    """One binary outcome: per-arm results with a p-value, or a risk ratio."""
    outcome: dict[str, Any] = {"name": name, **({"primary": True} if primary else {})}
    base = rng.uniform(0.1, 0.5)
    lift = rng.gauss(0.12, 0.1)
    counts = []
    for arm in arms:
        denominator = arm["participants"] - _binary(rng, 0.05, arm["participants"])
        rate = base if arm is arms[-1] else min(0.95, max(0.02, base + lift))
        counts.append((_binary(rng, rate, max(1, denominator)), max(1, denominator)))
    (a, n1), (b, n2) = counts[0], counts[-1]
    p = _format_p(_two_proportion_p(a, n1, b, n2))
    if primary:
        results.positive = p == "<0.001" or p < 0.05
    if rng.random() < 0.2:
        log_rr = math.log((a + 0.5) / (n1 + 0.5)) - math.log((b + 0.5) / (n2 + 0.5))
        se = math.sqrt(1 / (a + 0.5) - 1 / (n1 + 0.5) + 1 / (b + 0.5) - 1 / (n2 + 0.5))
        outcome["effect"] = _effect("risk-ratio", log_rr, se)
        results.facts.append(f"for {_uncap(name)}, the {_effect_text(outcome['effect'])}")
        return outcome
    as_counts = rng.random() < 0.55
    outcome["results"] = _FlowMap(
        (arm["key"], f"{k}/{n}" if as_counts else _percent(k, n)) for arm, (k, n) in zip(arms, counts, strict=True)
    )
    outcome["p_value"] = p
    first, last = outcome["results"][arms[0]["key"]], outcome["results"][arms[-1]["key"]]
    results.facts.append(
        f"{_uncap(outcome['name'])} was {first} with {_uncap(arms[0]['label'])} "
        f"and {last} with {_uncap(arms[-1]['label'])} ({_p_text(p)})"
    )
    if results.table is None and len(arms) == 2:
        results.table = [["Outcome", *(arm["label"] for arm in arms)], [outcome["name"], first, last]]
    return outcome


def _adverse_events(rng: random.Random, arms: list[dict[str, Any]]) -> list[dict[str, Any]]:
    events = []
    for name in rng.sample(_ADVERSE_EVENTS, rng.randint(1, 4)):
        rate = rng.uniform(0.01, 0.2)
        as_counts = rng.random() < 0.3
        values = _FlowMap()
        for arm in arms:
            k = _binary(rng, rate, arm["participants"])
            values[arm["key"]] = f"{k}/{arm['participants']}" if as_counts else k
        events.append({"name": name, "results": values})
    return events


def _setting(rng: random.Random, ctx: _Context) -> dict[str, Any]:
    """``setting`` and ``country``, as a trial or cohort would report them."""
    countries = rng.sample(_COUNTRIES, 1 if rng.random() < 0.6 else rng.randint(2, 8))
    if len(countries) == 1 and rng.random() < 0.5:
        setting = rng.choice(_CENTRES)
    elif ctx.family == "trial":
        setting = f"{rng.randint(len(countries), 40 * len(countries))} centres"
    else:
        setting = rng.choice(("multicenter", "nationwide", "population-based", "tertiary referral centres"))
    return {"setting": setting, "country": countries}


# Typical log-sizes of observational studies (e^8 is about 3,000 patients).
_LOG_SIZES = {
    "cohort": 8.0,
    "registry-analysis": 9.5,
    "case-control": 7.0,
    "cross-sectional": 6.5,
    "mortality-trend-analysis": 9.0,
    "biomarker-study": 5.5,
}
_RATIO_MEASURE = {
    "case-control": "odds-ratio",
    "cross-sectional": "odds-ratio",
    "biomarker-study": "odds-ratio",
}


def _observational(rng: random.Random, ctx: _Context) -> _Results:
    block: dict[str, Any] = {"design": ctx.design, **_setting(rng, ctx)}
    log_size = _LOG_SIZES[ctx.design]
    block["participants"] = min(5_000_000, max(20, round(math.exp(rng.gauss(log_size, 1.0)))))
    block["population"] = f"patients with {ctx.name}" + rng.choice(("", " and matched controls", " aged 18 or older"))
    block["follow_up"] = rng.choice((f"median {rng.uniform(1, 12):.1f} years", f"{rng.randint(1, 20)} years"))
    results = _Results(block, [], False)
    outcomes = []
    for i in range(rng.randint(1, 3)):
        outcome = _observational_outcome(rng, ctx, ctx.risk if i == 0 else rng.choice(ctx.condition.risks), i == 0)
        outcomes.append(outcome)
        results.facts.append(f"for {_uncap(outcome['name'])}, the {_effect_text(outcome['effect'])}")
    effect = outcomes[0]["effect"]
    null = 0 if effect["measure"] == "percent-change" else 1
    results.positive = not effect["ci"][0] <= null <= effect["ci"][1]
    if rng.random() < 0.85:
        block["outcomes"] = outcomes
    return results


def _observational_outcome(rng: random.Random, ctx: _Context, risk: str, primary: bool) -> dict[str, Any]:
    """An effect estimate fitting the design, with a p-value now and then."""
    se = rng.uniform(0.05, 0.4)
    level = 0.9 if rng.random() < 0.05 else 0.95
    if ctx.design == "mortality-trend-analysis":
        change = rng.gauss(-2.0, 2.0)
        effect = _effect("percent-change", change, abs(change) * rng.uniform(0.1, 0.6) + 0.1, level)
        name = f"Annual change in {ctx.short}-related mortality"
    else:
        measure = _RATIO_MEASURE.get(ctx.design) or rng.choice(
            ("hazard-ratio", "hazard-ratio", "rate-ratio", "risk-ratio")
        )
        effect = _effect(measure, rng.gauss(0.3, 0.35), se, level)
        name = _cap(risk) if ctx.design != "biomarker-study" else f"{_cap(ctx.marker)} and {risk}"
    outcome: dict[str, Any] = {"name": name, **({"primary": True} if primary else {}), "effect": effect}
    if rng.random() < 0.3 and effect["measure"] != "percent-change":
        outcome["p_value"] = _format_p(math.erfc(abs(math.log(effect["estimate"])) / se / math.sqrt(2)))
    return outcome


def _pooled(rng: random.Random, ctx: _Context) -> _Results:
    studies = rng.randint(4, 60)
    block: dict[str, Any] = {
        "design": ctx.design,
        "setting": f"{studies} {'randomised trials' if rng.random() < 0.6 else 'studies'}",
        "participants": studies * rng.randint(40, 900),
        "population": f"patients with {ctx.name}",
    }
    results = _Results(block, [], False)
    if ctx.design == "meta-analysis" or rng.random() < 0.3:
        outcomes = []
        for i in range(rng.randint(1, 3)):
            measure = rng.choice(("risk-ratio", "odds-ratio", "mean-difference"))
            estimate = rng.gauss(0.2, 0.3) if measure != "mean-difference" else rng.gauss(-3, 4)
            se = rng.uniform(0.05, 0.3) if measure != "mean-difference" else rng.uniform(0.5, 3)
            event = ctx.outcome if i == 0 else rng.choice(ctx.condition.risks)
            outcome = {"name": _cap(f"{event} with {ctx.drug}"), "effect": _effect(measure, estimate, se)}
            outcomes.append(outcome)
            results.facts.append(f"for {event}, the pooled {_effect_text(outcome['effect'])}")
        block["outcomes"] = outcomes
        ci = outcomes[0]["effect"]["ci"]
        results.positive = ci[0] > (0 if outcomes[0]["effect"]["measure"] == "mean-difference" else 1)
    return results


def _case(rng: random.Random, ctx: _Context) -> _Results:
    block: dict[str, Any] = {"design": ctx.design, "setting": rng.choice(_CENTRES)}
    if ctx.design == "case-report":
        block["participants"] = 1
        block["population"] = f"a {rng.randint(18, 80)}-year-old {rng.choice(('woman', 'man'))} with {ctx.name}"
        return _Results(block, [f"{ctx.risk} developed after {rng.randint(2, 30)} months of {ctx.drug}"], True)
    total = rng.randint(5, 60)
    block.update(participants=total, population=f"patients with {ctx.name} treated with {ctx.drug}")
    block["follow_up"] = f"median {rng.randint(6, 48)} months"
    k = _binary(rng, rng.uniform(0.3, 0.9), total)
    key = _slugify(ctx.drug, "_")[:30]
    block["arms"] = [{"key": key, "label": _cap(ctx.drug), "participants": total}]
    block["outcomes"] = [{"name": _cap(ctx.outcome), "results": _FlowMap({key: f"{k}/{total}"})}]
    return _Results(block, [f"{k} of {total} patients reached {ctx.outcome}"], k > total / 2)


def _narrative(rng: random.Random, ctx: _Context) -> _Results:
    block: dict[str, Any] = {"design": ctx.design}
    if rng.random() < 0.5:
        block["population"] = f"people with {ctx.name}"
    return _Results(block, [], True)


_STUDY_BLOCKS = {
    "trial": _trial,
    "observational": _observational,
    "pooled": _pooled,
    "case": _case,
    "narrative": _narrative,
}


# --- title, summary, findings ---------------------------------------------------------------------------

_TITLES = {
    ("trial", True): (
        "{Drug} improves {outcome} in {short}", "{Drug} meets its primary endpoint in {short}",
        "Phase 3 trial: {drug} superior to {other} in {short}", "{Drug} effective in {name}",
    ),
    ("trial", False): (
        "{Drug} misses its primary endpoint in {short}", "No benefit of {drug} over placebo in {short}",
        "Phase 2 trial of {drug} in {name} disappoints",
    ),
    ("observational", True): (
        "{Risk} more common with {drug} in {short}", "{Marker} predicts {risk} in {short}",
        "Higher risk of {risk} in {name}", "{Risk} in {short}: a {year} update",
    ),
    ("observational", False): (
        "No excess {risk} with {drug} in {short}", "{Marker} does not predict {risk}",
        "{Risk} rates stable in {name}",
    ),
    ("pooled", True): (
        "Meta-analysis: {drug} and {outcome} in {short}", "Pooled data favour {drug} in {short}",
        "Systematic review of {drug} for {name}",
    ),
    ("pooled", False): (
        "Pooled trials show no clear benefit of {drug} in {short}",
        "Systematic review: evidence for {drug} in {short} remains thin",
    ),
    ("case", True): (
        "{Risk} after {drug} in {name}", "Case series: {drug} for refractory {name}",
        "Unusual presentation of {name} with {risk}",
    ),
    ("case", False): ("{Drug} falls short in refractory {name}",),
    ("narrative", True): (
        "New recommendations for {name}", "{org} updates its advice on {name}",
        "{Marker} in {name}: what clinicians need to know", "Managing {risk} in {short}",
        "Where {drug} fits in {short} treatment",
    ),
}  # fmt: skip

_SUMMARIES = {
    "trial": ("In a {design} of {participants} patients with {name}, {fact}.",
              "{Drug} was compared with {comparator} in {participants} patients with {name}; {fact}."),
    "observational": ("In a {design} of {participants} patients with {name}, {fact}.",
                      "Data from {participants} patients with {name} suggest that {risk} is linked to "
                      "{drug} exposure; {fact}."),
    "pooled": ("A {design} of {drug} in {name} pooled {participants} patients; {fact}.",
               "Pooling {participants} patients, this {design} assessed {drug} for {name}."),
    "case": ("A {design} describing {risk} in {name}, with lessons for clinicians using {drug}.",
             "This {design} reports {fact} in {name}."),
    "narrative": ("A {design} on the management of {name}, covering {drug}, {marker} and {risk}.",
                  "This {design} summarises current evidence on {risk} in {name} and how to monitor it."),
}  # fmt: skip


def _fill(template: str, words: dict[str, str]) -> str:
    return template.format_map(words)


def _title(rng: random.Random, ctx: _Context, positive: bool) -> str:
    options = _TITLES.get((ctx.family, positive)) or _TITLES[(ctx.family, True)]
    return _clip(_fill(rng.choice(options), ctx.words()), 150)


def _summary(rng: random.Random, ctx: _Context, results: _Results, words: dict[str, str]) -> str:
    participants = results.block.get("participants")
    words = {
        **words,
        "fact": results.facts[0] if results.facts else f"the authors discuss {ctx.marker} and {ctx.risk}",
        "participants": f"{participants:,}" if participants else "several hundred",
    }
    text = _fill(rng.choice(_SUMMARIES[ctx.family]), words)
    return _clip(_cap(text), 400)


def _key_findings(rng: random.Random, ctx: _Context, results: _Results) -> list[str]:
    findings = [_clip(_cap(fact) + ".", 300) for fact in results.facts[: rng.randint(1, 4)]]
    if rng.random() < 0.5:
        findings.append(_fill(rng.choice(_IMPLICATIONS), ctx.words()))
    return findings


# --- body ---------------------------------------------------------------------------------------------

_BACKGROUND = (
    "{Name} remains difficult to treat, and many patients continue to have active disease despite standard therapy.",
    "Treatment options for {short} have widened over the past decade, but head-to-head evidence to guide "
    "choices is still scarce.",
    "Earlier, smaller studies of {drug} in {short} were encouraging but too short to show durable benefit.",
    "Patients with {short} carry a higher risk of {risk} than the general population, and the reasons are "
    "only partly understood.",
    "Measuring {marker} is routine in {short} care, but whether it helps predict {risk} has been debated.",
    "Guidelines for {short} leave several questions open, particularly how long to continue treatment once "
    "disease is controlled.",
    "Glucocorticoids remain a mainstay of {short} treatment, and reducing their cumulative dose is a "
    "priority for patients and clinicians alike.",
    "Most of what is known about {risk} in {short} comes from single-centre cohorts with short follow-up.",
    "The burden of {name} falls unevenly, with women and people from minority ethnic groups affected more "
    "often and more severely.",
    "{Drug} targets a pathway that laboratory work has implicated in {name} for more than a decade.",
    "Registries and large health-record databases now make it possible to study outcomes of {short} that "
    "trials are too small to capture.",
)
_METHODS = {
    "trial": (
        "Patients continued their background therapy, and glucocorticoid doses were tapered according to a "
        "prespecified schedule.",
        "Randomisation was stratified by disease activity at screening and by region.",
        "Efficacy was analysed in all randomised patients who received at least one dose of study drug.",
        "Patients who stopped treatment early or needed rescue medication were counted as non-responders.",
        "The primary endpoint was {outcome}, assessed by investigators unaware of treatment assignment.",
        "Key secondary endpoints included patient-reported fatigue, physical function and {marker}.",
    ),
    "observational": (
        "The investigators used data from {database}.",
        "Exposure to {drug} was defined from dispensing records and treated as time-varying.",
        "Estimates were adjusted for age, sex, disease duration, comorbidities and concomitant medication.",
        "Propensity scores were used to balance baseline characteristics between groups.",
        "Outcomes were identified from hospital records and death certificates and validated by chart review.",
        "Patients entered the analysis at diagnosis and were followed until {risk}, death, emigration or the "
        "end of the study period.",
        "Levels of {marker} were measured at baseline in a central laboratory.",
    ),
    "pooled": (
        "The authors searched MEDLINE, Embase and the Cochrane Library up to {year}.",
        "Two reviewers extracted data independently, and risk of bias was assessed with standard tools.",
        "Results were pooled with random-effects models, and heterogeneity was moderate.",
        "Certainty of evidence was graded with the GRADE approach.",
    ),
    "case": (
        "Clinical details, laboratory findings and imaging were reviewed by two rheumatologists.",
        "The authors also searched the literature for similar reports and found only a handful.",
        "{Marker} was checked at presentation and during follow-up.",
    ),
    "narrative": (
        "The document was written by a panel of rheumatologists, other specialists, patient representatives "
        "and methodologists.",
        "The {org} panel reviewed the evidence published up to {year} and voted on each statement.",
        "The authors summarise evidence from clinical trials, observational studies and mechanistic work.",
        "Recommendations cover diagnosis, monitoring with {marker}, and the place of {drug}.",
    ),
}
_FINDINGS_NARRATIVE = (
    "The authors recommend treating to a clear target and reviewing it at every visit.",
    "Screening for {risk} is advised at diagnosis and at intervals guided by risk factors.",
    "{Drug} is positioned after failure of first-line therapy, with {other} as an alternative.",
    "Glucocorticoids should be tapered to the lowest effective dose and stopped when possible.",
    "Shared decision-making with the patient is emphasised throughout.",
    "Several statements rest on expert opinion because trial evidence is lacking.",
)
_FINDINGS = (
    "Results were consistent across prespecified subgroups, including age, sex and baseline disease activity.",
    "Sensitivity analyses that excluded patients with missing data gave similar estimates.",
    "Levels of {marker} moved in parallel with clinical change.",
    "Adverse events were reported in similar proportions across groups, and no new safety signals emerged.",
    "Serious infections were uncommon and mostly resolved with standard treatment.",
    "The difference appeared early and persisted until the end of follow-up.",
)
_IMPLICATIONS = (
    "If confirmed, the findings would support earlier use of {drug} in {short}.",
    "The results add to evidence that {risk} deserves closer attention in routine {short} care.",
    "Clinicians may want to consider {marker} when counselling patients about their risk of {risk}.",
    "Longer and larger studies are needed before practice changes.",
    "The findings are likely to inform the next update of {short} treatment recommendations.",
    "For patients, the practical message is to discuss the balance of benefit and risk of {drug} openly.",
)
_LIMITATIONS = (
    "Residual confounding cannot be excluded.",
    "Follow-up was relatively short for a chronic disease.",
    "Most participants were of European ancestry, which may limit how well the results apply elsewhere.",
    "The study was not powered to detect differences in rare adverse events.",
    "Patients with severe organ involvement were excluded.",
    "Outcome definitions varied between centres, which may have diluted the differences.",
)
_HEADINGS = (
    ("Background", "Why it was studied"),
    ("What the study did", "Methods", "How it was done"),
    ("What it found", "Results", "Findings"),
    ("Why it matters", "Implications"),
    ("Limitations", "Caveats"),
)


def _body(rng: random.Random, ctx: _Context, results: _Results) -> str:
    """150-600 words of Markdown: sections of templated sentences, sometimes a list or table."""
    words = ctx.words()
    findings = _FINDINGS_NARRATIVE if ctx.family == "narrative" else _FINDINGS
    pools = [_BACKGROUND, _METHODS[ctx.family], findings, _IMPLICATIONS, _LIMITATIONS]
    facts = [_cap(fact) + "." for fact in results.facts[:4]]
    extra = _extra_block(rng, results)
    count = sum(map(_words, facts)) + _words(extra)
    target = round(rng.triangular(BODY_WORDS[0], BODY_WORDS[1] - 40, 280))
    candidates = [(part, index) for part, pool in enumerate(pools) for index in range(len(pool))]
    rng.shuffle(candidates)
    chosen: list[list[tuple[int, str]]] = [[] for _ in pools]
    for part, index in candidates:
        sentence = _fill(pools[part][index], words)
        if count >= target or count + _words(sentence) > BODY_WORDS[1]:
            break
        chosen[part].append((index, sentence))
        count += _words(sentence)
    headed = rng.random() < 0.7
    blocks = []
    for part, picks in enumerate(chosen):
        sentences = (facts if part == 2 else []) + [sentence for _, sentence in sorted(picks)]
        if not sentences:
            continue
        if headed and part:
            blocks.append("## " + rng.choice(_HEADINGS[part]))
        blocks += _paragraphs(rng, sentences)
        if part == 2 and extra:
            blocks.append(extra)
    return "\n\n".join(blocks) + "\n"


def _paragraphs(rng: random.Random, sentences: list[str]) -> list[str]:
    """Group sentences into wrapped paragraphs of two to five sentences."""
    paragraphs = []
    while sentences:
        size = rng.randint(2, 5)
        paragraphs.append(_wrap(" ".join(sentences[:size])))
        sentences = sentences[size:]
    return paragraphs


def _extra_block(rng: random.Random, results: _Results) -> str:
    """Now and then a bullet list of the results or a small Markdown table."""
    roll = rng.random()
    if results.table and roll < 0.1:
        header, *rows = results.table
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])
    if len(results.facts) > 1 and roll > 0.85:
        return "\n".join(f"- {_cap(fact)}" for fact in results.facts)
    return ""


# --- the whole study --------------------------------------------------------------------------------------


def _topics(rng: random.Random, ctx: _Context) -> list[str]:
    """0-12 topics: a few from the study itself, the rest from the long-tailed vocabulary."""
    size = min(12, max(0, round(rng.gauss(5, 2.2))))
    own = [ctx.drug, ctx.marker, ctx.risk][: rng.randint(0, 3)]
    chosen: dict[str, str] = {}
    for topic in own + rng.choices(TOPICS, cum_weights=_TOPIC_CUMULATIVE, k=2 * size):
        if len(chosen) >= size:
            break
        chosen.setdefault(topic.casefold(), topic)
    return list(chosen.values())


def _source(rng: random.Random, ctx: _Context, title: str) -> dict[str, Any]:
    year = ctx.published.year - (ctx.published.month <= 3 and rng.random() < 0.3)
    source: dict[str, Any] = {
        "title": _clip(f"{title.rstrip('.')}: a {_DESIGN_NAMES[ctx.design]} in {ctx.name}", 400),
        "journal": rng.choice(_JOURNALS),
        "year": year,
        "doi": f"{DOI_PREFIX}{ctx.index}",
    }
    if rng.random() < 0.8:
        source["pmid"] = str(rng.randint(10_000_000, 39_999_999))
    if ctx.family == "trial" and rng.random() < 0.9:
        registration = f"NCT{rng.randrange(10**8):08d}"
        eudract = f"EudraCT {year - 2}-{rng.randrange(10**6):06d}-{rng.randrange(100):02d}"
        source["registration"] = registration if rng.random() < 0.9 else [registration, eudract]
    if rng.random() < 0.1:
        source["url"] = f"https://doi.org/{source['doi']}"
    return source


def _also_conditions(rng: random.Random, ctx: _Context) -> list[str]:
    related = ctx.condition.related
    if not related or rng.random() > 0.15:
        return []
    return rng.sample(related, min(len(related), rng.choice((1, 1, 2))))


def _slug(ctx: _Context, title: str) -> str:
    """A readable slug from the title, made unique by the study's index; at most 80 characters."""
    stop = {"a", "an", "and", "in", "of", "for", "the", "with", "to", "on", "vs", "over", "what", "need"}
    words = [word for word in _slugify(title).split("-") if word not in stop][:7]
    suffix = f"-{ctx.index}"
    stem = "-".join(words)[: 80 - len(suffix)].rstrip("-") or "study"
    return stem + suffix


def _study_data(rng: random.Random, ctx: _Context, prose: bool = True) -> tuple[str, dict[str, Any]]:
    """The slug and the study as plain data, keys in the contract's order; its prose only if ``prose``."""
    results = _STUDY_BLOCKS[ctx.family](rng, ctx)
    words = {**ctx.words(), "comparator": results.block.get("comparator", "standard care")}
    title = _title(rng, ctx, results.positive)
    data: dict[str, Any] = {"title": title, "published": ctx.published}
    if rng.random() < 0.3:
        data["updated"] = min(LAST_DAY, ctx.published + dt.timedelta(days=rng.randint(0, 120)))
    draft = rng.random() < 0.02
    if draft or rng.random() < 0.2:
        data["status"] = "draft" if draft else "published"
    if rng.random() < 0.6:
        data["authors"] = ["rheum-editor"]
    data["condition"] = ctx.condition.key
    if also := _also_conditions(rng, ctx):
        data["also_conditions"] = also
    if topics := _topics(rng, ctx):
        data["topics"] = topics
    data["summary"] = _summary(rng, ctx, results, words)
    data["study"] = results.block
    if prose:
        _add_prose(rng, ctx, results, data)
    return _slug(ctx, title), data


def _add_prose(rng: random.Random, ctx: _Context, results: _Results, data: dict[str, Any]) -> None:
    """Key findings, body, source and disclosures: drawn last, so that leaving them out changes no other field."""
    if rng.random() < 0.7 and (findings := _key_findings(rng, ctx, results)):
        data["key_findings"] = findings
    data["body"] = _body(rng, ctx, results)
    if data.get("status") != "draft" or rng.random() < 0.5:
        data["source"] = _source(rng, ctx, data["title"])
    if rng.random() < 0.3:
        data["disclosures"] = rng.choice(_DISCLOSURES)


# --- YAML output -------------------------------------------------------------------------------------------


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    """Safe YAML in the style editors write: block literals for Markdown, flow style for short lists.

    Uses libyaml's emitter when PyYAML has it (several times faster than the
    pure-Python one).  Either way the safe representer quotes every string
    that would otherwise read as another type (``'no'``, ``'1:30'``).
    """


class _FlowMap(dict):
    """A mapping written on one line, like ``results: {il2: 16/29, placebo: 9/30}``."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _short_scalars(values: Any) -> bool:
    return all(not isinstance(value, (list, dict)) and len(str(value)) <= 40 for value in values)


def _represent_list(dumper: yaml.SafeDumper, value: list) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=_short_scalars(value))


def _represent_flow_map(dumper: yaml.SafeDumper, value: _FlowMap) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value, flow_style=True)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(_FlowMap, _represent_flow_map)


def _dump(data: dict[str, Any]) -> str:
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    return f"{SCHEMA_COMMENT}\n{text}"


# --- public API -------------------------------------------------------------------------------------------


def study_rng(seed: int, index: int) -> random.Random:
    """The random generator of study ``index`` in the corpus of ``seed``.

    It depends on nothing else, so a study is the same in every corpus size.
    """
    return random.Random(f"rheum-evidence synth {seed} {index}")


def study_data(rng: random.Random, index: int, *, prose: bool = True) -> tuple[str, dict[str, Any]]:
    """One synthetic study as plain data: its slug and what ``yaml.safe_load`` reads from its file.

    Pure: the result depends only on the state of ``rng`` and on ``index``,
    which makes the slug and the DOI unique in a corpus.  With ``prose=False``
    the study stops after its ``study`` block (no ``key_findings``, ``body``,
    ``source`` or ``disclosures``), every other field unchanged, in about half
    the time: for benchmarks that never read the prose.
    """
    return _study_data(rng, _context(rng, index), prose)


def synth_study(rng: random.Random, index: int) -> tuple[str, str]:
    """One synthetic study: its slug and the text of its YAML file (:func:`study_data`, dumped)."""
    slug, data = study_data(rng, index)
    return slug, _dump(data)


def corpus_data(n: int, seed: int = DEFAULT_SEED, *, prose: bool = True) -> Iterator[tuple[str, dict[str, Any]]]:
    """The first ``n`` studies of the corpus of ``seed`` as :func:`study_data` gives them, one at a time."""
    for index in range(n):
        yield study_data(study_rng(seed, index), index, prose=prose)


def write_corpus(n: int, out_dir: Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write ``n`` study files ``<slug>.yaml`` into ``out_dir`` and return their paths.

    The folder is created if needed; files already there are overwritten when
    their name matches and otherwise left alone.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for slug, data in corpus_data(n, seed):
        path = out_dir / f"{slug}.yaml"
        path.write_bytes(_dump(data).encode("utf-8"))
        paths.append(path)
    return paths


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``synth`` command's arguments to ``parser`` (e.g. an argparse subparser)."""
    parser.add_argument("n", type=_count, metavar="N", help="how many study files to write")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder to write the files to")
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default: {DEFAULT_SEED}); same seed, same files"
    )


def run(args: argparse.Namespace) -> int:
    """Write the corpus ``args`` describe; return the exit status (0)."""
    start = time.perf_counter()
    paths = write_corpus(args.n, args.out, args.seed)
    elapsed = time.perf_counter() - start
    print(f"wrote {len(paths)} study files to {Path(args.out).as_posix()} in {elapsed:.1f} s", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m benchmarks.synth N --out DIR [--seed S]``."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.synth", description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
