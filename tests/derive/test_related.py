"""Tests of the "More like this" engine (generator.derive.related) on small hand-made corpora."""

from __future__ import annotations

import dataclasses
import json
import os
import random
import subprocess
import sys
import textwrap
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.derive.related import (
    SIGNALS,
    ConditionTerms,
    RelatedConfig,
    RelatedInput,
    RelatedItem,
    compute_related,
    explain,
)

ROOT = Path(__file__).resolve().parents[2]

VOCABULARY = {
    "sle": ConditionTerms("SLE", ("Systemic lupus erythematosus", "lupus")),
    "lupus-nephritis": ConditionTerms("Lupus nephritis", ("Lupus nephritis", "LN")),
    "ssc": ConditionTerms("SSc", ("Systemic sclerosis", "scleroderma")),
    "ra": ConditionTerms("RA", ("Rheumatoid arthritis",)),
    "aps": ConditionTerms("APS", ("Antiphospholipid syndrome",)),
    "aav": ConditionTerms("AAV", ("ANCA-associated vasculitis",)),
    "myositis": ConditionTerms("Myositis", ("Idiopathic inflammatory myopathies", "dermatomyositis", "PM/DM")),
    "axspa": ConditionTerms("axSpA", ("Axial spondyloarthritis", "ankylosing spondylitis", "AS")),
    "gout": ConditionTerms("Gout", ("Gout",)),
    "other-rheumatic": ConditionTerms("Other", ("Other rheumatic diseases",)),
}
DAY = date(2024, 1, 1)


def study(slug: str, **fields) -> RelatedInput:
    """A study with no text worth matching unless ``fields`` give it some."""
    defaults = {"title": "A study", "summary": "", "published": DAY, "condition": "ra"}
    return RelatedInput(slug=slug, **{**defaults, **fields})


def related(studies, config: RelatedConfig | None = None) -> dict[str, tuple[RelatedItem, ...]]:
    return compute_related(studies, VOCABULARY, config or RelatedConfig())


def slugs(items, kind: str | None = None) -> list[str]:
    return [item.slug for item in items if kind is None or item.kind == kind]


def dump(lists) -> str:
    return json.dumps({slug: [dataclasses.asdict(item) for item in items] for slug, items in lists.items()})


# -- Each signal --------------------------------------------------------------

# (what the page gets, what the candidate gets) for one shared signal.
SIGNAL_CASES = {
    "same_condition": ({}, {"condition": "sle"}),
    "shared_conditions": ({"also_conditions": ("ssc",)}, {"also_conditions": ("ssc",)}),
    "topics": ({"topics": ("fatigue", "NK cells")}, {"topics": ("fatigue", "NK cells")}),
    "drug_classes": ({"drug_classes": ("JAK inhibitors",)}, {"drug_classes": ("JAK inhibitors",)}),
    "design": ({"design_family": "trial"}, {"design_family": "trial"}),
    "interventions": ({"interventions": "Rituximab 1 g"}, {"interventions": "rituximab infusions"}),
    "terms": ({"title": "Belimumab in practice"}, {"summary": "Belimumab was given."}),
    "recency": ({}, {"published": DAY + timedelta(days=300)}),
}


def signal_corpus(signal: str, with_signal: bool) -> list[RelatedInput]:
    """A page and two candidates that share a rare topic with it; one may share ``signal`` too."""
    page_extra, candidate_extra = (dict(fields) for fields in SIGNAL_CASES[signal]) if with_signal else ({}, {})
    shared_topics = ("fatigue", *page_extra.pop("topics", ()))
    return [
        study("page", condition="sle", **{**page_extra, "topics": shared_topics}),
        study("a-control", topics=("fatigue",)),
        study("b-candidate", **{"topics": ("fatigue",), **candidate_extra}),
    ]


@pytest.mark.parametrize("signal", SIGNALS)
def test_each_signal_lifts_a_candidate_above_an_otherwise_identical_one(signal):
    without = related(signal_corpus(signal, with_signal=False))["page"]
    with_it = related(signal_corpus(signal, with_signal=True))["page"]
    assert slugs(without, "scored") == ["a-control", "b-candidate"]  # a tie: the smaller slug first
    assert slugs(with_it, "scored") == ["b-candidate", "a-control"]
    assert with_it[0].score > with_it[1].score


