"""Feeds of the newest studies: Atom and JSON Feed, for the site and per condition.

:func:`site_feeds` returns every feed file as bytes keyed by its path in the
site; :func:`feed_links` says which of them a page advertises with
``<link rel="alternate">``.  A study appears in the feeds of its
``condition`` and of each of its ``also_conditions``.

Atom is written with feedgen.  JSON Feed 1.1 (https://jsonfeed.org/version/1.1)
is a plain dictionary serialised with :func:`json.dumps`: the format is JSON
with a handful of documented keys, so a library would add nothing.

Every text comes from editors and is treated as untrusted: feedgen escapes
markup, and characters that XML 1.0 cannot carry at all (most control
characters, lone surrogates, U+FFFE/U+FFFF) are removed from the Atom text,
because lxml refuses them and a feed must stay well-formed whatever the input.
JSON escapes control characters itself, so the JSON Feed keeps the text as
written; only lone surrogates, which UTF-8 cannot encode, become U+FFFD.

Each entry carries the whole article: Atom's ``<content type="html">`` and
JSON Feed's ``content_html`` are the study's body as the page shows it,
cleaned by the one sanitiser (:func:`~generator.render.sanitise.markdown_to_safe_html`),
with relative links made absolute against the study's address because a feed
reader shows them away from the page.  ``summary`` stays the plain-text teaser.

A feed's ``updated`` is its newest entry's date (``updated`` or ``published``).
A feed with no entries (a condition without studies yet) takes the newest date
of the whole site instead: the feed last changed when the site did.  Only a
site without a single published study falls back to :data:`EMPTY_SITE_UPDATED`.

The module is pure: no MkDocs, no files, no clock (dates come from the studies).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from feedgen.feed import FeedGenerator

from generator.read.content import Content, StudyRecord
from generator.render.jsontext import json_file
from generator.render.memo import Memo
from generator.render.sanitise import markdown_to_safe_html
from generator.text import NOT_XML
from generator.urls import absolute_url, condition_src, file_href, page_url, study_src

__all__ = ["EMPTY_SITE_UPDATED", "FEED_LIMIT", "JSON_FEED_VERSION", "feed_links", "site_feeds"]

FEED_LIMIT = 50
"""Studies per feed: the newest ones."""

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
ATOM_TYPE = "application/atom+xml"
JSON_FEED_TYPE = "application/feed+json"
ATOM_FILE = "feed.xml"
JSON_FILE = "feed.json"

EMPTY_SITE_UPDATED = dt.date(2000, 1, 1)
"""The ``<updated>`` of the feeds of a site without any published study.

