"""Building the site through MkDocs: pages, links, comments, drafts and atomic output."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import lxml.html
import pytest
from mkdocs.exceptions import Abort
from mkdocs.structure.pages import Page

from ..conftest import MINIMAL_STUDY, SEED, build_site, seed_project


def page(site: Path, url: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((site / url / "index.html").read_bytes())


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory) -> Path:
    return build_site(seed_project(tmp_path_factory.mktemp("seed")).root)


def test_every_seed_study_has_a_page_with_its_sections(seed_site: Path) -> None:
    for slug in SEED:
        html = page(seed_site, f"studies/{slug}")
        assert len(html.xpath("//h1")) == 1
        assert html.xpath("//section[@id='more-like-this']"), slug
        comments = html.xpath("//section[@id='comments']")
        assert comments and comments[0].get("data-thread") == slug


OUTCOMES_TABLE = "//div[@aria-label='Outcomes table']/table"


def test_il2_page_shows_what_its_file_provides(seed_site: Path) -> None:
    html = page(seed_site, "studies/low-dose-il2-sle")
    assert html.xpath("string(//h1)") == "Low-Dose IL-2 Effective in Lupus"
    assert html.xpath("//time/@datetime")[0] == "2019-10-18"
    facts = {div.xpath("string(dt)"): div.xpath("string(dd)") for div in html.xpath("//dl/div")}
    assert facts["Design"] == "Randomized controlled trial"
    assert facts["Participants"] == "60"
    assert facts["Registration"] == "NCT02465580, NCT02932137"
    hrefs = html.xpath("//a/@href")
    assert "https://doi.org/10.1136/annrheumdis-2019-215396" in hrefs
    assert "https://pubmed.ncbi.nlm.nih.gov/31537547/" in hrefs
    topics = html.xpath("//*[@class='re-topics']//a/@href")
    assert topics[0] == "../../topics/il-2/"
    cells = [c.text_content() for c in html.xpath(OUTCOMES_TABLE + "//tbody/tr[1]/*")]
    assert cells[:4] == ["SRI-4 response at week 12 Primary", "16/29 analysed of 30 randomised", "9/30", "0.052"]
    headers = [c.text_content() for c in html.xpath(OUTCOMES_TABLE + "//thead/tr/th")]
    assert headers[1:3] == ["Low-dose IL-2 (30 randomised)", "Placebo (30 randomised)"]
    assert "Disclosures" in html.xpath("//h2/text()")
    assert "https://clinicaltrials.gov/study/NCT02465580" in hrefs
    source_links = html.xpath("//section[@id='source']//ul[@class='re-links']//a/@href")
    assert source_links == [
        "https://doi.org/10.1136/annrheumdis-2019-215396",
        "https://pubmed.ncbi.nlm.nih.gov/31537547/",
        "https://clinicaltrials.gov/study/NCT02465580",
        "https://clinicaltrials.gov/study/NCT02932137",
    ]


def _summary_of_findings(html) -> dict[str, list[str]]:
    """Each outcome's basis, figures and (from the list under the table, in the same order) plain sentence."""
    rows = {}
    blocks = html.xpath("//table[contains(@class,'re-sof__table')]/tbody")
    sentences = html.xpath("//ul[@class='re-sof__plain']/li")
    assert len(blocks) == len(sentences)
    for block, sentence in zip(blocks, sentences, strict=True):
        name = block.xpath("string(.//th[@scope='row']/text())").strip()
        figures = [td.text_content() for td in block.xpath("tr[@class='re-sof__figures']/td")]
        rows[name] = [block.xpath("string(.//span[@class='re-basis'])"), *figures, sentence.text_content()]
    return rows


