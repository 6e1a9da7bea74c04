"""Names editors give and values checked by pattern: each matches as a whole, takes no address the site
keeps for itself, and (for topic labels in any script) gets a page of its own."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.content import parse_study
from generator.errors import ContentError

from .test_hostile import ARMS, F, details, study

# --------------------------------------------------------------------------- every pattern matches the whole value

KEY_RULE = "must be a key in lowercase letters, digits and hyphens (like `sle`)"
DATE_RULE = "must be a date written YYYY-MM-DD, e.g. 2019-10-18"
P_RULE = 'must be a number from 0 to 1 (0.052) or a bound such as "<0.001"'
DOI_RULE = "must be a DOI such as 10.1136/annrheumdis-2019-215396 (without https://doi.org/)"
PMID_RULE = "must be the PubMed ID digits only, such as 31537547"
FORMS = 'a percentage ("55.2%"), a count over a denominator ("16/29") or a plain number ("9")'


def _outcome(**fields) -> str:
    return study(study=details(outcomes=[{"name": "X", **fields}]))


def _results(value: str) -> str:
    return study(study=details(arms=ARMS, outcomes=[{"name": "X", "results": {"a": value, "b": "1/2"}}]))


# Each field checked by a pattern, as (file text for a value, the value's line:column and field, its rule).
PATTERN_FIELDS = {
    "condition": (lambda v: study(condition=v), "3:12: condition", KEY_RULE),
    "also_conditions": (lambda v: study(also_conditions=["ra", v]), "7:25: also_conditions[1]", KEY_RULE),
    "authors": (lambda v: study(authors=[v]), "7:11: authors[0]", KEY_RULE),
    "published": (lambda v: study(published=v), "2:12: published", DATE_RULE),
    "arm key": (
        lambda v: study(study=details(arms=[{"key": v, "label": "A"}])),
        "5:46: study.arms[0].key",
        "must be lowercase letters, digits and underscores (like `il2`)",
    ),
    "p-value bound": (lambda v: _outcome(p_value=v), "5:67: study.outcomes[0].p_value", P_RULE),
    "effect estimate": (
        lambda v: _outcome(effect={"measure": "odds-ratio", "estimate": v}),
        "5:104: study.outcomes[0].effect.estimate",
        "expected a number,",
    ),
    "doi": (lambda v: study(source={"doi": v}), "7:17: source.doi", DOI_RULE),
    "pmid": (lambda v: study(source={"pmid": v}), "7:18: source.pmid", PMID_RULE),
    "registration": (
        lambda v: study(source={"registration": v}),
        "7:26: source.registration[0]",
        "must be a trial registry number such as NCT02465580",
    ),
    "url": (
        lambda v: study(source={"url": v}),
        "7:17: source.url",
        "must be a web address starting with https:// or http://",
    ),
    "related.pin": (
        lambda v: study(related={"pin": [v]}),
        "7:19: related.pin[0]",
        "must be lowercase letters, digits and single hyphens (like `low-dose-il2`)",
    ),
}
VALID = {
    "condition": "sle",
    "also_conditions": "lupus-nephritis",
    "authors": "rheum-editor",
    "published": "2020-01-02",
    "arm key": "il2",
    "p-value bound": "<0.001",
    "effect estimate": "1.5",
    "doi": "10.1136/annrheumdis-2019-215396",
    "pmid": "31537547",
    "registration": "NCT02465580",
    "url": "https://example.org/article",
    "related.pin": "other-study",
}


@pytest.mark.parametrize("field", PATTERN_FIELDS)
@given(around=st.sampled_from([("", "\n"), ("", "\r\n"), ("", "\n\n"), ("\n", ""), ("", "\r")]))
def test_a_pattern_field_refuses_its_valid_value_with_a_line_break_around_it(field: str, around) -> None:
    make, where, rule = PATTERN_FIELDS[field]
    parse_study(make(VALID[field]), F, "s")  # the value itself is fine (related.pin is checked across files)
    value = around[0] + VALID[field] + around[1]
    with pytest.raises(ContentError) as caught:
        parse_study(make(value), F, "s")
    problems = [str(problem) for problem in caught.value.problems]
    assert len(problems) == 1 and problems[0].startswith(f"{F}:{where}: {rule}") and repr(value) in problems[0]


WHOLE_VALUE = {
    "condition key with a trailing newline": (study(condition="sle\n"), f"3:12: condition: {KEY_RULE}; got 'sle\\n'"),
    "date with a trailing newline": (
        study(published="2020-01-02\n"),
        f"2:12: published: {DATE_RULE}; got '2020-01-02\\n'",
    ),
    "p-value with a trailing newline": (
        _outcome(p_value="<0.001\n"),
        f"5:67: study.outcomes[0].p_value: {P_RULE}; got '<0.001\\n'",
    ),
    "p-value number with a trailing newline": (
        _outcome(p_value="0.05\n"),
        f"5:67: study.outcomes[0].p_value: {P_RULE}; got '0.05\\n'",
    ),
    "p-value bound with a newline inside": (
        _outcome(p_value="<\n0.001"),
        f"5:67: study.outcomes[0].p_value: {P_RULE}; got '<\\n0.001'",
    ),
    "estimate with a trailing newline": (
        _outcome(effect={"measure": "odds-ratio", "estimate": "1.5\n"}),
        "5:104: study.outcomes[0].effect.estimate: expected a number, got '1.5\\n'",
    ),
    "count with a newline inside": (
        _results("16/\n29"),
        f"5:179: study.outcomes[0].results.a: expected {FORMS}, got '16/\\n29'",
    ),
    "DOI with a trailing newline": (
        study(source={"doi": "10.1136/x\n"}),
        f"7:17: source.doi: {DOI_RULE}; got '10.1136/x\\n'",
    ),
    "DOI in Arabic-Indic digits": (
        study(source={"doi": "10.١١٣٦/x"}),
        f"7:17: source.doi: {DOI_RULE}; got '10.١١٣٦/x'",
    ),
    "PubMed ID in Arabic-Indic digits": (
        study(source={"pmid": "٣١٥٣٧٥٤٧"}),
        f"7:18: source.pmid: {PMID_RULE}; got '٣١٥٣٧٥٤٧'",
    ),
    "date in Devanagari digits": (study(published="२०२०-०१-०२"), f"2:12: published: {DATE_RULE}; got '२०२०-०१-०२'"),
    "web address with a trailing newline": (
        study(source={"url": "https://example.org/a\n"}),
        "7:17: source.url: must be a web address starting with https:// or http://; got 'https://example.org/a\\n'",
    ),
}


@pytest.mark.parametrize("text, expected", WHOLE_VALUE.values(), ids=WHOLE_VALUE.keys())
def test_value_that_only_starts_right_is_refused_with_one_exact_line(text: str, expected: str) -> None:
    with pytest.raises(ContentError) as caught:
        parse_study(text, F, "s")
    assert [str(problem) for problem in caught.value.problems] == [f"{F}:{expected}"]


def test_p_value_bound_written_with_the_less_or_equal_sign_is_accepted_as_the_schema_says() -> None:
    parse_study(_outcome(p_value="≤0.05"), F, "s")
