"""Do studies a rheumatologist would call related land in each other's "More like this"?

The corpus is the six seed studies (content/studies/) and real published trials
written as study files under tests/derive/fixtures/quality/studies/, with the site's
condition vocabulary.  The files are read with PyYAML here so that this test
does not depend on the loader.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.derive.related import ConditionTerms, RelatedConfig, RelatedInput, compute_related, explain
from generator.read.vocabulary import DESIGNS

ROOT = Path(__file__).resolve().parents[2]
STUDY_DIRECTORIES = (ROOT / "content" / "studies", ROOT / "tests" / "derive" / "fixtures" / "quality" / "studies")

RELATED_PAIRS = [
    ("tofacitinib-oral-surveillance-ra", "upadacitinib-select-compare-ra"),  # JAK inhibitors in RA
    ("anifrolumab-tulip-1-sle", "anifrolumab-tulip-2-sle"),  # the two phase 3 anifrolumab trials
    ("belimumab-bliss-ln-lupus-nephritis", "voclosporin-aurora-1-lupus-nephritis"),  # add-ons in nephritis
    ("tocilizumab-giacta-gca", "tocilizumab-phase-2-gca-bern"),  # tocilizumab in GCA
    ("avacopan-advocate-aav", "plasma-exchange-pexivas-aav"),  # remission induction in AAV
    ("febuxostat-allopurinol-cares-gout", "febuxostat-allopurinol-fast-gout"),  # febuxostat safety
    ("rivaroxaban-warfarin-traps-aps", "rivaroxaban-vs-warfarin-aps"),  # rivaroxaban in APS
    ("serum-interferon-predicts-lupus-flares", "anifrolumab-tulip-2-sle"),  # interferon-alpha in SLE
]


def interventions_text(details: dict) -> str:
    """The comparator and every arm's label and intervention, as one text."""
    arms = details.get("arms", [])
    parts = [details.get("comparator", "")] + [f"{arm['label']} {arm.get('intervention', '')}" for arm in arms]
    return "\n".join(part for part in parts if part)


def as_related_input(path: Path) -> RelatedInput:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    details = document["study"]
    related = document.get("related", {})
    return RelatedInput(
        slug=path.stem,
        title=document["title"],
        summary=document["summary"],
        published=document["published"],
        condition=document["condition"],
        also_conditions=tuple(document.get("also_conditions", ())),
        topics=tuple(str(topic) for topic in document.get("topics", ())),
        design_family=DESIGNS[details["design"]].family,
        interventions=interventions_text(details),
        pin=tuple(related.get("pin", ())),
        exclude=tuple(related.get("exclude", ())),
        draft=document.get("status") == "draft",
    )


def condition_vocabulary() -> dict[str, ConditionTerms]:
    entries = yaml.safe_load((ROOT / "site_data" / "conditions.yaml").read_text(encoding="utf-8"))
    return {
        key: ConditionTerms(entry["short_name"], (entry["name"], *entry.get("synonyms", ())))
        for key, entry in entries.items()
    }


STUDIES = [as_related_input(path) for directory in STUDY_DIRECTORIES for path in sorted(directory.glob("*.yaml"))]
CONDITIONS = condition_vocabulary()
LISTS = compute_related(STUDIES, CONDITIONS, RelatedConfig())


def test_the_corpus_holds_the_seed_and_at_least_ten_real_trials():
    slugs = {study.slug for study in STUDIES}
    assert len(slugs) == len(STUDIES) >= 16
    assert {slug for pair in RELATED_PAIRS for slug in pair} <= slugs


@pytest.mark.parametrize(("first", "second"), RELATED_PAIRS)
def test_related_studies_list_each_other_in_their_top_five(first, second):
    for page, other in ((first, second), (second, first)):
        listed = [item.slug for item in LISTS[page][:5]]
        assert other in listed, explain(STUDIES, CONDITIONS, page)


@pytest.mark.parametrize(("first", "second"), RELATED_PAIRS[:7])
def test_the_partner_trial_is_listed_first_and_on_merit(first, second):
    for page, other in ((first, second), (second, first)):
        top = LISTS[page][0]
        assert (top.slug, top.kind) == (other, "scored"), explain(STUDIES, CONDITIONS, page)


def test_the_seed_il2_page_lists_only_lupus_studies_when_there_are_enough():
    lupus = {study.slug for study in STUDIES if {"sle", "lupus-nephritis"} & {study.condition, *study.also_conditions}}
    listed = LISTS["low-dose-il2-sle"]
    assert {item.slug for item in listed} <= lupus
    assert {item.kind for item in listed} == {"scored"}
