"""Every rule of the contract, with the exact line an editor sees."""

from __future__ import annotations

import pytest

from generator.errors import ContentError
from generator.read.content import load_content

from ..conftest import MINIMAL_STUDY

F = "content/studies/s.yaml"
SAME_KIND = (
    "give every arm the same kind of value: a share of the arm (a percentage, 55.2%, or a count over a "
    "denominator, 16/29) or a plain number"
)


def check(project, text: str, slug: str = "s") -> list[str]:
    project.study(slug, text)
    with pytest.raises(ContentError) as caught:
        load_content(project.root)
    return [str(problem) for problem in caught.value.problems]


def with_study(extra: str) -> str:
    """The minimal study with its `study:` block extended by ``extra`` (indented two spaces)."""
    return MINIMAL_STUDY.replace("  design: cohort\n", "  design: cohort\n" + extra)


def test_minimal_study_is_valid(project) -> None:
    project.study("s", MINIMAL_STUDY)
    assert [record.slug for record in load_content(project.root).studies] == ["s"]


CASES = {
    "unknown top-level key with suggestion": (
        MINIMAL_STUDY + "summery: x\n",
        [f"{F}:8:1: summery: unknown key `summery`; did you mean `summary`?"],
    ),
    "typo in a nested key": (
        with_study("  particpants: 60\n"),
        [f"{F}:7:3: study.particpants: unknown key `particpants`; did you mean `participants`?"],
    ),
    "missing required field": (
        MINIMAL_STUDY.replace("condition: sle\n", ""),
        [f"{F}:1:1: condition: is required but missing"],
    ),
    "empty required field": (
        MINIMAL_STUDY.replace("body: Some text.", "body:"),
        [f"{F}:7:6: body: is empty; write a value or remove the line"],
    ),
    "title too short": (
        MINIMAL_STUDY.replace("A minimal valid study", "Tiny"),
        [f"{F}:1:8: title: must be at least 5 characters long (has 4)"],
    ),
    "summary too long": (
        MINIMAL_STUDY.replace("Twenty characters or more of summary text.", "x" * 401),
        [f"{F}:4:10: summary: must be at most 400 characters long (has 401)"],
    ),
    "title on two lines": (
        MINIMAL_STUDY.replace("title: A minimal valid study", "title: |\n  A minimal\n  valid study"),
        [f"{F}:1:8: title: must fit on one line"],
    ),
    "date in the wrong format": (
        MINIMAL_STUDY.replace("2020-01-02", "02/01/2020"),
        [f"{F}:2:12: published: must be a date written YYYY-MM-DD, e.g. 2019-10-18; got '02/01/2020'"],
    ),
    "impossible date": (
        MINIMAL_STUDY.replace("2020-01-02", "2019-02-30"),
        [f"{F}:2:12: published: is not a real calendar date: '2019-02-30'"],
    ),
    "updated before published": (
        MINIMAL_STUDY + "updated: 2019-12-31\n",
        [f"{F}:8:10: updated: must be on or after `published` (2020-01-02)"],
    ),
    "unknown design with suggestion": (
        MINIMAL_STUDY.replace("design: cohort", "design: cohrot"),
        [f"{F}:6:11: study.design: unknown value `cohrot`; did you mean `cohort`?"],
    ),
    "unknown status": (
        MINIMAL_STUDY + "status: live\n",
        [f"{F}:8:9: status: unknown value `live`; expected one of: published, draft"],
    ),
    "unknown condition names the synonym's key": (
        MINIMAL_STUDY.replace("condition: sle", "condition: lupus"),
        [f"{F}:3:12: condition: unknown condition `lupus`; did you mean `sle`?"],
    ),
    "condition key with capitals": (
        MINIMAL_STUDY.replace("condition: sle", "condition: SLE"),
        [f"{F}:3:12: condition: must be a key in lowercase letters, digits and hyphens (like `sle`); got 'SLE'"],
    ),
    "also_conditions repeats the condition": (
        MINIMAL_STUDY + "also_conditions: [sle]\n",
        [f"{F}:8:19: also_conditions[0]: repeats the main `condition`; remove it"],
    ),
    "unknown author": (
        MINIMAL_STUDY + "authors: [rheum-editr]\n",
        [f"{F}:8:11: authors[0]: unknown author `rheum-editr`; did you mean `rheum-editor`?"],
    ),
    "topics given as text instead of a list": (
        MINIMAL_STUDY + "topics: IL-2\n",
        [f"{F}:8:9: topics: expected a list (`[a, b]` or one `- item` per line), got 'IL-2'"],
    ),
    "too many topics": (
        MINIMAL_STUDY + "topics: [" + ", ".join(f"t{i}" for i in range(13)) + "]\n",
        [f"{F}:8:9: topics: must have at most 12 items (has 13)"],
    ),
    "duplicate topic ignoring case": (
        MINIMAL_STUDY + "topics: [IL-2, il-2]\n",
        [f"{F}:8:16: topics[1]: duplicate entry `il-2`; list it once"],
    ),
    "key finding too long": (
        MINIMAL_STUDY + "key_findings:\n  - " + "x" * 301 + "\n",
        [f"{F}:9:5: key_findings[0]: must be at most 300 characters long (has 301)"],
    ),
    "participants not a number": (
        with_study("  participants: sixty\n"),
        [f"{F}:7:17: study.participants: expected a whole number, got 'sixty'"],
    ),
    "participants zero": (
        with_study("  participants: 0\n"),
        [f"{F}:7:17: study.participants: must be at least 1"],
    ),
    "blinding vocabulary": (
        with_study("  blinding: double blind\n"),
        [f"{F}:7:13: study.blinding: unknown value `double blind`; did you mean `double-blind`?"],
    ),
    "bad arm key": (
        with_study("  arms:\n    - key: IL-2\n      label: IL-2\n"),
        [f"{F}:8:12: study.arms[0].key: must be lowercase letters, digits and underscores (like `il2`); got 'IL-2'"],
    ),
    "duplicate arm key": (
        with_study("  arms:\n    - {key: a, label: A}\n    - {key: a, label: B}\n"),
        [f"{F}:9:7: study.arms[1]: duplicate arm key `a`; list it once"],
    ),
    "arm without label": (
        with_study("  arms:\n    - key: a\n"),
        [f"{F}:8:7: study.arms[0].label: is required but missing"],
    ),
    "result names an unknown arm": (
        with_study("  arms:\n    - {key: il2, label: IL-2}\n  outcomes:\n    - name: X\n      results: {il3: 5}\n"),
        [f"{F}:11:17: study.outcomes[0].results.il3: unknown arm `il3`; did you mean `il2`?"],
    ),
    "result with no arms at all": (
        with_study("  outcomes:\n    - name: X\n      results: {a: 5}\n"),
        [f"{F}:9:17: study.outcomes[0].results.a: names the arm `a`, but the study has no `study.arms`"],
    ),
    "result value in an unknown form": (
        with_study("  arms:\n    - {key: a, label: A}\n  outcomes:\n    - name: X\n      results: {a: about half}\n"),
        [
            f'{F}:11:20: study.outcomes[0].results.a: expected a percentage ("55.2%"), a count over a '
            'denominator ("16/29") or a plain number ("9"), got \'about half\''
        ],
    ),
    "count above its denominator": (
        with_study("  arms:\n    - {key: a, label: A}\n  outcomes:\n    - name: X\n      results: {a: 30/29}\n"),
        [f"{F}:11:20: study.outcomes[0].results.a: a count cannot exceed its denominator (got '30/29')"],
    ),
    "percentage above 100": (
        with_study("  arms:\n    - {key: a, label: A}\n  adverse_events:\n    - name: X\n      results: {a: 101%}\n"),
        [f"{F}:11:20: study.adverse_events[0].results.a: a percentage cannot exceed 100% (got '101%')"],
    ),
    "a plain number beside a percentage in the second outcome": (
        with_study(
            "  arms:\n    - {key: zentra, label: Zentra}\n    - {key: placebo, label: Placebo}\n"
            "  outcomes:\n    - name: A\n      results: {zentra: 50%, placebo: 30%}\n"
            "    - name: B\n      results: {zentra: 60, placebo: 30%}\n"
        ),
        [
            f"{F}:14:16: study.outcomes[1].results: mixes a plain number (zentra: 60) and a percentage "
            f"(placebo: 30%); {SAME_KIND}"
        ],
    ),
    "a plain number beside counts in an adverse event": (
        with_study(
            "  arms:\n    - {key: a, label: A}\n    - {key: b, label: B}\n    - {key: c, label: C}\n"
            "  adverse_events:\n    - name: Fever\n      results:\n        a: 4/30\n        b: 2\n        c: 1/31\n"
        ),
        [
            f"{F}:14:9: study.adverse_events[0].results: mixes a count over a denominator (a: 4/30, c: 1/31) and "
            f"a plain number (b: 2); {SAME_KIND}"
        ],
    ),
    "all three kinds of value in one outcome": (
        with_study(
            "  arms:\n    - {key: a, label: A}\n    - {key: b, label: B}\n    - {key: c, label: C}\n"
            "  outcomes:\n    - name: X\n      results: {a: 16/29, b: 30%, c: 9}\n"
        ),
        [
            f"{F}:13:16: study.outcomes[0].results: mixes a count over a denominator (a: 16/29), a percentage "
            f"(b: 30%) and a plain number (c: 9); {SAME_KIND}"
        ],
    ),
    "p-value out of range": (
        with_study("  outcomes:\n    - name: X\n      p_value: 1.5\n"),
        [
            f"{F}:9:16: study.outcomes[0].p_value: must be a number from 0 to 1 (0.052) or a bound such as "
            "\"<0.001\"; got '1.5'"
        ],
    ),
    "confidence interval not containing the estimate": (
        with_study(
            "  outcomes:\n    - name: X\n      effect: {measure: hazard-ratio, estimate: 1.5, ci: [1.6, 2.6]}\n"
        ),
        [f"{F}:9:58: study.outcomes[0].effect.ci: must contain the estimate 1.5; got [1.6, 2.6]"],
    ),
    "confidence interval reversed": (
        with_study("  outcomes:\n    - name: X\n      effect: {measure: odds-ratio, estimate: 1.5, ci: [2.6, 0.9]}\n"),
        [f"{F}:9:56: study.outcomes[0].effect.ci: must be [low, high]; 2.6 is above 0.9"],
    ),
    "ratio not above zero": (
        with_study("  outcomes:\n    - name: X\n      effect: {measure: risk-ratio, estimate: 0}\n"),
        [f"{F}:9:47: study.outcomes[0].effect.estimate: a risk ratio must be greater than 0 (got 0)"],
    ),
    "confidence interval with one number": (
        with_study("  outcomes:\n    - name: X\n      effect: {measure: mean-difference, estimate: 1, ci: [1]}\n"),
        [f"{F}:9:59: study.outcomes[0].effect.ci: must have at least 2 items (has 1)"],
    ),
    "estimate that is not a number": (
        with_study("  outcomes:\n    - name: X\n      effect: {measure: odds-ratio, estimate: big}\n"),
        [f"{F}:9:47: study.outcomes[0].effect.estimate: expected a number, got 'big'"],
    ),
    "unknown outcome direction": (
        with_study("  outcomes:\n    - name: X\n      direction: up\n"),
        [
            f"{F}:9:18: study.outcomes[0].direction: unknown value `up`; expected one of: higher-is-better, lower-is-better"
        ],
    ),
    "confidence level written as a percentage": (
        with_study("  outcomes:\n    - name: X\n      effect: {measure: odds-ratio, estimate: 2, ci_level: 95}\n"),
        [f"{F}:9:60: study.outcomes[0].effect.ci_level: is a fraction, not a percentage: write 0.95 for 95%"],
    ),
    "unknown effect measure": (
        with_study("  outcomes:\n    - name: X\n      effect: {measure: hazard ratio, estimate: 1}\n"),
        [f"{F}:9:25: study.outcomes[0].effect.measure: unknown value `hazard ratio`; did you mean `hazard-ratio`?"],
    ),
    "primary not a boolean": (
        with_study("  outcomes:\n    - name: X\n      primary: maybe\n"),
        [f"{F}:9:16: study.outcomes[0].primary: expected true or false, got 'maybe'"],
    ),
    "doi with the resolver prefix": (
        MINIMAL_STUDY + "source:\n  doi: https://doi.org/10.1/x\n",
        [
            f"{F}:9:8: source.doi: must be a DOI such as 10.1136/annrheumdis-2019-215396 (without "
            "https://doi.org/); got 'https://doi.org/10.1/x'"
        ],
    ),
    "pmid with letters": (
        MINIMAL_STUDY + "source:\n  pmid: PMID31537547\n",
        [f"{F}:9:9: source.pmid: must be the PubMed ID digits only, such as 31537547; got 'PMID31537547'"],
    ),
    "url that is not http": (
        MINIMAL_STUDY + "source:\n  url: javascript:alert(1)\n",
        [f"{F}:9:8: source.url: must be a web address starting with https:// or http://; got 'javascript:alert(1)'"],
    ),
    "pin naming a missing study": (
        MINIMAL_STUDY + "related:\n  pin: [no-such-study]\n",
        [f"{F}:9:9: related.pin[0]: no study `no-such-study` in content/studies"],
    ),
    "pin naming itself": (
        MINIMAL_STUDY + "related:\n  exclude: [s]\n",
        [f"{F}:9:13: related.exclude[0]: a study cannot list itself"],
    ),
    "invisible bidi override in a title": (
        MINIMAL_STUDY.replace("A minimal valid study", "A minimal \u202evalid study"),
        [f"{F}:1:8: title: contains the invisible character RIGHT-TO-LEFT OVERRIDE (U+202E); remove it"],
    ),
    "file that is a list": ("- title: x\n", [f"{F}:1:1: must be a mapping of `key: value` lines, not a list"]),
    "file that is plain text": (
        "just some words\n",
        [f"{F}:1:1: must be a mapping of `key: value` lines, not 'just some words'"],
    ),
    "empty file": (
        "",
        [f"{F}:1:1: file is empty; a study needs at least title, published, condition, summary, study.design and body"],
    ),
    "study block that is text": (
        MINIMAL_STUDY.replace("study:\n  design: cohort\n", "study: cohort\n"),
        [f"{F}:5:8: study: expected a mapping of fields, got 'cohort'"],
    ),
}


