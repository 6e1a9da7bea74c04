"""Where each generated page lives, and links between pages.

Pages are addressed by their source path (``studies/x.md``); with MkDocs'
directory URLs that page is served at ``studies/x/``.  Links are written
relative to the linking page so the site works under any sub-path (a GitHub
Pages project site lives at ``/<repository>/``) and from a local folder.
"""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
from functools import lru_cache

__all__ = [
    "RESERVED_NAMES",
    "SLUG_MAX_LENGTH",
    "SLUG_PATTERN",
    "SLUG_RULE",
    "absolute_url",
    "condition_src",
    "drug_class_src",
    "drug_src",
    "file_href",
    "is_slug",
    "page_url",
    "paged_src",
    "relative_href",
    "study_src",
    "taken_address",
    "topic_slug",
    "topic_src",
    "year_src",
]

# A slug names a study and is the last segment of its page's address (studies/<slug>/); the keys of
# conditions (conditions/<key>/) and of authors follow the same rule.  The pattern is written ^...$ for
# JSON Schema (ECMA-262) and always matched whole (Python's $ also matches before a final newline); digits
# are [0-9], because Python's \d takes every script's digits and ECMA-262's only ASCII ones.
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SLUG_MAX_LENGTH = 80
SLUG_RULE = (
    f"lowercase letters a-z, digits and single hyphens, at most {SLUG_MAX_LENGTH} characters (like `low-dose-il2-sle`)"
)
"""The slug rule in words, for messages."""


def is_slug(name: str) -> bool:
    """Whether ``name`` is a slug, as :data:`SLUG_RULE` says."""
    return len(name) <= SLUG_MAX_LENGTH and re.fullmatch(SLUG_PATTERN, name) is not None


# The names the site gives its own files and folders, by the folder editors' names go in ("" is the top of
# the site, where hand-written pages go; study slugs go in studies/, condition keys in conditions/, topic
# slugs in topics/, the drug vocabulary's keys in drugs/ and drug-classes/), each with what is there.  A name
# is taken when a generated file or folder in that folder has it before its first dot (feed.xml and feed.json
# take `feed`), and `index` everywhere: MkDocs serves <folder>/index.md at <folder>/ itself.
# tests/security/test_names.py builds a site and checks this table against it.
RESERVED_NAMES: dict[str, dict[str, str]] = {
    "": {
        "404": "the page shown for a missing address (/404.html)",
        "admin": "the browser editor (/admin/)",
        "archive": "the archive (/archive/)",
        "assets": "the site's styles and scripts (/assets/)",
        "conditions": "the condition pages (/conditions/)",
        "drug-classes": "the drug class pages (/drug-classes/)",
        "drugs": "the drug pages (/drugs/)",
        "feed": "the site's feeds (/feed.xml, /feed.json)",
        "index": "the home page (/)",
        "outcomes": "the open data (/outcomes.csv)",
        "pagefind": "the search index (/pagefind/)",
        "schema": "the open data's schema (/schema/)",
        "search": "the search page (/search/)",
        "sitemap": "the sitemap (/sitemap.xml)",
        "studies": "the study pages and the open data (/studies/, /studies.json, /studies.csv)",
        "topics": "the topic pages (/topics/)",
    },
    "studies": {"index": "the folder of study pages itself (/studies/)"},
    "conditions": {"index": "the list of all conditions (/conditions/)"},
    "topics": {"index": "the list of all topics (/topics/)"},
    "drugs": {"index": "the list of all drugs (/drugs/)"},
    "drug-classes": {"index": "the list of all drug classes (/drug-classes/)"},
}


def taken_address(folder: str, name: str, what: str, shown: str = "") -> str | None:
    """Why ``name`` cannot go in ``folder`` because the site keeps that address (in any case) for itself, or None.

    "`index` would take the address of the list of all topics (/topics/); choose another ``what``"; ``shown``
    names it in the message instead of ```name``` (a topic is shown as its label, not its slug).
    """
    if taken := RESERVED_NAMES[folder].get(name.casefold()):
        return f"{shown or f'`{name}`'} would take the address of {taken}; choose another {what}"
    return None


def page_url(src: str) -> str:
    """The directory URL of a source path: ``a/b.md`` → ``a/b/``, ``a/index.md`` → ``a/``."""
    stem = src[: -len(".md")]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        stem = stem[: -len("/index")]
    return stem + "/"


def absolute_url(site_url: str, target: str = "") -> str:
    """The absolute address of ``target`` on the site whose address is ``site_url``.

    ``target`` is a page's source path (``studies/x.md`` gives ``<site_url>studies/x/``) or the path in the site
    of any other file or folder (``feed.xml``, ``conditions/sle/``); "" is the site itself.  As in MkDocs'
    canonical links, ``site_url`` is taken as a folder: it gets a final slash when it has none.
    """
    base = site_url if site_url.endswith("/") else site_url + "/"
    return base + (page_url(target) if target.endswith(".md") else target)


