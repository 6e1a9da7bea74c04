"""The built seed site read by the clients that read it in the wild.

Each test runs a real client over every file of its kind in one build: a
sitemap and its dates as a crawler reads them, every feed through
feedparser, every citation download through bibtexparser and rispy, the open
data through jsonschema, and every page's structured data and OpenGraph tags
through extruct (the extractor search and link-preview tooling uses).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import feedparser
import lxml.etree
import pytest

from generator.publish.admin import ADMIN_DIR
from tests.factories import SEED

from ..conftest import build_site, seed_project

SITE_URL = "https://rheum-evidence.github.io/rheum-evidence/"
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_site(seed_project(tmp_path_factory.mktemp("clients")).root, site_url=SITE_URL)


def html_pages(site: Path) -> list[Path]:
    """The site's pages for readers: not the 404 page, not the browser editor (admin/, noindex, its own markup)."""
    return sorted(path for path in site.rglob("*.html") if path.name != "404.html" and path.parent != site / ADMIN_DIR)


def url_of(site: Path, path: Path) -> str:
    return SITE_URL + path.parent.relative_to(site).as_posix().removeprefix(".") + ("/" * (path.parent != site))


def site_file(site: Path, url: str) -> Path:
    """The file of the built site that ``url`` (an address on the site) names."""
    assert url.startswith(SITE_URL), url
    return site / url.removeprefix(SITE_URL)


def png_size(path: Path) -> tuple[int, int]:
    """The size of the PNG at ``path``, as Pillow reads it (which fails for anything but a whole image)."""
    from PIL import Image

    with Image.open(path) as image:
        image.load()
        assert image.format == "PNG", path
        return image.size


def json_ld_of(html: str) -> list[dict]:
    import extruct

    return extruct.extract(html, syntaxes=["json-ld"], uniform=True)["json-ld"]


# --------------------------------------------------------------------------- sitemap


def sitemap_dates(site: Path) -> dict[str, str | None]:
    tree = lxml.etree.parse(str(site / "sitemap.xml"))
    return {
        url.findtext("s:loc", namespaces=SITEMAP): url.findtext("s:lastmod", namespaces=SITEMAP)
        for url in tree.findall("s:url", namespaces=SITEMAP)
    }


def test_sitemap_dates_each_page_by_its_content_never_by_the_build(site: Path) -> None:
    dates = sitemap_dates(site)
    assert len(dates) == len(html_pages(site))
    # A study page: the date its JSON-LD gives as dateModified.
    for path in (site / "studies").glob("*/index.html"):
        [article] = json_ld_of(path.read_text(encoding="utf-8"))
        assert dates[url_of(site, path)] == article["dateModified"], path
    newest = max((r.study.updated or r.study.published).isoformat() for r in SEED.visible())
    assert newest == "2019-10-18"
    # Pages listing studies: the newest study they list (every page of a listing moves when one is added).
    assert dates[SITE_URL] == dates[SITE_URL + "conditions/"] == dates[SITE_URL + "archive/"] == newest
    assert dates[SITE_URL + "conditions/sle/"] == "2019-10-18"
    assert dates[SITE_URL + "conditions/aav/"] == "2019-10-11"
    assert dates[SITE_URL + "archive/2019/"] == newest
    # Pages whose text no study gives: no date rather than a false one.
    for page in ("about/", "disclaimer/", "editorial-policy/", "search/", "conditions/gout/"):
        assert dates[SITE_URL + page] is None, page
    assert dt.date.today().isoformat() not in dates.values()


def test_the_compressed_sitemap_is_the_sitemap_dated_by_the_newest_page(site: Path) -> None:
    import gzip

    data = (site / "sitemap.xml.gz").read_bytes()
    assert gzip.decompress(data) == (site / "sitemap.xml").read_bytes()
    mtime = int.from_bytes(data[4:8], "little")  # RFC 1952: MTIME, so the file is the same in every build
    assert dt.datetime.fromtimestamp(mtime, dt.UTC).date().isoformat() == "2019-10-18"


