"""Machine-readable descriptions of a page for search engines and link previews.

:func:`head_html` gives a study page's ``<head>`` additions: schema.org JSON-LD
(a ``MedicalScholarlyArticle`` about the study's conditions whose main entity
is the study, citing the source article), OpenGraph and Twitter card meta
tags.  :func:`site_head_html` gives the OpenGraph and Twitter tags of any
other page.  A page with a :class:`SocialImage` (its social card) names it in
both, and in the JSON-LD, and asks for Twitter's large card.  The canonical
link is the theme's job and is not repeated here.

The vocabulary follows schema.org: ``MedicalTrial`` with ``trialDesign``
members (the design's and the blinding's, PlaceboControlledTrial,
MultiCenterTrial, SingleCenterTrial, InternationalTrial) and
``MedicalObservationalStudy`` with the design's ``studyDesign`` member.
Reviews and other designs are the umbrella ``MedicalStudy``; guidelines and
narrative reviews describe no study of their own.  Each design's and
blinding's schema.org names are in :mod:`generator.read.vocabulary`.

All text is untrusted.  JSON-LD sits inside ``<script>``, where HTML escaping
does not apply and ``</script>`` in a title would end the element, so the
JSON's ``<``, ``>`` and ``&`` are written as ``\\u003c``, ``\\u003e``,
``\\u0026`` (still the same JSON string), and U+2028/U+2029 too for old
JavaScript parsers.  Meta tag attributes are HTML-escaped.

The module is pure: no MkDocs, no files, no clock.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import urljoin

from generator.derive.citation import doi_url, pubmed_url, registry_url
from generator.read.content import Content, StudyRecord
from generator.read.model import Source, Study
from generator.read.vocabulary import BLINDINGS, DESIGNS
from generator.render.jsontext import json_text
from generator.text import NOT_IN_ATTRIBUTE
from generator.urls import condition_src, relative_href, study_src

__all__ = ["SocialImage", "head_html", "json_ld", "site_head_html", "script_json"]

SCHEMA = "https://schema.org/"

_MULTI_CENTRE = re.compile(r"\bmulti-?\s?cent(?:er|re)", re.IGNORECASE)
_SINGLE_CENTRE = re.compile(r"\bsingle-?\s?cent(?:er|re)", re.IGNORECASE)
_PLACEBO = re.compile(r"\bplacebo\b", re.IGNORECASE)

# Characters that must not appear raw in a <script> element's JSON: "<" could
# start "</script" or "<!--", and U+2028/U+2029 end lines in old JavaScript.
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_SCRIPT_UNSAFE = re.compile("[<>&\u2028\u2029]")


# --------------------------------------------------------------------------- public API


@dataclass(frozen=True)
class SocialImage:
    """The image a link preview shows: its absolute address, its size in pixels and what it shows, in words."""

    url: str
    width: int
    height: int
    alt: str


def head_html(
    record: StudyRecord, content: Content, page_url: str, site_name: str, image: SocialImage | None = None
) -> str:
    """The ``<head>`` additions of a study page: JSON-LD, OpenGraph and Twitter card tags.

    ``page_url`` is the page's absolute address (``site_url`` +
    ``studies/<slug>/``); with an empty ``page_url`` the URL fields are left out.
    ``image`` is the study's social card.
    """
    study = record.study
    data = json_ld(record, content, page_url, site_name, image)
    meta = _social_meta("article", study.title, study.summary, page_url, site_name, image)
    modified = study.updated or study.published
    meta += [
        ("property", "article:published_time", study.published.isoformat()),
        ("property", "article:modified_time", modified.isoformat()),
    ]
    if condition := content.conditions.get(study.condition):
        meta.append(("property", "article:section", condition.name))
    meta += [("property", "article:tag", topic) for topic in dict.fromkeys(study.topics)]
    return "\n".join([script_json(data), *_meta_tags(meta)]) + "\n"


def site_head_html(
    page_url: str, site_name: str, title: str, description: str | None = None, image: SocialImage | None = None
) -> str:
    """OpenGraph and Twitter card tags for a page that is not a study (home, listings, hand-written pages)."""
    return "\n".join(_meta_tags(_social_meta("website", title, description, page_url, site_name, image))) + "\n"


def json_ld(
    record: StudyRecord, content: Content, page_url: str, site_name: str, image: SocialImage | None = None
) -> dict[str, Any]:
    """The schema.org description of a study page, as a JSON-ready dictionary (``image``: its social card)."""
    study = record.study
    modified = study.updated or study.published
    article: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "MedicalScholarlyArticle",
        "headline": study.title,
        "description": study.summary,
        "datePublished": study.published.isoformat(),
        "dateModified": modified.isoformat(),
        "inLanguage": "en",
        "isAccessibleForFree": True,
        "publisher": _publisher(page_url, record.slug, site_name),
    }
    if page_url:
        article |= {"url": page_url, "mainEntityOfPage": page_url}
    if image:
        article["image"] = {"@type": "ImageObject", "url": image.url, "width": image.width, "height": image.height}
    if authors := _authors(study, content):
        article["author"] = authors
    if study.topics:
        article["keywords"] = list(dict.fromkeys(study.topics))
    article["about"] = _conditions(record, content, page_url)
    if entity := _study_entity(record, content, page_url):
        article["mainEntity"] = entity
    if citation := _citation(study.source):
        article["citation"] = citation
    return article


def script_json(data: Any) -> str:
    """``data`` as a ``<script type="application/ld+json">`` element no text inside can break out of."""
    text = json_text(data)
    text = _SCRIPT_UNSAFE.sub(lambda match: _SCRIPT_ESCAPES[match.group()], text)
    return f'<script type="application/ld+json">\n{text}\n</script>'


# --------------------------------------------------------------------------- JSON-LD parts


def _authors(study: Study, content: Content) -> list[dict[str, Any]]:
    """The study's authors as schema.org ``Person`` or ``Organization``, as ``site_data/authors.yaml`` says.

    A person's affiliation is their ``affiliation``; an organisation's is the one it belongs to
    (``parentOrganization``: the editorial team of a publication).
    """
    people = []
    for key in study.authors:
        if (author := content.authors.get(key)) is None:
            continue
        organisation = author.type == "organization"
        person: dict[str, Any] = {"@type": "Organization" if organisation else "Person", "name": author.name}
        if author.affiliation:
            person["parentOrganization" if organisation else "affiliation"] = {
                "@type": "Organization",
                "name": author.affiliation,
            }
        if author.url:
            person["url"] = author.url
        people.append(person)
    return people


def _publisher(page_url: str, slug: str, site_name: str) -> dict[str, Any]:
    """The site as the article's publisher: an ``Organization`` with its home page when the page's address is known."""
    publisher: dict[str, Any] = {"@type": "Organization", "name": site_name}
    if page_url:
        publisher["url"] = urljoin(page_url, relative_href(study_src(slug), "index.md"))
    return publisher


def _conditions(record: StudyRecord, content: Content, page_url: str) -> list[dict[str, Any]]:
    """The study's conditions as ``MedicalCondition`` objects, main condition first."""
    keys = dict.fromkeys([record.study.condition, *record.study.also_conditions])
    return [_condition(key, record, content, page_url) for key in keys]