def relative_href(from_src: str, to_src: str, fragment: str = "") -> str:
    """A relative link from the page ``from_src`` to the page ``to_src``."""
    return _relative(page_url(from_src), page_url(to_src)) + (f"#{fragment}" if fragment else "")


def file_href(from_src: str, target: str) -> str:
    """A relative link from the page ``from_src`` to a site file that is not a page (``feed.xml``)."""
    folder, _, name = target.rpartition("/")
    return _relative(page_url(from_src), f"{folder}/" if folder else "").removeprefix("./") + name


@lru_cache(maxsize=65536)
def _relative(here: str, there: str) -> str:
    # Both are directory URLs ("a/b/" or ""): climb out of what differs, then walk down.
    # (posixpath.relpath does the same through absolute paths, several times slower.)
    from_parts, to_parts = here.split("/")[:-1], there.split("/")[:-1]
    common = 0
    while common < min(len(from_parts), len(to_parts)) and from_parts[common] == to_parts[common]:
        common += 1
    path = "../" * (len(from_parts) - common) + "".join(part + "/" for part in to_parts[common:])
    return path or "./"


def study_src(slug: str) -> str:
    """Source path of a study page."""
    return f"studies/{slug}.md"


def condition_src(key: str) -> str:
    """Source path of a condition hub."""
    return f"conditions/{key}.md"


def drug_src(key: str) -> str:
    """Source path of a drug page."""
    return f"drugs/{key}.md"


def drug_class_src(key: str) -> str:
    """Source path of a drug class page."""
    return f"drug-classes/{key}.md"


def topic_src(slug: str) -> str:
    """Source path of a topic page."""
    return f"topics/{slug}.md"


def year_src(year: int) -> str:
    """Source path of an archive year."""
    return f"archive/{year}.md"


def paged_src(first_src: str, number: int) -> str:
    """Source path of page ``number`` (1-based) of a listing whose first page is ``first_src``."""
    return first_src if number == 1 else f"{page_url(first_src)}page/{number}.md"


TOPIC_SLUG_LENGTH = SLUG_MAX_LENGTH  # a topic's address segment is bounded like a study's
_ASCII_WORD = re.compile("[a-z0-9]+")
_DIGEST_BYTES = 10  # 80 bits, 16 base32 letters: no two labels meet by chance, and making them meet takes ~2**40 tries


@lru_cache(maxsize=65536)  # every listing asks for the slug of every label of every study
def topic_slug(label: str) -> str:
    """A URL slug for a free topic label: ``IL-2`` → ``il-2``, ``Sjögren's`` → ``sjogren-s``.

    Labels that differ only in case, Latin accents or punctuation share one
    slug and therefore one topic page; any other two labels get two.  A label
    whose words are all Latin letters and digits keeps them as its slug; any
    other gets what Latin letters and digits it has, ``--`` and a digest of
    its words (``IL-2 блокатор`` → ``il-2--<16 letters>``).  A plain slug
    never holds ``--``, so the two kinds never meet.
    """
    words = _topic_words(label)
    plain = "-".join(word for word in ("".join(c for c in w if c.isascii()) for w in words.split()) if word)
    if words and words.isascii() and len(plain) <= TOPIC_SLUG_LENGTH:
        return plain
    # Labels without a letter or digit ("?!") have no words: they are told apart by their text.
    identity = f"words:{words}" if words else f"text:{unicodedata.normalize('NFKC', label.strip()).casefold()}"
    digest = hashlib.blake2b(identity.encode("utf-8", "surrogatepass"), digest_size=_DIGEST_BYTES).digest()
    letters = base64.b32encode(digest).decode().lower()
    room = TOPIC_SLUG_LENGTH - len(letters) - 2
    return f"{plain[:room].strip('-') or 'topic'}--{letters}"


def _topic_words(label: str) -> str:
    """What identifies a topic: its letters and digits, caseless, without Latin accents, one space between words.

    ``Sjögren's`` → ``sjogren s``.  A mark on a letter of another script stays
    (``й`` is not ``и``, ``कि`` is not ``क``).
    """
    if label.isascii():  # the common case, and the same result as the loop below
        return " ".join(_ASCII_WORD.findall(label.lower()))
    # Unicode's caseless matching (NFKD, casefold, NFKD) and then accents off Latin letters only.
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", label).casefold())
    kept: list[str] = []
    base = ""
    for char in text:
        if unicodedata.category(char).startswith("M"):
            if not base.isascii():
                kept.append(char)
            continue
        base = char if char.isalnum() else ""
        kept.append(char if base else " ")
    return " ".join("".join(kept).split())
