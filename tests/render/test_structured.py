"""Tests for generator.render.structured: JSON-LD, OpenGraph and Twitter card tags."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.read.vocabulary import DESIGN_KEYS
from generator.render.structured import SocialImage, head_html, json_ld, script_json, site_head_html
from tests.factories import SEED, SITE_NAME, SITE_URL, content, hostile, record, seed_record

IL2_URL = SITE_URL + "studies/low-dose-il2-sle/"
TRIAL_DESIGNS = {
    f"https://schema.org/{name}"
    for name in (
        "DoubleBlindedTrial",
        "InternationalTrial",
        "MultiCenterTrial",
        "OpenTrial",
        "PlaceboControlledTrial",
        "RandomizedTrial",
        "SingleBlindedTrial",
        "SingleCenterTrial",
        "TripleBlindedTrial",
    )
}
OBSERVATIONAL_DESIGNS = {
    f"https://schema.org/{name}"
    for name in ("CaseSeries", "CohortStudy", "CrossSectional", "Longitudinal", "Observational", "Registry")
}


def parse(html: str):
    """The head fragment as lxml sees it: (JSON-LD data, [(attribute name, key, content)] of meta tags)."""
    document = lxml.html.document_fromstring(f"<html><head>{html}</head><body></body></html>")
    [script] = document.xpath("//script")
    assert script.get("type") == "application/ld+json"
    meta = [
        (attribute, element.get(attribute), element.get("content"))
        for element in document.xpath("//meta")
        for attribute in ("property", "name")
        if element.get(attribute)
    ]
    return json.loads(script.text), meta


def meta_values(meta, key):
    return [value for _, name, value in meta if name == key]


def il2():
    return parse(head_html(seed_record("low-dose-il2-sle"), SEED, IL2_URL, SITE_NAME))


# --------------------------------------------------------------------------- JSON-LD of the IL-2 trial


def test_article():
    data, _ = il2()
    study = seed_record("low-dose-il2-sle").study
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "MedicalScholarlyArticle"
    assert data["headline"] == "Low-Dose IL-2 Effective in Lupus"
    assert data["description"] == study.summary
    assert data["datePublished"] == data["dateModified"] == "2019-10-18"
    assert data["url"] == data["mainEntityOfPage"] == IL2_URL
    assert data["publisher"] == {"@type": "Organization", "name": SITE_NAME, "url": SITE_URL}
    # site_data/authors.yaml says the editorial team is an organisation, part of the publication
    assert data["author"] == [
        {
            "@type": "Organization",
            "name": "Rheum Evidence editorial team",
            "parentOrganization": {"@type": "Organization", "name": "Rheum Evidence"},
        }
    ]
    assert data["keywords"] == list(study.topics)


def test_an_author_is_a_person_unless_authors_yaml_says_organization():
    item = record("by-people", authors=["ann", "team"])
    site = content(item)
    author = site.authors["rheum-editor"]
    site.authors["ann"] = author.model_copy(
        update={"name": "Ann Example", "type": "person", "affiliation": "A Hospital", "url": "https://example.org/ann"}
    )
    site.authors["team"] = author.model_copy(update={"name": "A Study Group", "affiliation": None})
    data = json_ld(item, site, SITE_URL + "studies/by-people/", SITE_NAME)
    assert data["author"] == [
        {
            "@type": "Person",
            "name": "Ann Example",
            "affiliation": {"@type": "Organization", "name": "A Hospital"},
            "url": "https://example.org/ann",
        },
        {"@type": "Organization", "name": "A Study Group"},
    ]
    assert type(author).model_validate({"name": "Someone"}).type == "person"  # the default


def test_about_the_conditions():
    data, _ = il2()
    sle, nephritis = data["about"]
    assert sle["@type"] == "MedicalCondition"
    assert sle["name"] == "Systemic lupus erythematosus"
    assert sle["alternateName"] == ["SLE", "lupus", "systemic lupus", "lupus erythematosus"]
    assert sle["url"] == SITE_URL + "conditions/sle/"
    assert nephritis["name"] == "Lupus nephritis" and nephritis["url"] == SITE_URL + "conditions/lupus-nephritis/"
    assert "Lupus nephritis" not in nephritis["alternateName"]  # the short name equals the name


def test_the_trial():
    data, _ = il2()
    trial = data["mainEntity"]
    assert trial["@type"] == "MedicalTrial"
    assert trial["trialDesign"] == [
        "https://schema.org/RandomizedTrial",
        "https://schema.org/DoubleBlindedTrial",
        "https://schema.org/PlaceboControlledTrial",
    ]
    assert [c["name"] for c in trial["healthCondition"]] == ["Systemic lupus erythematosus", "Lupus nephritis"]
    assert trial["identifier"] == ["NCT02465580", "NCT02932137"]
    assert trial["sameAs"] == [
        "https://clinicaltrials.gov/study/NCT02465580",
        "https://clinicaltrials.gov/study/NCT02932137",
    ]
    assert trial["studyLocation"] == [{"@type": "Country", "name": "China"}]
    assert "phase" not in trial and "sponsor" not in trial


def test_the_citation():
    data, _ = il2()
    citation = data["citation"]
    assert citation["@type"] == "ScholarlyArticle"
    assert citation["name"].startswith("Efficacy and safety of low-dose IL-2 in the treatment of systemic lupus")
    assert "\n" not in citation["name"]
    assert citation["isPartOf"] == {"@type": "Periodical", "name": "Annals of the Rheumatic Diseases"}
    assert citation["datePublished"] == "2020"
    doi, pubmed = "https://doi.org/10.1136/annrheumdis-2019-215396", "https://pubmed.ncbi.nlm.nih.gov/31537547/"
    assert citation["sameAs"] == [doi, pubmed]
    assert citation["url"] == doi
    assert [(i["propertyID"], i["value"], i["url"]) for i in citation["identifier"]] == [
        ("DOI", "10.1136/annrheumdis-2019-215396", doi),
        ("PMID", "31537547", pubmed),
    ]


def test_every_seed_study_gives_valid_json_ld():
    for item in SEED.visible():
        data, meta = parse(head_html(item, SEED, SITE_URL + f"studies/{item.slug}/", SITE_NAME))
        assert data["headline"] == item.study.title
        assert meta_values(meta, "og:title") == [item.study.title]


# --------------------------------------------------------------------------- designs


@pytest.mark.parametrize(
    ("slug", "kind", "design"),
    [
        ("opportunistic-infections-myositis", "MedicalObservationalStudy", "https://schema.org/CohortStudy"),
        ("serum-interferon-predicts-lupus-flares", "MedicalObservationalStudy", "https://schema.org/Observational"),
        ("aav-mortality-usa", "MedicalObservationalStudy", "https://schema.org/Observational"),
    ],
)
def test_observational_seed_studies(slug, kind, design):
    item = seed_record(slug)
    entity = json_ld(item, SEED, "", SITE_NAME)["mainEntity"]
    assert entity["@type"] == kind and entity["studyDesign"] == design


# What each design is on schema.org, for a file that says nothing more than its design.
DESIGN_ENTITIES = {
    "meta-analysis": ("MedicalStudy", None),
    "systematic-review": ("MedicalStudy", None),
    "randomized-controlled-trial": ("MedicalTrial", ["https://schema.org/RandomizedTrial"]),
    "non-randomized-trial": ("MedicalTrial", []),
    "cohort": ("MedicalObservationalStudy", "https://schema.org/CohortStudy"),
    "registry-analysis": ("MedicalObservationalStudy", "https://schema.org/Registry"),
    "case-control": ("MedicalObservationalStudy", "https://schema.org/Observational"),
    "cross-sectional": ("MedicalObservationalStudy", "https://schema.org/CrossSectional"),
    "mortality-trend-analysis": ("MedicalObservationalStudy", "https://schema.org/Observational"),
    "biomarker-study": ("MedicalObservationalStudy", "https://schema.org/Observational"),
    "case-series": ("MedicalObservationalStudy", "https://schema.org/CaseSeries"),
    "case-report": ("MedicalStudy", None),
    "guideline": None,
    "narrative-review": None,
    "other": ("MedicalStudy", None),
}


def test_every_design_of_the_vocabulary_is_in_the_table() -> None:
    assert set(DESIGN_ENTITIES) == set(DESIGN_KEYS)


@pytest.mark.parametrize("design", DESIGN_ENTITIES)
def test_every_design_maps_to_schema_org(design):
    entity = json_ld(record("x", study={"design": design}), SEED, "", SITE_NAME).get("mainEntity")
    expected = DESIGN_ENTITIES[design]
    if expected is None:
        assert entity is None
        return
    kind, members = expected
    assert entity["@type"] == kind
    assert entity.get("trialDesign" if kind == "MedicalTrial" else "studyDesign") == members
    assert set(entity.get("trialDesign", [])) <= TRIAL_DESIGNS
    assert entity.get("studyDesign", "https://schema.org/Observational") in OBSERVATIONAL_DESIGNS


@pytest.mark.parametrize(
    ("design", "member"),
    [
        ("cohort", "CohortStudy"),
        ("registry-analysis", "Registry"),
        ("cross-sectional", "CrossSectional"),
        ("case-series", "CaseSeries"),
        ("case-control", "Observational"),
    ],
)
def test_observational_design_members(design, member):
    entity = json_ld(record("x", study={"design": design}), SEED, "", SITE_NAME)["mainEntity"]
    assert entity["studyDesign"] == f"https://schema.org/{member}"


def test_trial_design_members_come_from_the_file():
    item = record(
        "x",
        study={
            "design": "non-randomized-trial",
            "blinding": "open-label",
            "comparator": "standard care",
            "setting": "Multicentre, 12 hospitals",
            "country": ["France", "Spain"],
        },
    )
    designs = json_ld(item, SEED, "", SITE_NAME)["mainEntity"]["trialDesign"]
    assert designs == [
        "https://schema.org/OpenTrial",
        "https://schema.org/MultiCenterTrial",
        "https://schema.org/InternationalTrial",
    ]
    single = record("y", study={"design": "randomized-controlled-trial", "setting": "a single-center study"})
    assert json_ld(single, SEED, "", SITE_NAME)["mainEntity"]["trialDesign"] == [
        "https://schema.org/RandomizedTrial",
        "https://schema.org/SingleCenterTrial",
    ]


def test_without_source_or_url():
    data = json_ld(record("x"), SEED, "", SITE_NAME)
    assert "citation" not in data and "url" not in data and "url" not in data["about"][0]
    assert "author" not in data and "keywords" not in data
    assert "identifier" not in data["mainEntity"]


def test_citation_with_doi_only_and_own_url():
    item = record("x", source={"doi": "10.1000/a#b", "url": "https://journal.example/a"})
    citation = json_ld(item, SEED, "", SITE_NAME)["citation"]
    assert citation["sameAs"] == ["https://doi.org/10.1000/a%23b"]
    assert citation["url"] == "https://journal.example/a"
    assert "name" not in citation and "isPartOf" not in citation
    assert "citation" not in json_ld(record("y", source={"journal": "J"}), SEED, "", SITE_NAME)


# --------------------------------------------------------------------------- escaping

BREAKOUT = "</script><script>alert(1)</script>"


class ScriptCounter(HTMLParser):
    """Counts elements the way a browser's tokenizer sees them."""

    def __init__(self):
        super().__init__()
        self.starts: list[str] = []
        self.scripts: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.starts.append(tag)

    def handle_data(self, data):
        if self.starts and self.starts[-1] == "script":
            self.scripts.append(data)


