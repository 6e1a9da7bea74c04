"""Where each generated page lives, and links between pages.

Pages are addressed by their source path (``studies/x.md``); with MkDocs'
directory URLs that page is served at ``studies/x/``.  Links are written
relative to the linking page so the site works under any sub-path (a GitHub
Pages project site lives at ``/<repository>/``) and from a local folder.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "RESERVED_NAMES",
    "condition_src",
    "file_href",
    "page_url",
    "paged_src",
    "relative_href",
    "reserved_name",
    "study_src",
    "topic_slug",
    "topic_src",
    "year_src",
]


# The names the site gives its own files and folders, by the folder editors' names go in ("" is the top of
# the site, where hand-written pages go; study slugs go in studies/, condition keys in conditions/, topic
# slugs in topics/), each with what is there.  A name is taken when a generated file or folder in that folder
# has it before its first dot (feed.xml and feed.json take `feed`), and `index` everywhere: MkDocs serves
# <folder>/index.md at <folder>/ itself.  tests/test_names.py builds a site and checks this table against it.
RESERVED_NAMES: dict[str, dict[str, str]] = {
    "": {
        "404": "the page shown for a missing address (/404.html)",
        "archive": "the archive (/archive/)",
        "assets": "the site's styles and scripts (/assets/)",
        "conditions": "the condition pages (/conditions/)",
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
}


def reserved_name(folder: str, name: str) -> str | None:
    """What the site itself keeps at ``name`` in ``folder`` (any case), or None when the name is free."""
    return RESERVED_NAMES[folder].get(name.casefold())


def page_url(src: str) -> str:
    """The directory URL of a source path: ``a/b.md`` → ``a/b/``, ``a/index.md`` → ``a/``."""
    stem = src[: -len(".md")]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        stem = stem[: -len("/index")]
    return stem + "/"


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


def topic_src(slug: str) -> str:
    """Source path of a topic page."""
    return f"topics/{slug}.md"


def year_src(year: int) -> str:
    """Source path of an archive year."""
    return f"archive/{year}.md"


def paged_src(first_src: str, number: int) -> str:
    """Source path of page ``number`` (1-based) of a listing whose first page is ``first_src``."""
    return first_src if number == 1 else f"{page_url(first_src)}page/{number}.md"


def topic_slug(label: str) -> str:
    """A URL slug for a free topic label: ``IL-2`` → ``il-2``, ``Sjögren's`` → ``sjogren-s``.

    Labels that differ only in case, accents or punctuation share one slug
    and therefore one topic page.
    """
    ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if not slug:  # a label with no Latin letters or digits at all: keep it addressable
        slug = "t-" + "-".join(f"{ord(char):x}" for char in label.strip()[:20])
    return slug[:80].strip("-")
