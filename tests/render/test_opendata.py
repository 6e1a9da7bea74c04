"""Tests for generator.render.opendata: studies.json, its schema, and the CSV files."""

from __future__ import annotations

import csv
import io
import json

import pytest
from jsonschema import Draft202012Validator

from generator.render.opendata import SCHEMA_PATH, STUDIES_JSON_SCHEMA, neutralise_cell, open_data
from tests.factories import SEED, SITE_URL, content, hostile, record

TRIAL = {
    "design": "randomized-controlled-trial",
    "blinding": "double-blind",
    "participants": 60,
    "country": ["China", "Japan"],
    "arms": [
        {"key": "drug", "label": "Drug", "participants": 30, "intervention": "Tofacitinib 5 mg"},
        {"key": "placebo", "label": "Placebo", "participants": 30, "intervention": "Saline"},
    ],
    "outcomes": [
        {
            "name": "Response",
            "primary": True,
            "direction": "higher-is-better",
            "results": {"placebo": "9/30", "drug": "16/29"},
            "p_value": 0.052,
            "certainty": {"level": "low", "downgraded_for": ["risk-of-bias", "imprecision"]},
        },
        {"name": "Flares", "effect": {"measure": "hazard-ratio", "estimate": "0.50", "ci": ["0.30", "0.90"]}},
        {"name": "Nothing reported"},
    ],
    "adverse_events": [{"name": "Fever", "results": {"drug": "4", "placebo": "0"}}],
}
SOURCE = {
    "title": "A trial",
    "journal": "Journal",
    "year": 2020,
    "doi": "10.1000/xyz",
    "pmid": "123",
    "registration": ["NCT01234567"],
}


def data_of(*studies, related=None):
    return open_data(list(studies), content(*studies), SITE_URL, related or {})


def studies_json(files) -> dict:
    return json.loads(files["studies.json"].decode("utf-8"))


def csv_rows(data: bytes) -> list[dict[str, str]]:
    text = data.decode("utf-8")
    assert not text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text, newline="")))


VALIDATOR = Draft202012Validator(STUDIES_JSON_SCHEMA)

# The published column order: what readers' scripts and spreadsheets rely on, written out here.
STUDIES_HEADER = (
    b"slug,url,title,published,updated,condition,also_conditions,topics,drugs,drug_classes,summary,design,design_name,blinding,"
    b"comparator,setting,country,participants,population,follow_up,arms,source_title,source_journal,source_year,"
    b"doi,pmid,registration,source_url,related\r\n"
)
OUTCOMES_HEADER = b"slug,outcome,primary,arm,arm_label,value,p_value,effect_measure,effect_estimate,ci_low,ci_high,ci_level,certainty\r\n"


# --------------------------------------------------------------------------- studies.json


def test_schema_is_a_valid_2020_12_schema_and_is_published():
    Draft202012Validator.check_schema(STUDIES_JSON_SCHEMA)
    files = data_of()
    assert json.loads(files[SCHEMA_PATH]) == STUDIES_JSON_SCHEMA
    assert set(files) == {"studies.json", "studies.csv", "outcomes.csv", SCHEMA_PATH}


def test_seed_validates_against_the_schema():
    studies = SEED.visible()
    document = studies_json(open_data(studies, SEED, SITE_URL, {}))
    VALIDATOR.validate(document)
    assert document["count"] == len(studies)
    assert [item["slug"] for item in document["studies"]] == [item.slug for item in studies]
    assert document["$schema"] == SITE_URL + SCHEMA_PATH