def test_il2_page_leads_its_results_with_a_summary_of_findings_and_a_calm_p_value_check(seed_site: Path) -> None:
    html = page(seed_site, "studies/low-dose-il2-sle")
    first = html.xpath("//section[@id='results']/*[2]")[0]
    assert first.get("id") == "summary-of-findings", "the summary comes first in the results"
    rows = _summary_of_findings(html)
    assert list(rows) == [
        "SRI-4 response at week 12",
        "SRI-4 response at week 24",
        "Complete remission of lupus nephritis",
    ]
    assert rows["SRI-4 response at week 12"] == [
        "risk ratio computed from the counts",
        "300 per 1,000",
        "552 per 1,000",
        "RR 1.84 (95% CI 0.97 to 3.48)",
        "252 more per 1,000 (95% CI 8 fewer to 700 more)",
        "SRI-4 response at week 12: 252 more per 1,000 with Low-dose IL-2 than with Placebo"
        " (95% CI 8 fewer to 700 more); the interval includes no difference.",
    ]
    assert rows["SRI-4 response at week 24"][-1] == (
        "SRI-4 response at week 24: 289 more per 1,000 with Low-dose IL-2 than with Placebo"
        " (95% CI 15 more to 633 more), in favour of Low-dose IL-2. NNT 4 (95% CI 2 to 66)."
    )
    text = html.xpath("string(//section[@id='results'])")
    assert "Newcombe" not in text and "percentage points" not in text, "one method, one verdict"
    close = [li.text_content() for li in html.xpath("//li[@class='re-audit__close']")]
    assert close == [
        "≈ SRI-4 response at week 12: Reported p = 0.052 is close to what 16/29 vs 9/30 gives: it lies between"
        " chi-square (p = 0.0504) and Fisher's exact (p = 0.0673); a small difference of method or rounding."
    ]
    assert [li.xpath("string(strong)") for li in html.xpath("//li[@class='re-audit__ok']")] == [
        "SRI-4 response at week 24"
    ]
    flags = [li.xpath("string(strong)") for li in html.xpath("//li[@class='re-audit__flag']")]
    assert flags == ["Complete remission of lupus nephritis: reported p-value not reproduced."]
    svg = html.xpath("//figure[@class='re-chart-figure']/svg")[0]
    assert svg.get("role") == "img" and svg.xpath("title") and svg.xpath("desc")
    assert "55.2%" in html.xpath("string(//figure/figcaption)")
    assert (seed_site / "studies/low-dose-il2-sle/citation.bib").read_text().startswith("@article{")
    assert "TY  - JOUR" in (seed_site / "studies/low-dose-il2-sle/citation.ris").read_text()


def test_aps_page_shows_the_reported_risk_ratio_as_a_forest_plot(seed_site: Path) -> None:
    html = page(seed_site, "studies/rivaroxaban-vs-warfarin-aps")
    rows = _summary_of_findings(html)
    assert rows["Recurrent thrombosis"] == [
        "risk ratio as reported",
        "63 per 1,000",
        "115 per 1,000",
        "RR 1.83 (95% CI 0.71 to 4.76)",
        "52 more per 1,000 (95% CI 18 fewer to 237 more)",
        "Recurrent thrombosis: 52 more per 1,000 with Rivaroxaban than with Vitamin K antagonist"
        " (95% CI 18 fewer to 237 more); the interval includes no difference.",
    ]
    assert rows["Major bleeding"][1:5] == [
        "74 per 1,000", "64 per 1,000", "RR 0.86 (95% CI 0.30 to 2.46)", "10 fewer per 1,000 (95% CI 52 fewer to 108 more)"
    ]  # fmt: skip
    assert "Stroke" not in rows, "counts without arm sizes give no risk"
    row = html.xpath(OUTCOMES_TABLE + "//tbody/tr[1]")[0]
    assert row.xpath("string(th)").startswith("Recurrent thrombosis")
    assert row.xpath("string(td[last()])") == "RR 1.83 (95% CI 0.71 to 4.76)"
    forest = [svg for svg in html.xpath("//figure/svg") if "re-chart-forest" in svg.get("class")]
    assert [svg.get("class").split()[1] for svg in forest] == ["re-chart--wide", "re-chart--narrow"]
    assert "1.83" in forest[0].xpath("string(desc)") and "0.71" in forest[0].xpath("string(desc)")
    assert forest[0].xpath(".//*[contains(@class,'re-chart-null')]"), "a line at no effect"


def test_every_relative_link_resolves_to_a_built_file(seed_site: Path) -> None:
    broken = []
    for html_file in seed_site.rglob("*.html"):
        if html_file.name == "404.html":
            continue
        for href in lxml.html.fromstring(html_file.read_bytes()).xpath("//a/@href | //link/@href"):
            if re.match(r"^[a-z]+:|^#|^//", href):
                continue
            target = (html_file.parent / href.split("#")[0]).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{html_file.relative_to(seed_site)} -> {href}")
    assert broken == []