@pytest.mark.parametrize("text, expected", CASES.values(), ids=CASES.keys())
def test_each_error_kind_gives_one_exact_line(project, text: str, expected: list[str]) -> None:
    assert check(project, text) == expected


def test_arms_may_give_their_share_as_a_percentage_or_as_a_count(project) -> None:
    arms = "  arms:\n    - {key: a, label: A, participants: 29}\n    - {key: b, label: B, participants: 30}\n"
    outcomes = "  outcomes:\n    - name: X\n      results: {a: 16/29, b: 30%}\n"
    adverse = "  adverse_events:\n    - name: Y\n      results: {a: 9, b: 2}\n"
    project.study("s", with_study(arms + outcomes + adverse))
    assert [record.slug for record in load_content(project.root).studies] == ["s"]


def test_yaml_traps_in_text_fields_keep_the_text(project) -> None:
    project.study("s", MINIMAL_STUDY + "topics: [no, yes, 'on', 1:30, 1e3, 0777]\ndisclosures: no\n")
    study = load_content(project.root).studies[0].study
    assert study.topics == ["no", "yes", "on", "1:30", "1e3", "0777"]
    assert study.disclosures == "no"


def test_all_problems_of_all_files_in_one_run_sorted(project) -> None:
    project.study("c", MINIMAL_STUDY.replace("condition: sle", "condition: nope"))
    project.study("b", MINIMAL_STUDY + "extra: 1\n")
    project.study("a", MINIMAL_STUDY.replace("2020-01-02", "soon"))
    with pytest.raises(ContentError) as caught:
        load_content(project.root)
    assert [str(problem) for problem in caught.value.problems] == [
        "content/studies/a.yaml:2:12: published: must be a date written YYYY-MM-DD, e.g. 2019-10-18; got 'soon'",
        "content/studies/b.yaml:8:1: extra: unknown key `extra`; expected one of: title, published, updated, "
        "status, authors, condition, also_conditions, topics, summary, study, key_findings, body, source, "
        "disclosures, related, headline_checked",
        "content/studies/c.yaml:3:12: condition: unknown condition `nope`; see site_data/conditions.yaml",
    ]