def _condition(key: str, record: StudyRecord, content: Content, page_url: str) -> dict[str, Any]:
    condition = content.conditions.get(key)
    entity: dict[str, Any] = {"@type": "MedicalCondition", "name": condition.name if condition else key}
    if condition:
        names = [name for name in dict.fromkeys([condition.short_name, *condition.synonyms]) if name != condition.name]
        if names:
            entity["alternateName"] = names
    if page_url:
        entity["url"] = urljoin(page_url, relative_href(study_src(record.slug), condition_src(key)))
    return entity


def _study_entity(record: StudyRecord, content: Content, page_url: str) -> dict[str, Any] | None:
    """The study itself: a trial, an observational study, a study of another kind, or None."""
    details = record.study.study
    design = DESIGNS[details.design]
    if design.schema_type is None:
        return None
    entity: dict[str, Any] = {"@type": design.schema_type}
    if design.schema_type == "MedicalTrial":
        entity["trialDesign"] = _trial_designs(record.study)
    elif design.schema_design:
        entity["studyDesign"] = SCHEMA + design.schema_design
    entity["description"] = design.name
    entity["healthCondition"] = _conditions(record, content, page_url)
    if details.country:
        entity["studyLocation"] = [{"@type": "Country", "name": country} for country in details.country]
    source = record.study.source
    if source and source.registration:
        entity["identifier"] = list(source.registration)
        if registries := [url for url in map(registry_url, source.registration) if url]:
            entity["sameAs"] = registries
    return entity


