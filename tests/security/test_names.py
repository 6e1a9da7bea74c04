"""Names editors give and values checked by pattern: each matches as a whole, takes no address the site
keeps for itself, and (for topic labels in any script) gets a page of its own."""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.errors import ContentError
from generator.pipeline import generate
from generator.read.content import load_content, parse_study
from generator.render.pages import SiteOptions
from generator.urls import RESERVED_NAMES, TOPIC_SLUG_LENGTH, topic_slug

from ..conftest import MINIMAL_STUDY, ROOT, Project, build_site
from .test_hostile import ARMS, SLUG_RULE, F, details, study

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
    if "\r" in value and problems == [f"{F}:{where}: contains the control character U+000D; remove it"]:
        return  # text fields name a carriage return as a control character before trying their pattern
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


# --------------------------------------------------------------------------- names that take a generated address


def _file(project: Project, relative: str, text: str = MINIMAL_STUDY) -> None:
    (project.root / relative).write_text(text, encoding="utf-8")


def _refusal(project: Project) -> str:
    with pytest.raises(ContentError) as caught:
        load_content(project.root)
    return str(caught.value)


NAMES = {
    "study named index": (
        "content/studies/index.yaml",
        "content/studies/index.yaml:1:1: file name `index` would take the address of the folder of study pages "
        "itself (/studies/); choose another name",
    ),
    "study name with a trailing newline": (
        "content/studies/trial\n.yaml",
        f"content/studies/trial\\n.yaml:1:1: file name `trial\\n` must be a slug: {SLUG_RULE}",
    ),
    "study name with a terminal escape": (
        "content/studies/a\x1b[2Jb.yaml",
        f"content/studies/a\\x1b[2Jb.yaml:1:1: file name `a\\x1b[2Jb` must be a slug: {SLUG_RULE}",
    ),
    "page named search": (
        "content/pages/search.md",
        "content/pages/search.md:1:1: file name `search` would take the address of the search page (/search/); "
        "choose another name",
    ),
    "page named like the feeds": (
        "content/pages/feed.md",
        "content/pages/feed.md:1:1: file name `feed` would take the address of the site's feeds "
        "(/feed.xml, /feed.json); choose another name",
    ),
    "page named like a section folder": (
        "content/pages/studies.md",
        "content/pages/studies.md:1:1: file name `studies` would take the address of the study pages and the open "
        "data (/studies/, /studies.json, /studies.csv); choose another name",
    ),
    "page named like the search index": (
        "content/pages/pagefind.md",
        "content/pages/pagefind.md:1:1: file name `pagefind` would take the address of the search index "
        "(/pagefind/); choose another name",
    ),
    "upper-case twin of the home page": (
        "content/pages/INDEX.md",
        f"content/pages/INDEX.md:1:1: file name `INDEX` must be a slug: {SLUG_RULE}",
    ),
    "upper-case twin of the sitemap": (
        "content/pages/Sitemap.md",
        f"content/pages/Sitemap.md:1:1: file name `Sitemap` must be a slug: {SLUG_RULE}",
    ),
}


@pytest.mark.parametrize("relative, expected", NAMES.values(), ids=NAMES.keys())
def test_file_name_that_takes_a_generated_address_is_refused(project: Project, relative: str, expected: str) -> None:
    _file(project, relative, MINIMAL_STUDY if relative.endswith(".yaml") else "# A page\n")
    assert _refusal(project) == expected


@pytest.mark.parametrize("name, what", RESERVED_NAMES[""].items())
def test_every_name_the_site_keeps_at_its_top_is_refused_as_a_page(project: Project, name: str, what: str) -> None:
    _file(project, f"content/pages/{name}.md", "# A page\n")
    expected = f"content/pages/{name}.md:1:1: file name `{name}` would take the address of {what}; choose another name"
    assert _refusal(project) == expected


def test_names_the_site_keeps_elsewhere_are_free_for_pages_and_studies(project: Project) -> None:
    for name in ("about", "page", "topic", "feeds", "index-of-trials"):
        _file(project, f"content/pages/{name}.md", "# A page\n")
    for name in ("search", "assets", "feed", "sitemap", "404", "page", "conditions"):
        _file(project, f"content/studies/{name}.yaml")
    content = load_content(project.root)
    assert len(content.pages) == 5 and len(content.studies) == 7


def _with_condition(project: Project, key: str) -> tuple[int, str]:
    path = project.root / "site_data/conditions.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(f"{text}{key}:\n  name: Some disease\n  short_name: Some\n  description: A disease.\n")
    return len(text.splitlines()) + 1, "site_data/conditions.yaml"


