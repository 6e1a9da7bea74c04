"""The synthetic corpus: reproducible, valid against the contract, realistically distributed."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import statistics
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.bench_related import synthetic_corpus
from benchmarks.synth import (
    SCHEMA_COMMENT,
    TOPICS,
    _dump,
    add_arguments,
    corpus_data,
    main,
    run,
    study_rng,
    synth_study,
    write_corpus,
)
from generator.pipeline import condition_terms, related_inputs
from generator.read.content import load_content

# The editors' contract (content-model.md, v1), restated here so the test does not trust the generator.
CONDITIONS = {
    "sle", "lupus-nephritis", "ssc", "myositis", "aps", "aav", "ra", "psa", "axspa", "gout", "sjogrens",
    "gca", "pmr", "oa", "osteoporosis", "fibromyalgia", "still-disease", "behcet", "jia", "other-rheumatic",
}  # fmt: skip
DESIGNS = {
    "randomized-controlled-trial", "non-randomized-trial", "meta-analysis", "systematic-review", "cohort",
    "case-control", "cross-sectional", "registry-analysis", "mortality-trend-analysis", "case-series",
    "case-report", "biomarker-study", "guideline", "narrative-review", "other",
}  # fmt: skip
TRIALS = {"randomized-controlled-trial", "non-randomized-trial"}
OBSERVATIONAL = {"cohort", "case-control", "cross-sectional", "registry-analysis", "biomarker-study"}
MEASURES = {
    "hazard-ratio", "odds-ratio", "risk-ratio", "rate-ratio", "mean-difference", "risk-difference",
    "percent-change",
}  # fmt: skip
RATIOS = {"hazard-ratio", "odds-ratio", "risk-ratio", "rate-ratio"}
TOP_KEYS = {
    "title", "published", "updated", "status", "authors", "condition", "also_conditions", "topics", "summary",
    "study", "key_findings", "body", "source", "disclosures", "related",
}  # fmt: skip
STUDY_KEYS = {
    "design", "blinding", "comparator", "setting", "country", "participants", "population", "follow_up",
    "arms", "outcomes", "adverse_events",
}  # fmt: skip
SOURCE_KEYS = {"title", "journal", "year", "doi", "pmid", "registration", "url"}
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ARM_KEY = re.compile(r"^[a-z0-9_]+$")
PERCENT = re.compile(r"^(\d+(?:\.\d+)?)%$")
COUNT = re.compile(r"^(\d+)/(\d+)$")
SAMPLE = 300
CORPUS = 2000


@cache
def corpus(n: int = CORPUS, seed: int = 1) -> tuple[tuple[str, str], ...]:
    """The first ``n`` studies of ``seed`` as (slug, text), generated once per test session."""
    return tuple(synth_study(study_rng(seed, index), index) for index in range(n))


@cache
def loaded(n: int = CORPUS) -> tuple[tuple[str, dict[str, Any]], ...]:
    """The corpus as ``yaml.safe_load`` reads it (tests only read it)."""
    return tuple((slug, yaml.safe_load(text)) for slug, text in corpus(n))


# --- reproducibility ------------------------------------------------------------------------------------


def read_all(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    first = write_corpus(120, tmp_path / "a", seed=7)
    second = write_corpus(120, tmp_path / "b", seed=7)
    assert [path.name for path in first] == [path.name for path in second]
    assert read_all(tmp_path / "a") == read_all(tmp_path / "b")
    assert len(read_all(tmp_path / "a")) == 120


def test_small_corpus_is_a_prefix_of_a_larger_one(tmp_path: Path) -> None:
    small = write_corpus(40, tmp_path / "small", seed=3)
    large = write_corpus(100, tmp_path / "large", seed=3)
    assert [path.name for path in small] == [path.name for path in large[:40]]
    for path in small:
        assert path.read_bytes() == (tmp_path / "large" / path.name).read_bytes()


def test_different_seeds_give_different_studies() -> None:
    one = [text for _, text in corpus(50, seed=1)]
    two = [text for _, text in corpus(50, seed=2)]
    assert sum(a != b for a, b in zip(one, two, strict=True)) >= 48


def test_synth_study_is_pure() -> None:
    assert synth_study(study_rng(5, 11), 11) == synth_study(study_rng(5, 11), 11)


def test_corpus_data_is_what_the_written_files_hold(tmp_path: Path) -> None:
    paths = write_corpus(60, tmp_path, seed=6)
    data = list(corpus_data(60, seed=6))
    assert [slug for slug, _ in data] == [path.stem for path in paths]
    assert [study for _, study in data] == [yaml.safe_load(path.read_text(encoding="utf-8")) for path in paths]


def test_corpus_data_without_prose_is_the_same_studies_without_their_prose() -> None:
    prose = {"key_findings", "body", "source", "disclosures"}
    full = list(corpus_data(300, seed=8))
    short = list(corpus_data(300, seed=8, prose=False))
    assert [slug for slug, _ in short] == [slug for slug, _ in full]
    assert [study for _, study in short] == [
        {key: value for key, value in study.items() if key not in prose} for _, study in full
    ]


# --- validity against the contract ----------------------------------------------------------------------


def check_text(value: Any, low: int = 1, high: int = 2000) -> None:
    assert isinstance(value, str), value
    assert low <= len(value) <= high, value
    assert value.strip() == value or "\n" in value, value


def check_value(value: Any, arm: dict[str, Any]) -> None:
    """A per-arm result: a percentage, a count over a denominator within the arm, or a plain number."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        assert 0 <= value <= arm["participants"]
    elif match := PERCENT.match(value):
        assert 0 <= float(match.group(1)) <= 100
    else:
        match = COUNT.match(value)
        assert match, value
        numerator, denominator = int(match.group(1)), int(match.group(2))
        assert 0 <= numerator <= denominator <= arm["participants"]
        assert denominator >= 1


