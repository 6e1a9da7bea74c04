"""Which drugs and classes a study names: generic, brand, synonym or class name; abbreviations only as written."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main
from generator.derive.treatments import (
    TreatmentMatcher,
    content_treatments,
    is_abbreviation,
    unplaced_drug_names,
)
from generator.read.content import load_content

from ..conftest import MINIMAL_STUDY, ROOT


@pytest.fixture(scope="module")
def vocabulary():
    content = load_content(ROOT)
    return content.drugs, content.drug_classes


def named(project, extra: str):
    project.study("s", MINIMAL_STUDY.replace("  design: cohort\n", "  design: cohort\n" + extra))
    return content_treatments(load_content(Path(project.root)))["s"]


def test_the_seed_studies_name_their_drugs() -> None:
    by_slug = content_treatments(load_content(ROOT))
    assert by_slug["rivaroxaban-vs-warfarin-aps"].drugs == ("warfarin", "rivaroxaban")
    assert by_slug["rivaroxaban-vs-warfarin-aps"].classes == ("vitamin-k-antagonists", "doacs")
    assert by_slug["low-dose-il2-sle"].drugs == ("interleukin-2",)
    assert "calcium-channel-blockers" in by_slug["aspirin-vasodilators-ssc"].classes
    assert by_slug["aav-mortality-usa"].drugs == by_slug["aav-mortality-usa"].classes == ()


@pytest.mark.parametrize(
    ("arm", "drugs", "classes"),
    [
        ("Xarelto 20 mg", ("rivaroxaban",), ("doacs",)),
        ("Tofacitinib 5 mg twice daily", ("tofacitinib",), ("targeted-synthetic-dmards", "jak-inhibitors")),
        ("a JAK inhibitor of any kind", (), ("jak-inhibitors",)),
        ("MTX 15 mg weekly", ("methotrexate",), ("csdmards",)),
        ("in the biologic era, as before", (), ("biologic-dmards",)),
    ],
)
def test_an_arm_names_drugs_and_classes(project, arm: str, drugs: tuple, classes: tuple) -> None:
    found = named(project, f"  arms:\n    - key: a\n      label: {arm}\n")
    assert (found.drugs, found.classes) == (drugs, classes)


def test_abbreviations_are_capitals() -> None:
    assert is_abbreviation("MTX") and is_abbreviation("JAKi") and is_abbreviation("IL-2")
    assert not is_abbreviation("rivaroxaban") and not is_abbreviation("Arava")


def _arms(*interventions: str) -> str:
    arms = "".join(f"    - key: a{n}\n      label: Arm {n}\n      intervention: {text}\n"
                   for n, text in enumerate(interventions))  # fmt: skip
    return f"  arms:\n{arms}"


def test_a_drug_in_every_arm_is_background_and_not_what_the_study_compares(project) -> None:
    found = named(project, _arms("Avacopan with rituximab", "Prednisone taper with rituximab"))
    assert found.drugs == ("rituximab", "prednisone", "avacopan")
    assert "anti-cd20-antibodies" in found.classes and "anti-cd20-antibodies" not in found.compared
    assert {"glucocorticoids", "c5a-receptor-inhibitors"} <= set(found.compared)


def test_two_drugs_of_one_class_compared_head_to_head_keep_the_class(project) -> None:
    found = named(project, _arms("Tofacitinib 5 mg", "Baricitinib 4 mg"))
    assert "jak-inhibitors" in found.compared


def test_a_single_arm_study_compares_what_its_arm_names(project) -> None:
    found = named(project, _arms("Upadacitinib 15 mg"))
    assert found.compared == found.classes == ("targeted-synthetic-dmards", "jak-inhibitors")


def test_check_warns_of_a_drug_name_the_vocabulary_does_not_list_once_at_its_first_field(project, capsys) -> None:
    arms = _arms("Olokizumab 64 mg every 4 weeks", "Placebo; olokizumab after week 24")
    project.study("s", MINIMAL_STUDY.replace("  design: cohort\n", "  design: cohort\n" + arms))
    assert main(["--root", str(project.root), "check"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "content/studies/s.yaml:10:21: study.arms[0].intervention: warning: `olokizumab` reads as a drug name that "
        "site_data/drugs.yaml does not list; add it there (generic name, brands, class, target, source) so search, "
        "its drug page and More like this know it"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Rituximab and tocilizumab, as in April; the concept, except for an intercept",
        "RITUXIMAB",  # known, in any case
        "anti-TNF therapy with etanercept or adalimumab",
    ],
)
def test_known_drugs_and_english_words_raise_no_warning(project, vocabulary, text: str) -> None:
    project.study("s", MINIMAL_STUDY.replace("  design: cohort\n", "  design: cohort\n" + _arms(text)))
    [record] = load_content(Path(project.root)).studies
    assert unplaced_drug_names(record, TreatmentMatcher(*vocabulary)) == []


def test_content_treatments_match_again_when_the_drug_vocabulary_changes(project) -> None:
    """The per-study memo of `mkdocs serve` is keyed by the vocabulary: a brand name added is found at once."""
    project.study("s", MINIMAL_STUDY.replace("  design: cohort\n", "  design: cohort\n" + _arms("Testbrand 20 mg")))
    drugs = project.root / "site_data" / "drugs.yaml"
    assert content_treatments(load_content(project.root))["s"].drugs == ()
    text = drugs.read_text(encoding="utf-8")
    assert "    brands: [Xarelto]\n" in text
    drugs.write_text(text.replace("    brands: [Xarelto]\n", "    brands: [Xarelto, Testbrand]\n", 1))
    assert content_treatments(load_content(project.root))["s"].drugs == ("rivaroxaban",)
    drugs.write_text(text, encoding="utf-8")
    assert content_treatments(load_content(project.root))["s"].drugs == ()