Atom requires the element; a fixed date keeps the output a pure function of
the content (no clock), and any real study is newer.  A site with studies
never uses it: an empty feed takes the site's newest study date.
"""


# --------------------------------------------------------------------------- public API


def site_feeds(
    studies: Sequence[StudyRecord], content: Content, site_url: str, site_name: str, memo: Memo | None = None
) -> dict[str, bytes]:
    """All feed files, keyed by their path in the site.

    ``studies`` are the studies readers see (no drafts), newest first: they
    are used in the order given, and nothing else of ``content`` is listed
    (``content`` only supplies condition and author names).  Each feed holds
    at most :data:`FEED_LIMIT` studies.  Returns ``feed.xml`` and
    ``feed.json`` for the whole site, and ``conditions/<key>/feed.xml`` and
    ``conditions/<key>/feed.json`` for every condition of the vocabulary, so
    a reader can subscribe to a condition before its first study appears.
    A ``memo`` gives back the feeds an earlier build made from the same data.
    """
    site_url = _checked(site_url)
    newest = max((_modified(record) for record in studies), default=EMPTY_SITE_UPDATED)
    bodies, memo = _Bodies(site_url), memo or Memo()
    files = _feed_pair(studies, content, _Feed(site_url, site_name, "", site_name, newest), bodies, memo)
    members_of = _by_condition(studies)
    for key, condition in sorted(content.conditions.items()):
        members = members_of.get(key, [])
        feed = _Feed(site_url, site_name, page_url(condition_src(key)), f"{site_name}: {condition.name}", newest)
        files |= _feed_pair(members, content, feed, bodies, memo)
    return files


def feed_links(src: str, condition_key: str | None, *, condition_name: str | None = None) -> list[tuple[str, str, str]]:
    """The feeds the page ``src`` should advertise, as ``(type, title, href)``.

    The site's feeds always, then those of ``condition_key`` when given (a
    condition hub, or a study page passing its main condition).  Hrefs are
    relative to the page's directory URL (``studies/x.md`` is served at
    ``studies/x/``), so they work under any sub-path.  Titles are plain text:
    escape them when writing HTML.
    """
    links = [
        (ATOM_TYPE, "All studies (Atom)", file_href(src, ATOM_FILE)),
        (JSON_FEED_TYPE, "All studies (JSON Feed)", file_href(src, JSON_FILE)),
    ]
    if condition_key:
        folder = page_url(condition_src(condition_key))
        name = condition_name or condition_key
        links += [
            (ATOM_TYPE, f"{name} studies (Atom)", file_href(src, folder + ATOM_FILE)),
            (JSON_FEED_TYPE, f"{name} studies (JSON Feed)", file_href(src, folder + JSON_FILE)),
        ]
    return links


# --------------------------------------------------------------------------- shared


def _checked(site_url: str) -> str:
    """``site_url``, once it is known to be an absolute http(s) address (feed readers need absolute links)."""
    if not re.match(r"^https?://[^\s/]+", site_url or ""):
        raise ValueError(f"feeds need an absolute http(s) site_url, got {site_url!r}")
    return site_url


def _by_condition(studies: Sequence[StudyRecord]) -> dict[str, list[StudyRecord]]:
    """Each condition key's studies, in the given order; a study counts once per condition."""
    members: dict[str, list[StudyRecord]] = {}
    for record in studies:
        keys = dict.fromkeys([record.study.condition, *record.study.also_conditions])
        for key in keys:
            members.setdefault(key, []).append(record)
    return dict(sorted(members.items()))


@dataclass(frozen=True)
class _Feed:
    """One feed's place and heading: the site's, or a condition's (``folder`` ``conditions/<key>/``)."""

    site_url: str
    site_name: str
    folder: str
    title: str
    site_newest: dt.date
    """The newest date of the whole site: an empty feed's ``updated``."""

    @property
    def home(self) -> str:
        return absolute_url(self.site_url, self.folder)


class _Bodies:
    """Each study's article as feed HTML, converted once however many feeds list it."""

    def __init__(self, site_url: str):
        self.site_url = site_url
        self.done: dict[str, str] = {}

    def __call__(self, record: StudyRecord) -> str:
        if record.slug not in self.done:
            html = markdown_to_safe_html(record.study.body, base_url=_study_url(self.site_url, record))
            self.done[record.slug] = str(html)
        return self.done[record.slug]


def _feed_pair(
    studies: Sequence[StudyRecord], content: Content, feed: _Feed, bodies: _Bodies, memo: Memo
) -> dict[str, bytes]:
    chosen = list(studies[:FEED_LIMIT])
    return memo.get(
        partial(_feed_inputs, chosen, content, feed),
        lambda: {
            feed.folder + ATOM_FILE: _atom(chosen, content, feed, bodies),
            feed.folder + JSON_FILE: _json_feed(chosen, content, feed, bodies),
        },
    )


def _feed_inputs(chosen: Sequence[StudyRecord], content: Content, feed: _Feed) -> list[Any]:
    """Everything a feed pair is made from: equal inputs give equal feeds."""
    authors = {
        key: content.fingerprints["authors"][key] for r in chosen for key in r.study.authors if key in content.authors
    }
    return ["feeds", dataclasses.asdict(feed), [(record.slug, record.fingerprint) for record in chosen], authors]