@pytest.mark.parametrize(
    "name, rule",
    [
        ("Upper-Case", "file name `Upper-Case` must be a slug"),
        ("with space", "file name `with space` must be a slug"),
        ("dotted.name", "file name `dotted.name` must be a slug"),
        ("caf\u00e9", "file name `caf\u00e9` must be a slug"),
    ],
)
def test_file_names_must_be_slugs(project, name: str, rule: str) -> None:
    project.study(name, MINIMAL_STUDY)
    with pytest.raises(ContentError) as caught:
        load_content(project.root)
    assert str(caught.value) == (
        f"content/studies/{name}.yaml:1:1: {rule}: lowercase letters a-z, digits and single hyphens, "
        "at most 80 characters (like `low-dose-il2-sle`)"
    )


def test_wrong_extension_is_reported_not_skipped(project) -> None:
    (project.root / "content" / "studies" / "s.yml").write_text(MINIMAL_STUDY)
    with pytest.raises(ContentError) as caught:
        load_content(project.root)
    assert str(caught.value) == "content/studies/s.yml:1:1: file name must end in .yaml"


def test_symlink_leaving_content_is_refused(project, tmp_path_factory) -> None:
    outside = tmp_path_factory.mktemp("outside") / "secret.yaml"
    outside.write_text(MINIMAL_STUDY)
    (project.root / "content" / "studies" / "linked.yaml").symlink_to(outside)
    with pytest.raises(ContentError) as caught:
        load_content(project.root)
    assert str(caught.value) == (
        "content/studies/linked.yaml:1:1: is a link to a file outside content/; copy the file in"
    )


