"""The editor's config.yml is made from the study model: every field, with the widget its schema calls for."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest
import yaml

from generator.read.content import load_content
from generator.read.model import Study
from generator.render.cms import CmsConfigError, CmsSettings, _Builder, cms_config, config_file, config_yaml

from ..conftest import ROOT

SVELTIA_SCHEMA = ROOT / "node_modules" / "@sveltia" / "cms" / "schema" / "sveltia-cms.json"


@pytest.fixture(scope="module")
def vocabulary() -> tuple[dict[str, str], dict[str, str]]:
    content = load_content(ROOT, only=[])
    return (
        {key: condition.name for key, condition in content.conditions.items()},
        {key: author.name for key, author in content.authors.items()},
    )


@pytest.fixture(scope="module")
def config(vocabulary) -> dict[str, Any]:
    return cms_config(*vocabulary, CmsSettings(repo="octo/rheum", branch="main"))


def schema_fields(node: dict, defs: dict, prefix: str = "") -> Iterator[tuple[str, dict, bool]]:
    """(path, resolved schema, required) of every field of the model, nested ones included."""
    required = set(node.get("required", ()))
    for name, prop in node.get("properties", {}).items():
        resolved = resolve(prop, defs)
        path = prefix + name
        yield path, resolved, name in required
        items = resolve(resolved.get("items", {}), defs) if resolved.get("type") == "array" else resolved
        if items.get("type") == "object" and "properties" in items:
            yield from schema_fields(items, defs, path + ".")


def resolve(prop: dict, defs: dict) -> dict:
    if "$ref" in prop:
        return resolve(defs[prop["$ref"].rsplit("/", 1)[-1]], defs)
    options = [o for o in prop.get("anyOf", ()) if o.get("type") != "null"]
    if len(options) == 1:
        return resolve(options[0], defs)
    if [o.get("type") for o in options] == ["string", "array"]:
        return resolve(options[1], defs)
    return prop


def config_fields(fields: list[dict], prefix: str = "") -> dict[str, dict]:
    found = {}
    for item in fields:
        path = prefix + item["name"]
        found[path] = item
        found |= config_fields(item.get("fields", []), path + ".")
    return found


def expected_widget(path: str, node: dict) -> str:
    """The widget a field's JSON Schema calls for (see generator/render/cms.py)."""
    if path in ("condition", "also_conditions", "authors"):
        return "select"
    if path.startswith("related."):
        return "relation"
    if node.get("type") == "object" and isinstance(node.get("additionalProperties"), dict):
        return "keyvalue"
    if "enum" in node or "enum" in node.get("items", {}):
        return "select"
    if "anyOf" in node:
        return "string"
    if node.get("format") == "date":
        return "datetime"
    if node.get("type") == "string":
        if node.get("maxLength", 0) > 10_000:
            return "markdown"
        return "text" if node["maxLength"] > 200 and "pattern" not in node else "string"  # a URL is one line
    return {"integer": "number", "number": "number", "boolean": "boolean", "object": "object", "array": "list"}[
        node["type"]
    ]


def test_every_field_of_the_model_is_in_the_form_with_its_widget(config) -> None:
    schema = Study.model_json_schema()
    fields = config_fields(config["collections"][0]["fields"])
    paths = []
    for path, node, required in schema_fields(schema, schema["$defs"]):
        paths.append(path)
        assert path in fields, f"{path} is not in the editor's form"
        field = fields[path]
        assert field["widget"] == expected_widget(path, node), path
        assert field["required"] == (required or field.get("default") is not None), path
        if "enum" in node:
            assert [o if isinstance(o, str) else o["value"] for o in field["options"]] == node["enum"], path
        if "pattern" in node and field["widget"] == "string":
            assert field["pattern"][0] == node["pattern"], path
        if field["widget"] in ("string", "text"):
            assert field.get("maxlength") == node.get("maxLength"), path
        if node.get("type") == "integer":
            assert (field["value_type"], field.get("min"), field.get("max")) == (
                "int",
                node.get("minimum"),
                node.get("maximum"),
            ), path
    assert set(fields) <= set(paths) | {p for p in fields if p.endswith(".item")}
    assert len(paths) > 40  # nested fields are walked too