def test_il2_page_lists_the_other_five_with_the_same_condition_first(seed_site: Path) -> None:
    section = page(seed_site, "studies/low-dose-il2-sle").xpath("//section[@id='more-like-this']")[0]
    links = section.xpath(".//h3/a/@href")
    assert links[0] == "../serum-interferon-predicts-lupus-flares/"
    assert sorted(links) == sorted(f"../{slug}/" for slug in SEED if slug != "low-dose-il2-sle")
    reasons = [p.text_content() for p in section.xpath(".//p[contains(@class,'re-reason')]")]
    assert reasons[0] == "Why it is here: Same condition: SLE"
    assert all(reasons)


def test_fixed_size_nav_lists_sections_never_studies(seed_site: Path) -> None:
    nav = page(seed_site, "studies/low-dose-il2-sle").xpath("//nav[contains(@class,'md-nav--primary')]//li/a")
    assert [link.text_content().strip() for link in nav] == [
        "Home", "Conditions", "Topics", "Drugs", "Archive", "Search", "About", "Editorial policy", "Disclaimer",
    ]  # fmt: skip


def test_listing_pages(seed_site: Path) -> None:
    home = page(seed_site, "")
    titles = home.xpath("//article[@class='re-teaser']//h3/a/text()")
    assert titles[0] == "Low-Dose IL-2 Effective in Lupus"  # newest first
    assert len(titles) == 6
    sle = page(seed_site, "conditions/sle")
    assert sle.xpath("//article[@class='re-teaser']//a/text()") == [
        "Low-Dose IL-2 Effective in Lupus",
        "Serum Interferon-Alpha Predicts Lupus Flares",
        "Myositis Patients at High Risk of Opportunistic Infections",  # lists SLE among its conditions
    ]
    assert page(seed_site, "topics/il-2").xpath("//article[@class='re-teaser']//a/text()") == [
        "Low-Dose IL-2 Effective in Lupus"
    ]
    assert "2019" in page(seed_site, "archive").xpath("//ul[@class='re-count-list']//a/text()")
    assert len(page(seed_site, "archive/2019").xpath("//article[@class='re-teaser']")) == 6
    for name in ("about", "editorial-policy", "disclaimer"):
        assert (seed_site / name / "index.html").exists()
    assert "Page not found" in (seed_site / "404.html").read_text()


def test_feeds_open_data_and_structured_data_are_published(seed_site: Path) -> None:
    import json

    import feedparser
    import jsonschema

    atom = feedparser.parse((seed_site / "feed.xml").read_bytes())
    assert not atom.bozo
    assert [entry.title for entry in atom.entries][:2] == [
        "Low-Dose IL-2 Effective in Lupus",
        "Serum Interferon-Alpha Predicts Lupus Flares",
    ]
    sle = json.loads((seed_site / "conditions/sle/feed.json").read_text())
    assert sle["version"] == "https://jsonfeed.org/version/1.1" and len(sle["items"]) == 3
    studies = json.loads((seed_site / "studies.json").read_text())
    jsonschema.validate(studies, json.loads((seed_site / "schema/studies.schema.json").read_text()))
    assert studies["count"] == 6
    assert (seed_site / "studies.csv").read_text().count("\n") == 7
    html = page(seed_site, "studies/low-dose-il2-sle")
    data = json.loads(html.xpath("string(//script[@type='application/ld+json'])"))
    assert data["@type"] == "MedicalScholarlyArticle"
    assert html.xpath("//head/meta[@property='og:title']/@content") == ["Low-Dose IL-2 Effective in Lupus"]
    feeds = html.xpath("//head/link[@rel='alternate feed']/@href")
    assert not html.xpath("//link[@rel='alternate']"), "the theme would fetch a sitemap for each"
    assert feeds == [
        "../../feed.xml",
        "../../feed.json",
        "../../conditions/sle/feed.xml",
        "../../conditions/sle/feed.json",
    ]


