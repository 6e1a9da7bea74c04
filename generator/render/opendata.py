"""Open data: every published study as JSON and CSV, for re-use and analysis.

:func:`open_data` returns the files as bytes keyed by their path in the site:

``studies.json``
    one object per study with everything structured about it (the article
    body is left out: it is prose, not data).  Results, p values and other
    editor text are given exactly as written; effect estimates and their
    intervals are JSON numbers (``outcomes.csv`` keeps them as written, so
    "0.30" keeps its reported precision there).  Its shape is
    :data:`STUDIES_JSON_SCHEMA` (JSON Schema 2020-12), published alongside as
    ``schema/studies.schema.json``.
``studies.csv``
    one row per study; list fields are joined with ``"; "`` (use the JSON
    when an item may itself contain that separator).
``outcomes.csv``
    one row per outcome per arm with a result; an outcome with no per-arm
    result (an effect estimate only) has one row with the arm left empty.
    The outcome's p value and effect estimate are repeated on each of its rows.

CSV files are UTF-8 (no byte-order mark), comma-separated, quoted where needed
and lines end CR LF (RFC 4180).

Formula injection: a spreadsheet that opens a CSV runs any cell starting with
``=``, ``+``, ``-`` or ``@`` (or tab, CR, LF, NUL, or the full-width
``＝＋－＠``) as a formula, and study text is written by people.  Such a cell
gets a leading apostrophe, which spreadsheets read as "this is text" and
hide.  A cell that is a plain number (``-1.6``, ``+2``, ``1e-05``) is left
alone: it cannot be a formula, and an apostrophe would turn a negative
estimate into text.

The module is pure: no MkDocs, no files, no clock.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from generator.derive.citation import doi_url, pubmed_url
from generator.derive.treatments import Treatments, content_treatments
from generator.read.content import Content, StudyRecord
from generator.read.model import ARM_KEY_PATTERN, Effect, Outcome, Source
from generator.read.vocabulary import BLINDING_KEYS, CERTAINTY_KEYS, DESIGN_KEYS, DESIGNS, DOWNGRADE_KEYS, MEASURE_KEYS
from generator.render.jsontext import json_file, json_text
from generator.render.memo import Memo
from generator.text import LONE_SURROGATE
from generator.urls import SLUG_PATTERN, absolute_url, study_src

__all__ = [
    "OUTCOME_COLUMNS",
    "SCHEMA_PATH",
    "STUDIES_JSON_SCHEMA",
    "STUDY_COLUMNS",
    "neutralise_cell",
    "open_data",
]

SCHEMA_PATH = "schema/studies.schema.json"
LIST_SEPARATOR = "; "

STUDY_COLUMNS = (
    "slug",
    "url",
    "title",
    "published",
    "updated",
    "condition",
    "also_conditions",
    "topics",
    "drugs",
    "drug_classes",
    "summary",
    "design",
    "design_name",
    "blinding",
    "comparator",
    "setting",
    "country",
    "participants",
    "population",
    "follow_up",
    "arms",
    "source_title",
    "source_journal",
    "source_year",
    "doi",
    "pmid",
    "registration",
    "source_url",
    "related",
)
OUTCOME_COLUMNS = (
    "slug",
    "outcome",
    "primary",
    "arm",
    "arm_label",
    "value",
    "p_value",
    "effect_measure",
    "effect_estimate",
    "ci_low",
    "ci_high",
    "ci_level",
    "certainty",
)

# Characters that make a spreadsheet read a cell as a formula when they lead it.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\0", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


# --------------------------------------------------------------------------- public API


def open_data(
    studies: Sequence[StudyRecord],
    content: Content,
    site_url: str,
    related: Mapping[str, Sequence[str]],
    named: Mapping[str, Treatments] | None = None,
    memo: Memo | None = None,
) -> dict[str, bytes]:
    """The open-data files, keyed by their path in the site.

    ``studies`` are the studies readers see (no drafts), in the order to
    list them; ``content`` only supplies names.  ``related`` maps a slug to
    its "More like this" slugs; slugs not among ``studies`` are dropped, so
    a draft can never leak through it.  ``site_url`` is the absolute address
    of the site, used for each study's ``url``; ``named`` is
    :func:`~generator.derive.treatments.content_treatments` of ``content``, when already computed.
    A ``memo`` gives back each study's part of the files as an earlier build wrote it from the same data.
    """
    shown = {record.slug for record in studies}
    named = named if named is not None else content_treatments(content)
    memo = memo or Memo()
    parts = []
    for record in studies:
        links = [slug for slug in related.get(record.slug, ()) if slug in shown]
        given = (record, content, named[record.slug], site_url, links)
        parts.append(memo.get(partial(_parts_inputs, *given), partial(_study_parts, *given)))
    # The files are their studies' parts joined: the same bytes as writing each file whole.
    head = json_text({"$schema": absolute_url(site_url, SCHEMA_PATH), "count": len(parts)})
    document = head[:-1] + ',"studies":[' + ",".join(part.json for part in parts) + "]}\n"
    return {
        "studies.json": document.encode("utf-8"),
        "studies.csv": _csv_text([STUDY_COLUMNS]).encode("utf-8") + b"".join(part.row for part in parts),
        "outcomes.csv": _csv_text([OUTCOME_COLUMNS]).encode("utf-8") + b"".join(part.outcomes for part in parts),
        SCHEMA_PATH: json_file(STUDIES_JSON_SCHEMA),
    }


@dataclass(frozen=True)
class _StudyParts:
    """One study's part of each open-data file."""

    json: str
    """Its object in ``studies.json``."""
    row: bytes
    """Its line of ``studies.csv``."""
    outcomes: bytes
    """Its lines of ``outcomes.csv``."""