def test_title_cannot_close_the_script():
    text = BREAKOUT + " <!-- & \u2028\u2029 '\"> \x00 \U0001f9ea \u202e"
    item = hostile(seed_record("low-dose-il2-sle"), title=text, summary=text, topics=[BREAKOUT])
    html = head_html(item, SEED, IL2_URL, SITE_NAME)
    script_end = html.index("</script>")
    assert html.lower().count("</script") == 1
    assert "<!--" not in html and "\u2028" not in html and "\u2029" not in html
    assert "<" not in html[html.index(">") + 1 : script_end]
    counter = ScriptCounter()
    counter.feed(html)
    assert counter.starts.count("script") == 1
    data = json.loads("".join(counter.scripts))
    assert data["headline"] == data["description"] == text
    assert data["keywords"] == [BREAKOUT]
    parsed, meta = parse(html)
    assert parsed["headline"] == text


def test_script_json_escapes_and_round_trips():
    value = {"a": "<>&\u2028\u2029</script>", "b": ["\ud800"]}
    html = script_json(value)
    body = html[html.index("\n") + 1 : html.rindex("\n")]
    assert not set(body) & set("<>&\u2028\u2029")
    assert "\\u003c/script\\u003e" in body
    assert json.loads(body) == {"a": "<>&\u2028\u2029</script>", "b": ["\ufffd"]}
    body.encode("utf-8")