def check_p_value(value: Any) -> None:
    assert value == "<0.001" or (isinstance(value, float | int) and 0 <= value <= 1), value


def check_effect(effect: dict[str, Any]) -> None:
    assert set(effect) <= {"measure", "estimate", "ci", "ci_level"}
    assert effect["measure"] in MEASURES
    estimate = effect["estimate"]
    assert isinstance(estimate, float)
    if "ci" in effect:
        low, high = effect["ci"]
        assert low <= estimate <= high
    if effect["measure"] in RATIOS:
        assert min(estimate, *effect.get("ci", [estimate])) > 0
    assert 0 < effect.get("ci_level", 0.95) < 1


def check_results(group: dict[str, Any], arms: dict[str, dict[str, Any]]) -> None:
    for key, value in group.get("results", {}).items():
        assert key in arms, key
        check_value(value, arms[key])


def check_study_block(block: dict[str, Any]) -> None:
    assert set(block) <= STUDY_KEYS
    assert block["design"] in DESIGNS
    assert block.get("blinding", "open-label") in {"open-label", "single-blind", "double-blind"}
    for field in ("comparator", "setting", "population", "follow_up"):
        if field in block:
            check_text(block[field], 1, 300)
    for country in block.get("country", []):
        check_text(country, 1, 80)
    assert isinstance(block.get("participants", 1), int) and block.get("participants", 1) >= 1
    arms = {arm["key"]: arm for arm in block.get("arms", [])}
    assert len(arms) == len(block.get("arms", []))
    for arm in arms.values():
        assert set(arm) <= {"key", "label", "participants", "intervention"}
        assert ARM_KEY.match(arm["key"]) and len(arm["key"]) <= 40
        check_text(arm["label"], 1, 120)
        assert isinstance(arm["participants"], int) and arm["participants"] >= 1
    if arms and "participants" in block:
        assert sum(arm["participants"] for arm in arms.values()) == block["participants"]
    for outcome in block.get("outcomes", []):
        assert set(outcome) <= {"name", "primary", "results", "p_value", "effect"}
        check_text(outcome["name"], 1, 200)
        assert isinstance(outcome.get("primary", False), bool)
        assert "results" in outcome or "effect" in outcome
        check_results(outcome, arms)
        if "p_value" in outcome:
            check_p_value(outcome["p_value"])
        if "effect" in outcome:
            check_effect(outcome["effect"])
    for event in block.get("adverse_events", []):
        assert set(event) <= {"name", "results"}
        check_text(event["name"], 1, 200)
        check_results(event, arms)


def check_source(source: dict[str, Any], index: int, design: str) -> None:
    assert set(source) <= SOURCE_KEYS
    check_text(source["title"], 1, 400)
    check_text(source["journal"], 1, 200)
    assert isinstance(source["year"], int) and 1999 <= source["year"] <= 2026
    assert re.match(r"^10\.\d{4,9}/\S+$", source["doi"]) and source["doi"] == f"10.5555/synth.{index}"
    assert re.match(r"^\d{1,9}$", source.get("pmid", "1"))
    registrations = source.get("registration", [])
    registrations = [registrations] if isinstance(registrations, str) else registrations
    if registrations:
        assert design in TRIALS
        assert re.match(r"^NCT\d{8}$", registrations[0])
    assert source.get("url", "https://x").startswith("https://")