def test_search_index_covers_studies_only(seed_site: Path) -> None:
    assert (seed_site / "pagefind" / "pagefind.js").exists()
    assert (seed_site / "pagefind" / "pagefind-entry.json").exists()
    search = page(seed_site, "search")
    [terms] = search.xpath("//div[@id='search']/@data-terms")
    assert re.fullmatch(r"\.\./assets/search-terms\.[0-9a-f]{12}\.json", terms)
    assert json.loads((seed_site / terms.removeprefix("../")).read_bytes())["terms"]["xarelto"] >= 0
    assert "../assets/search-page.js" in search.xpath("//script/@src")
    study = page(seed_site, "studies/low-dose-il2-sle")
    assert study.xpath("//div[@data-pagefind-body]")
    assert not page(seed_site, "").xpath("//*[@data-pagefind-body]")
    home_form = page(seed_site, "").xpath("//form[@role='search']")[0]
    assert (home_form.get("action"), home_form.xpath("string(.//input/@name)")) == ("search/", "q")


def test_comments_placeholder_loads_nothing_from_elsewhere(seed_site: Path) -> None:
    html = page(seed_site, "studies/low-dose-il2-sle")
    section = html.xpath("//section[@id='comments']")[0]
    assert "Comments are not enabled" in section.text_content()
    external = [src for src in html.xpath("//script/@src | //link/@href | //img/@src") if "://" in src]
    assert [src for src in external if not src.startswith("https://rheum-evidence.github.io/")] == []


def test_every_page_carries_a_content_security_policy(seed_site: Path) -> None:
    for html_file in seed_site.rglob("*.html"):
        html = lxml.html.fromstring(html_file.read_bytes())
        assert html.xpath("//head/meta[@http-equiv='Content-Security-Policy']"), html_file
    assert "comments.js" not in (seed_site / "studies/low-dose-il2-sle/index.html").read_text()


def test_giscus_settings_produce_the_comment_container(site_project) -> None:
    config = site_project.root / "mkdocs.yml"
    config.write_text(
        config.read_text().replace(
            "  # comments:\n",
            "  comments:\n    repo: octo/rheum\n    repo_id: R_1\n    category: Comments\n    category_id: DIC_2\n",
        )
    )
    site = build_site(site_project.root)
    section = page(site, "studies/aav-mortality-usa").xpath("//section[@id='comments']")[0]
    giscus = section.xpath(".//div[@class='re-giscus']")[0]
    assert (giscus.get("data-repo"), giscus.get("data-repo-id")) == ("octo/rheum", "R_1")
    assert (giscus.get("data-category"), giscus.get("data-category-id")) == ("Comments", "DIC_2")
    scripts = page(site, "studies/aav-mortality-usa").xpath("//script/@src")
    assert "../../assets/comments.js" in scripts
    assert (site / "assets/comments.js").exists()


def test_incomplete_giscus_settings_stop_the_build(site_project, caplog) -> None:
    config = site_project.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("  # comments:\n", "  comments:\n    repo: octo/rheum\n"))
    with pytest.raises(Abort):
        build_site(site_project.root)
    assert "extra.comments is missing: repo_id, category, category_id" in caplog.text


def test_drafts_are_left_out_of_every_page(site_project) -> None:
    site_project.study("secret-draft", MINIMAL_STUDY + "status: draft\n")
    site = build_site(site_project.root)
    assert not (site / "studies" / "secret-draft").exists()
    for html_file in site.rglob("*.html"):
        assert "secret-draft" not in html_file.read_text(encoding="utf-8"), html_file


def test_content_error_stops_the_build_and_keeps_the_last_good_site(site_project, caplog) -> None:
    site = build_site(site_project.root)
    before = tree_digest(site)
    site_project.study("broken", MINIMAL_STUDY + "summery: x\n")
    with pytest.raises(Abort):
        build_site(site_project.root)
    assert tree_digest(site) == before
    assert "content/studies/broken.yaml:8:1: summery: unknown key `summery`; did you mean `summary`?" in caplog.text
    assert not list(site_project.root.glob(".site-*"))


def test_failure_after_cleaning_keeps_the_last_good_site(site_project, monkeypatch) -> None:
    site = build_site(site_project.root)
    before = tree_digest(site)
    from mkdocs.commands import build as mkdocs_build

    original = mkdocs_build._build_page
    calls = []

    def fail_halfway(page, *args, **kwargs):
        calls.append(page)
        if len(calls) == 10:
            raise RuntimeError("simulated crash in the middle of writing pages")
        return original(page, *args, **kwargs)

    monkeypatch.setattr(mkdocs_build, "_build_page", fail_halfway)
    with pytest.raises(RuntimeError):
        build_site(site_project.root)
    assert tree_digest(site) == before
    assert not list(site_project.root.glob(".site-*"))


