"""Tests for generator.render.feeds: Atom and JSON Feed files and the links pages advertise."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import subprocess
import sys
from urllib.parse import urljoin

import feedparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from generator.render.feeds import EMPTY_SITE_UPDATED, FEED_LIMIT, JSON_FEED_VERSION, feed_links, site_feeds
from generator.render.sanitise import markdown_to_safe_html
from generator.urls import page_url
from tests.conftest import ROOT
from tests.factories import SEED, SITE_NAME, SITE_URL, content, hostile, record


def feeds_of(*studies, site_url=SITE_URL):
    return site_feeds(list(studies), content(*studies), site_url, SITE_NAME)


def atom(data: bytes):
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def jsonfeed(data: bytes) -> dict:
    return json.loads(data.decode("utf-8"))


def study_url(slug: str) -> str:
    return f"{SITE_URL}studies/{slug}/"


# --------------------------------------------------------------------------- the seed


def test_seed_feeds_parse_and_list_newest_first():
    studies = SEED.visible()
    files = site_feeds(studies, SEED, SITE_URL, SITE_NAME)
    expected = [study_url(item.slug) for item in studies]
    assert [entry.id for entry in atom(files["feed.xml"]).entries] == expected
    assert [item["id"] for item in jsonfeed(files["feed.json"])["items"]] == expected
    dates = [entry.published_parsed for entry in atom(files["feed.xml"]).entries]
    assert dates == sorted(dates, reverse=True)


def test_one_pair_of_feeds_per_condition_even_without_studies():
    studies = SEED.visible()
    files = site_feeds(studies, SEED, SITE_URL, SITE_NAME)
    keys = set(SEED.conditions)
    expected = {"feed.xml", "feed.json"} | {f"conditions/{k}/feed.{ext}" for k in keys for ext in ("xml", "json")}
    assert set(files) == expected
    for path, data in files.items():
        if path.endswith(".xml"):
            etree.fromstring(data)  # strict XML parser: raises on anything malformed
            atom(data)
        else:
            jsonfeed(data)


def test_feed_metadata():
    item = record("one", published="2021-03-04", updated="2021-05-06", topics=["IL-2", "NK cells"])
    files = feeds_of(item)
    parsed = atom(files["conditions/sle/feed.xml"])
    assert parsed.feed.title == "Rheum Evidence: Systemic lupus erythematosus"
    assert parsed.feed.id == f"{SITE_URL}conditions/sle/feed.xml"
    links = {link.rel: link.href for link in parsed.feed.links}
    assert links == {"alternate": f"{SITE_URL}conditions/sle/", "self": f"{SITE_URL}conditions/sle/feed.xml"}
    assert parsed.feed.updated == "2021-05-06T00:00:00+00:00"
    feed = jsonfeed(files["conditions/sle/feed.json"])
    assert feed["version"] == JSON_FEED_VERSION == "https://jsonfeed.org/version/1.1"
    assert feed["home_page_url"] == f"{SITE_URL}conditions/sle/"
    assert feed["feed_url"] == f"{SITE_URL}conditions/sle/feed.json"
    assert feed["title"] == parsed.feed.title


def test_entry_fields():
    item = record(
        "one", published="2021-03-04", updated="2021-05-06", topics=["IL-2", "NK cells"], authors=["rheum-editor"]
    )
    files = feeds_of(item)
    entry = atom(files["feed.xml"]).entries[0]
    assert entry.id == entry.link == study_url("one")
    assert entry.title == "Study one"
    assert entry.summary == "Summary of study one, long enough."
    assert entry.summary_detail.type == "text/plain"
    assert entry.published == "2021-03-04T00:00:00+00:00"
    assert entry.updated == "2021-05-06T00:00:00+00:00"
    assert [tag.term for tag in entry.tags] == ["IL-2", "NK cells"]
    assert entry.author == "Rheum Evidence editorial team"
    [body] = entry.content
    assert (body.type, body.value) == ("text/html", "<p>Text.</p>")  # feedparser strips the final newline
    [json_item] = jsonfeed(files["feed.json"])["items"]
    assert json_item == {
        "id": study_url("one"),
        "url": study_url("one"),
        "title": "Study one",
        "summary": "Summary of study one, long enough.",
        "content_html": "<p>Text.</p>\n",
        "date_published": "2021-03-04T00:00:00Z",
        "date_modified": "2021-05-06T00:00:00Z",
        "tags": ["IL-2", "NK cells"],
        "authors": [{"name": "Rheum Evidence editorial team"}],
    }


def test_without_update_or_authors():
    files = feeds_of(record("one", published="2021-03-04"))
    entry = atom(files["feed.xml"]).entries[0]
    assert entry.updated == entry.published == "2021-03-04T00:00:00+00:00"
    # The feed-level author stands in for entries without one, as Atom requires.
    assert atom(files["feed.xml"]).feed.author == SITE_NAME
    [item] = jsonfeed(files["feed.json"])["items"]
    assert item["date_modified"] == item["date_published"]
    assert "authors" not in item and "tags" not in item


# --------------------------------------------------------------------------- what goes in


def test_only_the_given_studies_appear():
    published = record("published-one", published="2021-01-01")
    draft = record("secret-draft", published="2022-01-01", status="draft", title="Secret draft title")
    site = content(published, draft)
    files = site_feeds(site.visible(), site, SITE_URL, SITE_NAME)
    for data in files.values():
        assert b"secret-draft" not in data and b"Secret draft" not in data
    assert [e.id for e in atom(files["feed.xml"]).entries] == [study_url("published-one")]


def test_order_is_the_order_given():
    older, newer = record("older", published="2020-01-01"), record("newer", published="2021-01-01")
    files = feeds_of(newer, older)
    assert [e.id for e in atom(files["feed.xml"]).entries] == [study_url("newer"), study_url("older")]
    assert [i["id"] for i in jsonfeed(files["feed.json"])["items"]] == [study_url("newer"), study_url("older")]


def test_condition_membership():
    both = record("both", condition="sle", also_conditions=["lupus-nephritis"])
    sle_only = record("sle-only", condition="sle")
    gout = record("gout", condition="gout")
    files = feeds_of(both, sle_only, gout)

    def ids(path):
        return [e.id for e in atom(files[path]).entries]

    assert ids("conditions/sle/feed.xml") == [study_url("both"), study_url("sle-only")]
    assert ids("conditions/lupus-nephritis/feed.xml") == [study_url("both")]
    assert ids("conditions/gout/feed.xml") == [study_url("gout")]
    assert ids("conditions/ra/feed.xml") == []  # subscribable before its first study
    assert [i["id"] for i in jsonfeed(files["conditions/lupus-nephritis/feed.json"])["items"]] == [study_url("both")]


def test_a_condition_listed_twice_counts_once():
    item = record("twice", condition="sle")
    item = hostile(item, also_conditions=["sle"])
    files = feeds_of(item)
    assert len(atom(files["conditions/sle/feed.xml"]).entries) == 1


def test_capped_at_the_newest_fifty():
    studies = [record(f"s{n:03d}", published=f"2020-{1 + n // 28:02d}-{1 + n % 28:02d}") for n in range(60)]
    studies.reverse()  # newest first, as the caller gives them
    files = feeds_of(*studies)
    assert FEED_LIMIT == 50
    for path in ("feed.xml", "conditions/sle/feed.xml"):
        assert [e.id for e in atom(files[path]).entries] == [study_url(s.slug) for s in studies[:50]]
    assert len(jsonfeed(files["feed.json"])["items"]) == 50


def test_empty_site_still_has_valid_feeds():
    files = feeds_of()
    assert {"feed.xml", "feed.json", "conditions/sle/feed.xml"} <= set(files)
    assert atom(files["feed.xml"]).entries == []
    assert jsonfeed(files["feed.json"])["items"] == []
    # Atom needs an <updated>: a site without any study gives a fixed date, never the epoch or the clock.
    assert atom(files["feed.xml"]).feed.updated == "2000-01-01T00:00:00+00:00"
    assert EMPTY_SITE_UPDATED == dt.date(2000, 1, 1)


def test_a_feed_is_as_new_as_its_newest_entry_and_an_empty_one_as_the_site():
    sle = record("sle-one", published="2021-03-04", updated="2021-06-01")
    gout = record("gout-one", published="2022-02-03", condition="gout")
    files = feeds_of(gout, sle)
    assert atom(files["conditions/sle/feed.xml"]).feed.updated == "2021-06-01T00:00:00+00:00"
    assert atom(files["conditions/gout/feed.xml"]).feed.updated == "2022-02-03T00:00:00+00:00"
    assert atom(files["feed.xml"]).feed.updated == "2022-02-03T00:00:00+00:00"
    ra = atom(files["conditions/ra/feed.xml"])
    assert ra.entries == [] and ra.feed.updated == "2022-02-03T00:00:00+00:00"


# --------------------------------------------------------------------------- the article


def test_entries_carry_the_article_cleaned_as_on_the_page():
    body = (
        "Intro with **bold** and a [paper](https://example.com/p).\n\n"
        "# Heading\n\n<script>alert(1)</script><img src=x onerror=alert(1)>\n\n"
        "See [the other study](../other-study/) and [notes](#notes); [bad](javascript:alert(1))."
    )
    item = record("art", body=body)
    files = feeds_of(item)
    expected = (
        '<p>Intro with <strong>bold</strong> and a <a href="https://example.com/p" rel="noopener noreferrer">paper</a>.</p>\n'
        "<h2>Heading</h2>\n\n"  # the script and image are removed, their line stays
        '<p>See <a href="https://example.org/rheum/studies/other-study/" rel="noopener noreferrer">the other study</a> and '
        '<a href="https://example.org/rheum/studies/art/#notes" rel="noopener noreferrer">notes</a>; '
        '<a rel="noopener noreferrer">bad</a>.</p>\n'
    )
    tree = etree.fromstring(files["feed.xml"])
    assert tree.findtext("a:entry/a:content", namespaces={"a": "http://www.w3.org/2005/Atom"}) == expected
    [entry] = atom(files["feed.xml"]).entries  # a real reader, with its own sanitiser, gets the same
    assert entry.content[0].value == expected.rstrip("\n")
    assert entry.summary == "Summary of study art, long enough."  # the teaser stays plain text
    [json_item] = jsonfeed(files["feed.json"])["items"]
    assert json_item["content_html"] == expected
    assert "content_text" not in json_item
    # the page shows the same cleaned article, its relative links as written
    page = str(markdown_to_safe_html(body))
    assert page == expected.replace("https://example.org/rheum/studies/other-study/", "../other-study/").replace(
        "https://example.org/rheum/studies/art/#notes", "#notes"
    )


def _digest(files) -> str:
    return hashlib.sha256(b"".join(path.encode() + b"\0" + files[path] for path in sorted(files))).hexdigest()


def test_output_is_the_same_in_any_process():
    script = (
        "from tests.render.test_feeds import SEED, SITE_NAME, SITE_URL, _digest, site_feeds\n"
        "print(_digest(site_feeds(SEED.visible(), SEED, SITE_URL, SITE_NAME)))\n"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)},
            capture_output=True, text=True, check=True,
        ).stdout.strip()
        for seed in ("1", "2")
    }  # fmt: skip
    assert digests == {_digest(site_feeds(SEED.visible(), SEED, SITE_URL, SITE_NAME))}


def test_the_only_times_in_the_feeds_are_the_studies_dates():
    studies = SEED.visible()
    days = {str(item.study.published) for item in studies} | {
        str(item.study.updated) for item in studies if item.study.updated
    }
    for path, data in site_feeds(studies, SEED, SITE_URL, SITE_NAME).items():
        times = set(re.findall(rb"(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)", data))
        assert {day.decode() for day, _ in times} <= days, path  # a feed with no study takes the site's newest
        assert {clock for _, clock in times} <= {b"00:00:00"}, path


def test_site_url_without_trailing_slash():
    files = feeds_of(record("one"), site_url="https://example.org/rheum")
    assert atom(files["feed.xml"]).entries[0].id == study_url("one")


@pytest.mark.parametrize("site_url", ["", "/rheum/", "example.org"])
def test_site_url_must_be_absolute(site_url):
    with pytest.raises(ValueError, match="absolute"):
        feeds_of(record("one"), site_url=site_url)


# --------------------------------------------------------------------------- hostile text

HOSTILE = "<script>alert(1)</script> ]]> & &amp; \u202eevil \U0001f9ea 'q' \"dq\""


def test_hostile_text_round_trips():
    item = hostile(record("bad"), title=HOSTILE, summary=HOSTILE + " summary", topics=[HOSTILE, "]]>"])
    files = feeds_of(item)
    entry = atom(files["feed.xml"]).entries[0]
    assert entry.title == HOSTILE
    assert entry.summary == HOSTILE + " summary"
    assert [tag.term for tag in entry.tags] == [HOSTILE, "]]>"]
    tree = etree.fromstring(files["feed.xml"])
    namespace = {"a": "http://www.w3.org/2005/Atom"}
    assert tree.findtext("a:entry/a:title", namespaces=namespace) == HOSTILE
    assert tree.find(".//{http://www.w3.org/1999/xhtml}script") is None and tree.find(".//script") is None
    [json_item] = jsonfeed(files["feed.json"])["items"]
    assert json_item["title"] == HOSTILE and json_item["tags"] == [HOSTILE, "]]>"]


def test_characters_xml_cannot_carry_are_removed_from_atom_only():
    nasty = "A\x00B\x01C\x08D\x0bE\x1fF\ufffeG\uffffH\ud800I\tJ"
    item = hostile(record("bad"), title=nasty, summary=nasty, topics=[nasty, "\x00"])
    item = hostile(item, authors=["rheum-editor"])
    site = content(item)
    site.authors["rheum-editor"] = site.authors["rheum-editor"].model_copy(update={"name": "Ed\x00itor"})
    files = site_feeds([item], site, SITE_URL, "Site\x00name")
    parsed = atom(files["feed.xml"])
    etree.fromstring(files["feed.xml"])
    assert parsed.entries[0].title == "ABCDEFGHI\tJ"
    assert [tag.term for tag in parsed.entries[0].tags] == ["ABCDEFGHI\tJ"]  # an all-invalid topic is dropped
    assert parsed.entries[0].author == "Editor"
    assert parsed.feed.title == "Sitename"
    # JSON escapes control characters, so the JSON Feed keeps them; a lone surrogate becomes U+FFFD.
    data = files["feed.json"]
    data.decode("utf-8")
    [json_item] = jsonfeed(data)["items"]
    assert json_item["title"] == nasty.replace("\ud800", "\ufffd")


def test_multiline_summary_is_kept():
    item = record("lines", summary="First line of the summary.\nSecond line & more.")
    entry = atom(feeds_of(item)["feed.xml"]).entries[0]
    assert entry.summary == "First line of the summary.\nSecond line & more."


# --------------------------------------------------------------------------- feed links


@pytest.mark.parametrize(
    ("src", "site_feed"),
    [
        ("index.md", "feed.xml"),
        ("about.md", "../feed.xml"),
        ("studies/x.md", "../../feed.xml"),
        ("conditions/sle.md", "../../feed.xml"),
        ("conditions/sle/page/2.md", "../../../../feed.xml"),
        ("conditions/index.md", "../feed.xml"),
    ],
)
def test_feed_links_are_relative_to_the_page(src, site_feed):
    links = feed_links(src, None)
    assert links == [
        ("application/atom+xml", "All studies (Atom)", site_feed),
        ("application/feed+json", "All studies (JSON Feed)", site_feed[: -len("xml")] + "json"),
    ]
    here = SITE_URL + page_url(src)
    assert urljoin(here, links[0][2]) == SITE_URL + "feed.xml"


@pytest.mark.parametrize("src", ["index.md", "studies/x.md", "conditions/sle.md", "conditions/sle/page/3.md"])
def test_condition_feed_links_resolve(src):
    links = feed_links(src, "sle", condition_name="Systemic lupus erythematosus")
    here = SITE_URL + page_url(src)
    assert [urljoin(here, href) for _, _, href in links] == [
        SITE_URL + "feed.xml",
        SITE_URL + "feed.json",
        SITE_URL + "conditions/sle/feed.xml",
        SITE_URL + "conditions/sle/feed.json",
    ]
    assert links[2][1] == "Systemic lupus erythematosus studies (Atom)"
    assert feed_links(src, "sle")[2][1] == "sle studies (Atom)"


def test_condition_hub_links_its_own_feed_by_file_name():
    assert feed_links("conditions/sle.md", "sle")[2][2] == "feed.xml"


def test_every_advertised_feed_exists():
    studies = SEED.visible()
    files = site_feeds(studies, SEED, SITE_URL, SITE_NAME)
    for item in studies:
        src = f"studies/{item.slug}.md"
        for _, _, href in feed_links(src, item.study.condition):
            assert urljoin(SITE_URL + page_url(src), href)[len(SITE_URL) :] in files


# --------------------------------------------------------------------------- any text at all

BASE = record("any", topics=["x"], authors=["rheum-editor"])


@settings(max_examples=150, deadline=None)
@given(title=st.text(min_size=1), summary=st.text(), topic=st.text())
def test_any_text_gives_well_formed_feeds(title, summary, topic):
    item = hostile(BASE, title=title, summary=summary, topics=[topic])
    files = feeds_of(item)
    for path in ("feed.xml", "conditions/sle/feed.xml"):
        tree = etree.fromstring(files[path])
        assert tree.findtext("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}id") == study_url("any")
    [json_item] = jsonfeed(files["feed.json"])["items"]
    clean = "".join("\ufffd" if "\ud800" <= char <= "\udfff" else char for char in title)
    assert json_item["title"] == clean
