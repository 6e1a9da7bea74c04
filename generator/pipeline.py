"""The whole pipeline in one call: content in, pages and files out.

Both the MkDocs plugin and ``python -m generator export`` use :func:`generate`,
so the site MkDocs builds and the exported Markdown tree are the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.derive.collector import collector_paused
from generator.derive.related import ConditionTerms, RelatedConfig, RelatedInput, RelatedItem, compute_related
from generator.derive.treatments import Treatments, content_treatments
from generator.errors import ContentError, Problem
from generator.read.content import Content, StudyCache, StudyRecord, load_content
from generator.read.pages import page_markdown
from generator.read.vocabulary import DESIGNS
from generator.render.cards import CardStore
from generator.render.handwritten import page_html
from generator.render.memo import Memo, RenderCache
from generator.render.pages import GeneratedPage, SiteOptions, build_files, build_pages
from generator.render.parallel import map_in_processes
from generator.render.templates import TEMPLATES_DIR

__all__ = ["Generated", "condition_terms", "export", "generate", "related_inputs", "related_lists", "templates_for"]


@dataclass(frozen=True)
class Generated:
    """Everything generated from the content of one project."""

    content: Content
    related: dict[str, tuple[RelatedItem, ...]]
    pages: list[GeneratedPage]
    files: dict[str, str | bytes]
    written: dict[str, str]
    """The HTML of each hand-written page, by source path."""


def generate(
    root: Path,
    options: SiteOptions,
    related: RelatedConfig | None = None,
    render_cache: RenderCache | None = None,
    study_cache: StudyCache | None = None,
    card_store: CardStore | None = None,
) -> Generated:
    """Load and validate the content under ``root`` and generate every page and file.

    Raises :class:`~generator.errors.ContentError` when the content breaks
    the contract; nothing is generated then.  ``render_cache`` lets repeated
    builds (``mkdocs serve``) reuse related lists, pages, feeds and each study's open data whose inputs did not change,
    ``study_cache`` study files that did not change, and ``card_store``
    social cards drawn before.
    """
    with collector_paused():
        content = load_content(root, cache=study_cache, spread=map_in_processes)
        named = content_treatments(content)
        lists = related_lists(content, related, drafts=options.drafts, named=named, memo=Memo(render_cache))
        pages = build_pages(content, options, lists, render_cache, named=named)
        written = written_pages(content, {page.src for page in pages})
        files = build_files(content, options, lists, card_store, named=named, cache=render_cache)
        if render_cache is not None:
            render_cache.keep_used()
        return Generated(content, lists, pages, files, written)


def templates_for(root: Path) -> Path:
    """The project's own ``templates/`` folder, or the templates shipped with the generator."""
    return root / "templates" if (root / "templates").is_dir() else TEMPLATES_DIR


def related_lists(
    content: Content,
    config: RelatedConfig | None = None,
    *,
    drafts: bool = False,
    named: Mapping[str, Treatments] | None = None,
    memo: Memo | None = None,
) -> dict[str, tuple[RelatedItem, ...]]:
    """ "More like this" for every study readers see (drafts take part only in a drafts preview).

    ``memo`` keeps the lists of a preview's last build for a rebuild whose studies gave the same inputs.
    """
    inputs = related_inputs(content, content.visible(drafts=drafts), named=named)
    terms = condition_terms(content)
    return (memo or Memo()).get(["related", inputs, terms, config], lambda: compute_related(inputs, terms, config))


def related_inputs(
    content: Content, records: tuple[StudyRecord, ...], *, named: Mapping[str, Treatments] | None = None
) -> list[RelatedInput]:
    """What the related-studies engine needs of each of ``records`` (studies of ``content``).

    ``named`` is :func:`~generator.derive.treatments.content_treatments` of ``content``, when already computed.
    """
    named = named if named is not None else content_treatments(content)
    return [
        RelatedInput(
            slug=record.slug,
            title=record.study.title,
            summary=record.study.summary,
            published=record.study.published,
            condition=record.study.condition,
            also_conditions=tuple(record.study.also_conditions),
            topics=tuple(record.study.topics),
            design_family=DESIGNS[record.study.study.design].family,
            interventions=_interventions(record),
            drug_classes=tuple(content.drug_classes[key].name for key in named[record.slug].compared),
            pin=tuple(record.study.related.pin),
            exclude=tuple(record.study.related.exclude),
        )
        for record in records
    ]


def _interventions(record: StudyRecord) -> str:
    details = record.study.study
    parts = [details.comparator or ""] + [f"{arm.label} {arm.intervention or ''}" for arm in details.arms]
    return " ".join(part for part in parts if part)


def condition_terms(content: Content) -> dict[str, ConditionTerms]:
    """The condition vocabulary as the related-studies engine matches it in text."""
    return {
        key: ConditionTerms(condition.short_name, (condition.name, *condition.synonyms))
        for key, condition in content.conditions.items()
    }


def export(generated: Generated, target: Path) -> int:
    """Write the generated Markdown tree and files, plus the hand-written pages, under ``target``.

    The tree is what MkDocs builds, so it can be built by another Markdown
    site generator.  Returns the number of files written.
    """
    count = 0
    for relative, text in [(page.src, page.text) for page in generated.pages] + list(generated.files.items()):
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        count += 1
    for page in generated.content.pages:  # as checked, never re-read from disk
        (target / f"{page.name}.md").write_text(page.text, encoding="utf-8")
        count += 1
    return count


def written_pages(content: Content, generated: set[str]) -> dict[str, str]:
    """The HTML of each hand-written page; a link to a page the site does not have is a problem."""
    sources = generated | {f"{page.name}.md" for page in content.pages}
    written, problems = {}, []
    for page in content.pages:
        markdown = page_markdown(page.text)
        written[f"{page.name}.md"], broken = page_html(markdown, f"{page.name}.md", sources)
        for href in broken:
            line = page.first_line + markdown[: markdown.find(href)].count("\n")
            problems.append(Problem(page.file, line, 1, "", f"links to `{href}`, which is no page of this site"))
    if problems:
        raise ContentError(problems)
    return written