def test_condition_key_that_takes_the_list_of_conditions_is_refused(project: Project) -> None:
    line, file = _with_condition(project, "index")
    assert _refusal(project) == (
        f"{file}:{line}:1: index: `index` would take the address of the list of all conditions (/conditions/); "
        "choose another key"
    )


@pytest.mark.parametrize("key", ["search", "feed", "page", "studies", "topics"])
def test_condition_key_named_like_something_outside_conditions_is_free(project: Project, key: str) -> None:
    _with_condition(project, key)
    assert key in load_content(project.root).conditions


@pytest.mark.parametrize("label", ["Index", "INDEX!", "index.", "  index  ", "ÍNDEX"])
def test_topic_whose_page_would_be_the_list_of_topics_is_refused(label: str) -> None:
    with pytest.raises(ContentError) as caught:
        parse_study(study(topics=[label]), F, "s")
    message = f"`{label}` would take the address of the list of all topics (/topics/); choose another label"
    assert [problem.message for problem in caught.value.problems] == [message]


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory) -> tuple[Path, Path]:
    """The seed site built with one study per listing page, so every kind of generated address exists."""
    project = Project(tmp_path_factory.mktemp("paged"))
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (project.root / "mkdocs.yml").write_text(
        config.replace("  - rheum-evidence:\n", "  - rheum-evidence:\n      per_page: 1\n")
    )
    shutil.copytree(ROOT / "templates", project.root / "templates")
    project.copy_seed()
    return project.root, build_site(project.root)


def _stems(folder: Path) -> set[str]:
    return {entry.name.split(".")[0] for entry in folder.iterdir()}


def test_reserved_names_are_exactly_what_the_built_site_puts_where_editors_name_things(paged_site) -> None:
    root, site = paged_site
    assert any(site.glob("conditions/*/page/2/index.html")), "the build pages its listings"
    content = load_content(root)
    pages = {page.name for page in content.pages}
    assert _stems(site) - pages == set(RESERVED_NAMES[""])
    editors = {
        "studies": {record.slug for record in content.studies},
        "conditions": set(content.conditions),
        "topics": {topic_slug(topic) for record in content.studies for topic in record.study.topics},
    }
    for folder, names in editors.items():
        assert (_stems(site / folder) - names) | {"index"} == set(RESERVED_NAMES[folder]), folder


# --------------------------------------------------------------------------- topic labels in any script

SCRIPTS = {
    "Latin": "abcdefghijklmnopqrstuvwxyz0123456789",
    "Cyrillic": "абвгдежзийклмнопрстуфхцчшщъыьэюяёіїєґ",
    "Greek": "αβγδεζηθικλμνξοπρστυφχψω",
    "Armenian": "աբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆ",
    "Hebrew": "אבגדהוזחטיכלמנסעפצקרשת",
    "Arabic": "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
    "Devanagari": "कखगघङचछजझञटठडढणतथदधनपफबभमयरलवशषसह",
    "Thai": "กขคฆงจฉชซฌญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรลวศษสหฬอฮ",
    "Hangul": "가나다라마바사아자차카타파하강남동락명별산월",
    "Han": "北京东京中国日本风湿免疫狼疮关节炎血管病",
    "Kana": "あいうえおかきくけこアイウエオカキクケコ",
}
word = st.sampled_from(list(SCRIPTS.values())).flatmap(lambda letters: st.text(letters, min_size=1, max_size=12))
label = st.lists(word, min_size=1, max_size=6).map(" ".join)


def _words(text: str) -> list[str]:
    """What tells two labels of these alphabets apart: their words, ignoring case."""
    return text.casefold().split()


@given(st.lists(word, min_size=1, max_size=6), st.data())
def test_labels_with_different_words_get_different_pages(words: list[str], data) -> None:
    other = [*words]
    other[data.draw(st.integers(0, len(words) - 1))] = data.draw(word)  # the same label but for one word
    first, second = " ".join(words), " ".join(other)
    if _words(first) != _words(second):
        assert topic_slug(first) != topic_slug(second)


@given(st.text(SCRIPTS["Latin"], min_size=TOPIC_SLUG_LENGTH), st.text(SCRIPTS["Latin"], min_size=1), label)
def test_long_labels_sharing_their_start_get_different_pages(start: str, end: str, other: str) -> None:
    if _words(start + end) != _words(start + other):
        assert topic_slug(start + end) != topic_slug(start + other)
    assert topic_slug(start) != topic_slug(start + end)


ACCENTS = "\u0300\u0301\u0302\u0303\u0308\u030a\u0327\u030c"


