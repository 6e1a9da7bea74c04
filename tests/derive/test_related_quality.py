"""Do studies a rheumatologist would call related land in each other's "More like this"?

The corpus is the six seed studies (content/studies/) and real published trials
written as study files under tests/derive/fixtures/quality/studies/, with the site's
condition vocabulary.  The files go through the loader and the pipeline's
adapters as a build's do, so the lists checked are the ones the site would show
(tests/build/test_adapters.py checks the adapters themselves).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.derive.related import RelatedItem, explain
from generator.pipeline import condition_terms, related_inputs, related_lists
from generator.read.content import Content, load_content

from ..conftest import SEED, Project

QUALITY_STUDIES = Path(__file__).resolve().parent / "fixtures" / "quality" / "studies"

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


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Content:
    project = Project(tmp_path_factory.mktemp("quality"))
    project.copy_seed()
    for path in sorted(QUALITY_STUDIES.glob("*.yaml")):
        shutil.copy(path, project.root / "content" / "studies" / path.name)
    return load_content(project.root)


@pytest.fixture(scope="module")
def lists(corpus: Content) -> dict[str, tuple[RelatedItem, ...]]:
    return related_lists(corpus)


def why(corpus: Content, page: str) -> str:
    """The engine's explanation of ``page``'s list, for a failing assertion."""
    return explain(related_inputs(corpus, corpus.visible()), condition_terms(corpus), page)


def test_the_corpus_holds_the_seed_and_at_least_ten_real_trials(corpus):
    slugs = {record.slug for record in corpus.visible()}
    assert len(slugs) == len(corpus.studies) == len(SEED) + len(list(QUALITY_STUDIES.glob("*.yaml"))) >= 16
    assert set(SEED) <= slugs and {slug for pair in RELATED_PAIRS for slug in pair} <= slugs


@pytest.mark.parametrize(("first", "second"), RELATED_PAIRS)
def test_related_studies_list_each_other_in_their_top_five(corpus, lists, first, second):
    for page, other in ((first, second), (second, first)):
        listed = [item.slug for item in lists[page][:5]]
        assert other in listed, why(corpus, page)


@pytest.mark.parametrize(("first", "second"), RELATED_PAIRS[:7])
def test_the_partner_trial_is_listed_first_and_on_merit(corpus, lists, first, second):
    for page, other in ((first, second), (second, first)):
        top = lists[page][0]
        assert (top.slug, top.kind) == (other, "scored"), why(corpus, page)


def test_the_seed_il2_page_lists_only_lupus_studies_when_there_are_enough(corpus, lists):
    lupus = {
        record.slug
        for record in corpus.visible()
        if {"sle", "lupus-nephritis"} & {record.study.condition, *record.study.also_conditions}
    }
    listed = lists["low-dose-il2-sle"]
    assert {item.slug for item in listed} <= lupus
    assert {item.kind for item in listed} == {"scored"}
