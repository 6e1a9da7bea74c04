"""Each rule has one home: the model, both JSON Schemas and every output agree with it, and no module restates it."""

from __future__ import annotations

import ast
import gc
import json
import re
import typing
from pathlib import Path

import lxml.html
import pytest

from generator.derive.collector import collector_paused
from generator.derive.effects import describe_effect
from generator.errors import ContentError
from generator.read.content import parse_study
from generator.read.model import ARM_KEY_PATTERN, Effect, StudyDetails
from generator.read.vocabulary import (
    BLINDING_KEYS,
    BLINDINGS,
    DESIGN_KEYS,
    DESIGNS,
    MEASURE_KEYS,
    MEASURES,
    RATIO_MEASURES,
)
from generator.render.charts import bar_chart_text, forest_plot
from generator.render.opendata import STUDIES_JSON_SCHEMA
from generator.render.pages import SiteOptions, build_files, build_pages
from generator.render.structured import SCHEMA, json_ld
from generator.text import LONE_SURROGATE, NOT_PLAIN_TEXT, NOT_XML, TERMINAL_UNSAFE
from generator.urls import SLUG_MAX_LENGTH, SLUG_PATTERN, SLUG_RULE, absolute_url, is_slug, study_src
from tests.conftest import MINIMAL_STUDY, ROOT
from tests.factories import SEED, SITE_NAME, SITE_URL, record

PACKAGE = ROOT / "generator"
STUDY_SCHEMA = json.loads((ROOT / "schema" / "study.schema.json").read_text(encoding="utf-8"))
DEFS = STUDY_SCHEMA["$defs"]
OPEN_STUDY = STUDIES_JSON_SCHEMA["$defs"]["study"]["properties"]
OPEN_EFFECT = OPEN_STUDY["outcomes"]["items"]["properties"]["effect"]["anyOf"][0]["properties"]


def literal_values(annotation: object) -> tuple:
    """The values a ``Literal[...]`` (or ``Literal[...] | None``) annotation allows."""
    if typing.get_origin(annotation) is not typing.Literal:
        annotation = next(arg for arg in typing.get_args(annotation) if arg is not type(None))
    return typing.get_args(annotation)


# --------------------------------------------------------------------------- effect measures


def test_the_model_and_both_schemas_allow_exactly_the_measures_of_the_table() -> None:
    assert literal_values(Effect.model_fields["measure"].annotation) == MEASURE_KEYS
    assert DEFS["Effect"]["properties"]["measure"]["enum"] == list(MEASURE_KEYS)
    assert OPEN_EFFECT["measure"]["enum"] == list(MEASURE_KEYS)


@pytest.mark.parametrize("key", MEASURE_KEYS)
def test_sentences_name_a_measure_by_its_label(key: str) -> None:
    label = MEASURES[key].label
    assert describe_effect(key, "2") in (f"{label} 2", f"2{label}")  # "HR 2", "2% change"


@pytest.mark.parametrize("key", MEASURE_KEYS)
def test_a_forest_plot_draws_a_measure_on_its_axis_and_scale(key: str) -> None:
    measure = MEASURES[key]
    svg = forest_plot("t", [("Outcome", key, "2", "1.5", "3")])
    caption = lxml.html.fragment_fromstring(svg).xpath("//*[@class='re-chart-caption']")[0].text
    assert caption == (f"{measure.axis} (log scale)" if measure.ratio else measure.axis)


@pytest.mark.parametrize("key", MEASURE_KEYS)
def test_only_ratios_must_be_above_zero(key: str) -> None:
    text = MINIMAL_STUDY.replace(
        "  design: cohort\n", f"  design: cohort\n  outcomes: [{{name: X, effect: {{measure: {key}, estimate: 0}}}}]\n"
    )
    if key in RATIO_MEASURES:
        with pytest.raises(ContentError, match="must be greater than 0"):
            parse_study(text, "x.yaml", "x")
    else:
        parse_study(text, "x.yaml", "x")
    assert (key in RATIO_MEASURES) == MEASURES[key].ratio


# --------------------------------------------------------------------------- blinding and designs


