"""Citations of a study's source: "Cite this study" and links to it.

One :class:`CitedWork` (the fields of a study's ``source`` block) becomes a
readable reference (Vancouver style, as in medical journals), a BibTeX entry
and an RIS record; identifiers become links to doi.org, PubMed and the trial
registries.  Everything is a pure function of the fields as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

__all__ = ["CitedWork", "reference_text", "bibtex", "ris", "doi_url", "pubmed_url", "registry_url"]


@dataclass(frozen=True)
class CitedWork:
    """A published article, as far as the editor recorded it.

    Every field may be missing: a reference is made of what is there (``check``
    warns when a reference manager would lack something, see
    :func:`generator.read.validate.study_warnings`).  ``authors`` is free text, ideally Vancouver style ("He J,
    Zhang R, Shao M, et al."); BibTeX and RIS need it split into names (see
    :func:`bibtex`).
    """

    title: str | None = None
    authors: str | None = None
    journal: str | None = None
    year: int | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    pmid: str | None = None
    url: str | None = None


# --------------------------------------------------------------------------- links


def doi_url(doi: str) -> str:
    """The doi.org link of a DOI, with the characters a URL path cannot carry percent-encoded."""
    # A path may hold RFC 3986 sub-delimiters, ":" and "@"; "#", "?", "%",
    # spaces, "<>" (as in old SICI DOIs) and the like must be encoded.
    return "https://doi.org/" + quote(doi.strip(), safe="/:@!$&'()*+,;=")


def pubmed_url(pmid: str) -> str:
    """The PubMed page of a PubMed ID."""
    pmid = pmid.strip()
    if not pmid.isdigit():
        raise ValueError(f"a PubMed ID is digits only, got {pmid!r}")
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"


_REGISTRIES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"NCT\s?(?P<id>\d{8})", re.IGNORECASE), "https://clinicaltrials.gov/study/NCT{id}"),
    (
        re.compile(r"(?:EudraCT(?:\s*(?:No\.?|number))?[\s:#]*)?(?P<id>\d{4}-\d{6}-\d{2})", re.IGNORECASE),
        "https://www.clinicaltrialsregister.eu/ctr-search/search?query={id}",
    ),
    (re.compile(r"ISRCTN\s?(?P<id>\d{8})", re.IGNORECASE), "https://www.isrctn.com/ISRCTN{id}"),
    # ChiCTR numbers come as ChiCTR2000029308 or, before 2016, ChiCTR-TRC-12002000.
    # The registry has no stable page per number; this is its search by number.
    (
        re.compile(r"ChiCTR(?P<id>-?(?:[A-Z]{2,4}-)?\d{6,10})", re.IGNORECASE),
        "https://www.chictr.org.cn/searchprojEN.html?regno=ChiCTR{id}",
    ),
)


def registry_url(registration: str) -> str | None:
    """The registry page of a trial registration number, or None for an unknown form.

    Known: ClinicalTrials.gov (NCT + 8 digits), EU Clinical Trials Register
    (EudraCT 2010-019764-36, prefix optional), ISRCTN and ChiCTR.  The text must
    be one number; "NCT01234567; EudraCT ..." gives None.
    """
    text = registration.strip()
    for pattern, template in _REGISTRIES:
        if match := pattern.fullmatch(text):
            return template.format(id=match.group("id").upper())
    return None


# --------------------------------------------------------------------------- reference


def reference_text(work: CitedWork) -> str:
    """A Vancouver-style reference.

    "He J, Zhang R, Shao M, et al. Efficacy and safety of low-dose IL-2 in
    the treatment of systemic lupus erythematosus. Ann Rheum Dis.
    2020;79(1):141-9. doi:10.1136/annrheumdis-2019-215396. PMID: 31537547."
    The URL is given only when there is no DOI, and last.
    """
    issue = f"({work.issue})" if work.issue else ""
    pages = f":{work.pages}" if work.pages else ""
    volume = f"{work.volume}{issue}{pages}" if work.volume else ""
    published = ";".join(part for part in (str(work.year) if work.year else "", volume) if part)
    parts = [
        work.authors,
        work.title,
        work.journal,
        published,
        f"doi:{work.doi}" if work.doi else None,
        f"PMID: {work.pmid}" if work.pmid else None,
    ]
    text = " ".join(_sentence(part) for part in parts if part)
    # No full stop after a URL: a reader copying it would take the stop along.
    return f"{text} Available from: {work.url}".lstrip() if work.url and not work.doi else text


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "?", "!")) else f"{text}."


# --------------------------------------------------------------------------- authors

_ET_AL = re.compile(r"^(?:et\.?\s*al\.?|and others)$", re.IGNORECASE)
_VANCOUVER_NAME = re.compile(r"^(?P<surname>.+?)\s+(?P<initials>[A-Z]{1,4})\.?$")


def _author_names(authors: str) -> tuple[list[tuple[str, bool]], bool]:
    """The names of a Vancouver list, and whether it ends with "et al.".

    A Vancouver name ("He JK") comes back as ("He, J. K.", True); anything
    else (a group, a name in another style) as written, with False.
    """
    names, more = [], False
    for part in re.split(r"[,;]", authors):
        part = " ".join(part.split())
        if not part:
            continue
        if _ET_AL.match(part):
            more = True
        elif match := _VANCOUVER_NAME.match(part):
            initials = " ".join(f"{letter}." for letter in match.group("initials"))
            names.append((f"{match.group('surname')}, {initials}", True))
        else:
            names.append((part, False))
    return names, more


def _page_range(pages: str) -> tuple[str, str]:
    """First and last page, the last written out in full: "141-9" -> ("141", "149")."""
    first, _, last = (part.strip() for part in pages.partition("-"))
    if first.isdigit() and last.isdigit() and len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    return first, last


# --------------------------------------------------------------------------- BibTeX

# The characters TeX treats specially, and what stands for each of them literally.  BibTeX itself counts
# every brace, escaped or not, to find where a field ends, so braces become BibTeX "special characters"
# (`{\textbraceleft}`, a balanced group that name splitting keeps whole): whatever the text, the braces of a
# field balance and none can close the field or the entry.  "@" and "%" need nothing
# inside a braced field, and since newlines are folded to spaces no text can start a line of its own.
_TEX_ESCAPES = {
    "\\": r"{\textbackslash}",
    "{": r"{\textbraceleft}",
    "}": r"{\textbraceright}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"{\textasciitilde}",
    "^": r"{\textasciicircum}",
}
_TEX_SPECIAL = re.compile("|".join(re.escape(char) for char in _TEX_ESCAPES))
_BIBTEX_KEY = re.compile(r"^[A-Za-z0-9_:.+-]+$")
_AND_WORD = re.compile(r"(?:^|\s)and(?:\s|$)", re.IGNORECASE)  # BibTeX splits a name list at this word


def bibtex(key: str, work: CitedWork) -> str:
    """A BibTeX ``@article`` entry.

    Text fields are TeX-escaped (braces as ``{\\textbraceleft}`` and
    ``{\\textbraceright}``, so every field's braces balance) and the title is
    braced twice so styles keep its capitals (SLE, IL-2).  Authors written
    Vancouver style ("He J") become "He, J." (a surname with the word "and" in
    it braced, so BibTeX does not split it); other names are braced whole, so a
    group name stays one name.
    ``doi`` and ``url`` are verbatim fields: they are not TeX-escaped, only
    braces and backslashes are percent-encoded to keep the entry parseable.
    """
    if not _BIBTEX_KEY.match(key):
        raise ValueError(f"a BibTeX key is letters, digits and _:.+- only, got {key!r}")
    fields: list[tuple[str, str]] = []
    if work.authors:
        names, more = _author_names(work.authors)
        written = [_bibtex_name(name) if personal else f"{{{_tex(name)}}}" for name, personal in names]
        fields.append(("author", " and ".join(written + (["others"] if more else []))))
    if work.title:
        fields.append(("title", f"{{{_tex(work.title)}}}"))
    for name, value in (
        ("journal", work.journal),
        ("year", str(work.year) if work.year else None),
        ("volume", work.volume),
        ("number", work.issue),
        ("pages", "--".join(filter(None, _page_range(work.pages))) if work.pages else None),
    ):
        if value:
            fields.append((name, _tex(value)))
    for name, value in (("doi", work.doi), ("url", work.url)):
        if value:
            fields.append((name, _verbatim(value)))
    if work.pmid:
        fields.append(("pmid", _tex(work.pmid)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@article{{{key},\n{body}\n}}\n"


def _bibtex_name(name: str) -> str:
    """A "Surname, I." name for BibTeX; a surname holding the word "and" is braced so it stays one name."""
    surname, _, initials = name.rpartition(", ")
    surname = f"{{{_tex(surname)}}}" if _AND_WORD.search(surname) else _tex(surname)
    return f"{surname}, {_tex(initials)}"


def _tex(text: str) -> str:
    return _TEX_SPECIAL.sub(lambda match: _TEX_ESCAPES[match.group()], " ".join(text.split()))


def _verbatim(text: str) -> str:
    return text.strip().replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")


# --------------------------------------------------------------------------- RIS


def ris(work: CitedWork) -> str:
    """An RIS record of type JOUR, lines ending CR LF as the RIS specification asks.

    One ``AU`` line per author ("He, J."); the PubMed ID goes in ``AN``
    (accession number) with ``DB  - PubMed``.
    """
    lines = [("TY", "JOUR")]
    if work.authors:
        names, _ = _author_names(work.authors)
        lines.extend(("AU", name) for name, _ in names)
    if work.title:
        lines.append(("TI", work.title))
    first_page, last_page = _page_range(work.pages) if work.pages else ("", "")
    for tag, value in (
        ("T2", work.journal),
        ("PY", str(work.year) if work.year else None),
        ("VL", work.volume),
        ("IS", work.issue),
        ("SP", first_page),
        ("EP", last_page),
        ("DO", work.doi),
        ("UR", work.url),
        ("AN", work.pmid),
        ("DB", "PubMed" if work.pmid else None),
    ):
        if value:
            lines.append((tag, value))
    lines.append(("ER", ""))
    # A field is one line: newlines inside a value would start a bogus tag.
    return "".join(f"{tag}  - {' '.join(value.split())}\r\n" for tag, value in lines)