def test_pin_to_a_draft_is_an_error(project) -> None:
    project.study("draft-one", MINIMAL_STUDY + "status: draft\n")
    assert check(project, MINIMAL_STUDY + "related:\n  pin: [draft-one]\n") == [
        f"{F}:9:9: related.pin[0]: `draft-one` is a draft; a draft cannot be pinned"
    ]


def test_conditions_file_must_hold_the_contract_keys(project) -> None:
    (project.root / "site_data" / "conditions.yaml").write_text(
        "sle:\n  name: Lupus\n  short_name: SLE\n  description: x\n", encoding="utf-8"
    )
    project.study("s", MINIMAL_STUDY)
    with pytest.raises(ContentError) as caught:
        load_content(project.root)
    assert str(caught.value).startswith(
        "site_data/conditions.yaml:1:1: required conditions missing: lupus-nephritis, ssc, myositis,"
    )


def vocabulary_problems(project, name: str, old: str, new: str) -> list[str]:
    """The problems of a valid project once ``old`` is replaced by ``new`` in ``site_data/<name>``."""
    path = project.root / "site_data" / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"site_data/{name} no longer holds {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    project.study("s", MINIMAL_STUDY)
    with pytest.raises(ContentError) as caught:
        load_content(project.root)
    return [str(problem) for problem in caught.value.problems]