# --------------------------------------------------------------------------- OpenGraph and Twitter


def test_open_graph_and_twitter_tags():
    item = seed_record("low-dose-il2-sle")
    _, meta = il2()
    assert meta_values(meta, "og:type") == ["article"]
    assert meta_values(meta, "og:title") == meta_values(meta, "twitter:title") == [item.study.title]
    assert meta_values(meta, "og:description") == meta_values(meta, "twitter:description") == [item.study.summary]
    assert meta_values(meta, "og:url") == [IL2_URL]
    assert meta_values(meta, "og:site_name") == [SITE_NAME]
    assert meta_values(meta, "twitter:card") == ["summary"]
    assert meta_values(meta, "article:published_time") == meta_values(meta, "article:modified_time") == ["2019-10-18"]
    assert meta_values(meta, "article:section") == ["Systemic lupus erythematosus"]
    assert meta_values(meta, "article:tag") == list(item.study.topics)
    assert ("name", "twitter:card", "summary") in meta and ("property", "og:type", "article") in meta
    assert 'rel="canonical"' not in head_html(item, SEED, IL2_URL, SITE_NAME)


def test_modified_time_follows_updates():
    item = record("x", published="2020-01-02", updated="2020-03-04")
    _, meta = parse(head_html(item, content(item), SITE_URL + "studies/x/", SITE_NAME))
    assert meta_values(meta, "article:modified_time") == ["2020-03-04"]
    assert json_ld(item, SEED, "", SITE_NAME)["dateModified"] == "2020-03-04"