@given(label, st.data())
def test_labels_differing_in_case_latin_accents_or_punctuation_share_a_page(text: str, data) -> None:
    variant = "".join(data.draw(st.sampled_from([char, char.upper(), char.lower()])) for char in text)  # case
    variant = "".join(
        char + data.draw(st.sampled_from(["", *ACCENTS])) if char.isascii() and char.isalpha() else char
        for char in variant
    )  # accents on Latin letters
    variant = unicodedata.normalize("NFC", variant)
    separators = st.text(" -_'’.,;:/()&+!?\"«»", min_size=1, max_size=3)
    variant = data.draw(separators) + data.draw(separators).join(variant.split(" ")) + data.draw(separators)
    assert topic_slug(variant) == topic_slug(text)


@given(st.text())
def test_any_label_gets_a_short_slug_of_url_safe_letters(text: str) -> None:
    slug = topic_slug(text)
    assert len(slug) <= TOPIC_SLUG_LENGTH
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*(--[a-z2-7]{16})?", slug), slug


@given(label)
def test_a_label_cannot_take_the_page_of_another_by_spelling_out_its_slug(text: str) -> None:
    slug = topic_slug(text)
    if "--" in slug:  # a label that is not all Latin: its slug written as a label is another topic
        assert topic_slug(slug) != slug
    else:
        assert topic_slug(slug) == slug


# A topic's address is permanent (links, bookmarks, search engines): the slug of a label never changes.
TOPIC_SLUGS = {
    "Latin label": ("IL-2", "il-2"),
    "Latin accents and punctuation": ("Sjögren's", "sjogren-s"),
    "same words, other accents and case": ("SJOGREN S", "sjogren-s"),
    "mixed Latin and Cyrillic": ("IL-2 блокатор", "il-2--ew4zkl277ea7545e"),
    "Cyrillic only": ("ингибитор", "topic--7pdeeih6xu24jewd"),
    "Greek letter after Latin": ("TNF-α", "tnf--ouzinjijqydhqkah"),
}


@pytest.mark.parametrize("text, slug", TOPIC_SLUGS.values(), ids=TOPIC_SLUGS.keys())
def test_topic_slug_is_readable_for_latin_and_stable_otherwise(text: str, slug: str) -> None:
    assert topic_slug(text) == slug


DIFFERENT = {
    "two Cyrillic labels": ("блокатор", "ингибитор"),
    "Latin then two Cyrillic words": ("IL-2 блокатор", "IL-2 ингибитор"),
    "й is not и": ("мой", "мои"),
    "a Devanagari vowel sign is a letter": ("कि", "का"),
    "a Greek letter is not nothing": ("TNF-α", "TNF"),
    "two Han labels": ("北京", "东京"),
    "two Arabic labels": ("ذئبة", "نقرس"),
    "two labels without letters": ("?!", "!!"),
}


@pytest.mark.parametrize("first, second", DIFFERENT.values(), ids=DIFFERENT.keys())
def test_labels_that_merged_before_get_pages_of_their_own(first: str, second: str) -> None:
    assert topic_slug(first) != topic_slug(second)


def test_two_studies_with_two_cyrillic_topics_get_two_topic_pages(project: Project) -> None:
    project.study("one", MINIMAL_STUDY + "topics: [IL-2 блокатор]\n")
    project.study("two", MINIMAL_STUDY + "topics: [IL-2 ингибитор]\n")
    pages = {page.src for page in generate(project.root, SiteOptions()).pages if page.src.startswith("topics/")}
    assert pages == {
        "topics/index.md",
        f"topics/{topic_slug('IL-2 блокатор')}.md",
        f"topics/{topic_slug('IL-2 ингибитор')}.md",
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("doi", '"10.1000/ab\\x1bc"', "source.doi: contains the control character U+001B; remove it"),
        (
            "url",
            '"https://x.org/\\u202e"',
            "source.url: contains the invisible character RIGHT-TO-LEFT OVERRIDE (U+202E); remove it",
        ),
        ("pmid", '"1\\u200e"', "source.pmid: must be the PubMed ID digits only, such as 31537547; got '1\\u200e'"),
        ("registration", '"NCT\\x85001"', "source.registration[0]: contains the control character U+0085; remove it"),
    ],
)
def test_a_pattern_field_refuses_control_and_bidi_characters(field: str, value: str, message: str) -> None:
    text = MINIMAL_STUDY + f"source:\n  {field}: {value}\n"
    with pytest.raises(ContentError) as caught:
        parse_study(text, "content/studies/s.yaml", "s")
    assert str(caught.value) == f"content/studies/s.yaml:9:{len(field) + 5}: {message}"
