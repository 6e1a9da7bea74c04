"""Check parsed documents against the contract and turn every failure into
a :class:`~generator.errors.Problem` an editor can act on.

Shape and types are checked by the models in :mod:`generator.read.model`; the
rules that span fields or files (arm keys, confidence intervals, dates,
cross-references) are checked here, each problem pointing at its place.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.errors import Problem
from generator.read.loader import Document
from generator.read.model import Study
from generator.read.skeleton import placeholder_in
from generator.read.values import KIND_NAMES, SHARE_KINDS, parse_result_value
from generator.read.vocabulary import CERTAINTY_KEYS, RATIO_MEASURES
from generator.urls import taken_address, topic_slug

__all__ = ["REFERENCE_FIELDS", "validate_model", "study_problems", "study_warnings", "closest", "describe", "shown"]

MIN_RATIO, MAX_RATIO = 1e-6, 1e6

REFERENCE_FIELDS = ("title", "authors", "journal", "year")
"""What a reference manager (Zotero, EndNote, Mendeley) needs of a journal article's ``source``."""


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice most like ``word``, if any is reasonably close."""
    matches = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return matches[0] if matches else None


def describe(value: Any) -> str:
    """Name what the editor wrote, for messages: 'a list', 'nothing', 'text'."""
    if value is None:
        return "nothing"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping of keys and values"
    return repr(value)


def validate_model(document: Document, model: type[BaseModel]) -> tuple[Any, list[Problem]]:
    """Validate ``document.data`` with ``model``; return the instance or the problems."""
    try:
        return model.model_validate(document.data), []
    except ValidationError as error:
        schema = _schema(model)
        return None, [_problem(document, schema, detail) for detail in error.errors(include_url=False)]


@cache
def _schema(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema()


def _problem(document: Document, schema: dict[str, Any], detail: Mapping[str, Any]) -> Problem:
    loc = tuple(detail["loc"])
    kind, value, ctx = detail["type"], detail.get("input"), detail.get("ctx") or {}
    if loc and loc[-1] == "[key]":
        return document.problem(loc[:-1], str(ctx.get("error", detail["msg"])), key=True)
    if kind == "extra_forbidden":
        allowed = _node_at(schema, loc[:-1]).get("properties", {})
        return document.problem(loc, _unknown(str(loc[-1]), allowed, "key"), key=True)
    if kind == "missing":
        return document.problem(loc, "is required but missing")
    if kind == "literal_error":
        choices = _node_at(schema, loc).get("enum", [])
        return document.problem(loc, _unknown(str(value), choices, "value"))
    return document.problem(loc, _message(kind, value, ctx, detail["msg"]))


def shown(word: str) -> str:
    """``word`` quoted for a message: in backticks, or as a Python literal when it holds invisible characters."""
    return f"`{word}`" if word.isprintable() else repr(word)


def _unknown(word: str, choices: Iterable[str], what: str) -> str:
    choices = list(choices)
    if not word.isprintable():  # never echo control characters (terminal escapes) back to the editor
        return f"unknown {what} {shown(word)}; expected one of: {', '.join(choices)}"
    if suggestion := closest(word, choices):
        return f"unknown {what} `{word}`; did you mean `{suggestion}`?"
    return f"unknown {what} `{word}`; expected one of: {', '.join(choices)}"


def _message(kind: str, value: Any, ctx: Mapping[str, Any], fallback: str) -> str:
    empty = "is empty; write a value or remove the line"
    if kind == "value_error":
        return str(ctx["error"])
    if kind in {"string_type", "list_type", "dict_type", "model_type", "model_attributes_type"} and value is None:
        return empty
    size = len(value) if isinstance(value, (str, list, dict)) else 0
    messages = {
        "string_type": f"expected text, got {describe(value)}",
        "list_type": f"expected a list (`[a, b]` or one `- item` per line), got {describe(value)}",
        "dict_type": f"expected a mapping of keys and values, got {describe(value)}",
        "model_type": f"expected a mapping of fields, got {describe(value)}",
        "model_attributes_type": f"expected a mapping of fields, got {describe(value)}",
        "string_too_short": f"must be at least {ctx.get('min_length')} characters long (has {size})",
        "string_too_long": f"must be at most {ctx.get('max_length')} characters long (has {size})",
        "too_short": f"must have at least {ctx.get('min_length')} items (has {ctx.get('actual_length')})",
        "too_long": f"must have at most {ctx.get('max_length')} items (has {ctx.get('actual_length') or size})",
        "int_parsing": f"expected a whole number, got {describe(value)}",
        "int_type": f"expected a whole number, got {describe(value)}",
        "int_from_float": f"expected a whole number, got {describe(value)}",
        "float_parsing": f"expected a number, got {describe(value)}",
        "float_type": f"expected a number, got {describe(value)}",
        "finite_number": f"expected a finite number, got {describe(value)}",
        "bool_parsing": f"expected true or false, got {describe(value)}",
        "bool_type": f"expected true or false, got {describe(value)}",
        "date_type": f"expected a date written YYYY-MM-DD, got {describe(value)}",
        "greater_than": f"must be greater than {ctx.get('gt')}",
        "greater_than_equal": f"must be at least {ctx.get('ge')}",
        "less_than": f"must be less than {ctx.get('lt')}",
        "less_than_equal": f"must be at most {ctx.get('le')}",
    }
    return messages.get(kind, fallback)


def _node_at(schema: dict[str, Any], loc: tuple[Any, ...]) -> dict[str, Any]:
    """The JSON-schema node describing the value at ``loc``."""
    node = _resolve(schema, schema)
    for part in loc:
        if isinstance(part, int):
            node = node.get("items", {})
        else:
            patterns = list(node.get("patternProperties", {}).values())
            node = node.get("properties", {}).get(part) or node.get("additionalProperties") or next(iter(patterns), {})
        node = _resolve(schema, node)
    return node


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in node:
        return _resolve(schema, schema["$defs"][node["$ref"].rsplit("/", 1)[-1]])
    for option in node.get("anyOf", []):
        if option.get("type") != "null":
            return _resolve(schema, option)
    return node


def study_problems(document: Document, study: Study) -> list[Problem]:
    """Rules within one study file that span several fields."""
    problems: list[Problem] = []
    if study.updated is not None and study.updated < study.published:
        problems.append(document.problem(("updated",), f"must be on or after `published` ({study.published})"))
    if study.condition in study.also_conditions:
        index = study.also_conditions.index(study.condition)
        problems.append(document.problem(("also_conditions", index), "repeats the main `condition`; remove it"))
    problems += _duplicates(document, ("also_conditions",), study.also_conditions)
    problems += _duplicates(document, ("topics",), [topic.casefold().strip() for topic in study.topics])
    for index, topic in enumerate(study.topics):
        if taken := taken_address("topics", topic_slug(topic), "label", shown(topic)):
            problems.append(document.problem(("topics", index), taken))
    problems += _duplicates(document, ("authors",), study.authors)
    problems += _duplicates(document, ("study", "arms"), [arm.key for arm in study.study.arms], "arm key")
    arm_keys = [arm.key for arm in study.study.arms]
    for group in ("outcomes", "adverse_events"):
        for index, item in enumerate(getattr(study.study, group)):
            for key in item.results or {}:
                if key not in arm_keys:
                    problems.append(_unknown_arm(document, ("study", group, index, "results", key), key, arm_keys))
            if message := _mixed_kinds(item.results or {}):
                problems.append(document.problem(("study", group, index, "results"), message))
    for index, outcome in enumerate(study.study.outcomes):
        if outcome.effect is not None:
            problems += _effect_problems(document, ("study", "outcomes", index, "effect"), outcome.effect)
        if (certainty := outcome.certainty) is not None:
            path = ("study", "outcomes", index, "certainty", "downgraded_for")
            problems += _duplicates(document, path, certainty.downgraded_for, "reason")
            if certainty.level == CERTAINTY_KEYS[0] and certainty.downgraded_for:
                message = f"`{certainty.level}` certainty was not rated down; remove the reasons or lower the level"
                problems.append(document.problem(path, message))
    for field in ("pin", "exclude"):
        slugs = getattr(study.related, field)
        problems += _duplicates(document, ("related", field), slugs)
    for index, slug in enumerate(study.related.pin):
        if slug in study.related.exclude:
            problems.append(document.problem(("related", "pin", index), f"`{slug}` is also in related.exclude"))
    if study.status == "published":
        problems += _placeholder_problems(document, document.data, ())
    return problems


def study_warnings(document: Document, study: Study) -> list[Problem]:
    """What a valid study file could do better: warnings, which ``check`` prints and the build accepts.

    Each is a :class:`Problem` with ``severity="warning"``, pointing at its place like an error.
    """
    warnings = []
    source = study.source
    if source is not None and (missing := [name for name in REFERENCE_FIELDS if getattr(source, name) is None]):
        message = (
            f"no {_or_list(missing)}; the citation downloads (BibTeX, RIS) give what the source has, "
            f"but a reference manager needs {_and_list(list(REFERENCE_FIELDS))}"
        )
        warnings.append(_warning(document.problem(("source",), message, key=True)))
    return warnings


def _warning(problem: Problem) -> Problem:
    return dataclasses.replace(problem, severity="warning")


def _or_list(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def _and_list(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _placeholder_problems(document: Document, data: Any, path: tuple) -> list[Problem]:
    """A problem for each value of a published study that still holds a placeholder of the skeleton."""
    if isinstance(data, dict):
        return [
            problem for key, value in data.items() for problem in _placeholder_problems(document, value, (*path, key))
        ]
    if isinstance(data, list):
        return [
            problem
            for index, value in enumerate(data)
            for problem in _placeholder_problems(document, value, (*path, index))
        ]
    if not isinstance(data, str) or (placeholder := placeholder_in(data)) is None:
        return []
    todo = "write the study's own text, or keep `status: draft` until it is written"
    if placeholder.alone:
        return [document.problem(path, f"is still the skeleton's placeholder text; {todo}")]
    words = placeholder.text.split()
    quoted = placeholder.text if len(words) <= 8 else " ".join(words[:6]).rstrip(".,;:") + "..."
    return [document.problem(path, f'still contains the skeleton\'s placeholder text "{quoted}"; remove it and {todo}')]


def _duplicates(document: Document, path: tuple, values: list[str], what: str = "entry") -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for index, value in enumerate(values):
        if value in seen:
            problems.append(document.problem((*path, index), f"duplicate {what} {shown(value)}; list it once"))
        seen.add(value)
    return problems


def _unknown_arm(document: Document, path: tuple, key: str, arm_keys: list[str]) -> Problem:
    if not arm_keys:
        return document.problem(path, f"names the arm `{key}`, but the study has no `study.arms`", key=True)
    return document.problem(path, _unknown(key, arm_keys, "arm"), key=True)


def _mixed_kinds(results: Mapping[str, str]) -> str | None:
    """Why one outcome's per-arm values cannot be compared, or None.

    A plain number beside a share of the arm (a percentage or a count over a denominator) is a different
    quantity, not a result to set beside it; charts would show that arm as "not reported".
    """
    by_kind: dict[str, list[str]] = {}
    for arm, text in results.items():
        by_kind.setdefault(parse_result_value(text).kind, []).append(f"{arm}: {text.strip()}")
    if len(by_kind) < 2 or set(by_kind) <= SHARE_KINDS:
        return None
    kinds = [f"{KIND_NAMES[kind]} ({', '.join(arms)})" for kind, arms in by_kind.items()]
    mixed = ", ".join(kinds[:-1]) + " and " + kinds[-1]
    return (
        f"mixes {mixed}; give every arm the same kind of value: a share of the arm (a percentage, 55.2%, or a "
        "count over a denominator, 16/29) or a plain number"
    )


def _effect_problems(document: Document, path: tuple, effect: Any) -> list[Problem]:
    problems = []
    estimate = float(effect.estimate)
    ci = [float(bound) for bound in effect.ci] if effect.ci else None
    if effect.measure in RATIO_MEASURES:
        measure = ("an " if effect.measure.startswith("odds") else "a ") + effect.measure.replace("-", " ")
        for name, value, text in [("estimate", estimate, effect.estimate)] + [
            ("ci", bound, text) for bound, text in zip(ci or [], effect.ci or [], strict=True)
        ]:
            if value <= 0:
                message = f"{measure} must be greater than 0 (got {text})"
                problems.append(document.problem((*path, name), message))
                break
            if not MIN_RATIO <= value <= MAX_RATIO:  # beyond these a log scale has no room (and no study reports them)
                message = f"{measure} must be between {MIN_RATIO:f} and {MAX_RATIO:,.0f} (got {text})"
                problems.append(document.problem((*path, name), message))
                break
    if ci is not None:
        low, high = ci
        low_text, high_text = effect.ci
        if low > high:
            problems.append(document.problem((*path, "ci"), f"must be [low, high]; {low_text} is above {high_text}"))
        elif not low <= estimate <= high:
            message = f"must contain the estimate {effect.estimate}; got [{low_text}, {high_text}]"
            problems.append(document.problem((*path, "ci"), message))
    return problems
