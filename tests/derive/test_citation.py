"""Tests for generator.derive.citation: reference text, BibTeX, RIS and identifier links."""

from __future__ import annotations

import re

import pytest

from generator.derive.citation import CitedWork, bibtex, doi_url, pubmed_url, reference_text, registry_url, ris

IL2 = CitedWork(
    title=(
        "Efficacy and safety of low-dose IL-2 in the treatment of systemic lupus erythematosus:"
        " a randomised, double-blind, placebo-controlled trial"
    ),
    authors="He J, Zhang R, Shao M, et al.",
    journal="Ann Rheum Dis",
    year=2020,
    volume="79",
    issue="1",
    pages="141-9",
    doi="10.1136/annrheumdis-2019-215396",
    pmid="31537547",
)
MINIMAL = CitedWork(title="Rivaroxaban versus warfarin in antiphospholipid syndrome")


# --------------------------------------------------------------------------- reference text


def test_vancouver_reference():
    assert reference_text(IL2) == (
        "He J, Zhang R, Shao M, et al. Efficacy and safety of low-dose IL-2 in the treatment of systemic"
        " lupus erythematosus: a randomised, double-blind, placebo-controlled trial. Ann Rheum Dis."
        " 2020;79(1):141-9. doi:10.1136/annrheumdis-2019-215396. PMID: 31537547."
    )


def test_reference_with_few_fields():
    assert reference_text(MINIMAL) == "Rivaroxaban versus warfarin in antiphospholipid syndrome."
    work = CitedWork(title="Does it work?", journal="Lupus", year=2019)
    assert reference_text(work) == "Does it work? Lupus. 2019."


def test_reference_gives_a_url_only_without_a_doi_and_without_a_stop_after_it():
    work = CitedWork(title="A trial", year=2021, url="https://example.org/a")
    assert reference_text(work) == "A trial. 2021. Available from: https://example.org/a"
    with_doi = CitedWork(title="A trial", doi="10.1000/x", url="https://example.org/a")
    assert "example.org" not in reference_text(with_doi)


def test_reference_collapses_line_breaks():
    assert reference_text(CitedWork(title="A long\n  title")) == "A long title."


# --------------------------------------------------------------------------- BibTeX


def test_bibtex_entry():
    assert bibtex("he2020", IL2) == (
        "@article{he2020,\n"
        "  author = {He, J. and Zhang, R. and Shao, M. and others},\n"
        f"  title = {{{{{IL2.title}}}}},\n"
        "  journal = {Ann Rheum Dis},\n"
        "  year = {2020},\n"
        "  volume = {79},\n"
        "  number = {1},\n"
        "  pages = {141--149},\n"
        "  doi = {10.1136/annrheumdis-2019-215396},\n"
        "  pmid = {31537547}\n"
        "}\n"
    )


def test_bibtex_escapes_tex_specials():
    work = CitedWork(title="50% & $5 for #1 of {x}_y ~ ^ \\", journal="A & B")
    entry = bibtex("k", work)
    assert (
        r"title = {{50\% \& \$5 for \#1 of {\textbraceleft}x{\textbraceright}\_y {\textasciitilde} {\textasciicircum}"
        r" {\textbackslash}}}" in entry
    )
    assert r"journal = {A \& B}" in entry
    unescaped = re.sub(r"\\[{}]", "", entry)  # the entry's own braces stay balanced
    assert unescaped.count("{") == unescaped.count("}")


def test_bibtex_keeps_group_names_whole():
    entry = bibtex("k", CitedWork(title="T", authors="EULAR Study Group; Smith AB"))
    assert "author = {{EULAR Study Group} and Smith, A. B.}" in entry


def test_bibtex_doi_and_url_are_verbatim_but_parseable():
    work = CitedWork(title="T", doi="10.1000/a_b%c{d}", url="https://example.org/a_b?x=1&y=2")
    entry = bibtex("k", work)
    assert "doi = {10.1000/a_b%c%7Bd%7D}" in entry
    assert "url = {https://example.org/a_b?x=1&y=2}" in entry


@pytest.mark.parametrize("key", ["", "he 2020", "a,b", "x}"])
def test_bibtex_refuses_a_bad_key(key):
    with pytest.raises(ValueError):
        bibtex(key, MINIMAL)


# --------------------------------------------------------------------------- RIS


def test_ris_record():
    assert ris(IL2) == (
        "TY  - JOUR\r\n"
        "AU  - He, J.\r\n"
        "AU  - Zhang, R.\r\n"
        "AU  - Shao, M.\r\n"
        f"TI  - {IL2.title}\r\n"
        "T2  - Ann Rheum Dis\r\n"
        "PY  - 2020\r\n"
        "VL  - 79\r\n"
        "IS  - 1\r\n"
        "SP  - 141\r\n"
        "EP  - 149\r\n"
        "DO  - 10.1136/annrheumdis-2019-215396\r\n"
        "AN  - 31537547\r\n"
        "DB  - PubMed\r\n"
        "ER  - \r\n"
    )


