"""Study records for the tests of feeds, open data and structured data.

Records go through :func:`generator.read.content.parse_study`, as editors' files
do; text the contract forbids (control characters, bidi overrides) is put in
afterwards with :func:`hostile`, to show the outputs survive it anyway.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import yaml

from generator.read.content import Content, StudyRecord, load_content, parse_study
from tests.conftest import ROOT

SEED = load_content(ROOT)
SITE_URL = "https://example.org/rheum/"
SITE_NAME = "Rheum Evidence"


def record(slug: str, published: str = "2020-01-02", **fields: Any) -> StudyRecord:
    """A valid study named ``slug``; ``fields`` replace or add top-level keys (``study`` is merged)."""
    data: dict[str, Any] = {
        "title": f"Study {slug}",
        "published": published,
        "condition": "sle",
        "summary": f"Summary of study {slug}, long enough.",
        "study": {"design": "cohort"},
        "body": "Text.",
    }
    data["study"] |= fields.pop("study", {})
    data |= fields
    return parse_study(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), f"{slug}.yaml", slug)


def hostile(item: StudyRecord, **fields: Any) -> StudyRecord:
    """``item`` with top-level fields replaced without validation (text no editor could save)."""
    return dataclasses.replace(item, study=item.study.model_copy(update=fields))


def content(*studies: StudyRecord) -> Content:
    """The real vocabularies (copies a test may change) with ``studies``."""
    return dataclasses.replace(
        SEED, studies=tuple(studies), conditions=dict(SEED.conditions), authors=dict(SEED.authors)
    )


def seed_record(slug: str) -> StudyRecord:
    """One of the seed studies."""
    return next(item for item in SEED.studies if item.slug == slug)


def day(text: str) -> dt.date:
    """A date from ``YYYY-MM-DD``."""
    return dt.date.fromisoformat(text)
