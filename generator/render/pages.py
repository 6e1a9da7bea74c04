"""Turn validated content into the site's pages (pure: no MkDocs, no I/O).

Every page is a :class:`GeneratedPage`: a source path such as
``studies/low-dose-il2-sle.md`` and its Markdown text.  Structured parts are
rendered straight to HTML inside the Markdown so that no study text is ever
interpreted as Markdown, and links are relative so the site works under any
sub-path.  Listings are paginated so that no page grows with the number of
studies.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from markupsafe import escape

from generator.derive.citation import doi_url, pubmed_url, reference_text
from generator.derive.effects import denominator_note
from generator.derive.treatments import Treatments, content_treatments
from generator.read.content import Content, StudyRecord
from generator.read.model import Arm
from generator.read.values import parse_result_value
from generator.read.vocabulary import BLINDINGS, DESIGNS
from generator.render.cards import (
    CARD_HEIGHT,
    CARD_WIDTH,
    SITE_CARD,
    Card,
    CardStore,
    card_alt,
    card_files,
    site_card,
    study_card,
    study_card_path,
)
from generator.render.evidence import (
    BIBTEX_FILE,
    RIS_FILE,
    citation_files,
    cited_work,
    effect_text,
    finding_rows,
    outcomes_primary_first,
    registry_links,
    study_charts,
)
from generator.render.feeds import feed_links, site_feeds
from generator.render.memo import Memo, RenderCache
from generator.render.opendata import open_data
from generator.render.parallel import map_in_processes
from generator.render.sanitise import markdown_to_safe_html
from generator.render.searchterms import (
    FILTER_CLASS,
    FILTER_CONDITION,
    FILTER_DESIGN,
    FILTER_DRUG,
    FILTER_YEAR,
    search_terms,
)
from generator.render.structured import SocialImage, head_html, site_head_html
from generator.render.templates import TEMPLATES_DIR, format_date, render_page, templates_signature
from generator.urls import (
    absolute_url,
    condition_src,
    drug_class_src,
    drug_src,
    file_href,
    paged_src,
    relative_href,
    study_src,
    topic_slug,
    topic_src,
    year_src,
)

__all__ = [
    "Comments",
    "GeneratedPage",
    "RelatedLink",
    "SiteOptions",
    "build_files",
    "build_pages",
    "default_head",
    "site_image",
]


class RelatedLink(Protocol):
    """What the page needs of one "More like this" item (read-only, so frozen dataclasses qualify)."""

    @property
    def slug(self) -> str: ...
    @property
    def reason(self) -> str: ...
    @property
    def kind(self) -> str: ...


@dataclass(frozen=True)
class Comments:
    """Giscus settings from ``extra.comments`` in mkdocs.yml."""

    repo: str
    repo_id: str
    category: str
    category_id: str


@dataclass(frozen=True)
class SiteOptions:
    """Choices that shape the generated pages."""

    drafts: bool = False
    site_url: str = "https://example.org/"
    site_name: str = "Rheum Evidence"
    site_description: str = ""
    per_page: int = 50
    home_latest: int = 20
    comments: Comments | None = None
    templates_dir: Path = TEMPLATES_DIR


@dataclass(frozen=True)
class GeneratedPage:
    """One page for MkDocs: where it goes and its Markdown."""

    src: str
    text: str
    head: str = ""  # extra HTML for <head>: feed links, structured data
    modified: dt.date | None = None
    """When what the page shows last changed, as far as the content says: a study's ``updated`` or
    ``published``, a listing's newest study.  None for a page whose text does not come from studies
    (the search page): the sitemap then gives no date rather than a wrong one."""


class _Value(NamedTuple):
    """One value of a listing's facts: its text, and the page (``src``) or address (``url``) it links to."""

    text: str
    src: str | None = None
    url: str | None = None


@dataclass
class _Listing:
    """A paginated list of studies with a heading (condition, topic or year)."""

    first_src: str
    title: str
    intro: str
    records: list[StudyRecord] = field(default_factory=list)
    condition: str | None = None  # the condition key, for hubs (they have their own feeds)
    about: list[tuple[str, list[_Value]]] = field(default_factory=list)
    """Facts shown under the intro, each a label and its values."""


