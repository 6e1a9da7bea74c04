"""The synthetic corpus as plain Markdown pages, for the sites we compare with (bare MkDocs + Material, Hugo).

A user without our generator would write each study by hand as Markdown: the
title, the summary, the facts, the key findings, the body and the outcomes as
a table.  :func:`published_studies` gives the published studies of
``benchmarks.synth`` (our build leaves drafts out too) in that form, newest
first; the two comparison sites add their own links and listings around it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .project import REPO
from .synth import corpus_data

MEASURES = {
    "hazard-ratio": "HR",
    "odds-ratio": "OR",
    "risk-ratio": "RR",
    "rate-ratio": "Rate ratio",
    "mean-difference": "Mean difference",
    "risk-difference": "Risk difference",
    "percent-change": "Change",
}
FACTS = (
    ("design", "Design"),
    ("blinding", "Blinding"),
    ("comparator", "Comparator"),
    ("setting", "Setting"),
    ("country", "Country"),
    ("participants", "Participants"),
    ("population", "Population"),
    ("follow_up", "Follow-up"),
)


@dataclass(frozen=True)
class PlainStudy:
    slug: str
    title: str
    published: dt.date
    conditions: tuple[str, ...]  # keys: the condition, then the also-conditions
    topics: tuple[str, ...]  # labels as the study file has them
    design: str
    summary: str
    markdown: str  # facts, key findings, body and outcomes; no title, no links to other pages


def condition_names() -> dict[str, str]:
    """Condition key → name, from the project's vocabulary."""
    vocabulary = yaml.safe_load((REPO / "site_data" / "conditions.yaml").read_text(encoding="utf-8"))
    return {key: entry["name"] for key, entry in vocabulary.items()}


def _cell(value: Any) -> str:
    """Text for a Markdown table cell: lists joined, no pipe or line break to end the cell."""
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def _result(outcome: dict[str, Any], arms: dict[str, str]) -> str:
    if "results" in outcome:
        return " vs ".join(f"{arms.get(key, key)} {value}" for key, value in outcome["results"].items())
    effect = outcome.get("effect")
    if not effect:
        return "–"
    text = f"{MEASURES.get(effect['measure'], effect['measure'])} {effect['estimate']}"
    if "ci" in effect:
        low, high = effect["ci"]
        text += f" (95% CI {low} to {high})"
    return text


def study_markdown(data: dict[str, Any]) -> str:
    """The study's own content as Markdown: facts table, key findings, body, outcomes table."""
    study = data["study"]
    lines = ["| Fact | Value |", "|---|---|"]
    lines += [f"| {label} | {_cell(study[key])} |" for key, label in FACTS if key in study]
    lines.append(f"| Published | {data['published']} |")
    if findings := data.get("key_findings"):
        lines += ["", "## Key findings", "", *(f"- {finding}" for finding in findings)]
    lines += ["", data["body"].rstrip()]
    if outcomes := study.get("outcomes"):
        arms = {arm["key"]: arm["label"] for arm in study.get("arms", [])}
        lines += ["", "## Outcomes", "", "| Outcome | Primary | Result | p |", "|---|---|---|---|"]
        for outcome in outcomes:
            primary = "yes" if outcome.get("primary") else ""
            p = outcome.get("p_value", "")
            lines.append(f"| {_cell(outcome['name'])} | {primary} | {_cell(_result(outcome, arms))} | {p} |")
    return "\n".join(lines) + "\n"


def published_studies(size: int) -> list[PlainStudy]:
    """The published studies among the first ``size`` of the synthetic corpus, newest first."""
    studies = [
        PlainStudy(
            slug=slug,
            title=data["title"],
            published=data["published"],
            conditions=(data["condition"], *data.get("also_conditions", ())),
            topics=tuple(data.get("topics", ())),
            design=data["study"]["design"],
            summary=data["summary"],
            markdown=study_markdown(data),
        )
        for slug, data in corpus_data(size)
        if data.get("status") != "draft"
    ]
    return sorted(studies, key=lambda study: (study.published, study.slug), reverse=True)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