def _study_parts(
    record: StudyRecord, content: Content, named: Treatments, site_url: str, related: list[str]
) -> _StudyParts:
    item = _study_json(record, content, named, site_url, related)
    return _StudyParts(
        json_text(item),
        _csv_text([_cells(STUDY_COLUMNS, _study_row(item))]).encode("utf-8"),
        _csv_text(_cells(OUTCOME_COLUMNS, row) for row in _outcome_rows(record)).encode("utf-8"),
    )


def _parts_inputs(
    record: StudyRecord, content: Content, named: Treatments, site_url: str, related: list[str]
) -> list[Any]:
    """Everything a study's parts are made from: equal inputs give equal parts."""
    study = record.study
    names = [_author(key, content) for key in study.authors] + [_condition_name(study.condition, content)]
    names += [content.drugs[key].name for key in named.drugs] + [
        content.drug_classes[key].name for key in named.classes
    ]
    return ["open data", record.slug, record.fingerprint, site_url, related, dataclasses.asdict(named), names]


def neutralise_cell(text: str) -> str:
    """``text`` made safe to open in a spreadsheet: an apostrophe before a formula-like start.

    Plain numbers such as ``-1.6`` are returned unchanged.
    """
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


# --------------------------------------------------------------------------- studies.json


def _study_json(
    record: StudyRecord, content: Content, named: Treatments, site_url: str, related: list[str]
) -> dict[str, Any]:
    study, details = record.study, record.study.study
    return {
        "slug": record.slug,
        "url": absolute_url(site_url, study_src(record.slug)),
        "title": study.title,
        "published": study.published.isoformat(),
        "updated": study.updated.isoformat() if study.updated else None,
        "authors": [_author(key, content) for key in study.authors],
        "condition": study.condition,
        "condition_name": _condition_name(study.condition, content),
        "also_conditions": list(study.also_conditions),
        "topics": list(study.topics),
        "drugs": [{"key": key, "name": content.drugs[key].name} for key in named.drugs],
        "drug_classes": [{"key": key, "name": content.drug_classes[key].name} for key in named.classes],
        "summary": study.summary,
        "key_findings": list(study.key_findings),
        "design": details.design,
        "design_name": DESIGNS[details.design].name,
        "blinding": details.blinding,
        "comparator": details.comparator,
        "setting": details.setting,
        "country": list(details.country),
        "participants": details.participants,
        "population": details.population,
        "follow_up": details.follow_up,
        "arms": [arm.model_dump(mode="json") for arm in details.arms],
        "outcomes": [_outcome_json(outcome) for outcome in details.outcomes],
        "adverse_events": [{"name": e.name, "results": dict(e.results or {})} for e in details.adverse_events],
        "source": _source_json(study.source),
        "disclosures": study.disclosures,
        "headline_checked": study.headline_checked,
        "related": related,
    }


def _author(key: str, content: Content) -> dict[str, str]:
    author = content.authors.get(key)
    return {"key": key, "name": author.name if author else key}


def _condition_name(key: str, content: Content) -> str:
    condition = content.conditions.get(key)
    return condition.name if condition else key