CITATIONS = "citations"
"""What the cache keys of a study's citation files start with (the rest is the study's slug and fingerprint)."""
DRUGS_INDEX = "drugs/index.md"
CLASSES_INDEX = "drug-classes/index.md"


def build_pages(
    content: Content,
    options: SiteOptions,
    related: Mapping[str, Sequence[RelatedLink]],
    cache: RenderCache | None = None,
    *,
    named: Mapping[str, Treatments] | None = None,
) -> list[GeneratedPage]:
    """Every generated page of the site, in a stable order.

    With a ``cache`` (kept between rebuilds while serving), a page whose
    inputs have not changed is reused instead of rendered again.  ``named`` is
    :func:`~generator.derive.treatments.content_treatments` of ``content``, when already computed.
    """
    records = content.visible(drafts=options.drafts)
    by_slug = {record.slug: record for record in records}
    named = named if named is not None else content_treatments(content)
    memo = Memo(cache, templates_signature(options.templates_dir) if cache is not None else "")
    pages = [_home(content, records, options, memo), _search_page(content, options, memo)]
    teaser_keys = _TeaserKeys(content)

    def study_page(record: StudyRecord) -> GeneratedPage:
        links = related.get(record.slug, ())
        return _study(record, content, by_slug, named[record.slug], links, options, memo, teaser_keys)

    # A cache lives in this process, so cached (serve) builds render here; a full build uses every core.
    pages += [study_page(record) for record in records] if cache is not None else map_in_processes(study_page, records)
    conditions = _condition_listings(content, records)
    topics = _topic_listings(records)
    years = _year_listings(records)
    classes, drugs = _class_listings(content, records, named), _drug_listings(content, records, named)
    newest = _newest(records)
    for src, title, intro, groups in (
        ("conditions/index.md", "Conditions", "Studies by condition.", [("", conditions.values())]),
        ("topics/index.md", "Topics", "Every topic, A to Z.", [("", topics.values())]),
        ("archive/index.md", "Archive", "Every study by year of publication.", [("", years.values())]),
        (
            DRUGS_INDEX,
            "Drugs",
            "Every drug class and drug the studies name, A to Z.",
            [("Drug classes", classes.values()), ("Drugs", drugs.values())],
        ),
        (CLASSES_INDEX, "Drug classes", "Every drug class the studies name, A to Z.", [("", classes.values())]),
    ):
        pages.append(_index(src, title, intro, groups, options, newest, memo))
    for listing in [*conditions.values(), *topics.values(), *years.values(), *classes.values(), *drugs.values()]:
        pages += _listing_pages(listing, content, options, memo, teaser_keys)
    return pages


def build_files(
    content: Content,
    options: SiteOptions,
    related: Mapping[str, Sequence[RelatedLink]],
    cards: CardStore | None = None,
    *,
    named: Mapping[str, Treatments] | None = None,
    cache: RenderCache | None = None,
) -> dict[str, str | bytes]:
    """Files that are not pages, by path in the site: citations, social cards, feeds and open data.

    Feeds and open data never include drafts, even in a preview with drafts.  Social cards drawn
    before are taken from ``cards``, and those drawn now are put in it; feeds made by earlier
    builds from the same data (and each study's part of the open data) are taken from ``cache``.
    """
    files: dict[str, str | bytes] = {}
    visible = content.visible(drafts=options.drafts)
    memo = Memo(cache)
    for record in visible:
        files.update(memo.get([CITATIONS, record.slug, record.fingerprint], partial(citation_files, record)))
    wanted = {study_card_path(record.slug): study_card(record, content, options.site_name) for record in visible}
    wanted[SITE_CARD] = site_card(options.site_name, options.site_description)
    files.update(card_files(wanted, cards))
    published = content.visible()
    files.update(site_feeds(published, content, options.site_url, options.site_name, memo))
    slugs = {slug: [item.slug for item in items] for slug, items in related.items()}
    files.update(open_data(published, content, options.site_url, slugs, named, memo))
    path, data = search_terms(content)
    files[path] = data
    return files


def default_head(src: str) -> str:
    """What every page's <head> gets: links to the site's feeds."""
    return _link_tags(feed_links(src, None))


