"""The headline check: a title that claims an effect its primary outcome does not show gets a warning."""

from __future__ import annotations

import pytest

from generator.derive.headline import claim_word, headline_warning
from tests.factories import record, seed_record

ADVICE = "; reword the title, or keep it by adding `headline_checked: <why the headline stands>` to the file"


def test_the_il2_headline_claims_more_than_its_primary_outcome_shows():
    assert headline_warning(seed_record("low-dose-il2-sle").study) == (
        "the headline claims an effect (`Effective`) that the primary outcome does not show"
        " (SRI-4 response at week 12: p = 0.052)" + ADVICE
    )


def test_the_aps_headline_claims_more_than_its_primary_outcome_shows():
    assert headline_warning(seed_record("rivaroxaban-vs-warfarin-aps").study) == (
        "the headline claims an effect (`Superior`) that the primary outcome does not show"
        " (Recurrent thrombosis: RR 1.83 (95% CI 0.71 to 4.76), an interval that includes no effect)" + ADVICE
    )


@pytest.mark.parametrize(
    "slug",
    ["aspirin-vasodilators-ssc",  # "Protective", primary p = 0.03: shown
     "aav-mortality-usa", "opportunistic-infections-myositis", "serum-interferon-predicts-lupus-flares"],
)  # fmt: skip
def test_the_other_seed_headlines_stay_quiet(slug):
    assert headline_warning(seed_record(slug).study) is None


def _trial(title: str, **outcome) -> object:
    arms = [{"key": "a", "label": "A", "participants": 30}, {"key": "b", "label": "B", "participants": 30}]
    return record(
        "x", title=title, study={"arms": arms, "outcomes": [{"name": "Response", "primary": True, **outcome}]}
    )


@pytest.mark.parametrize(
    ("outcome", "shortfall"),
    [
        ({"p_value": "0.05"}, "p = 0.05"),
        ({"p_value": ">0.05"}, "p > 0.05"),
        ({"effect": {"measure": "odds-ratio", "estimate": "1.4", "ci": ["0.9", "2.1"]}},
         "OR 1.4 (95% CI 0.9 to 2.1), an interval that includes no effect"),
        ({"effect": {"measure": "mean-difference", "estimate": "-2", "ci": ["-4", "0.5"]}},
         "MD \u22122 (95% CI \u22124 to 0.5), an interval that includes no effect"),
        ({"results": {"a": "16/29", "b": "9/30"}},
         "RR 1.84 (95% CI 0.97 to 3.48) computed from the counts, an interval that includes no effect"),
    ],
)  # fmt: skip
def test_what_does_not_show_an_effect(outcome, shortfall):
    message = headline_warning(_trial("Drug X Improves Lupus", **outcome).study)
    assert (
        message
        == f"the headline claims an effect (`Improves`) that the primary outcome does not show (Response: {shortfall})"
        + ADVICE
    )


@pytest.mark.parametrize(
    "outcome",
    [{"p_value": "0.049"}, {"p_value": "<0.001"}, {"effect": {"measure": "risk-ratio", "estimate": "0.5", "ci": ["0.3", "0.8"]}},
     {"results": {"a": "19/29", "b": "11/30"}}, {}],
)  # fmt: skip
def test_what_shows_an_effect_or_gives_nothing_to_compare_stays_quiet(outcome):
    assert headline_warning(_trial("Drug X Reduces Flares", **outcome).study) is None


def test_a_neutral_headline_stays_quiet_and_an_acknowledged_one_too():
    assert headline_warning(_trial("Drug X in Lupus: a Trial", p_value="0.3").study) is None
    acknowledged = record(
        "x", title="Drug X Beats Placebo", headline_checked="The paper's prespecified week-24 analysis shows it.",
        study={"outcomes": [{"name": "Response", "primary": True, "p_value": "0.3"}]},
    )  # fmt: skip
    assert headline_warning(acknowledged.study) is None


@pytest.mark.parametrize(
    ("title", "word"),
    [("Low-Dose IL-2 Effective in Lupus", "Effective"), ("Warfarin Superior to Rivaroxaban", "Superior"),
     ("Aspirin better than nothing", "better"), ("Reduced flares", "Reduced"), ("Ineffective drug", None),
     ("Effectiveness studied", None), ("Serum Interferon-Alpha Predicts Lupus Flares", None)],
)  # fmt: skip
def test_claim_words_are_whole_words(title, word):
    assert claim_word(title) == word
