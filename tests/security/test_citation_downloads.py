"""The BibTeX and RIS downloads, read back with real parsers: no field text can end a field or an entry.

Each study's source is first validated by the study model, so the texts are
exactly those an editor can write; the downloads are the ones the site serves
(evidence.citation_files).
"""

from __future__ import annotations

import re

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares.names import split_multiple_persons_names
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from generator.derive.citation import _author_names
from generator.read.content import StudyRecord
from generator.read.model import Study
from generator.render.evidence import citation_files

SLUG = "hostile-source"
BIB, RIS = f"studies/{SLUG}/citation.bib", f"studies/{SLUG}/citation.ris"

HOSTILE_PIECES = [
    "}", "{", "}}", "{{", "\\", "\\}", "@", "@article{evil,", "x}, title={forged}}\n@article{evil,", "%", "#",
    "&", "$", "_", "~", "^", '"', ",", ";", "=", " and ", " AND ", "others", "et al.", "\n", "\t",
    "\nER  - ", "\nTY  - JOUR", "TY  - ", "  - ", "\u2028", "\u2029", "\xa0", "AB", " He J", "\ufeff",
]  # fmt: skip
# Controls and surrogates are refused by the model; everything else an editor can type is in play.
typed = st.characters(blacklist_categories=("Cc", "Cs"))
hostile = st.lists(st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(typed, max_size=3)), max_size=12).map("".join)

# What the download's escaping stands for: the test's own reading of the documented TeX escapes.
_TEX_MEANING = {
    r"{\textbackslash}": "\\", r"{\textbraceleft}": "{", r"{\textbraceright}": "}", r"\%": "%", r"\&": "&",
    r"\$": "$", r"\#": "#", r"\_": "_", r"{\textasciitilde}": "~", r"{\textasciicircum}": "^",
}  # fmt: skip
_TEX_TOKEN = re.compile("|".join(re.escape(escape) for escape in _TEX_MEANING) + "|[{}]")


def _meaning(value: str) -> str:
    """The text a BibTeX value stands for: escapes read back, grouping braces dropped."""
    return _TEX_TOKEN.sub(lambda match: _TEX_MEANING.get(match.group(), ""), value)


def _braces_balance(value: str) -> bool:
    """BibTeX's own rule: every brace counts, backslash or not, and a field's braces must balance."""
    depth = 0
    for char in value:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _folded(text: str) -> str:
    return " ".join(text.split())


def _downloads(source: dict) -> dict[str, str]:
    try:
        study = Study.model_validate(
            {"title": "A hostile source", "published": "2020-01-02", "condition": "sle",
             "summary": "Twenty characters or more of summary.", "study": {"design": "cohort"}, "body": "Text.",
             "source": source}
        )  # fmt: skip
    except ValidationError:
        assume(False)
    return citation_files(StudyRecord(SLUG, f"content/studies/{SLUG}.yaml", study))


def _one_bibtex_entry(text: str) -> dict[str, str]:
    library = bibtexparser.parse_string(text)
    assert (len(library.blocks), len(library.entries), library.failed_blocks) == (1, 1, []), text
    entry = library.entries[0]
    assert (entry.entry_type, entry.key) == ("article", SLUG.replace("-", "_"))
    return {field.key: field.value for field in entry.fields}


def _one_ris_record(text: str) -> dict:
    lines = text.split("\r\n")
    assert lines[-1] == "" and all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in lines[:-1]), text
    assert [line[:2] for line in lines[:-1]].count("TY") == 1 and lines[-2] == "ER  - "
    records = rispy.loads(text)
    assert len(records) == 1, text
    return records[0]


TEXT_FIELDS = ("title", "authors", "journal", "volume", "issue", "pages")
sources = st.fixed_dictionaries({}, optional={name: hostile for name in TEXT_FIELDS})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(sources.filter(lambda source: "title" in source))
def test_bibtex_download_is_one_entry_holding_the_text(source: dict) -> None:
    fields = _one_bibtex_entry(_downloads(source)[BIB])
    given_fields = {"title"} | {{"authors": "author", "issue": "number"}.get(name, name) for name in source}
    assert set(fields) - {"pages"} == given_fields - {"pages"}  # pages such as "-" give no page numbers
    assert set(fields) <= given_fields
    assert all(_braces_balance(value) for value in fields.values()), fields
    assert _meaning(fields["title"]) == _folded(source["title"])
    for name, field in (("journal", "journal"), ("volume", "volume"), ("issue", "number")):
        if name in source:
            assert _meaning(fields[field]) == _folded(source[name])
    if "authors" in source:
        names, more = _author_names(source["authors"])
        written = split_multiple_persons_names(fields["author"])
        assert len(written) == len(names) + more
        assert [_meaning(name) for name in written[: len(names)]] == [name for name, _ in names]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(sources.filter(lambda source: "title" in source))
def test_ris_download_is_one_record_holding_the_text(source: dict) -> None:
    record = _one_ris_record(_downloads(source)[RIS])
    assert record["title"] == _folded(source["title"])
    for name, key in (("journal", "secondary_title"), ("volume", "volume"), ("issue", "number")):
        if name in source:
            assert record[key] == _folded(source[name])
    if "authors" in source:
        names, _ = _author_names(source["authors"])
        assert record.get("authors", []) == [name for name, _ in names]


FORGERIES = {
    "title closes the entry": {"title": "x}, title={forged}}\n@article{evil, title={y}"},
    "unbalanced braces": {"title": "}}}} { {{ a", "journal": "J }", "volume": "{"},
    "backslashes": {"title": "a \\ b \\} c \\{ d \\", "pages": "1\\}-2"},
    "@ and % at every turn": {"title": '@comment{ % @string{x = "y"} @preamble{', "issue": "@x"},
    "a name list split by and": {"title": "T", "authors": "Smith and Jones AB, Group and Co, He J"},
    "RIS record forged by a newline": {"title": "Real\nER  - \nTY  - JOUR\nTI  - forged", "journal": "J\u2028ER  - "},
}


@pytest.mark.parametrize("source", FORGERIES.values(), ids=FORGERIES.keys())
def test_known_forgeries_stay_inside_their_field(source: dict) -> None:
    downloads = _downloads(source)
    fields = _one_bibtex_entry(downloads[BIB])
    assert all(_braces_balance(value) for value in fields.values()), fields
    assert _meaning(fields["title"]) == _folded(source["title"])
    assert _one_ris_record(downloads[RIS])["title"] == _folded(source["title"])


def test_a_surname_holding_and_stays_one_bibtex_name() -> None:
    fields = _one_bibtex_entry(_downloads({"title": "T", "authors": "Smith and Jones AB, He J, et al."})[BIB])
    assert fields["author"] == "{Smith and Jones}, A. B. and He, J. and others"