def test_study_object():
    item = record(
        "trial",
        published="2021-03-04",
        updated="2021-04-05",
        also_conditions=["lupus-nephritis"],
        topics=["IL-2"],
        authors=["rheum-editor"],
        study=TRIAL,
        source=SOURCE,
    )
    [study] = studies_json(data_of(item))["studies"]
    VALIDATOR.validate({"count": 1, "studies": [study]})
    assert study["url"] == SITE_URL + "studies/trial/"
    assert (study["published"], study["updated"]) == ("2021-03-04", "2021-04-05")
    assert study["condition"] == "sle" and study["condition_name"] == "Systemic lupus erythematosus"
    assert study["also_conditions"] == ["lupus-nephritis"]
    assert study["authors"] == [{"key": "rheum-editor", "name": "Rheum Evidence editorial team"}]
    assert (study["design"], study["design_name"]) == ("randomized-controlled-trial", "Randomized controlled trial")
    assert study["participants"] == 60 and study["country"] == ["China", "Japan"]
    assert study["arms"][1] == {"key": "placebo", "label": "Placebo", "participants": 30, "intervention": "Saline"}
    response, flares, nothing = study["outcomes"]
    assert response == {
        "name": "Response",
        "primary": True,
        "direction": "higher-is-better",
        "results": {"placebo": "9/30", "drug": "16/29"},
        "p_value": "0.052",
        "effect": None,
        "certainty": {"level": "low", "downgraded_for": ["risk-of-bias", "imprecision"]},
    }
    assert flares["effect"] == {"measure": "hazard-ratio", "estimate": 0.5, "ci": [0.3, 0.9], "ci_level": 0.95}
    assert nothing == {"name": "Nothing reported", "primary": False, "direction": None, "results": {}, "p_value": None,
                       "effect": None, "certainty": None}  # fmt: skip
    assert [drug["key"] for drug in study["drugs"]] == ["tofacitinib", "interleukin-2"]  # an arm; the topic IL-2
    assert {"key": "jak-inhibitors", "name": "JAK inhibitors"} in study["drug_classes"]
    assert study["headline_checked"] is None
    assert study["adverse_events"] == [{"name": "Fever", "results": {"drug": "4", "placebo": "0"}}]
    assert study["source"] == SOURCE | {
        "doi_url": "https://doi.org/10.1000/xyz",
        "pubmed_url": "https://pubmed.ncbi.nlm.nih.gov/123/",
        "url": None,
    }
    assert "body" not in study


def test_minimal_study_has_every_key():
    [study] = studies_json(data_of(record("minimal")))["studies"]
    VALIDATOR.validate({"count": 1, "studies": [study]})
    assert study["source"] is None and study["updated"] is None and study["arms"] == []
    assert study["related"] == []


def test_results_and_p_values_as_written():
    item = record(
        "written",
        study={
            "arms": [{"key": "a", "label": "A"}],
            "outcomes": [{"name": "X", "results": {"a": "55.20%"}, "p_value": "<0.001"}],
        },
    )
    [study] = studies_json(data_of(item))["studies"]
    assert study["outcomes"][0]["results"] == {"a": "55.20%"}
    assert study["outcomes"][0]["p_value"] == "<0.001"


def test_related_keeps_only_listed_studies():
    one, two = record("one"), record("two")
    draft = record("draft-study", status="draft")
    site = content(one, two, draft)
    files = open_data(site.visible(), site, SITE_URL, {"one": ["draft-study", "two", "gone"], "draft-study": ["one"]})
    by_slug = {item["slug"]: item for item in studies_json(files)["studies"]}
    assert set(by_slug) == {"one", "two"}
    assert by_slug["one"]["related"] == ["two"]
    for data in files.values():
        assert b"draft-study" not in data


def test_unicode_is_kept():
    title = "Sjögren’s — 日本語 \U0001f9ea Ωmega"
    item = record("uni", title=title, topics=["Behçet's"])
    files = data_of(item)
    assert studies_json(files)["studies"][0]["title"] == title
    assert title.encode("utf-8") in files["studies.json"]
    [row] = csv_rows(files["studies.csv"])
    assert row["title"] == title and row["topics"] == "Behçet's"


def test_hostile_text_stays_data():
    text = '</script>"\x00\u202e,\r\n;'
    item = hostile(record("bad"), title=text, summary=text)
    files = data_of(item)
    assert studies_json(files)["studies"][0]["title"] == text
    [row] = csv_rows(files["studies.csv"])
    assert row["title"] == text


def test_lone_surrogate_cannot_break_utf8():
    files = data_of(hostile(record("bad"), title="a\ud800b"))
    assert studies_json(files)["studies"][0]["title"] == "a\ufffdb"
    assert csv_rows(files["studies.csv"])[0]["title"] == "a\ufffdb"


# --------------------------------------------------------------------------- studies.csv


def test_studies_csv():
    item = record(
        "trial", topics=["IL-2", "NK cells"], also_conditions=["lupus-nephritis", "ra"], study=TRIAL, source=SOURCE
    )
    files = data_of(item, record("other"), related={"trial": ["other"]})
    assert files["studies.csv"].startswith(STUDIES_HEADER)
    rows = csv_rows(files["studies.csv"])
    assert [row["slug"] for row in rows] == ["trial", "other"]
    row = rows[0]
    assert row["also_conditions"] == "lupus-nephritis; ra"
    assert row["topics"] == "IL-2; NK cells"
    assert row["drugs"] == "tofacitinib; interleukin-2" and "; JAK inhibitors; " in f"; {row['drug_classes']}; "
    assert row["country"] == "China; Japan"
    assert row["arms"] == "Drug; Placebo"
    assert row["participants"] == "60"
    assert row["source_year"] == "2020" and row["doi"] == "10.1000/xyz" and row["pmid"] == "123"
    assert row["registration"] == "NCT01234567"
    assert row["related"] == "other"
    assert row["updated"] == "" and row["source_url"] == ""
    assert rows[1]["source_title"] == "" and rows[1]["related"] == ""