def test_a_candidate_reached_only_through_a_rare_term_is_found():
    studies = [
        study("page", condition="ra", title="Ocrelizumab switching", interventions="ocrelizumab"),
        study(
            "gout-study",
            condition="gout",
            summary="Patients switching to ocrelizumab.",
            interventions="Ocrelizumab",
        ),
        *(study(f"filler-{n}", condition="gout") for n in range(5)),
    ]
    page = related(studies)["page"]
    assert page[0].slug == "gout-study" and page[0].kind == "scored"
    assert page[0].reason == "Similar intervention: ocrelizumab · Shared terms: ocrelizumab, switching"


def test_rarer_shared_topics_count_for_more():
    studies = [
        study("page", condition="sle", topics=("flares", "interferon-alpha")),
        study("b-common", topics=("flares",)),
        study("c-rare", topics=("interferon-alpha",)),
        *(study(f"filler-{n}", condition="gout", topics=("flares",)) for n in range(6)),
    ]
    page = related(studies)["page"]
    scored = [item for item in page if item.slug in ("b-common", "c-rare")]
    assert [item.slug for item in scored] == ["c-rare", "b-common"]
    assert scored[0].score > scored[1].score


def test_topics_match_ignoring_case_and_spacing_and_read_as_the_page_writes_them():
    studies = [
        study("page", condition="sle", topics=("Interferon-Alpha",)),
        study("other", condition="gout", topics=("  interferon-alpha ",)),
    ]
    assert related(studies)["page"][0].reason == "Shared topic: Interferon-Alpha"


def test_features_on_too_many_studies_count_for_nothing():
    def corpus(holders: int) -> list[RelatedInput]:
        return [
            study("page", condition="gout", title="Belimumab"),
            *(study(f"holder-{n}", condition="ssc", summary="Belimumab.") for n in range(holders)),
        ]

    config = RelatedConfig(rarity_cutoff_min=4, min_score=0.1)
    assert slugs(related(corpus(2), config)["page"], "scored") == ["holder-0", "holder-1"]
    assert slugs(related(corpus(3), config)["page"], "scored") == []


def test_research_words_and_numbers_are_not_shared_terms():
    title = "A randomised, placebo-controlled trial in 60 patients: study results"
    studies = [study("page", condition="gout", title=title), study("twin", condition="ssc", title=title)]
    assert slugs(related(studies, RelatedConfig(min_score=0.1))["page"], "scored") == []


def test_conditions_named_in_the_text_count_as_shared_conditions():
    studies = [
        study("page", condition="sle"),
        study("vaccines", condition="other-rheumatic", title="Vaccination in lupus"),
    ]
    page = related(studies, RelatedConfig(min_score=0.9))["page"]
    assert page[0].slug == "vaccines" and page[0].kind == "scored"
    assert page[0].reason == "Also about SLE"


def test_acronyms_match_only_with_their_capitals():
    studies = [
        study("page", condition="axspa"),
        study("as-expected", condition="gout", title="As expected, urate fell"),
        study("tnf-in-as", condition="gout", title="TNF blockade in AS"),
    ]
    page = related(studies, RelatedConfig(min_score=0.9))["page"]
    assert slugs(page, "scored") == ["tnf-in-as"]
    assert page[0].reason == "Also about axSpA"


def test_a_condition_name_is_read_as_the_condition_not_as_terms():
    studies = [
        study("page", condition="gout", title="Outcomes in lupus nephritis"),
        study("other", condition="ra", summary="Lupus nephritis again."),
    ]
    page = related(studies, RelatedConfig(min_score=0.9))["page"]
    assert page[0].reason == "Also about Lupus nephritis"


# -- Reasons and explanations -------------------------------------------------


def test_the_reason_names_the_two_strongest_signals_in_reading_order():
    studies = [
        study("page", condition="sle", topics=("interferon-alpha", "flares"), design_family="trial"),
        study("flares-study", condition="sle", topics=("interferon-alpha", "flares"), design_family="trial"),
        study("filler", condition="gout", topics=("flares",)),
    ]
    item = related(studies)["page"][0]
    assert item.slug == "flares-study"
    assert item.reason == "Same condition: SLE · Shared topics: interferon-alpha, flares"