def test_conditions_entry_with_typo(project) -> None:
    assert vocabulary_problems(project, "conditions.yaml", "  short_name: SLE\n", "  shortname: SLE\n") == [
        "site_data/conditions.yaml:5:3: sle.short_name: is required but missing",
        "site_data/conditions.yaml:6:3: sle.shortname: unknown key `shortname`; did you mean `short_name`?",
    ]


def test_an_author_type_is_person_or_organization(project) -> None:
    assert vocabulary_problems(project, "authors.yaml", "type: organization", "type: organisation") == [
        "site_data/authors.yaml:6:9: rheum-editor.type: unknown value `organisation`; did you mean `organization`?"
    ]


def test_a_broken_file_also_gets_its_cross_file_problems_in_the_same_run(project) -> None:
    text = MINIMAL_STUDY.replace("condition: sle", "condition: lupus") + "summery: x\nrelated:\n  pin: [nope]\n"
    assert check(project, text) == [
        f"{F}:3:12: condition: unknown condition `lupus`; did you mean `sle`?",
        f"{F}:8:1: summery: unknown key `summery`; did you mean `summary`?",
        f"{F}:10:9: related.pin[0]: no study `nope` in content/studies",
    ]


def test_a_field_with_its_own_problem_is_not_reported_twice(project) -> None:
    assert check(project, MINIMAL_STUDY.replace("condition: sle", "condition: SLE")) == [
        f"{F}:3:12: condition: must be a key in lowercase letters, digits and hyphens (like `sle`); got 'SLE'"
    ]


CERTAINTY = "  outcomes:\n    - name: X\n      certainty: {level: %s, downgraded_for: %s}\n"


@pytest.mark.parametrize(
    ("level", "reasons", "expected"),
    [
        ("very low", "[]", f"{F}:9:26: study.outcomes[0].certainty.level: unknown value `very low`; did you mean `very-low`?"),
        ("high", "[imprecision]", f"{F}:9:48: study.outcomes[0].certainty.downgraded_for: `high` certainty was not"
         " rated down; remove the reasons or lower the level"),
        ("low", "[imprecision, imprecision]", f"{F}:9:61: study.outcomes[0].certainty.downgraded_for[1]: duplicate"
         " reason `imprecision`; list it once"),
        ("low", "[bias]", f"{F}:9:48: study.outcomes[0].certainty.downgraded_for[0]: unknown value `bias`; expected"
         " one of: risk-of-bias, inconsistency, indirectness, imprecision, publication-bias"),
    ],
)  # fmt: skip
def test_certainty_rules(project, level, reasons, expected) -> None:
    assert check(project, with_study(CERTAINTY % (level, reasons))) == [expected]


def test_a_graded_outcome_is_valid(project) -> None:
    project.study("s", with_study(CERTAINTY % ("low", "[risk-of-bias, imprecision]")))
    [item] = load_content(project.root).studies
    certainty = item.study.study.outcomes[0].certainty
    assert certainty is not None and (certainty.level, certainty.downgraded_for) == (
        "low",
        ["risk-of-bias", "imprecision"],
    )