def site_image(options: SiteOptions) -> SocialImage:
    """The social card of every page that is not a study: the site's name and description."""
    return _social_image(options, SITE_CARD, site_card(options.site_name, options.site_description))


def _social_image(options: SiteOptions, path: str, card: Card) -> SocialImage:
    return SocialImage(absolute_url(options.site_url, path), CARD_WIDTH, CARD_HEIGHT, card_alt(card))


def _site_head(
    src: str,
    options: SiteOptions,
    title: str,
    description: str | None,
    feeds: Sequence[tuple[str, str, str]] | None = None,
) -> str:
    """The <head> of a page that is not a study: OpenGraph and Twitter tags, and its feed links."""
    page_url = absolute_url(options.site_url, src)
    social = site_head_html(page_url, options.site_name, title, description or None, site_image(options))
    return social + _link_tags(feeds if feeds is not None else feed_links(src, None))


def _link_tags(links: Sequence[tuple[str, str, str]]) -> str:
    # "alternate feed" rather than a bare "alternate": the theme treats every link[rel=alternate]
    # as a translation and fetches the sitemap beside it, on every page view.
    return "\n".join(
        f'<link rel="alternate feed" type="{kind}" title="{escape(title)}" href="{href}">'
        for kind, title, href in links
    )


def _home(content: Content, records: Sequence[StudyRecord], options: SiteOptions, memo: Memo) -> GeneratedPage:
    src = "index.md"
    counts = _condition_counts(records)
    conditions = [
        {"href": relative_href(src, condition_src(key)), "name": condition.name, "count": counts[key]}
        for key, condition in content.conditions.items()
        if counts[key]
    ]
    context = {
        "latest": [_teaser(record, content, src) for record in records[: options.home_latest]],
        "conditions": conditions,
        "archive_href": relative_href(src, "archive/index.md"),
        "search_href": relative_href(src, "search.md"),
        "conditions_href": relative_href(src, "conditions/index.md"),
        "total": len(records),
    }
    meta = {"title": "Latest studies", "hide": ["toc"]}
    newest = _newest(records)
    return memo.get(
        [src, repr(options), context, newest],
        lambda: GeneratedPage(
            src,
            render_page("home.md.j2", meta, options.templates_dir, **context),
            _site_head(src, options, options.site_name, options.site_description),
            modified=newest,
        ),
    )


def _search_page(content: Content, options: SiteOptions, memo: Memo) -> GeneratedPage:
    src = "search.md"
    meta = {"title": "Search", "template": "search-page.html", "hide": ["toc"]}
    links = {f"{name}_href": relative_href(src, f"{name}/index.md") for name in ("conditions", "topics", "archive")}
    links["terms_href"] = file_href(src, search_terms(content)[0])
    return memo.get(
        [src, repr(options), links],
        lambda: GeneratedPage(
            src,
            render_page("search.md.j2", meta, options.templates_dir, **links),
            _site_head(src, options, "Search", "Search every study by headline, condition or topic."),
        ),
    )


def _study(
    record: StudyRecord,
    content: Content,
    by_slug: Mapping[str, StudyRecord],
    named: Treatments,
    related: Sequence[RelatedLink],
    options: SiteOptions,
    memo: Memo,
    teaser_keys: _TeaserKeys,
) -> GeneratedPage:
    shown = [(by_slug[item.slug], item) for item in related if item.slug in by_slug]
    inputs = partial(_study_inputs, record, content, named, shown, options, teaser_keys)
    return memo.get(inputs, partial(_render_study, record, content, named, shown, options))


def _study_inputs(
    record: StudyRecord,
    content: Content,
    named: Treatments,
    shown: Sequence[tuple[StudyRecord, RelatedLink]],
    options: SiteOptions,
    teaser_keys: _TeaserKeys,
) -> list[Any]:
    """Everything a study page is made from: equal inputs give equal pages."""
    study = record.study
    fingerprints = content.fingerprints
    used = [fingerprints["conditions"][key] for key in (study.condition, *study.also_conditions)]
    used += [fingerprints["authors"][key] for key in study.authors]
    used += [fingerprints["drugs"][key] for key in named.drugs]
    used += [fingerprints["drug_classes"][key] for key in named.classes]
    related = [(teaser_keys(other), item.reason, item.kind) for other, item in shown]
    return [record.slug, record.fingerprint, related, *used, repr(options)]