def test_meta_attributes_are_escaped():
    title = "\"><script>alert(1)</script> & 'x'"
    item = hostile(record("x", topics=['"quoted" <tag>']), title=title, summary="Two\nlines\x00 & <b>")
    html = head_html(item, SEED, SITE_URL + "studies/x/", '"Site" & <Co>')
    document = lxml.html.document_fromstring(f"<html><head>{html}</head><body></body></html>")
    assert len(document.xpath("//script")) == 1  # only the JSON-LD
    _, meta = parse(html)
    assert meta_values(meta, "og:title") == [title]
    assert meta_values(meta, "og:description") == ["Two lines & <b>"]
    assert meta_values(meta, "article:tag") == ['"quoted" <tag>']
    assert meta_values(meta, "og:site_name") == ['"Site" & <Co>']
    meta_lines = [line for line in html.splitlines() if line.startswith("<meta")]
    assert all(line.count('"') == 4 and line.count("<") == 1 and line.count(">") == 1 for line in meta_lines)


def test_no_url_tags_without_a_page_url():
    _, meta = parse(head_html(record("x"), SEED, "", SITE_NAME))
    assert meta_values(meta, "og:url") == []


def test_site_head_html():
    html = site_head_html(SITE_URL, SITE_NAME, "Home & <more>", "Rheumatology research in brief.")
    document = lxml.html.document_fromstring(f"<html><head>{html}</head><body></body></html>")
    values = {(e.get("property") or e.get("name")): e.get("content") for e in document.xpath("//meta")}
    assert values == {
        "og:type": "website",
        "og:title": "Home & <more>",
        "og:description": "Rheumatology research in brief.",
        "og:url": SITE_URL,
        "og:site_name": SITE_NAME,
        "twitter:card": "summary",
        "twitter:title": "Home & <more>",
        "twitter:description": "Rheumatology research in brief.",
    }
    assert "og:description" not in site_head_html(SITE_URL, SITE_NAME, "Home")