def check_study(slug: str, study: dict[str, Any], index: int) -> None:
    """Every rule of the contract that a single file can break."""
    assert SLUG.match(slug) and len(slug) <= 80 and slug.endswith(f"-{index}")
    assert set(study) <= TOP_KEYS
    check_text(study["title"], 5, 150)
    assert "\n" not in study["title"]
    check_text(study["summary"], 20, 400)
    published = study["published"]
    assert isinstance(published, dt.date) and dt.date(2000, 1, 1) <= published <= dt.date(2026, 12, 31)
    updated = study.get("updated", published)
    assert isinstance(updated, dt.date) and published <= updated <= dt.date(2026, 12, 31)
    assert study.get("status", "published") in {"published", "draft"}
    assert study.get("authors", ["rheum-editor"]) == ["rheum-editor"]
    assert study["condition"] in CONDITIONS
    also = study.get("also_conditions", [])
    assert set(also) <= CONDITIONS and study["condition"] not in also and len(set(also)) == len(also)
    topics = study.get("topics", [])
    assert 0 <= len(topics) <= 12
    assert len({topic.casefold() for topic in topics}) == len(topics)
    for topic in topics:
        check_text(topic, 1, 60)
    check_study_block(study["study"])
    for finding in study.get("key_findings", []):
        check_text(finding, 1, 300)
    check_text(study["body"], 1, 200_000)
    assert 150 <= len(study["body"].split()) <= 600
    if "source" in study:
        check_source(study["source"], index, study["study"]["design"])
    if "disclosures" in study:
        check_text(study["disclosures"])


def test_every_file_starts_with_the_schema_comment() -> None:
    assert all(text.startswith(SCHEMA_COMMENT + "\n") for _, text in corpus())


def test_sample_follows_the_contract() -> None:
    studies = loaded()
    step = len(studies) // SAMPLE
    for index in range(0, len(studies), step):
        check_study(*studies[index], index)


def test_slugs_are_unique_ignoring_case() -> None:
    slugs = [slug.casefold() for slug, _ in corpus()]
    assert len(set(slugs)) == len(slugs)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**63), index=st.integers(0, 10**9))
def test_any_seed_and_index_give_a_valid_study(seed: int, index: int) -> None:
    slug, text = synth_study(study_rng(seed, index), index)
    check_study(slug, yaml.safe_load(text), index)


def test_corpus_passes_the_project_validator(project) -> None:
    write_corpus(SAMPLE, project.root / "content" / "studies", seed=4)
    content = load_content(project.root)
    assert len(content.studies) == SAMPLE


def test_related_benchmark_gives_the_engine_what_the_site_reads_from_the_written_corpus(project) -> None:
    write_corpus(SAMPLE, project.root / "content" / "studies", seed=5)
    content = load_content(project.root)
    studies, conditions = synthetic_corpus(SAMPLE, seed=5)
    from_files = related_inputs(content, content.visible())
    assert len(studies) == len(from_files) < SAMPLE  # the corpus has drafts, and readers do not see them
    assert {study.slug: study for study in studies} == {study.slug: study for study in from_files}
    assert conditions == condition_terms(content)


# --- YAML 1.1 traps -----------------------------------------------------------------------------------


def text_fields(study: dict[str, Any]) -> list[Any]:
    """Every value the contract calls text, as yaml.safe_load reads it."""
    block, source = study["study"], study.get("source", {})
    values = [study[key] for key in ("title", "summary", "body", "condition") if key in study]
    values += study.get("topics", []) + study.get("key_findings", []) + study.get("also_conditions", [])
    values += [study.get("disclosures", ""), study.get("status", "")]
    values += [block.get(key, "") for key in ("design", "blinding", "comparator", "setting", "population")]
    values += [block.get("follow_up", "")] + block.get("country", [])
    for arm in block.get("arms", []):
        values += [arm["key"], arm["label"], arm.get("intervention", "")]
    for item in block.get("outcomes", []) + block.get("adverse_events", []):
        values.append(item["name"])
        values += [value for value in item.get("results", {}).values() if not isinstance(value, int)]
    values += [source.get(key, "") for key in ("title", "journal", "doi", "pmid", "url")]
    registration = source.get("registration", [])
    return values + ([registration] if isinstance(registration, str) else registration)


