"""The drug vocabulary (site_data/drugs.yaml): checked like the other vocabularies, line by line."""

from __future__ import annotations

import pytest

from generator.errors import ContentError
from generator.read.content import load_content
from generator.read.drugs import term_key

from ..conftest import MINIMAL_STUDY

F = "site_data/drugs.yaml"
SMALL = """\
classes:
  doacs:
    name: Direct oral anticoagulants
    synonyms: [DOAC]
drugs:
  rivaroxaban:
    name: rivaroxaban
    brands: [Xarelto]
    classes: [doacs]
    target: factor Xa
    source: https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=rivaroxaban
"""


def problems(project, text: str) -> list[str]:
    (project.root / F).write_text(text, encoding="utf-8")
    project.study("s", MINIMAL_STUDY)
    with pytest.raises(ContentError) as caught:
        load_content(project.root)
    return [str(problem) for problem in caught.value.problems]


def test_the_project_vocabulary_is_valid_and_every_drug_names_its_source(project) -> None:
    project.study("s", MINIMAL_STUDY)
    content = load_content(project.root)
    assert len(content.drugs) >= 50
    assert content.drugs["rivaroxaban"].brands == ["Xarelto"]
    assert all(drug.source.startswith("https://") for drug in content.drugs.values())


def test_a_small_vocabulary_is_valid(project) -> None:
    (project.root / F).write_text(SMALL, encoding="utf-8")
    project.study("s", MINIMAL_STUDY)
    content = load_content(project.root)
    assert list(content.drugs) == ["rivaroxaban"] and list(content.drug_classes) == ["doacs"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (SMALL.replace("    brands:", "    brand:"), [f"{F}:8:5: drugs.rivaroxaban.brand: unknown key `brand`; did you mean `brands`?"]),
        (SMALL.replace("    source: https", "    source: ftp"), [f"{F}:11:13: drugs.rivaroxaban.source: must be a web address starting with https:// or http://; got 'ftp://dailymed.nlm.nih.gov/dailymed/search.cfm?query=rivaroxaban'"]),
        (SMALL.replace("    target: factor Xa\n", ""), [f"{F}:7:5: drugs.rivaroxaban.target: is required but missing"]),
        (SMALL.replace("classes: [doacs]", "classes: [doac]"), [f"{F}:9:15: drugs.rivaroxaban.classes[0]: unknown class `doac`; add it under `classes:`"]),
        (SMALL.replace("brands: [Xarelto]", "brands: [DOACs]"), [f"{F}:8:14: drugs.rivaroxaban.brands[0]: `DOACs` is already a name of `doacs`; give it to one"]),
        (SMALL.replace("classes:\n  doacs:", "klasses:\n  doacs:", 1), [f"{F}:1:1: classes: is required but missing", f"{F}:1:1: klasses: unknown key `klasses`; did you mean `classes`?"]),
        ("- rivaroxaban\n", [f"{F}:1:1: must be a mapping of `key: value` lines, not a list"]),
    ],
)  # fmt: skip
def test_problems_are_named_at_their_line(project, text: str, expected: list[str]) -> None:
    assert problems(project, text) == expected


def test_a_missing_vocabulary_is_a_problem(project) -> None:
    (project.root / F).unlink()
    project.study("s", MINIMAL_STUDY)
    with pytest.raises(ContentError) as caught:
        load_content(project.root)
    assert [str(p) for p in caught.value.problems] == [f"{F}:1:1: file is missing"]


@pytest.mark.parametrize(
    ("a", "b"),
    [("JAK inhibitors", "jak-inhibitor"), ("Sjögren's", "sjogren"), ("TNF-alpha", "tnf alpha"), ("Xarelto", "XARELTO")],
)
def test_names_compare_ignoring_case_accents_hyphens_and_plural(a: str, b: str) -> None:
    assert term_key(a) == term_key(b)


def test_different_names_keep_different_keys() -> None:
    assert term_key("IL-2") != term_key("IL-23")
    assert term_key("sepsis") == "sepsis" and term_key("class") == "class"


@pytest.mark.parametrize(
    ("old", "new", "where", "listing"),
    [
        ("rivaroxaban:", "index:", "6:3: drugs.index", "the list of all drugs (/drugs/)"),
        ("doacs:", "index:", "2:3: classes.index", "the list of all drug classes (/drug-classes/)"),
    ],
)
def test_a_key_whose_page_would_be_a_list_of_all_is_refused(project, old, new, where, listing) -> None:
    text = SMALL.replace(f"  {old}\n", f"  {new}\n")
    if old == "doacs:":
        text = text.replace("[doacs]", f"[{new[:-1]}]")
    assert problems(project, text) == [f"{F}:{where}: `index` would take the address of {listing}; choose another key"]