IMAGE = SocialImage(IL2_URL + "card.png", 1200, 630, "Rheum Evidence: “Low-Dose IL-2 Effective in Lupus”")


def test_a_page_with_a_card_names_it_for_link_previews_and_asks_for_the_large_card():
    item = seed_record("low-dose-il2-sle")
    data, meta = parse(head_html(item, SEED, IL2_URL, SITE_NAME, IMAGE))
    assert meta_values(meta, "og:image") == meta_values(meta, "twitter:image") == [IMAGE.url]
    assert meta_values(meta, "og:image:width") == ["1200"] and meta_values(meta, "og:image:height") == ["630"]
    assert meta_values(meta, "og:image:alt") == meta_values(meta, "twitter:image:alt") == [IMAGE.alt]
    assert meta_values(meta, "twitter:card") == ["summary_large_image"]
    assert data["image"] == {"@type": "ImageObject", "url": IMAGE.url, "width": 1200, "height": 630}
    html = site_head_html(SITE_URL, SITE_NAME, "Home", None, IMAGE)
    values = {(e.get("property") or e.get("name")): e.get("content") for e in lxml.html.fragments_fromstring(html)}
    assert values["og:image"] == values["twitter:image"] == IMAGE.url
    assert values["twitter:card"] == "summary_large_image"


def test_without_a_card_there_is_no_image():
    data, meta = il2()
    assert "image" not in data and meta_values(meta, "og:image") == meta_values(meta, "twitter:image") == []


def test_a_card_whose_text_is_markup_stays_inside_its_attribute():
    alt = "Site: “\"><script>alert(1)</script> & 'x'”"
    html = site_head_html(SITE_URL, SITE_NAME, "Home", None, SocialImage(SITE_URL + "card.png", 1200, 630, alt))
    document = lxml.html.document_fromstring(f"<html><head>{html}</head><body></body></html>")
    assert document.xpath("//script") == []
    assert document.xpath("//meta[@property='og:image:alt']/@content") == [alt]
    assert document.xpath("//meta[@name='twitter:image:alt']/@content") == [alt]


# --------------------------------------------------------------------------- any text at all

BASE = seed_record("low-dose-il2-sle")


@settings(max_examples=150, deadline=None)
@given(title=st.text(min_size=1), summary=st.text(), topic=st.text())
def test_any_text_stays_inside_its_element(title, summary, topic):
    item = hostile(BASE, title=title, summary=summary, topics=[topic])
    html = head_html(item, SEED, IL2_URL, SITE_NAME)
    html.encode("utf-8")
    assert html.lower().count("</script") == 1
    counter = ScriptCounter()
    counter.feed(html)
    assert counter.starts.count("script") == 1
    assert counter.starts.count("meta") == html.count("\n<meta")
    data = json.loads("".join(counter.scripts))
    assert data["headline"] == "".join("\ufffd" if "\ud800" <= char <= "\udfff" else char for char in title)