def test_a_shared_drug_class_is_named_in_the_reason_even_when_the_drugs_differ():
    studies = [
        study("page", condition="ra", interventions="tofacitinib", drug_classes=("JAK inhibitors",)),
        study("baricitinib", condition="psa", interventions="baricitinib", drug_classes=("JAK inhibitors",)),
        study("etanercept", condition="psa", interventions="etanercept", drug_classes=("TNF inhibitors",)),
    ]
    [first, *others] = related(studies)["page"]
    assert (first.slug, first.kind, first.reason) == ("baricitinib", "scored", "Same drug class: JAK inhibitors")
    assert [item.kind for item in others] == ["fill"] * len(others)


def test_two_shared_classes_are_both_named_best_first():
    classes = ("JAK inhibitors", "Targeted synthetic DMARDs")
    studies = [
        study("page", condition="ra", drug_classes=classes),
        study("other", condition="psa", drug_classes=classes),
        *(study(f"tsdmard-{n}", condition="gout", drug_classes=classes[1:]) for n in range(3)),
    ]
    item = related(studies)["page"][0]
    assert item.reason == "Same drug classes: JAK inhibitors, Targeted synthetic DMARDs"


def test_scores_never_increase_down_the_scored_list():
    lists = related(random_corpus(random.Random(7), 150))
    for items in lists.values():
        scores = [item.score for item in items if item.kind == "scored"]
        assert scores == sorted(scores, reverse=True)


def test_explain_shows_every_signal_of_every_listed_study():
    studies = signal_corpus("design", with_signal=True)
    text = explain(studies, VOCABULARY, "page")
    header = next(line for line in text.splitlines() if line.startswith("#"))
    assert header.split() == ["#", "kind", "score", *SIGNALS, "study"]
    assert "1  scored" in text and "b-candidate" in text and "a-control" in text
    assert "reason: Shared topic: fatigue · Both trials" in text
    assert "design: trial" in text and f"recency: {DAY.isoformat()}" in text


def test_explain_refuses_unknown_and_draft_studies():
    studies = [study("page"), study("draft", draft=True)]
    for slug in ("nothing-here", "draft"):
        with pytest.raises(KeyError):
            explain(studies, VOCABULARY, slug)


# -- Editors' choices, drafts, self -------------------------------------------


def strong_pair_corpus(**page_fields) -> list[RelatedInput]:
    """A page with a strongly related study, weak studies and a related draft."""
    topics = ("IL-2", "regulatory T cells")
    return [
        study("page", condition="sle", topics=topics, **page_fields),
        study("strong", condition="sle", topics=topics),
        study("z-unrelated", condition="gout", published=DAY - timedelta(days=900)),
        study("y-unrelated", condition="ssc", published=DAY - timedelta(days=800)),
        study("related-draft", condition="sle", topics=topics, draft=True),
    ]


def test_pins_come_first_in_their_order_even_with_a_low_score():
    page = related(strong_pair_corpus(pin=("z-unrelated", "y-unrelated")))["page"]
    assert slugs(page)[:3] == ["z-unrelated", "y-unrelated", "strong"]
    assert [item.kind for item in page[:3]] == ["pinned", "pinned", "scored"]
    assert page[0].reason == "Editors' pick"
    assert page[0].score < RelatedConfig().min_score


def test_pins_of_unknown_draft_or_own_slugs_are_ignored():
    page = related(strong_pair_corpus(pin=("no-such-study", "related-draft", "page", "strong", "strong")))["page"]
    assert slugs(page, "pinned") == ["strong"]
    assert page[0].reason == "Editors' pick · Shared topics: IL-2, regulatory T cells"


def test_excluded_studies_never_appear_even_when_pinned():
    page = related(strong_pair_corpus(exclude=("strong", "z-unrelated"), pin=("strong",)))["page"]
    assert "strong" not in slugs(page) and "z-unrelated" not in slugs(page)


def test_drafts_are_never_listed_and_get_no_list():
    lists = related(strong_pair_corpus())
    assert "related-draft" not in lists
    assert all("related-draft" not in slugs(items) for items in lists.values())


def test_a_study_never_lists_itself():
    lists = related(strong_pair_corpus(pin=("page",)))
    assert all(slug not in slugs(items) for slug, items in lists.items())


# -- Fills --------------------------------------------------------------------