def test_study_page_and_nav_do_not_grow_from_50_to_500_studies(site_project) -> None:
    def measure(site: Path) -> tuple[int, int, int, int]:
        html = page(site, "studies/low-dose-il2-sle")
        nav = lxml.html.tostring(html.xpath("//nav[contains(@class,'md-nav--primary')]")[0])
        related = html.xpath("//section[@id='more-like-this']")[0]
        items = len(related.xpath(".//article"))
        related.getparent().remove(related)
        article = lxml.html.tostring(html.xpath("//article")[0])
        return len(nav), len(article), items, (site / "studies/low-dose-il2-sle/index.html").stat().st_size

    def add_studies(first: int, last: int) -> None:
        for index in range(first, last):
            title = f"Extra study {index:03d}"
            site_project.study(f"extra-{index:03d}", MINIMAL_STUDY.replace("A minimal valid study", title))

    add_studies(0, 44)  # with the six seed studies: 50
    small = measure(build_site(site_project.root))
    add_studies(44, 494)  # 500
    large = measure(build_site(site_project.root))
    assert large[:3] == small[:3]  # same nav, same page apart from the related list, still five related items
    assert large[3] <= small[3] * 1.05


def test_only_pages_in_the_navigation_and_hand_written_pages_set_up_markdown(site_project, monkeypatch) -> None:
    """A generated page outside the navigation converts no Markdown: MkDocs' converter costs about 1 ms a page."""
    converted: list[str] = []
    markdown_render = Page.render

    def render(page: Page, config, files) -> None:
        converted.append(page.file.src_uri)
        markdown_render(page, config, files)

    monkeypatch.setattr(Page, "render", render)
    site = build_site(site_project.root)
    assert (site / "studies" / "low-dose-il2-sle" / "index.html").is_file()
    assert "about.md" in converted, "a hand-written page is Markdown"
    assert "index.md" in converted, "the home page is in the navigation"
    outside_nav = [src for src in converted if src.startswith(("studies/", "topics/")) and src != "topics/index.md"]
    assert not outside_nav, "study and topic pages are not in the navigation"


def test_related_options_come_from_mkdocs_yml(site_project, caplog) -> None:
    config = site_project.root / "mkdocs.yml"
    original = config.read_text()
    config.write_text(original.replace("      preview_drafts: true\n", "      related: {count: 2}\n"))
    site = build_site(site_project.root)
    assert len(page(site, "studies/low-dose-il2-sle").xpath("//section[@id='more-like-this']//article")) == 2
    config.write_text(original.replace("      preview_drafts: true\n", "      related: {cuont: 2}\n"))
    with pytest.raises(Abort):
        build_site(site_project.root)
    expected = "Config value 'plugins': Plugin 'rheum-evidence' option 'related': unknown option `cuont`; did you mean `count`?"
    assert expected in caplog.text


def test_every_arm_is_shown_with_its_label_and_size(seed_site: Path) -> None:
    def arms(slug: str) -> tuple[str, list[str]]:
        html = page(seed_site, f"studies/{slug}")
        [heading] = html.xpath("//section[@class='re-facts']/h3[@class='re-arms__heading']")
        return heading.text_content(), [
            " ".join(li.text_content().split()) for li in html.xpath("//ul[@class='re-arms']/li")
        ]

    # arms with intervention text, results or neither all appear, in the order written
    assert arms("low-dose-il2-sle") == ("Arms", [
        "Low-dose IL-2 (n=30): IL-2 1 million IU subcutaneously every other day for 2 weeks, then a 2-week break, "
        "as one cycle, with standard treatment for 12 weeks",
        "Placebo (n=30): Placebo on the same schedule, with standard treatment",
    ])  # fmt: skip
    assert arms("aav-mortality-usa") == ("Groups compared", ["Non-Hispanic white", "Non-Hispanic black", "Hispanic"])
    heading, myositis = arms("opportunistic-infections-myositis")
    assert myositis[:2] == ["Polymyositis/dermatomyositis (n=2,270)", "SLE (n=15,961)"]
    assert arms("aspirin-vasodilators-ssc")[1][0] == "No vasodilator (n=153)"