def test_the_model_and_both_schemas_allow_exactly_the_blindings_and_designs_of_the_vocabulary() -> None:
    assert literal_values(StudyDetails.model_fields["blinding"].annotation) == BLINDING_KEYS
    assert DEFS["StudyDetails"]["properties"]["blinding"]["anyOf"][0]["enum"] == list(BLINDING_KEYS)
    assert OPEN_STUDY["blinding"]["anyOf"][0]["enum"] == list(BLINDING_KEYS)
    assert literal_values(StudyDetails.model_fields["design"].annotation) == DESIGN_KEYS
    assert DEFS["StudyDetails"]["properties"]["design"]["enum"] == list(DESIGN_KEYS)
    assert OPEN_STUDY["design"]["enum"] == list(DESIGN_KEYS)


@pytest.mark.parametrize("key", BLINDING_KEYS)
def test_a_trial_names_its_blinding_as_the_vocabulary_says(key: str) -> None:
    from generator.render.pages import _facts

    item = record("x", study={"design": "randomized-controlled-trial", "blinding": key})
    assert SCHEMA + BLINDINGS[key].trial_design in json_ld(item, SEED, "", SITE_NAME)["mainEntity"]["trialDesign"]
    assert ("Blinding", BLINDINGS[key].label) in _facts(item)


@pytest.mark.parametrize("key", DESIGN_KEYS)
def test_the_structured_data_describe_a_design_as_the_vocabulary_says(key: str) -> None:
    design = DESIGNS[key]
    entity = json_ld(record("x", study={"design": key}), SEED, "", SITE_NAME).get("mainEntity")
    if design.schema_type is None:
        assert entity is None
        return
    assert entity["@type"] == design.schema_type
    members = entity.get("trialDesign", [entity.get("studyDesign")])  # the study has no other trait to name
    assert (members[0] if members else None) == (SCHEMA + design.schema_design if design.schema_design else None)


# --------------------------------------------------------------------------- slugs

TRICKY_NAMES = {
    "sle": True,
    "low-dose-il2-sle": True,
    "0": True,
    "a1-2b": True,
    "a" * SLUG_MAX_LENGTH: True,
    "a" * (SLUG_MAX_LENGTH + 1): False,
    "-".join(["ab"] * 27): True,  # 80 characters
    "-".join(["ab"] * 27) + "c": False,
    "": False,
    "-sle": False,
    "sle-": False,
    "a--b": False,
    "Sle": False,
    "a_b": False,
    "a.b": False,
    "sle\n": False,  # Python's $ would match before the newline
    "\nsle": False,
    "sle ": False,
    "trial-\uff12": False,  # a full-width digit
    "trial-\u0662": False,  # an Arabic-Indic digit, which Python's \d takes
    "trial-\u00b2": False,  # a superscript digit
    "\u0430spirin": False,  # a Cyrillic a
    "sle\u0301": False,  # a combining accent
}


def test_every_schema_states_the_slug_rule_of_its_home() -> None:
    slug_fields = [
        STUDY_SCHEMA["properties"]["condition"],
        STUDY_SCHEMA["properties"]["authors"]["items"],
        STUDY_SCHEMA["properties"]["also_conditions"]["items"],
        DEFS["Related"]["properties"]["pin"]["items"],
        DEFS["Related"]["properties"]["exclude"]["items"],
    ]
    assert {(field["pattern"], field["maxLength"]) for field in slug_fields} == {(SLUG_PATTERN, SLUG_MAX_LENGTH)}
    open_slugs = [OPEN_STUDY["slug"], OPEN_STUDY["condition"], OPEN_STUDY["also_conditions"]["items"],
                  OPEN_STUDY["related"]["items"]]  # fmt: skip
    assert {field["pattern"] for field in open_slugs} == {SLUG_PATTERN}
    assert DEFS["Arm"]["properties"]["key"]["pattern"] == ARM_KEY_PATTERN
    assert OPEN_STUDY["arms"]["items"]["properties"]["key"]["pattern"] == ARM_KEY_PATTERN
    assert f"at most {SLUG_MAX_LENGTH} characters" in SLUG_RULE