def _trial_designs(study: Study) -> list[str]:
    """The schema.org ``MedicalTrialDesign`` members the study file supports."""
    details = study.study
    design = DESIGNS[details.design].schema_design
    members = [design] if design else []
    if details.blinding:
        members.append(BLINDINGS[details.blinding].trial_design)
    if details.comparator and _PLACEBO.search(details.comparator):
        members.append("PlaceboControlledTrial")
    # The setting is free text; only an explicit "multicentre"/"single-centre" is read.
    if details.setting and _MULTI_CENTRE.search(details.setting):
        members.append("MultiCenterTrial")
    elif details.setting and _SINGLE_CENTRE.search(details.setting):
        members.append("SingleCenterTrial")
    if len(set(details.country)) > 1:
        members.append("InternationalTrial")
    return [SCHEMA + member for member in members]


def _citation(source: Source | None) -> dict[str, Any] | None:
    """The source article as a ``ScholarlyArticle``, or None when nothing identifies it."""
    if source is None or not (source.title or source.doi or source.pmid or source.url):
        return None
    work: dict[str, Any] = {"@type": "ScholarlyArticle"}
    if source.title:
        work["name"] = " ".join(source.title.split())
    if source.journal:
        work["isPartOf"] = {"@type": "Periodical", "name": source.journal}
    if source.year:
        work["datePublished"] = str(source.year)
    identifiers, same_as = [], []
    if source.doi:
        same_as.append(doi_url(source.doi))
        identifiers.append({"@type": "PropertyValue", "propertyID": "DOI", "value": source.doi, "url": same_as[-1]})
    if source.pmid:
        same_as.append(pubmed_url(source.pmid))
        identifiers.append({"@type": "PropertyValue", "propertyID": "PMID", "value": source.pmid, "url": same_as[-1]})
    if identifiers:
        work["identifier"] = identifiers
        work["sameAs"] = same_as
    if url := source.url or (same_as[0] if same_as else None):
        work["url"] = url
    return work


# --------------------------------------------------------------------------- meta tags


def _social_meta(
    kind: str, title: str, description: str | None, page_url: str, site_name: str, image: SocialImage | None
) -> list[tuple[str, str, str]]:
    """OpenGraph and Twitter card tags as (attribute, name, content)."""
    meta = [("property", "og:type", kind), ("property", "og:title", title)]
    if description:
        meta.append(("property", "og:description", description))
    if page_url:
        meta.append(("property", "og:url", page_url))
    if image:
        meta += [
            ("property", "og:image", image.url),
            ("property", "og:image:width", str(image.width)),
            ("property", "og:image:height", str(image.height)),
            ("property", "og:image:alt", image.alt),
        ]
    meta.append(("property", "og:site_name", site_name))
    meta.append(("name", "twitter:card", "summary_large_image" if image else "summary"))
    meta.append(("name", "twitter:title", title))
    if description:
        meta.append(("name", "twitter:description", description))
    if image:
        meta += [("name", "twitter:image", image.url), ("name", "twitter:image:alt", image.alt)]
    return meta


def _meta_tags(meta: Iterable[tuple[str, str, str]]) -> list[str]:
    return [f'<meta {attribute}="{escape(name)}" content="{_attribute(value)}">' for attribute, name, value in meta]


def _attribute(text: str) -> str:
    """Plain text for an attribute: one line, no control characters, HTML-escaped."""
    return escape(" ".join(NOT_IN_ATTRIBUTE.sub("", text).split()), quote=True)