# --------------------------------------------------------------------------- feeds


def feed_files(site: Path, suffix: str) -> list[Path]:
    return sorted(path for path in site.rglob(f"feed.{suffix}"))


def test_every_atom_feed_parses_and_carries_whole_articles(site: Path) -> None:
    atom_feeds = feed_files(site, "xml")
    assert len(atom_feeds) == 1 + 20  # the site's and one per condition
    entries = 0
    for path in atom_feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.version == "atom10"
        assert not parsed.feed.updated.startswith(("1970", dt.date.today().isoformat())), path
        for entry in parsed.entries:
            entries += 1
            [content] = entry.content
            assert content.type == "text/html"
            assert len(content.value) > 3 * len(entry.summary), entry.id  # the article, not the teaser again
            assert entry.updated <= parsed.feed.updated
    # the site's feed, and the feed of each study's condition and also_conditions
    assert entries == sum(1 + len({r.study.condition, *r.study.also_conditions}) for r in SEED.visible()) == 17
    site_feed = feedparser.parse((site / "feed.xml").read_bytes())
    il2 = next(entry for entry in site_feed.entries if entry.id.endswith("/low-dose-il2-sle/"))
    assert "<h2>What the trial did</h2>" in il2.content[0].value


def test_every_json_feed_has_the_article_as_html(site: Path) -> None:
    for path in feed_files(site, "json"):
        feed = json.loads(path.read_bytes())
        assert feed["version"] == "https://jsonfeed.org/version/1.1"
        for item in feed["items"]:
            assert "content_text" not in item
            assert item["content_html"].startswith("<p>") and item["summary"] not in item["content_html"][:40]


# --------------------------------------------------------------------------- structured data


def test_every_study_page_has_one_article_whose_publisher_and_team_are_organisations(site: Path) -> None:
    pages = sorted((site / "studies").glob("*/index.html"))
    assert len(pages) == len(SEED.visible()) == 6
    for path in pages:
        [article] = json_ld_of(path.read_text(encoding="utf-8"))
        assert article["@type"] == "MedicalScholarlyArticle", path
        assert article["url"] == url_of(site, path)
        assert article["publisher"] == {"@type": "Organization", "name": "Rheum Evidence", "url": SITE_URL}
        assert [author["@type"] for author in article["author"]] == ["Organization"], path
        image = article["image"]
        assert image["@type"] == "ImageObject" and image["url"] == url_of(site, path) + "card.png", path
        assert png_size(site_file(site, image["url"])) == (image["width"], image["height"]) == (1200, 630), path


# --------------------------------------------------------------------------- citation downloads


def test_every_study_with_a_source_has_downloads_that_reference_managers_read(site: Path) -> None:
    import bibtexparser
    import lxml.html
    import rispy
    from bibtexparser.middlewares import LatexDecodingMiddleware

    sourced = [record for record in SEED.visible() if record.study.source]
    assert len(sourced) == 6
    for record in sourced:
        folder = site / "studies" / record.slug
        links = lxml.html.fromstring((folder / "index.html").read_bytes()).xpath("//div[@id='cite']//a/@href")
        assert links == ["citation.bib", "citation.ris"], record.slug
        library = bibtexparser.parse_string(
            (folder / "citation.bib").read_text(encoding="utf-8"), append_middleware=[LatexDecodingMiddleware()]
        )
        assert not library.failed_blocks, record.slug
        [entry] = library.entries
        assert entry.entry_type == "article" and entry["journal"] == record.study.source.journal
        assert entry["year"] == str(record.study.source.year)
        [ris] = rispy.loads((folder / "citation.ris").read_bytes().decode("utf-8"))
        assert ris["type_of_reference"] == "JOUR" and ris["year"] == str(record.study.source.year)
        if record.study.source.doi:
            assert entry["doi"] == ris["doi"] == record.study.source.doi
    # the two sources without a title: what they give, nothing made up
    bib = (site / "studies/aspirin-vasodilators-ssc/citation.bib").read_text(encoding="utf-8")
    assert "title" not in bib and "author" not in bib and "pages = {1576--1582}" in bib
    ris = rispy.loads((site / "studies/aav-mortality-usa/citation.ris").read_text(encoding="utf-8"))
    assert ris == [{"type_of_reference": "JOUR", "authors": ["Steinberg, A. W."],
                    "secondary_title": "Annals of Internal Medicine", "year": "2019"}]  # fmt: skip