@pytest.mark.parametrize("name", TRICKY_NAMES, ids=ascii)
def test_is_slug_agrees_with_the_schema_on_tricky_names(name: str) -> None:
    field = DEFS["Related"]["properties"]["pin"]["items"]
    by_schema = len(name) <= field["maxLength"] and re.fullmatch(field["pattern"], name) is not None
    assert is_slug(name) == by_schema == TRICKY_NAMES[name]


# --------------------------------------------------------------------------- characters


def _xml_char(code: int) -> bool:
    """XML 1.0's Char production."""
    return code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code


def test_the_xml_class_is_the_complement_of_xml_chars() -> None:
    wrong = [code for code in range(0x110000) if (NOT_XML.match(chr(code)) is None) != _xml_char(code)]
    assert wrong == []


def test_the_surrogate_class_is_exactly_the_surrogates() -> None:
    found = [code for code in range(0x110000) if LONE_SURROGATE.match(chr(code))]
    assert found == list(range(0xD800, 0xE000))


def test_what_an_editor_may_not_write_a_terminal_never_shows_raw() -> None:
    refused = [chr(code) for code in range(0x110000) if NOT_PLAIN_TEXT.match(chr(code))]
    assert refused and all(TERMINAL_UNSAFE.match(char) for char in refused)


def test_charts_leave_out_what_xml_cannot_carry_lone_surrogates_too() -> None:
    assert bar_chart_text([("a\ud800b\x01c\ufffe", [("arm\udcff", 50.0)])]) == "abc: arm 50%."


# --------------------------------------------------------------------------- absolute addresses


@pytest.mark.parametrize("site_url", [SITE_URL, SITE_URL.rstrip("/")])
def test_pages_feeds_and_open_data_give_a_study_one_address(site_url: str) -> None:
    options = SiteOptions(site_url=site_url)
    item = next(record for record in SEED.visible() if record.slug == "low-dose-il2-sle")
    expected = absolute_url(site_url, study_src(item.slug))
    assert expected == SITE_URL + "studies/low-dose-il2-sle/"
    page = next(page for page in build_pages(SEED, options, {}) if page.src == study_src(item.slug))
    files = build_files(SEED, options, {})
    feed = json.loads(files["feed.json"])
    data = json.loads(files["studies.json"])
    assert f'<meta property="og:url" content="{expected}">' in page.head
    assert expected in [entry["url"] for entry in feed["items"]]
    assert expected in [entry["url"] for entry in data["studies"]]
    schema = absolute_url(site_url, "schema/studies.schema.json")
    assert data["$schema"] == schema == SITE_URL + "schema/studies.schema.json"


# --------------------------------------------------------------------------- the garbage collector


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_pause_restores_the_collector_as_it_was(enabled: bool) -> None:
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled() == enabled
    finally:
        (gc.enable if was else gc.disable)()


# --------------------------------------------------------------------------- no copies


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _strings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)]


def _home(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


# Values that only their vocabulary names: a second list of them is a copy that can drift.
VOCABULARY_VALUES = {*RATIO_MEASURES, *BLINDING_KEYS, *(b.trial_design for b in BLINDINGS.values()),
                     *(d.schema_design for d in DESIGNS.values() if d.schema_design)}  # fmt: skip


@pytest.mark.parametrize("path", _modules(), ids=_home)
def test_no_module_restates_a_character_class_a_slug_pattern_or_a_vocabulary(path: Path) -> None:
    strings = _strings(path)
    if _home(path) != "text.py":
        assert not [s for s in strings if LONE_SURROGATE.search(s) or "\\ud8" in s.lower()], "see generator/text.py"
    if _home(path) != "urls.py":
        assert not [s for s in strings if "[a-z0-9]+(-[a-z0-9]+)*" in s], "see generator.urls.SLUG_PATTERN"
    if _home(path) != "read/vocabulary.py":
        assert not VOCABULARY_VALUES & set(strings), "see generator/read/vocabulary.py"


@pytest.mark.parametrize("path", _modules(), ids=_home)
def test_only_the_collector_module_pauses_the_collector(path: Path) -> None:
    calls = [node for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(node, ast.Attribute) and node.attr == "disable"
             and isinstance(node.value, ast.Name) and node.value.id == "gc"]  # fmt: skip
    assert not calls or _home(path) == "derive/collector.py"