def _render_study(
    record: StudyRecord,
    content: Content,
    named: Treatments,
    shown: Sequence[tuple[StudyRecord, RelatedLink]],
    options: SiteOptions,
) -> GeneratedPage:
    src = study_src(record.slug)
    study = record.study
    teasers = [{**_teaser(other, content, src), "reason": item.reason, "kind": item.kind} for other, item in shown]
    condition = content.conditions[study.condition]
    view = {
        "slug": record.slug,
        "title": study.title,
        "summary": study.summary,
        "published": _date(study.published),
        "updated": _date(study.updated) if study.updated else None,
        "draft": not record.published,
        "condition": {"href": relative_href(src, condition_src(study.condition)), "name": condition.name},
        "search": _search_data(record, content, named),
        "also": [
            {"href": relative_href(src, condition_src(key)), "name": content.conditions[key].short_name}
            for key in study.also_conditions
        ],
        "topics": [{"href": relative_href(src, topic_src(topic_slug(t))), "label": t} for t in study.topics],
        "drugs": [{"href": relative_href(src, drug_src(key)), "label": content.drugs[key].name} for key in named.drugs],
        "drug_classes": [
            {"href": relative_href(src, drug_class_src(key)), "label": content.drug_classes[key].name}
            for key in named.classes
        ],
        "authors": [content.authors[key].name for key in study.authors],
        "facts": _facts(record),
        "arms": _arms(record),
        "arms_heading": "Arms" if DESIGNS[study.study.design].family == "trial" else "Groups compared",
        "key_findings": study.key_findings,
        "body": markdown_to_safe_html(study.body),
        "outcomes": _outcome_table(record),
        "adverse_events": _adverse_event_table(record),
        "findings": finding_rows(record),
        "comparison": _comparison(record),
        "charts": study_charts(record),
        "source": _source(record),
        "registrations": registry_links(record),
        "disclosures": study.disclosures,
        "related": teasers,
        "comments": options.comments,
    }
    meta = {"title": study.title, "description": study.summary, "hide": ["toc"]}
    page_url = absolute_url(options.site_url, src)
    card = _social_image(options, study_card_path(record.slug), study_card(record, content, options.site_name))
    head = "\n".join(
        [
            head_html(record, content, page_url, options.site_name, card),
            _link_tags(feed_links(src, study.condition, condition_name=condition.name)),
        ]
    )
    text = render_page("study.md.j2", meta, options.templates_dir, study=view)
    return GeneratedPage(src, text, head, modified=_modified(record))


def _modified(record: StudyRecord) -> dt.date:
    """When the study last changed: ``updated``, else ``published``."""
    return record.study.updated or record.study.published


def _newest(records: Sequence[StudyRecord]) -> dt.date | None:
    """The newest change among ``records`` (None for none): the date of a page that lists them."""
    return max(map(_modified, records), default=None)


def _search_data(record: StudyRecord, content: Content, named: Treatments) -> dict[str, list[tuple[str, str]]]:
    """What a search result shows beside its excerpt (meta) and what search can narrow by (filters)."""
    study = record.study
    design = DESIGNS[study.study.design].name
    condition = content.conditions[study.condition]
    filters = [(FILTER_CONDITION, content.conditions[key].name) for key in (study.condition, *study.also_conditions)]
    filters += [(FILTER_DESIGN, design), (FILTER_YEAR, str(study.published.year))]
    filters += [(FILTER_CLASS, content.drug_classes[key].name) for key in named.classes]
    filters += [(FILTER_DRUG, content.drugs[key].name) for key in named.drugs]
    meta = [("date", _date(study.published)["text"]), ("condition", condition.short_name), ("design", design)]
    return {"meta": meta, "filters": filters}


def _date(day: Any) -> dict[str, str]:
    return {"iso": day.isoformat(), "text": format_date(day)}