def test_list_items_carry_the_item_schema(config) -> None:
    fields = config_fields(config["collections"][0]["fields"])
    country, ci = fields["study.country"], fields["study.outcomes.effect.ci"]
    assert country["field"]["widget"] == "string" and country["field"]["maxlength"] == 80
    assert (ci["min"], ci["max"], ci["field"]["value_type"]) == (2, 2, "float/string")
    assert fields["study.outcomes.effect.estimate"]["value_type"] == "float/string"  # "0.30" stays as written
    assert fields["study.outcomes.p_value"]["pattern"][0].startswith("^(")


def test_choices_come_from_the_model_and_site_data(config, vocabulary) -> None:
    schema = Study.model_json_schema()
    fields = config_fields(config["collections"][0]["fields"])
    conditions, authors = vocabulary
    assert [o["value"] for o in fields["condition"]["options"]] == list(conditions)
    assert [o["value"] for o in fields["authors"]["options"]] == list(authors)
    assert fields["also_conditions"]["multiple"] is True
    designs = schema["$defs"]["StudyDetails"]["properties"]["design"]["enum"]
    assert fields["study.design"]["options"] == designs
    assert (
        fields["study.outcomes.effect.measure"]["options"] == schema["$defs"]["Effect"]["properties"]["measure"]["enum"]
    )


def test_the_article_the_dates_and_the_results(config) -> None:
    fields = config_fields(config["collections"][0]["fields"])
    assert fields["body"]["widget"] == "markdown"
    assert fields["published"].items() >= {"widget": "datetime", "type": "date", "format": "YYYY-MM-DD"}.items()
    for path in ("study.outcomes.results", "study.adverse_events.results"):
        assert fields[path]["widget"] == "keyvalue" and fields[path]["max"] == 12
    collection = config["collections"][0]
    assert collection["folder"] == "content/studies" and collection["extension"] == "yaml"
    assert config["output"]["omit_empty_optional_fields"] is True


def test_the_config_is_valid_for_sveltia(config) -> None:
    if not SVELTIA_SCHEMA.is_file():
        pytest.skip("the editor's package is not installed: npm ci")
    schema = json.loads(SVELTIA_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(yaml.safe_load(config_yaml(config)), schema)


def test_backend_from_the_settings(vocabulary) -> None:
    configured = cms_config(*vocabulary, CmsSettings(repo="octo/rheum", branch="live"))["backend"]
    assert configured == {"name": "github", "repo": "octo/rheum", "branch": "live", "auth_methods": ["token"]}


def test_the_config_file_is_the_config_written_out_for_exactly_these_choices(vocabulary) -> None:
    conditions, authors = vocabulary
    settings = CmsSettings(repo="octo/rheum", branch="live")
    assert config_file(conditions, authors, settings) == config_yaml(cms_config(conditions, authors, settings))
    renamed = {**conditions, "ra": "Rheumatoid arthritis (adult)"}
    assert "Rheumatoid arthritis (adult)" in config_file(renamed, authors, settings), "kept files are never stale"
    assert "branch: main" in config_file(conditions, authors, CmsSettings(repo="octo/rheum"))
    assert config_file(conditions, authors, settings) == config_yaml(cms_config(conditions, authors, settings))


def test_a_field_the_generator_cannot_map_is_an_error() -> None:
    builder = _Builder({}, frozenset(), {}, {})
    with pytest.raises(CmsConfigError, match="`odd`"):
        builder.fields({"properties": {"odd": {"type": "null"}}}, "")


def test_the_command_prints_the_config() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator", "cms-config"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    data = yaml.safe_load(result.stdout)
    assert data["collections"][0]["name"] == "studies"
    assert result.stdout.startswith("# Generated by `python -m generator cms-config`")
