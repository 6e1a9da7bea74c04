"""A page per drug and per drug class that studies name, linked both ways with the study pages."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin, urlparse

import lxml.html
import pytest

from generator.pipeline import generate
from generator.render.pages import SiteOptions

from ..conftest import MINIMAL_STUDY, Project, build_site, seed_project

RIVAROXABAN = "studies/rivaroxaban-vs-warfarin-aps"


def page(site: Path, url: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((site / url / "index.html").read_bytes(), base_url=f"https://x.org/{url}/")


def resolved(site: Path, element: lxml.html.HtmlElement, href: str) -> Path:
    """The file a relative link of ``element``'s page leads to in ``site``."""
    target = urlparse(urljoin(element.base_url, href)).path.lstrip("/")
    return site / target / "index.html"


def chips(study: lxml.html.HtmlElement, label: str) -> list[lxml.html.HtmlElement]:
    [line] = study.xpath(f"//p[@class='re-topics'][span[text()='{label}:']]")
    return line.xpath("./a")


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory) -> Path:
    return build_site(seed_project(tmp_path_factory.mktemp("drugs")).root)


def test_a_study_page_links_to_its_drugs_and_classes_and_each_link_leads_to_a_page(seed_site: Path) -> None:
    study = page(seed_site, RIVAROXABAN)
    drugs, classes = chips(study, "Drugs"), chips(study, "Drug classes")
    assert [a.text for a in drugs] == ["warfarin", "rivaroxaban"]
    assert [a.text for a in classes] == ["Vitamin K antagonists", "Direct oral anticoagulants"]
    for link in drugs + classes:
        assert resolved(seed_site, study, link.get("href")).is_file(), link.get("href")


def test_a_drug_page_gives_its_brands_class_target_and_source_and_lists_its_studies(seed_site: Path) -> None:
    drug = page(seed_site, "drugs/rivaroxaban")
    assert drug.xpath("//h1/text()") == ["rivaroxaban"]
    facts = {dt.text: dd for dt, dd in zip(drug.xpath("//dl[@class='re-about']//dt"),
                                          drug.xpath("//dl[@class='re-about']//dd"), strict=True)}  # fmt: skip
    assert list(facts) == ["Brand names", "Drug class", "Acts on", "Facts from"]
    assert facts["Brand names"].text_content() == "Xarelto"
    assert facts["Acts on"].text_content() == "factor Xa"
    [doacs] = facts["Drug class"].xpath("./a")
    assert doacs.text == "Direct oral anticoagulants"
    assert resolved(seed_site, drug, doacs.get("href")) == seed_site / "drug-classes/doacs/index.html"
    [source] = facts["Facts from"].xpath("./a")
    assert source.get("href").startswith("https://") and source.get("rel") == "noopener noreferrer"
    [study] = drug.xpath("//article[@class='re-teaser']//a")
    assert resolved(seed_site, drug, study.get("href")) == seed_site / RIVAROXABAN / "index.html"


def test_a_class_page_lists_its_drugs_linking_only_those_with_a_page(seed_site: Path) -> None:
    doacs = page(seed_site, "drug-classes/doacs")
    [drugs] = doacs.xpath("//dl[@class='re-about']/div[dt='Drugs']/dd")
    names = [name.strip() for name in drugs.text_content().split(",")]
    assert "apixaban" in names and "rivaroxaban" in names and names == sorted(names)
    assert [a.text for a in drugs.xpath("./a")] == ["rivaroxaban"]
    assert not (seed_site / "drugs/apixaban").exists()  # no study names it


def test_the_drugs_index_lists_every_class_and_drug_with_a_study_and_is_in_the_nav(seed_site: Path) -> None:
    index = page(seed_site, "drugs")
    groups = {h2.text: h2.getnext().xpath("./li/a/text()") for h2 in index.xpath("//article//h2")}
    assert list(groups) == ["Drug classes", "Drugs"]
    assert groups["Drugs"] == ["aspirin", "interleukin-2", "rivaroxaban", "warfarin"]
    assert "Direct oral anticoagulants" in groups["Drug classes"]
    assert sorted(p.name for p in (seed_site / "drugs").iterdir()) == sorted([*groups["Drugs"], "index.html"])
    classes = page(seed_site, "drug-classes").xpath("//ul[@class='re-count-list']/li/a/text()")
    assert classes == groups["Drug classes"]
    assert "Drugs" in [a.text_content().strip() for a in index.xpath("//nav[contains(@class,'md-nav--primary')]//li/a")]


def test_drug_pages_are_paginated_like_every_listing(project: Project) -> None:
    arm = "  arms:\n    - key: a\n      label: Tofacitinib 5 mg\n"
    for n in range(5):
        project.study(f"tofa-{n}", MINIMAL_STUDY.replace("  design: cohort\n", "  design: cohort\n" + arm))
    pages = {p.src: p for p in generate(Path(project.root), SiteOptions(per_page=2)).pages}
    assert [src for src in pages if src.startswith("drugs/tofacitinib")] == [
        "drugs/tofacitinib.md", "drugs/tofacitinib/page/2.md", "drugs/tofacitinib/page/3.md",
    ]  # fmt: skip
    assert "drug-classes/jak-inhibitors/page/3.md" in pages
    assert "5 studies, newest first." in pages["drugs/tofacitinib/page/3.md"].text