def test_csv_agrees_with_json():
    studies = SEED.visible()
    files = open_data(studies, SEED, SITE_URL, {})
    for item, row in zip(studies_json(files)["studies"], csv_rows(files["studies.csv"]), strict=True):
        for column in ("slug", "url", "title", "summary", "design", "design_name"):
            assert row[column] == item[column]


# --------------------------------------------------------------------------- outcomes.csv


def test_outcomes_csv_one_row_per_outcome_per_arm():
    files = data_of(record("trial", study=TRIAL))
    data = files["outcomes.csv"]
    assert data.startswith(OUTCOMES_HEADER)
    rows = csv_rows(data)
    assert [(r["outcome"], r["arm"], r["arm_label"], r["value"]) for r in rows] == [
        ("Response", "drug", "Drug", "16/29"),  # arms in the study's order, not the results'
        ("Response", "placebo", "Placebo", "9/30"),
        ("Flares", "", "", ""),
        ("Nothing reported", "", "", ""),
    ]
    assert rows[0]["primary"] == "true" and rows[2]["primary"] == "false"
    assert rows[0]["p_value"] == rows[1]["p_value"] == "0.052"
    assert rows[0]["certainty"] == rows[1]["certainty"] == "low"
    flares = rows[2]
    assert (flares["effect_measure"], flares["effect_estimate"]) == ("hazard-ratio", "0.50")
    assert (flares["ci_low"], flares["ci_high"], flares["ci_level"]) == ("0.30", "0.90", "0.95")
    assert rows[0]["effect_measure"] == "" and rows[0]["ci_level"] == ""


def test_outcomes_csv_for_the_seed():
    rows = csv_rows(open_data(SEED.visible(), SEED, SITE_URL, {})["outcomes.csv"])
    il2 = [r for r in rows if r["slug"] == "low-dose-il2-sle"]
    assert [(r["arm"], r["value"]) for r in il2[:2]] == [("il2", "16/29"), ("placebo", "9/30")]
    trend = next(r for r in rows if r["effect_measure"] == "percent-change")
    assert trend["effect_estimate"] == "-1.6"  # a negative number is not a formula


# --------------------------------------------------------------------------- formula injection


@pytest.mark.parametrize(
    "cell",
    ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\tx", "\rx", "\nx", "\x00x", "=cmd|'/c calc'!A1", "\uff1d1+1", "-", "+"],
)
def test_formula_cells_are_neutralised(cell):
    assert neutralise_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["-1.6", "+2", "-0.5e-3", "42", "1.", ".5", "", "a=b", "'already", " =x"])
def test_plain_cells_are_kept(cell):
    assert neutralise_cell(cell) == cell


def test_injection_in_every_csv():
    item = record(
        "evil",
        title='=HYPERLINK("http://x","y")',
        topics=["+cmd", "@at"],
        study={
            "arms": [{"key": "a", "label": "-minus arm"}],
            "outcomes": [
                {"name": "=outcome", "results": {"a": "-3"}},
                {"name": "@effect", "effect": {"measure": "mean-difference", "estimate": "-2.5", "ci": ["-4", "-1"]}},
            ],
        },
    )
    files = data_of(item)
    [row] = csv_rows(files["studies.csv"])
    assert row["title"] == '\'=HYPERLINK("http://x","y")'
    assert row["topics"] == "'+cmd; @at"  # the joined cell starts with "+"
    assert row["arms"] == "'-minus arm"
    first, second = csv_rows(files["outcomes.csv"])
    assert (first["outcome"], first["arm_label"], first["value"]) == ("'=outcome", "'-minus arm", "-3")
    assert (second["outcome"], second["effect_estimate"], second["ci_low"]) == ("'@effect", "-2.5", "-4")
    # The JSON keeps the text exactly: neutralising is for spreadsheets only.
    assert studies_json(files)["studies"][0]["title"] == '=HYPERLINK("http://x","y")'
