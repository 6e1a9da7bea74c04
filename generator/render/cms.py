"""The browser editor's configuration (Sveltia CMS ``admin/config.yml``), generated from the study model.

The form is made from the same single source as ``schema/study.schema.json``:
:meth:`Study.model_json_schema` gives every field, in the model's order, with
its type, whether it is required, its lengths, patterns, bounds and choices.
Nothing here lists designs, measures, blinding or conditions: choices come
from the model's enums, condition and author keys from ``site_data/``.  A
field whose shape this module does not know raises :class:`CmsConfigError`,
so a change to the model cannot silently drop a field from the form.

Widgets, by the field's JSON Schema:

* a choice (``enum``): ``select``; a list of choices: ``select`` with ``multiple``;
* a date (``format: date``): ``datetime`` with ``type: date``, saved ``YYYY-MM-DD``;
* text: ``string`` (a line) or ``text`` (a paragraph, when over 200 characters
  are allowed); the article (the field checked as Markdown): ``markdown``;
* a whole number: ``number`` saved as a number; any other number: ``number``
  saved as the text typed (``0.30`` keeps its zero, as the contract wants);
* yes/no: ``boolean``; a block (``study``, ``source``, ``effect``): ``object``;
* a list (arms, outcomes, countries, topics...): ``list``; a value that may be
  one or many (``country``, ``registration``): ``list``, which the contract accepts;
* per-arm ``results`` (arm key -> value, keys chosen by the editor): ``keyvalue``,
  which saves a mapping such as ``{il2: 55.2%, placebo: 30%}``;
* condition and author keys: ``select`` of the keys in ``site_data/``;
  ``related.pin`` and ``related.exclude``: ``relation`` to the other studies.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import yaml
from pydantic import BaseModel

from generator.read.markdown import check_body
from generator.read.model import Study
from generator.urls import SLUG_MAX_LENGTH, SLUG_PATTERN

__all__ = [
    "CmsConfigError",
    "CmsSettings",
    "STUDIES_COLLECTION",
    "STUDIES_FOLDER",
    "cms_config",
    "config_file",
    "config_yaml",
]

STUDIES_FOLDER = "content/studies"
STUDIES_COLLECTION = "studies"
LINE_MAX = 200  # longer plain text gets a multi-line box
NUMBER_TEXT = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?"

# Fields that name entries of site_data/ or other studies, by their path in the study file.
CONDITION_FIELDS = ("condition", "also_conditions")
AUTHOR_FIELDS = ("authors",)
STUDY_FIELDS = ("related.pin", "related.exclude")
ARM_RESULTS = "results"  # a mapping of arm key -> value wherever it appears

# Words a label spells in capitals.
_ACRONYMS = {"ci": "CI", "doi": "DOI", "pmid": "PMID", "url": "URL", "p": "P"}
# Help under a field, by path (a list's items share their list's path).
HINTS = {
    "title": "Plain text on one line.",
    "summary": "Plain text: the teaser in listings, feeds and the page's description.",
    "published": "The date on this site.",
    "updated": "Not before the published date.",
    "status": "Drafts are not published; change to published when the study is ready.",
    "topics": "Free labels; each gets a topic page.",
    "study.arms": "List the intervention arm first and the comparator second.",
    "study.arms.key": "Lowercase letters, digits and underscores (like `il2`); results name the arm by this key.",
    "study.outcomes.results": "One row per arm: the arm's key, and its value as `55.2%`, `16/29` or `9`.",
    "study.adverse_events.results": "One row per arm: the arm's key, and its value as `55.2%`, `16/29` or `9`.",
    "study.outcomes.p_value": "`0.052`, or a bound such as `<0.001`.",
    "study.outcomes.effect.ci": "Two numbers: the low and the high end.",
    "study.outcomes.effect.ci_level": "A fraction: 0.95 for a 95% interval.",
    "study.participants": "Total enrolled.",
    "body": "The article, in Markdown.",
    "source.authors": "As printed, e.g. `He J, Zhang R, Shao M, et al.`",
    "source.doi": "Like `10.1136/annrheumdis-2019-215396`, without `https://doi.org/`.",
    "source.pmid": "The PubMed ID, digits only.",
    "source.registration": "Trial registry numbers, such as `NCT02465580`.",
    "related.pin": "Studies always listed first under “More like this”, in this order.",
    "related.exclude": "Studies never listed under “More like this”.",
}
# What a failed pattern says, by path.
PATTERN_MESSAGES = {
    "study.arms.key": "Use lowercase letters, digits and underscores, like il2.",
    "source.doi": "Write a DOI such as 10.1136/annrheumdis-2019-215396 (without https://doi.org/).",
    "source.pmid": "Write the PubMed ID as digits only, such as 31537547.",
    "source.registration": "Write a registry number such as NCT02465580.",
    "source.url": "Write a web address starting with https:// or http://.",
    "study.outcomes.p_value": "Write a number from 0 to 1 (0.052) or a bound such as <0.001.",
}


class CmsConfigError(Exception):
    """The study model has a field this generator cannot turn into a form field."""


@dataclass(frozen=True)
class CmsSettings:
    """Where the deployed editor reads and writes: ``extra.cms`` in mkdocs.yml."""

    repo: str | None = None  # owner/name on GitHub; None: the deployed editor is not configured
    branch: str = "main"

    @property
    def configured(self) -> bool:
        return bool(self.repo)


def cms_config(
    conditions: Mapping[str, str], authors: Mapping[str, str], settings: CmsSettings = CmsSettings()
) -> dict[str, Any]:
    """The Sveltia CMS configuration for the study files.

    ``conditions`` and ``authors`` map the keys of ``site_data/`` to the names shown in the choices.
    """
    schema = Study.model_json_schema()
    builder = _Builder(schema.get("$defs", {}), _markdown_fields(Study), conditions, authors)
    backend: dict[str, Any] = {"name": "github", "repo": settings.repo or "owner/repository"}
    backend |= {"branch": settings.branch, "auth_methods": ["token"]}
    return {
        "backend": backend,
        "app_title": "Rheum Evidence editor",
        "media_folder": "content/media",  # required by the CMS; study files have no media fields
        "slug": {
            "encoding": "ascii",
            "clean_accents": True,
            "sanitize_replacement": "-",
            "lowercase": True,
            "maxlength": SLUG_MAX_LENGTH,
        },
        "output": {"omit_empty_optional_fields": True, "yaml": {"indent_sequences": True, "quote": "none"}},
        "collections": [
            {
                "name": STUDIES_COLLECTION,
                "label": "Studies",
                "label_singular": "Study",
                "description": "One file per study in content/studies; its slug (file name) is its web address.",
                "folder": STUDIES_FOLDER,
                "extension": "yaml",
                "format": "yaml",
                "create": True,
                "delete": True,
                "identifier_field": "title",
                "slug": {
                    "template": "{{title}}",
                    "editable": ["create"],
                    "hint": "The file name and the web address, /studies/SLUG/; it cannot change once saved.",
                    "pattern": [
                        SLUG_PATTERN,
                        "Use lowercase letters, digits and single hyphens, like low-dose-il2-sle.",
                    ],
                },
                "summary": "{{title}}",
                "sortable_fields": ["published", "title"],
                "fields": builder.fields(schema, ""),
            }
        ],
    }


def config_yaml(config: Mapping[str, Any]) -> str:
    """``config`` as the YAML file the CMS reads."""
    header = "# Generated by `python -m generator cms-config` from the study model; do not edit.\n"
    return header + yaml.safe_dump(dict(config), sort_keys=False, allow_unicode=True, width=1000)


def config_file(
    conditions: Mapping[str, str], authors: Mapping[str, str], settings: CmsSettings = CmsSettings()
) -> str:
    """The CMS's ``config.yml`` for these choices (:func:`cms_config` written by :func:`config_yaml`).

    `mkdocs serve` asks again on every build, and writing it takes longer than most of a rebuild's
    steps, so the files of the last few choices are kept.
    """
    return _config_file(tuple(conditions.items()), tuple(authors.items()), settings)


@functools.lru_cache(maxsize=4)
def _config_file(
    conditions: tuple[tuple[str, str], ...], authors: tuple[tuple[str, str], ...], settings: CmsSettings
) -> str:
    return config_yaml(cms_config(dict(conditions), dict(authors), settings))


class _Builder:
    def __init__(
        self,
        defs: Mapping[str, Any],
        markdown: frozenset[str],
        conditions: Mapping[str, str],
        authors: Mapping[str, str],
    ):
        self.defs, self.markdown = defs, markdown
        self.conditions, self.authors = conditions, authors

    def fields(self, node: Mapping[str, Any], prefix: str) -> list[dict[str, Any]]:
        """The form fields of an object schema, in the model's order."""
        required = set(node.get("required", ()))
        return [
            self.field(name, prop, f"{prefix}{name}", required=name in required)
            for name, prop in node.get("properties", {}).items()
        ]

    def field(self, name: str, prop: Mapping[str, Any], path: str, *, required: bool) -> dict[str, Any]:
        node = self.resolve(prop)
        out: dict[str, Any] = {"name": name, "label": _label(name)}
        out |= self.widget(node, path, prop)
        out["required"] = required
        if "default" in prop and prop["default"] not in (None, [], {}) and out["widget"] in ("select", "boolean"):
            out["default"] = prop["default"]
            out["required"] = True  # a choice with a default always has a value; no "(None)" to pick
        if out["widget"] == "object":
            out["collapsed"] = False if required else "auto"
        if path == "status":
            out["default"] = "draft"  # a study made in the editor starts as a draft, as `generator new` makes it
        if hint := HINTS.get(path) or (_bounds_hint(node) if out["widget"] in ("string", "text") else None):
            out["hint"] = hint
        return out

    def resolve(self, prop: Mapping[str, Any]) -> dict[str, Any]:
        """The schema of a value: references followed, ``null`` (an optional field) and "one or a list" dropped."""
        node = dict(prop)
        if "$ref" in node:
            node = dict(self.defs[node["$ref"].rsplit("/", 1)[-1]])
        options = [option for option in node.get("anyOf", ()) if option.get("type") != "null"]
        if "anyOf" in node and len(options) == 1:
            return self.resolve(options[0])
        if "anyOf" in node and len(options) == 2 and [o.get("type") for o in options] == ["string", "array"]:
            return self.resolve(options[1])  # one or many: always written as a list
        return node

    def widget(self, node: Mapping[str, Any], path: str, prop: Mapping[str, Any]) -> dict[str, Any]:
        leaf = path.rsplit(".", 1)[-1]
        if path in CONDITION_FIELDS or path in AUTHOR_FIELDS:
            names = self.conditions if path in CONDITION_FIELDS else self.authors
            out = {"widget": "select", "options": [{"label": f"{n} ({k})", "value": k} for k, n in names.items()]}
            return out | self.multiple(node)
        if path in STUDY_FIELDS:
            out = {"widget": "relation", "collection": STUDIES_COLLECTION, "value_field": "{{slug}}"}
            out |= {"search_fields": ["title"], "display_fields": ["title"]}
            return out | self.multiple(node)
        if leaf == ARM_RESULTS and node.get("type") == "object" and isinstance(node.get("additionalProperties"), dict):
            out = {"widget": "keyvalue", "key_label": "Arm key", "value_label": "Result"}
            return out | ({"max": node["maxProperties"]} if "maxProperties" in node else {})
        if "enum" in node:
            return {"widget": "select", "options": list(node["enum"])}
        if "anyOf" in node:
            return self.text_or_number(node, path)
        kind = node.get("type")
        if kind == "string" and node.get("format") == "date":
            return {"widget": "datetime", "type": "date", "format": "YYYY-MM-DD"}
        if kind == "string":
            return self.string(node, path)
        if kind == "integer":
            return self.number(node, "int")
        if kind == "number":
            return self.number(node, "float/string")
        if kind == "boolean":
            return {"widget": "boolean"}
        if kind == "object" and "properties" in node:
            return {"widget": "object", "fields": self.fields(node, path + ".")}
        if kind == "array":
            return self.array(node, path)
        raise CmsConfigError(f"`{path}`: no form field for the schema {dict(prop)!r}")

    def string(self, node: Mapping[str, Any], path: str) -> dict[str, Any]:
        if path in self.markdown:  # the article; its length limit is far beyond any article and stays with check
            return {"widget": "markdown"}
        # Long plain text gets a box of several lines; a value with a pattern (an address, an identifier) is one line.
        long_text = node.get("maxLength", LINE_MAX) > LINE_MAX and "pattern" not in node
        out: dict[str, Any] = {"widget": "text" if long_text else "string"}
        out |= {
            key: node[source]
            for source, key in (("minLength", "minlength"), ("maxLength", "maxlength"))
            if source in node
        }
        if "pattern" in node:
            out["pattern"] = [node["pattern"], PATTERN_MESSAGES.get(path, f"Must match {node['pattern']}")]
        return out

    def number(self, node: Mapping[str, Any], value_type: str) -> dict[str, Any]:
        out: dict[str, Any] = {"widget": "number", "value_type": value_type}
        out |= {key: node[source] for source, key in (("minimum", "min"), ("maximum", "max")) if source in node}
        return out

    def text_or_number(self, node: Mapping[str, Any], path: str) -> dict[str, Any]:
        """A value written as a number or as text matching a pattern (a p-value): one line, checked by pattern."""
        options = [o for o in node["anyOf"] if o.get("type") != "null"]
        if sorted(o.get("type") for o in options) != ["number", "string"] or not all(
            "pattern" in o for o in options if o.get("type") == "string"
        ):
            raise CmsConfigError(f"`{path}`: no form field for the choice {options!r}")
        texts = [o["pattern"].removeprefix("^").removesuffix("$") for o in options if o.get("type") == "string"]
        pattern = "^(" + "|".join([NUMBER_TEXT, *texts]) + ")$"
        return {"widget": "string", "pattern": [pattern, PATTERN_MESSAGES.get(path, f"Must match {pattern}")]}

    def multiple(self, node: Mapping[str, Any]) -> dict[str, Any]:
        if node.get("type") != "array":
            return {}
        return {"multiple": True} | ({"max": node["maxItems"]} if "maxItems" in node else {})

    def array(self, node: Mapping[str, Any], path: str) -> dict[str, Any]:
        items = self.resolve(node.get("items", {}))
        out: dict[str, Any] = {"widget": "list"}
        out |= {key: node[source] for source, key in (("minItems", "min"), ("maxItems", "max")) if source in node}
        if "enum" in items:
            return {"widget": "select", "options": list(items["enum"]), "multiple": True} | self.multiple(node)
        if items.get("type") == "object" and "properties" in items:
            fields = self.fields(items, path + ".")
            first = fields[0]["name"]
            label = "label" if any(f["name"] == "label" for f in fields) else first
            return out | {"label_singular": _singular(path), "summary": f"{{{{fields.{label}}}}}", "fields": fields}
        item = self.widget(items, path, items) | {"name": "item", "label": _singular(path)}
        return out | {"label_singular": _singular(path), "field": item}


def _label(name: str) -> str:
    words = [_ACRONYMS.get(word, word) for word in name.split("_")]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def _singular(path: str) -> str:
    name = _label(path.rsplit(".", 1)[-1]).lower()
    if name.endswith("ies"):
        return name[:-3] + "y"
    if name in ("country", "registration") or not name.endswith("s"):
        return name
    return name[:-1]


def _bounds_hint(node: Mapping[str, Any]) -> str | None:
    low, high = node.get("minLength"), node.get("maxLength")
    if node.get("type") == "string" and high and high <= 2000:
        return f"{low} to {high} characters." if low and low > 1 else f"At most {high} characters."
    return None


def _markdown_fields(model: type[BaseModel]) -> frozenset[str]:
    """Paths of the fields the model checks as Markdown (``check_body``), found by walking the models."""
    return frozenset(_walk(model, ""))


def _walk(model: type[BaseModel], prefix: str) -> Iterator[str]:
    for name, info in model.model_fields.items():
        path = prefix + name
        if any(getattr(item, "func", None) is check_body for item in info.metadata):
            yield path
        for nested in _models_in(info.annotation):
            yield from _walk(nested, path + ".")


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        return
    for argument in typing.get_args(annotation):
        yield from _models_in(argument)