def _outcome_json(outcome: Outcome) -> dict[str, Any]:
    return {
        "name": outcome.name,
        "primary": outcome.primary,
        "direction": outcome.direction,
        "results": dict(outcome.results or {}),
        "p_value": outcome.p_value,
        "effect": _effect_json(outcome.effect),
        "certainty": outcome.certainty.model_dump(mode="json") if outcome.certainty else None,
    }


def _effect_json(effect: Effect | None) -> dict[str, Any] | None:
    if effect is None:
        return None
    return {
        "measure": effect.measure,
        "estimate": float(effect.estimate),
        "ci": [float(bound) for bound in effect.ci] if effect.ci else None,
        "ci_level": effect.ci_level,
    }


def _source_json(source: Source | None) -> dict[str, Any] | None:
    if source is None:
        return None
    return {
        "title": source.title,
        "journal": source.journal,
        "year": source.year,
        "doi": source.doi,
        "doi_url": doi_url(source.doi) if source.doi else None,
        "pmid": source.pmid,
        "pubmed_url": pubmed_url(source.pmid) if source.pmid else None,
        "registration": list(source.registration),
        "url": source.url,
    }


# --------------------------------------------------------------------------- CSV


def _study_row(item: dict[str, Any]) -> dict[str, Any]:
    """A ``studies.csv`` row from the study's JSON object, so the two files always agree."""
    source = item["source"] or {}
    return {
        **{key: item[key] for key in STUDY_COLUMNS if key in item},
        "arms": [arm["label"] for arm in item["arms"]],
        "drugs": [drug["name"] for drug in item["drugs"]],
        "drug_classes": [entry["name"] for entry in item["drug_classes"]],
        "source_title": source.get("title"),
        "source_journal": source.get("journal"),
        "source_year": source.get("year"),
        "doi": source.get("doi"),
        "pmid": source.get("pmid"),
        "registration": source.get("registration", []),
        "source_url": source.get("url"),
    }


def _outcome_rows(record: StudyRecord) -> Iterable[dict[str, Any]]:
    details = record.study.study
    labels = {arm.key: arm.label for arm in details.arms}
    for outcome in details.outcomes:
        effect = outcome.effect
        common = {
            "slug": record.slug,
            "outcome": outcome.name,
            "primary": outcome.primary,
            "p_value": outcome.p_value,
            "effect_measure": effect.measure if effect else None,
            "effect_estimate": _written(effect.estimate) if effect else None,
            "ci_low": _written(effect.ci[0]) if effect and effect.ci else None,
            "ci_high": _written(effect.ci[1]) if effect and effect.ci else None,
            "ci_level": effect.ci_level if effect and effect.ci else None,
            "certainty": outcome.certainty.level if outcome.certainty else None,
        }
        results = _in_arm_order(outcome.results or {}, labels)
        if not results:
            yield common
        for arm, value in results:
            yield common | {"arm": arm, "arm_label": labels.get(arm, arm), "value": value}


def _written(number: str | float) -> str:
    """A number as the editor wrote it ("0.30" keeps its reported precision)."""
    return str(number).strip()


def _in_arm_order(results: Mapping[str, str], labels: Mapping[str, str]) -> list[tuple[str, str]]:
    """Results in the order the study lists its arms (then any others as written)."""
    order = {key: index for index, key in enumerate(labels)}
    return sorted(results.items(), key=lambda item: order.get(item[0], len(order)))


def _cell(value: Any) -> str:
    """A CSV cell: lists joined, each lone surrogate (which UTF-8 cannot encode) made U+FFFD, then neutralised
    once (only the cell's start reaches a formula)."""
    return neutralise_cell(LONE_SURROGATE.sub("\ufffd", _text(value)))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(_text(item) for item in value)
    return str(value)


def _cells(columns: Sequence[str], row: Mapping[str, Any]) -> list[str]:
    return [_cell(row.get(column)) for column in columns]


def _csv_text(rows: Iterable[Sequence[str]]) -> str:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


# --------------------------------------------------------------------------- schema


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _strings() -> dict[str, Any]:
    return {"type": "array", "items": {"type": "string"}}


def _closed(properties: dict[str, Any], description: str) -> dict[str, Any]:
    """An object with exactly ``properties``, all required (absent values are ``null`` or ``[]``)."""
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


_TEXT = {"type": "string"}
_SLUG = {"type": "string", "pattern": SLUG_PATTERN}