@dataclass
class _TeaserKeys:
    """A digest of what each study's teaser shows, made once per build: pages that list a study are cached under it.

    A page lists up to a few dozen teasers and a site has thousands of pages; keying them by the teasers
    themselves would make and encode every teaser of every page on each rebuild.
    """

    content: Content
    digests: dict[str, str] = field(default_factory=dict)

    def __call__(self, record: StudyRecord) -> str:
        if record.slug not in self.digests:
            shown = [record.slug, *_teaser_fields(record, self.content).values()]
            self.digests[record.slug] = hashlib.sha256(json.dumps(shown).encode()).hexdigest()
        return self.digests[record.slug]


def _teaser(record: StudyRecord, content: Content, from_src: str) -> dict[str, Any]:
    return {"href": relative_href(from_src, study_src(record.slug)), **_teaser_fields(record, content)}


def _teaser_fields(record: StudyRecord, content: Content) -> dict[str, Any]:
    """A teaser but its link, which depends on the page it is on."""
    study = record.study
    return {
        "title": study.title,
        "date": _date(study.published),
        "condition": content.conditions[study.condition].short_name,
        "design": DESIGNS[study.study.design].name,
        "summary": study.summary,
        "draft": not record.published,
        "reason": None,
        "kind": None,
    }


def _facts(record: StudyRecord) -> list[tuple[str, str]]:
    details = record.study.study
    facts = [
        ("Design", DESIGNS[details.design].name),
        ("Blinding", BLINDINGS[details.blinding].label if details.blinding else None),
        ("Comparator", details.comparator),
        ("Participants", f"{details.participants:,}" if details.participants else None),
        ("Population", details.population),
        ("Setting", details.setting),
        ("Country", ", ".join(details.country) or None),
        ("Follow-up", details.follow_up),
    ]
    return [(label, value) for label, value in facts if value]


def _arms(record: StudyRecord) -> list[dict[str, str | None]]:
    """Every arm as written, whether or not it has an intervention or results: label, size, intervention."""
    return [
        {
            "label": arm.label,
            "participants": f"{arm.participants:,}" if arm.participants else None,
            "intervention": arm.intervention,
        }
        for arm in record.study.study.arms
    ]


def _arm_headers(record: StudyRecord) -> list[str]:
    arms = record.study.study.arms
    if DESIGNS[record.study.study.design].randomised:
        return [f"{arm.label} ({arm.participants:,} randomised)" if arm.participants else arm.label for arm in arms]
    return [f"{arm.label} (n={arm.participants:,})" if arm.participants else arm.label for arm in arms]


def _comparison(record: StudyRecord) -> dict[str, str] | None:
    """The two arms a summary of findings compares: the first listed with the second."""
    arms = record.study.study.arms
    return {"treatment": arms[0].label, "control": arms[1].label} if len(arms) >= 2 else None


def _result_cell(text: str, arm: Arm, randomised: bool) -> dict[str, str | None]:
    """A result as written, and who it counts when its denominator is not the arm's size."""
    value = parse_result_value(text) if text else None
    note = None
    if value is not None and value.kind == "count" and value.denominator is not None:
        note = denominator_note(value.denominator, arm.participants, randomised)
    return {"text": text, "note": note}


def _outcome_table(record: StudyRecord) -> dict[str, Any] | None:
    details = record.study.study
    if not details.outcomes:
        return None
    ordered = outcomes_primary_first(record)
    with_results = any(outcome.results for outcome in ordered)
    arms = details.arms if with_results else []
    randomised = DESIGNS[details.design].randomised
    rows = [
        {
            "name": outcome.name,
            "primary": outcome.primary,
            "values": [_result_cell((outcome.results or {}).get(arm.key, ""), arm, randomised) for arm in arms],
            "p_value": outcome.p_value or "",
            "effect_text": effect_text(outcome),
        }
        for outcome in ordered
    ]
    return {
        "arms": _arm_headers(record) if with_results else [],
        "rows": rows,
        "has_p": any(row["p_value"] for row in rows),
        "has_effect": any(outcome.effect for outcome in ordered),
    }


def _adverse_event_table(record: StudyRecord) -> dict[str, Any] | None:
    details = record.study.study
    if not details.adverse_events:
        return None
    keys = [arm.key for arm in details.arms]
    rows = [{"name": event.name, "values": [(event.results or {}).get(key, "") for key in keys]}
            for event in details.adverse_events]  # fmt: skip
    return {"arms": _arm_headers(record), "rows": rows}