# --------------------------------------------------------------------------- markup


def test_no_checkbox_carries_an_autocomplete_attribute(site: Path) -> None:
    """The Nu Html Checker's error on every page: `autocomplete` is not allowed on a checkbox."""
    import lxml.html

    pages = html_pages(site) + [site / "404.html"]
    toggles = 0
    for path in pages:
        document = lxml.html.fromstring(path.read_bytes())
        assert document.xpath("//input[@type='checkbox'][@autocomplete]") == [], path
        toggles += len(document.xpath("//input[@type='checkbox'][@id='__drawer' or @id='__search']"))
    assert toggles == 2 * len(pages)  # the theme's toggles are still there, without the attribute


# --------------------------------------------------------------------------- OpenGraph


def test_every_page_type_has_opengraph_and_twitter_tags_for_its_own_address(site: Path) -> None:
    import extruct
    import lxml.html

    kinds, cards = set(), set()
    for path in html_pages(site):
        html = path.read_text(encoding="utf-8")
        [graph] = extruct.extract(html, syntaxes=["opengraph"], uniform=True)["opengraph"]
        url = url_of(site, path)
        assert graph["og:url"] == url and graph["og:site_name"] == "Rheum Evidence", path
        assert graph["og:title"], path
        kinds.add(graph["@type"])
        document = lxml.html.fromstring(html)
        assert document.xpath("//link[@rel='canonical']/@href") == [url], path
        assert document.xpath("//meta[@name='twitter:card']/@content") == ["summary_large_image"], path
        image = graph["og:image"]
        assert document.xpath("//meta[@name='twitter:image']/@content") == [image], path
        assert png_size(site_file(site, image)) == (int(graph["og:image:width"]), int(graph["og:image:height"])), path
        assert graph["og:image:alt"].startswith("Rheum Evidence: “"), path
        cards.add(image.removeprefix(SITE_URL))
        assert len(document.xpath("//meta[@property='og:title']")) == 1, path  # once, not also from the theme
        assert document.xpath("//link[@type='application/atom+xml']/@title")[0] == "All studies (Atom)", path
    assert kinds == {"article", "website"}
    assert cards == {"assets/card.png"} | {f"studies/{record.slug}/card.png" for record in SEED.visible()}
    home = extruct.extract((site / "index.html").read_text(encoding="utf-8"), syntaxes=["opengraph"], uniform=True)
    assert home["opengraph"][0]["og:title"] == "Rheum Evidence"
    assert home["opengraph"][0]["og:description"] == "Rheumatology research in brief, with the numbers that matter."
    about = extruct.extract(
        (site / "about/index.html").read_text(encoding="utf-8"), syntaxes=["opengraph"], uniform=True
    )
    assert about["opengraph"][0]["og:title"] == "About"  # its title in the navigation


# --------------------------------------------------------------------------- open data


def test_the_open_data_is_valid_against_its_published_schema(site: Path) -> None:
    import jsonschema

    schema = json.loads((site / "schema" / "studies.schema.json").read_bytes())
    data = json.loads((site / "studies.json").read_bytes())
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert list(validator.iter_errors(data)) == []
    assert data["count"] == len(data["studies"]) == 6
    broken = {**data, "studies": [{**data["studies"][0], "published": "18 October 2019"}]}
    assert [error.json_path for error in validator.iter_errors(broken)] != []  # the schema can say no