def test_fills_take_the_latest_of_the_same_condition_then_the_latest_overall():
    studies = [
        study("page", condition="sle", published=DAY),
        study("sle-old", condition="sle", published=DAY - timedelta(days=400)),
        study("sle-new", condition="sle", published=DAY + timedelta(days=30)),
        study("ra-newest", condition="ra", published=DAY + timedelta(days=200)),
        study("ssc-newer", condition="ssc", published=DAY + timedelta(days=60)),
    ]
    page = related(studies, RelatedConfig(count=4, min_score=100))["page"]
    assert slugs(page) == ["sle-new", "sle-old", "ra-newest", "ssc-newer"]
    assert {item.kind for item in page} == {"fill"}
    assert [item.reason for item in page] == [
        "Latest in SLE",
        "Latest in SLE",
        "Latest study",
        "Latest study",
    ]


def test_fills_follow_the_scored_studies_and_skip_them():
    studies = [*signal_corpus("topics", with_signal=True), study("newest", published=DAY + timedelta(days=9))]
    page = related(studies, RelatedConfig(count=3))["page"]
    assert slugs(page) == ["b-candidate", "a-control", "newest"]
    assert [item.kind for item in page] == ["scored", "scored", "fill"]


def test_the_seed_il2_page_lists_the_five_other_seed_studies_interferon_first():
    lists = related(SEED)
    il2 = lists["low-dose-il2-sle"]
    assert len(il2) == 5
    assert set(slugs(il2)) == {s.slug for s in SEED} - {"low-dose-il2-sle"}
    assert il2[0].slug == "serum-interferon-predicts-lupus-flares"
    assert il2[0].kind == "scored" and il2[0].reason.startswith("Same condition: SLE")


# -- Order and determinism ----------------------------------------------------


def test_ties_go_to_the_newer_study_then_the_smaller_slug_and_score_beats_date():
    config = RelatedConfig(recency=0)
    topic = {"topics": ("fatigue",)}
    studies = [
        study("page", condition="sle", **topic),
        study("b-same-day", **topic),
        study("a-same-day", **topic),
        study("c-newer", published=DAY + timedelta(days=5), **topic),
        study("d-older-but-closer", published=DAY - timedelta(days=900), design_family="trial", **topic),
    ]
    studies[0] = dataclasses.replace(studies[0], design_family="trial")
    assert slugs(related(studies, config)["page"]) == [
        "d-older-but-closer",
        "c-newer",
        "a-same-day",
        "b-same-day",
    ]


CONDITION_KEYS = sorted(VOCABULARY)
TOPICS = ["IL-2", "flares", "fatigue", "interferon-alpha", "rituximab", "JAK inhibitors", "renal response"]
WORDS = "belimumab remission relapse kidney lung skin vasculitis imaging ultrasound biomarker cohort".split()


def random_corpus(rng: random.Random, size: int) -> list[RelatedInput]:
    """A corpus with many ties: few dates, conditions, topics and words."""
    studies = []
    for number in range(size):
        slug = f"study-{number:03d}"
        others = [f"study-{rng.randrange(size):03d}" for _ in range(2)]
        studies.append(
            study(
                slug,
                title=" ".join(rng.choices(WORDS, k=3)),
                summary=" ".join(rng.choices(WORDS + ["lupus", "AS", "as"], k=8)),
                published=DAY + timedelta(days=rng.randrange(20)),
                condition=rng.choice(CONDITION_KEYS),
                also_conditions=tuple(rng.sample(CONDITION_KEYS, rng.choice((0, 0, 1, 2)))),
                topics=tuple(rng.sample(TOPICS, rng.randrange(3))),
                design_family=rng.choice(("trial", "observational", "review", "other")),
                interventions=" ".join(rng.choices(WORDS, k=rng.randrange(3))),
                pin=tuple(others[:1]) if rng.random() < 0.1 else (),
                exclude=tuple(others[1:]) if rng.random() < 0.1 else (),
                draft=rng.random() < 0.05,
            )
        )
    return studies


CORPUS = random_corpus(random.Random(2019), 200)
EXPECTED = dump(related(CORPUS))


@settings(max_examples=10, deadline=None)
@given(st.randoms(use_true_random=False))
def test_the_same_content_in_any_order_gives_the_same_lists_byte_for_byte(rng):
    shuffled = list(CORPUS)
    rng.shuffle(shuffled)
    assert dump(related(shuffled)) == EXPECTED


