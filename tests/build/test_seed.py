"""The six seed studies carry the verified facts of their sources."""

from __future__ import annotations

from generator.read.content import load_content

from ..conftest import ROOT, SEED


def _studies():
    return {record.slug: record.study for record in load_content(ROOT).studies}


def test_the_six_seed_studies_are_valid_and_published() -> None:
    studies = _studies()
    assert sorted(studies) == SEED
    assert all(study.status == "published" for study in studies.values())


def test_il2_trial_matches_its_source() -> None:
    study = _studies()["low-dose-il2-sle"]
    assert str(study.published) == "2019-10-18"
    assert (study.study.participants, [arm.participants for arm in study.study.arms]) == (60, [30, 30])
    results = {outcome.name: (outcome.results, outcome.p_value, outcome.primary) for outcome in study.study.outcomes}
    assert results == {
        "SRI-4 response at week 12": ({"il2": "16/29", "placebo": "9/30"}, "0.052", True),
        "SRI-4 response at week 24": ({"il2": "19/29", "placebo": "11/30"}, "0.027", False),
        "Complete remission of lupus nephritis": ({"il2": "7/13", "placebo": "2/12"}, "0.036", False),
    }
    events = {event.name: event.results for event in study.study.adverse_events}
    assert events["Injection-site reaction"] == {"il2": "9", "placebo": "2"}
    assert events["Fever"] == {"il2": "4", "placebo": "0"}
    assert events["Flu-like symptoms"] == {"il2": "3", "placebo": "0"}
    assert events["Serious infection"] == {"il2": "0", "placebo": "2"}
    assert study.source.doi == "10.1136/annrheumdis-2019-215396"
    assert study.source.pmid == "31537547"
    assert study.source.registration == ["NCT02465580", "NCT02932137"]
    assert study.disclosures.startswith("The author has no conflicts of interest")


def test_aps_trial_effect_estimates() -> None:
    outcomes = {o.name: o.effect for o in _studies()["rivaroxaban-vs-warfarin-aps"].study.outcomes}
    assert (outcomes["Recurrent thrombosis"].estimate, outcomes["Recurrent thrombosis"].ci) == (
        "1.83",
        ["0.71", "4.76"],
    )
    assert (outcomes["Stroke"].estimate, outcomes["Stroke"].ci) == ("19.00", ["1.12", "321.9"])
    assert (outcomes["Major bleeding"].estimate, outcomes["Major bleeding"].ci) == ("0.86", ["0.30", "2.46"])


def test_sources_leave_out_what_was_not_checked() -> None:
    aav = _studies()["aav-mortality-usa"]
    assert aav.source.doi is None  # the DOI was not checked against the source: left out
    assert _studies()["opportunistic-infections-myositis"].study.participants == 76966


def test_check_warns_of_exactly_the_two_sources_a_reference_manager_cannot_file() -> None:
    # Nothing is added to them that was not checked against the source; the warning says what is missing.
    tail = "; the citation downloads (BibTeX, RIS) give what the source has, but a reference manager needs title, authors, journal and year"
    assert [str(warning) for warning in load_content(ROOT).warnings] == [
        "content/studies/aav-mortality-usa.yaml:58:1: source: warning: no title" + tail,
        "content/studies/aspirin-vasodilators-ssc.yaml:69:1: source: warning: no title or authors" + tail,
    ]