def _study_url(site_url: str, record: StudyRecord) -> str:
    return absolute_url(site_url, study_src(record.slug))


def _midnight(day: dt.date) -> dt.datetime:
    """A study's date as a moment: the site records days, so UTC midnight."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _modified(record: StudyRecord) -> dt.date:
    return record.study.updated or record.study.published


def _authors(record: StudyRecord, content: Content) -> list[dict[str, str]]:
    """The study's authors as ``name``/``url`` pairs, in the order the file lists them."""
    people = []
    for key in record.study.authors:
        author = content.authors.get(key)
        if author is not None:
            people.append({"name": author.name} | ({"url": author.url} if author.url else {}))
    return people


# --------------------------------------------------------------------------- Atom


def _xml_text(text: str, fallback: str = "") -> str:
    """``text`` without the characters XML 1.0 cannot represent (lxml would refuse them).

    A title left empty takes ``fallback``: feedgen refuses an empty title.
    """
    return NOT_XML.sub("", text) or fallback


def _atom(studies: list[StudyRecord], content: Content, about: _Feed, bodies: _Bodies) -> bytes:
    home = about.home
    feed = FeedGenerator()
    feed.id(home + ATOM_FILE)
    feed.title(_xml_text(about.title, home))
    feed.author({"name": _xml_text(about.site_name)})  # Atom wants a feed author when an entry has none
    feed.link(href=home, rel="alternate", type="text/html")
    feed.link(href=home + ATOM_FILE, rel="self", type=ATOM_TYPE)
    feed.generator(_xml_text(about.site_name))  # not feedgen's default, whose version would change the bytes
    feed.language("en")
    feed.updated(_midnight(max((_modified(r) for r in studies), default=about.site_newest)))
    for record in studies:
        _atom_entry(feed, record, content, about.site_url, bodies)
    atom: bytes = feed.atom_str(pretty=True, encoding="UTF-8")
    return atom


def _atom_entry(feed: FeedGenerator, record: StudyRecord, content: Content, site_url: str, bodies: _Bodies) -> None:
    study, url = record.study, _study_url(site_url, record)
    entry = feed.add_entry(order="append")  # feedgen prepends by default; keep newest first
    entry.id(url)
    entry.title(_xml_text(study.title, record.slug))
    entry.link(href=url, rel="alternate", type="text/html")
    entry.summary(_xml_text(study.summary))
    entry.content(_xml_text(bodies(record)), type="html")
    entry.published(_midnight(study.published))
    entry.updated(_midnight(_modified(record)))
    for person in _authors(record, content):
        entry.author({"name": _xml_text(person["name"])} | ({"uri": person["url"]} if "url" in person else {}))
    for topic in _unique(study.topics):
        if cleaned := _xml_text(topic):
            entry.category(term=cleaned)


def _unique(labels: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(labels))


# --------------------------------------------------------------------------- JSON Feed


def _rfc3339(day: dt.date) -> str:
    return _midnight(day).strftime("%Y-%m-%dT%H:%M:%SZ")


def _json_feed(studies: list[StudyRecord], content: Content, about: _Feed, bodies: _Bodies) -> bytes:
    home = about.home
    document = {
        "version": JSON_FEED_VERSION,
        "title": about.title,
        "home_page_url": home,
        "feed_url": home + JSON_FILE,
        "language": "en",
        "items": [_json_item(record, content, about.site_url, bodies) for record in studies],
    }
    return json_file(document)


def _json_item(record: StudyRecord, content: Content, site_url: str, bodies: _Bodies) -> dict[str, Any]:
    study, url = record.study, _study_url(site_url, record)
    item: dict[str, Any] = {
        "id": url,
        "url": url,
        "title": study.title,
        "summary": study.summary,
        "content_html": bodies(record),
        "date_published": _rfc3339(study.published),
        "date_modified": _rfc3339(_modified(record)),
    }
    if study.topics:
        item["tags"] = _unique(study.topics)
    if people := _authors(record, content):
        item["authors"] = people
    return item