def test_text_fields_load_as_text() -> None:
    for _, study in loaded():
        for value in text_fields(study):
            assert isinstance(value, str), value


@pytest.mark.parametrize("trap", ["no", "yes", "off", "on", "1:30", "0777", "null", "~", "2019-10-18", "1e3", ""])
def test_dumper_quotes_values_yaml_would_misread(trap: str) -> None:
    text = _dump({"title": trap, "topics": [trap], "results": {"a": trap}})
    assert text.startswith(SCHEMA_COMMENT + "\n")
    assert yaml.safe_load(text) == {"title": trap, "topics": [trap], "results": {"a": trap}}


# --- distributions ------------------------------------------------------------------------------------


def test_all_conditions_and_designs_appear_with_skew() -> None:
    studies = [study for _, study in loaded()]
    conditions = Counter(study["condition"] for study in studies)
    designs = Counter(study["study"]["design"] for study in studies)
    assert set(conditions) == CONDITIONS
    assert set(designs) == DESIGNS
    assert {key for key, _ in conditions.most_common(2)} == {"sle", "ra"}
    assert conditions.most_common(1)[0][1] >= 10 * min(conditions.values())


def test_topics_are_long_tailed() -> None:
    counts = Counter(topic for _, study in loaded() for topic in study.get("topics", []))
    assert len(TOPICS) >= 300
    assert len(counts) >= 250
    top = counts.most_common(1)[0][1]
    assert top >= 10 * statistics.median(counts.values())


def test_drafts_and_optional_fields_are_occasional() -> None:
    studies = [study for _, study in loaded()]
    share = lambda test: sum(map(test, studies)) / len(studies)  # noqa: E731
    assert 0.005 <= share(lambda s: s.get("status") == "draft") <= 0.05
    assert 0.05 <= share(lambda s: "also_conditions" in s) <= 0.3
    assert 0.3 <= share(lambda s: "authors" in s) <= 0.9
    assert share(lambda s: "source" in s) >= 0.9


def test_trials_have_arms_and_observational_studies_have_effects() -> None:
    studies = [study["study"] for _, study in loaded()]
    trials = [block for block in studies if block["design"] in TRIALS]
    with_arms = [block for block in trials if "arms" in block]
    assert len(with_arms) >= 0.8 * len(trials)
    assert all(2 <= len(block["arms"]) <= 3 and 1 <= len(block["outcomes"]) <= 4 for block in with_arms)
    assert any("adverse_events" in block for block in with_arms)
    assert any("effect" in outcome for block in with_arms for outcome in block["outcomes"])
    observational = [block for block in studies if block["design"] in OBSERVATIONAL]
    with_effects = [block for block in observational if any("effect" in o for o in block.get("outcomes", []))]
    assert len(with_effects) >= 0.7 * len(observational)


def test_bodies_have_paragraphs_and_sometimes_lists_or_tables() -> None:
    bodies = [study["body"] for _, study in loaded()]
    assert all("\n\n" in body for body in bodies)
    assert any("\n- " in body for body in bodies)
    assert any("\n|---|" in body for body in bodies)
    assert any("\n## " in body for body in bodies)


# --- command line ------------------------------------------------------------------------------------------


def test_main_writes_the_corpus(tmp_path: Path, capsys) -> None:
    assert main(["5", "--out", str(tmp_path / "out"), "--seed", "9"]) == 0
    assert len(list((tmp_path / "out").glob("*.yaml"))) == 5
    assert "wrote 5 study files" in capsys.readouterr().err


def test_arguments_plug_into_a_subparser(tmp_path: Path, capsys) -> None:
    parser = argparse.ArgumentParser()
    synth = parser.add_subparsers().add_parser("synth")
    add_arguments(synth)
    synth.set_defaults(run=run)
    args = parser.parse_args(["synth", "3", "--out", str(tmp_path)])
    assert (args.n, args.out, args.seed) == (3, tmp_path, 1)
    assert args.run(args) == 0
    capsys.readouterr()


def test_negative_count_is_a_usage_error(tmp_path: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["-1", "--out", str(tmp_path)])
    assert exit_info.value.code == 2
    assert "must be 0 or more" in capsys.readouterr().err