def _source(record: StudyRecord) -> dict[str, Any] | None:
    source = record.study.source
    if source is None:
        return None
    links = []
    if source.doi:
        links.append(("DOI", doi_url(source.doi), source.doi))
    if source.pmid:
        links.append(("PubMed", pubmed_url(source.pmid), source.pmid))
    links += [("Trial registration", href, number) for number, href in registry_links(record) if href]
    if source.url:
        links.append(("Article", source.url, source.url))
    work = cited_work(record)
    return {
        "title": source.title,
        "journal": source.journal,
        "year": source.year,
        "links": links,
        "registrations": source.registration,
        "reference": reference_text(work) if work else None,
        "bibtex": BIBTEX_FILE if work else None,  # beside the page, so its own name is the link
        "ris": RIS_FILE if work else None,
    }


def _condition_counts(records: Sequence[StudyRecord]) -> Counter:
    counts: Counter = Counter()
    for record in records:
        counts.update({record.study.condition, *record.study.also_conditions})
    return counts


def _condition_listings(content: Content, records: Sequence[StudyRecord]) -> dict[str, _Listing]:
    listings = {
        key: _Listing(condition_src(key), condition.name, condition.description, condition=key)
        for key, condition in content.conditions.items()
    }
    for record in records:
        for key in (record.study.condition, *record.study.also_conditions):
            listings[key].records.append(record)
    return listings


def _topic_listings(records: Sequence[StudyRecord]) -> dict[str, _Listing]:
    labels: dict[str, Counter] = defaultdict(Counter)
    members: dict[str, list[StudyRecord]] = defaultdict(list)
    for record in records:
        for slug in dict.fromkeys(topic_slug(label) for label in record.study.topics):
            members[slug].append(record)
        for label in record.study.topics:
            labels[topic_slug(label)][label] += 1
    listings = {}
    for slug in sorted(members, key=lambda s: (_label(labels[s]).casefold(), s)):
        label = _label(labels[slug])
        listings[slug] = _Listing(topic_src(slug), label, f"Studies tagged “{label}”.", members[slug])
    return listings


def _label(variants: Counter[str]) -> str:
    """The spelling of a topic most studies use (alphabetical on ties)."""
    return min(variants, key=lambda label: (-variants[label], label))


def _year_listings(records: Sequence[StudyRecord]) -> dict[int, _Listing]:
    listings: dict[int, _Listing] = {}
    for record in records:  # newest first, so years come out in descending order
        year = record.study.published.year
        if year not in listings:
            listings[year] = _Listing(year_src(year), str(year), f"Studies published on this site in {year}.")
        listings[year].records.append(record)
    return listings


def _class_listings(
    content: Content, records: Sequence[StudyRecord], named: Mapping[str, Treatments]
) -> dict[str, _Listing]:
    """A listing per drug class some study names, A to Z, each with its drugs."""
    members = _members(records, {slug: found.classes for slug, found in named.items()})
    with_pages = {key for found in named.values() for key in found.drugs}
    listings = {}
    for key in sorted(members, key=lambda k: content.drug_classes[k].name.casefold()):
        entry = content.drug_classes[key]
        in_class = sorted(
            (_Value(drug.name, drug_src(k) if k in with_pages else None)
             for k, drug in content.drugs.items() if key in drug.classes),
            key=lambda value: value.text.casefold(),
        )  # fmt: skip
        about = [("Drugs", in_class), ("Also called", [_Value(name) for name in entry.synonyms])]
        intro = "Studies that name this class or one of its drugs."
        listings[key] = _Listing(drug_class_src(key), entry.name, intro, members[key], about=_shown(about))
    return listings