def test_the_lists_do_not_depend_on_the_hash_seed():
    script = textwrap.dedent(
        """
        import random, sys
        sys.path[:0] = [sys.argv[1], sys.argv[2]]
        import test_related as t
        print(t.dump(t.related(t.random_corpus(random.Random(2019), 200))))
        """
    )
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", script, str(ROOT), str(ROOT / "tests" / "derive")],
            env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        outputs.add(done.stdout.strip())
    assert outputs == {EXPECTED}


def test_output_keys_are_the_published_slugs_in_order():
    lists = related(CORPUS)
    assert list(lists) == sorted(s.slug for s in CORPUS if not s.draft)


# -- Configuration ------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [{"count": 0}, {"shared_topic": -1.0}, {"min_score": float("nan")}, {"recency_half_life_days": 0}],
)
def test_impossible_settings_are_refused(change):
    with pytest.raises(ValueError):
        RelatedConfig(**change)


def test_count_limits_the_list():
    assert all(len(items) == 2 for items in related(CORPUS, RelatedConfig(count=2)).values())


# -- The seed -----------------------------------------------------------------

SEED = [
    RelatedInput(
        slug="low-dose-il2-sle",
        title="Low-Dose IL-2 Effective in Lupus",
        summary="A double-blind, placebo-controlled trial of low-dose IL-2 in SLE was clinically effective "
        "while expanding regulatory T cells and NK cells.",
        published=date(2019, 10, 18),
        condition="sle",
        also_conditions=("lupus-nephritis",),
        topics=("IL-2", "regulatory T cells", "NK cells"),
        design_family="trial",
        interventions="placebo Low-dose IL-2 IL-2 1 million IU subcutaneously every other day Placebo",
    ),
    RelatedInput(
        slug="aspirin-vasodilators-ssc",
        title="Protective Effects of ASA and Vasodilators in Systemic Sclerosis",
        summary="A large cohort study suggests that vasodilators and aspirin in systemic sclerosis may yield "
        "favorable cardiovascular outcomes.",
        published=date(2019, 10, 16),
        condition="ssc",
        topics=("aspirin", "vasodilators", "cardiovascular outcomes"),
        design_family="observational",
        interventions="Vasodilators: calcium channel blockers, ACE inhibitors or angiotensin receptor blockers",
    ),
    RelatedInput(
        slug="opportunistic-infections-myositis",
        title="Myositis Patients at High Risk of Opportunistic Infections",
        summary="Among patients with systemic rheumatic diseases, opportunistic infections were commonest in "
        "polymyositis/dermatomyositis, Taiwanese researchers found.",
        published=date(2019, 10, 15),
        condition="myositis",
        also_conditions=("sle", "ssc", "ra", "sjogrens"),
        topics=("opportunistic infections", "epidemiology"),
        design_family="observational",
    ),
    RelatedInput(
        slug="rivaroxaban-vs-warfarin-aps",
        title="Warfarin Superior to Rivaroxaban in Antiphospholipid Syndrome",
        summary="A three-year multicentre European trial found rivaroxaban inferior to warfarin in preventing "
        "thrombosis in antiphospholipid syndrome.",
        published=date(2019, 10, 14),
        condition="aps",
        topics=("rivaroxaban", "warfarin", "thrombosis"),
        design_family="trial",
        interventions="Rivaroxaban 20 mg daily; dose-adjusted vitamin K antagonist",
    ),
    RelatedInput(
        slug="aav-mortality-usa",
        title="Declining Trends in ANCA-Associated Vasculitis Mortality in the USA",
        summary="Age-adjusted mortality from ANCA-associated vasculitis fell by about 1.6% a year in the "
        "United States from 1999 to 2017.",
        published=date(2019, 10, 11),
        condition="aav",
        topics=("mortality", "epidemiology"),
        design_family="observational",
    ),
    RelatedInput(
        slug="serum-interferon-predicts-lupus-flares",
        title="Serum Interferon Predicts Lupus Flares",
        summary="Elevated serum interferon-alpha in patients with SLE in remission helped predict future "
        "flares, European researchers found.",
        published=date(2019, 10, 17),
        condition="sle",
        topics=("interferon-alpha", "flares", "biomarkers"),
        design_family="observational",
    ),
]
