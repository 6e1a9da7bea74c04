"""Which drugs and classes a study names: generic, brand, synonym or class name; abbreviations only as written."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.derive.treatments import is_abbreviation, treatments_by_slug
from generator.read.content import load_content

from ..conftest import MINIMAL_STUDY, ROOT


@pytest.fixture(scope="module")
def vocabulary():
    content = load_content(ROOT)
    return content.drugs, content.drug_classes


def named(project, vocabulary, extra: str):
    project.study("s", MINIMAL_STUDY.replace("  design: cohort\n", "  design: cohort\n" + extra))
    [record] = load_content(Path(project.root)).studies
    return treatments_by_slug([record], *vocabulary)["s"]


def test_the_seed_studies_name_their_drugs(vocabulary) -> None:
    by_slug = treatments_by_slug(load_content(ROOT).studies, *vocabulary)
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
def test_an_arm_names_drugs_and_classes(project, vocabulary, arm: str, drugs: tuple, classes: tuple) -> None:
    found = named(project, vocabulary, f"  arms:\n    - key: a\n      label: {arm}\n")
    assert (found.drugs, found.classes) == (drugs, classes)


def test_abbreviations_are_capitals() -> None:
    assert is_abbreviation("MTX") and is_abbreviation("JAKi") and is_abbreviation("IL-2")
    assert not is_abbreviation("rivaroxaban") and not is_abbreviation("Arava")


def _arms(*interventions: str) -> str:
    arms = "".join(f"    - key: a{n}\n      label: Arm {n}\n      intervention: {text}\n"
                   for n, text in enumerate(interventions))  # fmt: skip
    return f"  arms:\n{arms}"


def test_a_drug_in_every_arm_is_background_and_not_what_the_study_compares(project, vocabulary) -> None:
    found = named(project, vocabulary, _arms("Avacopan with rituximab", "Prednisone taper with rituximab"))
    assert found.drugs == ("rituximab", "prednisone", "avacopan")
    assert "anti-cd20-antibodies" in found.classes and "anti-cd20-antibodies" not in found.compared
    assert {"glucocorticoids", "c5a-receptor-inhibitors"} <= set(found.compared)


def test_two_drugs_of_one_class_compared_head_to_head_keep_the_class(project, vocabulary) -> None:
    found = named(project, vocabulary, _arms("Tofacitinib 5 mg", "Baricitinib 4 mg"))
    assert "jak-inhibitors" in found.compared


def test_a_single_arm_study_compares_what_its_arm_names(project, vocabulary) -> None:
    found = named(project, vocabulary, _arms("Upadacitinib 15 mg"))
    assert found.compared == found.classes == ("targeted-synthetic-dmards", "jak-inhibitors")