def _named_keys(description: str) -> dict[str, Any]:
    return {"type": "array", "items": _closed({"key": _SLUG, "name": _TEXT}, description)}


_DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_URL = {"type": "string", "format": "uri", "pattern": "^https?://"}
_RESULTS = {
    "type": "object",
    "description": "arm key → the result as written: a percentage (55.2%), a count (16/29) or a number (9)",
    "additionalProperties": {"type": "string"},
}

_EFFECT = _closed(
    {
        "measure": {"enum": list(MEASURE_KEYS)},
        "estimate": {"type": "number"},
        "ci": _nullable({"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}),
        "ci_level": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
    },
    "An effect estimate with its confidence interval [low, high].",
)

_STUDY = _closed(
    {
        "slug": _SLUG,
        "url": _URL,
        "title": _TEXT,
        "published": _DATE,
        "updated": _nullable(_DATE),
        "authors": {"type": "array", "items": _closed({"key": _TEXT, "name": _TEXT}, "An author.")},
        "condition": _SLUG,
        "condition_name": _TEXT,
        "also_conditions": {"type": "array", "items": _SLUG},
        "topics": _strings(),
        "drugs": _named_keys("A drug the study names (site_data/drugs.yaml)."),
        "drug_classes": _named_keys("A drug class the study names, or a class of a drug it names."),
        "summary": _TEXT,
        "key_findings": _strings(),
        "design": {"enum": list(DESIGN_KEYS)},
        "design_name": _TEXT,
        "blinding": _nullable({"enum": list(BLINDING_KEYS)}),
        "comparator": _nullable(_TEXT),
        "setting": _nullable(_TEXT),
        "country": _strings(),
        "participants": _nullable({"type": "integer", "minimum": 1}),
        "population": _nullable(_TEXT),
        "follow_up": _nullable(_TEXT),
        "arms": {
            "type": "array",
            "items": _closed(
                {
                    "key": {"type": "string", "pattern": ARM_KEY_PATTERN},
                    "label": _TEXT,
                    "participants": _nullable({"type": "integer", "minimum": 1}),
                    "intervention": _nullable(_TEXT),
                },
                "One arm (group) of the study.",
            ),
        },
        "outcomes": {
            "type": "array",
            "items": _closed(
                {
                    "name": _TEXT,
                    "primary": {"type": "boolean"},
                    "direction": _nullable({"enum": ["higher-is-better", "lower-is-better"]}),
                    "results": _RESULTS,
                    "p_value": _nullable({"type": "string", "description": 'as written: "0.052" or "<0.001"'}),
                    "effect": _nullable(_EFFECT),
                    "certainty": _nullable(
                        _closed(
                            {
                                "level": {"enum": list(CERTAINTY_KEYS)},
                                "downgraded_for": {"type": "array", "items": {"enum": list(DOWNGRADE_KEYS)}},
                            },
                            "The certainty of the evidence for the outcome, as GRADE rates it.",
                        )
                    ),
                },
                "One outcome: per-arm results, an effect estimate, or both.",
            ),
        },
        "adverse_events": {
            "type": "array",
            "items": _closed({"name": _TEXT, "results": _RESULTS}, "One adverse event with per-arm results."),
        },
        "source": _nullable(
            _closed(
                {
                    "title": _nullable(_TEXT),
                    "journal": _nullable(_TEXT),
                    "year": _nullable({"type": "integer"}),
                    "doi": _nullable(_TEXT),
                    "doi_url": _nullable(_URL),
                    "pmid": _nullable({"type": "string", "pattern": r"^\d+$"}),
                    "pubmed_url": _nullable(_URL),
                    "registration": _strings(),
                    "url": _nullable(_URL),
                },
                "The publication the summary is about.",
            )
        ),
        "disclosures": _nullable(_TEXT),
        "headline_checked": _nullable(_TEXT),
        "related": {"type": "array", "items": _SLUG, "description": 'slugs listed under "More like this"'},
    },
    "One published study.",
)

STUDIES_JSON_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Rheum Evidence studies",
    "description": "Every published study of the site, newest first (studies.json).",
    "type": "object",
    "properties": {
        "$schema": {"type": "string"},
        "count": {"type": "integer", "minimum": 0},
        "studies": {"type": "array", "items": {"$ref": "#/$defs/study"}},
    },
    "required": ["count", "studies"],
    "additionalProperties": False,
    "$defs": {"study": _STUDY},
}
"""JSON Schema (draft 2020-12) of ``studies.json``."""