def test_ris_minimal_record_and_one_line_fields():
    assert ris(MINIMAL) == f"TY  - JOUR\r\nTI  - {MINIMAL.title}\r\nER  - \r\n"
    record = ris(CitedWork(title="Line one\nER  - line two"))
    assert record.count("\r\n") == 3
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in record.split("\r\n")[:-1])


# --------------------------------------------------------------------------- links


def test_doi_url():
    assert doi_url("10.1136/annrheumdis-2019-215396") == "https://doi.org/10.1136/annrheumdis-2019-215396"
    assert (
        doi_url("10.1002/(SICI)1097-4636(199812)43:4<338::AID-JBM2>3.0.CO;2-W")
        == "https://doi.org/10.1002/(SICI)1097-4636(199812)43:4%3C338::AID-JBM2%3E3.0.CO;2-W"
    )
    assert doi_url("10.1000/a#b?c%d e") == "https://doi.org/10.1000/a%23b%3Fc%25d%20e"


def test_pubmed_url():
    assert pubmed_url("31537547") == "https://pubmed.ncbi.nlm.nih.gov/31537547/"
    with pytest.raises(ValueError):
        pubmed_url("PMC123")


@pytest.mark.parametrize(
    ("registration", "url"),
    [
        ("NCT02465580", "https://clinicaltrials.gov/study/NCT02465580"),
        (" nct02465580 ", "https://clinicaltrials.gov/study/NCT02465580"),
        (
            "EudraCT 2010-019764-36",
            "https://www.clinicaltrialsregister.eu/ctr-search/search?query=2010-019764-36",
        ),
        ("2010-019764-36", "https://www.clinicaltrialsregister.eu/ctr-search/search?query=2010-019764-36"),
        (
            "EudraCT No. 2010-019764-36",
            "https://www.clinicaltrialsregister.eu/ctr-search/search?query=2010-019764-36",
        ),
        ("ISRCTN12345678", "https://www.isrctn.com/ISRCTN12345678"),
        ("ChiCTR2000029308", "https://www.chictr.org.cn/searchprojEN.html?regno=ChiCTR2000029308"),
        ("ChiCTR-TRC-12002000", "https://www.chictr.org.cn/searchprojEN.html?regno=ChiCTR-TRC-12002000"),
    ],
)
def test_registry_url(registration, url):
    assert registry_url(registration) == url


@pytest.mark.parametrize(
    "registration",
    ["NCT1234567", "NCT123456789", "ACTRN12610000123456", "NCT02465580; EudraCT 2010-019764-36", "see paper"],
)
def test_registry_url_unknown(registration):
    assert registry_url(registration) is None


# --------------------------------------------------------------------------- without a title


def test_a_source_without_a_title_still_gives_a_reference_and_both_downloads():
    import bibtexparser
    import rispy

    work = CitedWork(journal="Annals of the Rheumatic Diseases", year=2019, volume="78", issue="11",
                     pages="1576-1582", doi="10.1136/annrheumdis-2019-215486")  # fmt: skip
    assert (
        reference_text(work)
        == "Annals of the Rheumatic Diseases. 2019;78(11):1576-1582. doi:10.1136/annrheumdis-2019-215486."
    )
    [entry] = bibtexparser.parse_string(bibtex("ssc", work)).entries
    assert "title" not in entry.fields_dict
    assert (entry["journal"], entry["year"], entry["pages"], entry["doi"]) == (
        "Annals of the Rheumatic Diseases", "2019", "1576--1582", "10.1136/annrheumdis-2019-215486"
    )  # fmt: skip
    [record] = rispy.loads(ris(work))
    assert "title" not in record and "primary_title" not in record
    assert (record["secondary_title"], record["start_page"], record["doi"]) == (
        "Annals of the Rheumatic Diseases", "1576", "10.1136/annrheumdis-2019-215486"
    )  # fmt: skip


def test_authors_journal_and_year_alone_make_a_citation():
    work = CitedWork(authors="Steinberg AW, et al.", journal="Annals of Internal Medicine", year=2019)
    assert reference_text(work) == "Steinberg AW, et al. Annals of Internal Medicine. 2019."
    assert bibtex("aav", work) == (
        "@article{aav,\n  author = {Steinberg, A. W. and others},\n  journal = {Annals of Internal Medicine},\n"
        "  year = {2019}\n}\n"
    )
    assert (
        ris(work)
        == "TY  - JOUR\r\nAU  - Steinberg, A. W.\r\nT2  - Annals of Internal Medicine\r\nPY  - 2019\r\nER  - \r\n"
    )