def _drug_listings(
    content: Content, records: Sequence[StudyRecord], named: Mapping[str, Treatments]
) -> dict[str, _Listing]:
    """A listing per drug some study names, A to Z, with its brands, classes, target and source."""
    members = _members(records, {slug: found.drugs for slug, found in named.items()})
    listings = {}
    for key in sorted(members, key=lambda k: content.drugs[k].name.casefold()):
        drug = content.drugs[key]
        about = [
            ("Brand names", [_Value(brand) for brand in drug.brands]),
            ("Drug class", [_Value(content.drug_classes[k].name, drug_class_src(k)) for k in drug.classes]),
            ("Acts on", [_Value(drug.target)]),
            ("Also called", [_Value(name) for name in drug.synonyms]),
            ("Facts from", [_Value(drug.source, url=drug.source)]),
        ]
        intro = f"Studies that name {drug.name}, by its generic name, a brand or an abbreviation."
        listings[key] = _Listing(drug_src(key), drug.name, intro, members[key], about=_shown(about))
    return listings


def _members(records: Sequence[StudyRecord], keys: Mapping[str, tuple[str, ...]]) -> dict[str, list[StudyRecord]]:
    """Key -> the studies of ``records`` (in their order) whose ``keys`` hold it."""
    members: dict[str, list[StudyRecord]] = defaultdict(list)
    for record in records:
        for key in keys[record.slug]:
            members[key].append(record)
    return members


def _shown(about: list[tuple[str, list[_Value]]]) -> list[tuple[str, list[_Value]]]:
    return [(label, values) for label, values in about if values]


def _index(
    src: str, title: str, intro: str, groups: Any, options: SiteOptions, newest: dt.date | None, memo: Memo
) -> GeneratedPage:
    """A page listing listings, in groups each with a heading ("" for none), with their counts."""
    shown = [
        {
            "heading": heading,
            "entries": [
                {"href": relative_href(src, item.first_src), "name": item.title, "count": len(item.records)}
                for item in listings
            ],
        }
        for heading, listings in groups
    ]
    meta = {"title": title, "hide": ["toc"]}
    return memo.get(
        [src, repr(options), title, intro, shown, newest],
        lambda: GeneratedPage(
            src,
            render_page("index-list.md.j2", meta, options.templates_dir, title=title, intro=intro, groups=shown),
            _site_head(src, options, title, intro),
            modified=newest,
        ),
    )


def _listing_pages(
    listing: _Listing, content: Content, options: SiteOptions, memo: Memo, teaser_keys: _TeaserKeys
) -> list[GeneratedPage]:
    count = max(1, math.ceil(len(listing.records) / options.per_page))
    newest = _newest(listing.records)  # a new study moves every page of its listing along
    source = partial(paged_src, listing.first_src)
    pages = []
    for number in range(1, count + 1):
        src = source(number)
        chunk = listing.records[(number - 1) * options.per_page : number * options.per_page]
        pager = {
            "number": number,
            "count": count,
            "previous": relative_href(src, source(number - 1)) if number > 1 else None,
            "next": relative_href(src, source(number + 1)) if number < count else None,
        }
        title = listing.title if number == 1 else f"{listing.title} (page {number})"
        meta = {"title": title, "hide": ["toc"], "search": {"exclude": True}}
        about = [
            (label, [{"text": value.text, "href": relative_href(src, value.src) if value.src else value.url,
                      "external": value.url is not None} for value in values])
            for label, values in listing.about
        ]  # fmt: skip
        context = {"title": title, "intro": listing.intro, "about": about, "paging": pager,
                   "total": len(listing.records)}  # fmt: skip
        feeds = feed_links(src, listing.condition, condition_name=listing.title) if listing.condition else None
        listed = [teaser_keys(record) for record in chunk]
        render = partial(_listing_page, src, meta, context, chunk, content, options, feeds, newest)
        pages.append(memo.get([src, repr(options), meta, context, listed, feeds, newest], render))
    return pages


def _listing_page(
    src: str,
    meta: dict[str, Any],
    context: dict[str, Any],
    records: Sequence[StudyRecord],
    content: Content,
    options: SiteOptions,
    feeds: Sequence[tuple[str, str, str]] | None,
    newest: dt.date | None,
) -> GeneratedPage:
    teasers = [_teaser(record, content, src) for record in records]
    text = render_page("listing.md.j2", meta, options.templates_dir, **context, teasers=teasers)
    head = _site_head(src, options, context["title"], context["intro"], feeds)
    return GeneratedPage(src, text, head, modified=newest)
