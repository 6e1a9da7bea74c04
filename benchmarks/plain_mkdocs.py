"""What a plain MkDocs + Material site of the same studies costs: hand-written Markdown, no plugin of ours.

:func:`write_site` writes, for the published studies of the synthetic corpus,
the site a user would write by hand (or with a small script): one Markdown page
per study (:mod:`benchmarks.plain_markdown`, with links to its condition and
topics and a "More like this" list of its five nearest neighbours in its
condition's listing), condition, topic and year listings of 50 studies a page
at our addresses, their index pages and a home page of the 20 newest.  The
``mkdocs.yml`` has the project's theme settings (Material, palette, features,
no web fonts) and Markdown extensions, a four-entry nav like ours, and
Material's built-in search plugin: what such a user gets for search (our site
indexes with Pagefind instead).
"""

from __future__ import annotations

import posixpath
import shutil
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import yaml

from generator.urls import topic_slug

from .baseline import EnvLoader
from .plain_markdown import PlainStudy, condition_names, write
from .project import REPO, SITE_URL, Run, checked, run_measured

PER_PAGE = 50  # our listings' page size (the plugin's per_page default)
HOME_LATEST = 20
NEIGHBOURS = 5
NOTE = (
    "bare MkDocs + Material = hand-written-style Markdown of the same published studies (facts table, key "
    "findings, body, outcomes table, 5 links 'More like this'), listings of 50 a page at our addresses, "
    "Material's built-in search plugin on (what a plain MkDocs user gets; ours uses Pagefind)"
)


def config(project_config: Path) -> dict:
    """A minimal mkdocs.yml: the project's theme without custom_dir, its Markdown extensions, Material search."""
    project = yaml.load(project_config.read_text(encoding="utf-8"), Loader=EnvLoader)  # a SafeLoader
    return {
        "site_name": project["site_name"],
        "site_url": SITE_URL,
        "docs_dir": "docs",
        "site_dir": "site",
        "use_directory_urls": True,
        "theme": {key: value for key, value in project["theme"].items() if key != "custom_dir"},
        "nav": [
            {"Home": "index.md"},
            {"Conditions": "conditions/index.md"},
            {"Topics": "topics/index.md"},
            {"Archive": "archive/index.md"},
        ],
        "not_in_nav": "/studies/\n/conditions/\n/topics/\n/archive/\n",
        "plugins": ["search"],
        "markdown_extensions": project.get("markdown_extensions", []),
    }


def _link(source: str, target: str) -> str:
    """``target`` (a docs path) relative to the page ``source``, as MkDocs resolves Markdown links."""
    return posixpath.relpath(target, posixpath.dirname(source))


def _teaser(source: str, study: PlainStudy, names: dict[str, str]) -> str:
    meta = f"{study.published} · {names[study.conditions[0]]} · {study.design}"
    return f"## [{study.title}]({_link(source, f'studies/{study.slug}.md')})\n\n*{meta}*\n\n{study.summary}\n"


def _listing(first: str, title: str, studies: Sequence[PlainStudy], names: dict[str, str]) -> dict[str, str]:
    """The pages of one listing, 50 studies each, at our addresses (``x.md``, ``x/page/2.md``, …)."""
    count = max(1, -(-len(studies) // PER_PAGE))
    sources = [first if number == 1 else f"{first[:-3]}/page/{number}.md" for number in range(1, count + 1)]
    pages = {}
    for number, source in enumerate(sources, 1):
        chunk = studies[(number - 1) * PER_PAGE : number * PER_PAGE]
        pager = [f"Page {number} of {count}"]
        if number > 1:
            pager.insert(0, f"[← Newer]({_link(source, sources[number - 2])})")
        if number < count:
            pager.append(f"[Older →]({_link(source, sources[number])})")
        teasers = "\n".join(_teaser(source, study, names) for study in chunk)
        pages[source] = f"# {title}\n\n{len(studies)} studies, newest first.\n\n{teasers}\n{' · '.join(pager)}\n"
    return pages


def _index(source: str, title: str, entries: Iterable[tuple[str, str, int]]) -> str:
    items = "\n".join(f"- [{label}]({_link(source, target)}) ({count})" for label, target, count in entries)
    return f"# {title}\n\n{items}\n"


def _neighbours(studies: Sequence[PlainStudy], study: PlainStudy) -> list[PlainStudy]:
    """The nearest studies to ``study`` in its listing: a link list an editor could keep by hand."""
    at = studies.index(study)
    start = max(0, min(at - NEIGHBOURS // 2, len(studies) - NEIGHBOURS - 1))
    return [other for other in studies[start : start + NEIGHBOURS + 1] if other is not study][:NEIGHBOURS]


def _study_page(study: PlainStudy, neighbours: list[PlainStudy], names: dict[str, str]) -> str:
    source = f"studies/{study.slug}.md"
    conditions = ", ".join(f"[{names[key]}]({_link(source, f'conditions/{key}.md')})" for key in study.conditions)
    topics = ", ".join(f"[{label}]({_link(source, f'topics/{topic_slug(label)}.md')})" for label in study.topics)
    more = "\n".join(f"- [{other.title}]({other.slug}.md)" for other in neighbours)
    return (
        f"# {study.title}\n\n{study.summary}\n\nCondition: {conditions}"
        + (f" · Topics: {topics}" if topics else "")
        + f"\n\n{study.markdown}\n## More like this\n\n{more}\n"
    )


def site_pages(studies: Sequence[PlainStudy]) -> dict[str, str]:
    """Every page of the plain site, by its path under ``docs/``."""
    names = condition_names()
    by_condition: dict[str, list[PlainStudy]] = {}
    by_topic: dict[str, tuple[str, list[PlainStudy]]] = {}
    by_year: dict[int, list[PlainStudy]] = {}
    for study in studies:  # newest first, so every listing is too
        for key in study.conditions:
            by_condition.setdefault(key, []).append(study)
        for label in study.topics:
            by_topic.setdefault(topic_slug(label), (label, []))[1].append(study)
        by_year.setdefault(study.published.year, []).append(study)
    pages = {}
    for study in studies:
        neighbours = _neighbours(by_condition[study.conditions[0]], study)
        pages[f"studies/{study.slug}.md"] = _study_page(study, neighbours, names)
    for key, members in by_condition.items():
        pages.update(_listing(f"conditions/{key}.md", names[key], members, names))
    for slug, (label, members) in by_topic.items():
        pages.update(_listing(f"topics/{slug}.md", label, members, names))
    for year, members in by_year.items():
        pages.update(_listing(f"archive/{year}.md", str(year), members, names))
    pages["conditions/index.md"] = _index(
        "conditions/index.md",
        "Conditions",
        ((names[key], f"conditions/{key}.md", len(members)) for key, members in sorted(by_condition.items())),
    )
    pages["topics/index.md"] = _index(
        "topics/index.md",
        "Topics",
        ((label, f"topics/{slug}.md", len(members)) for slug, (label, members) in sorted(by_topic.items())),
    )
    pages["archive/index.md"] = _index(
        "archive/index.md", "Archive", ((str(year), f"archive/{year}.md", len(m)) for year, m in by_year.items())
    )
    latest = "\n".join(_teaser("index.md", study, names) for study in studies[:HOME_LATEST])
    home = f"# Latest studies\n\n{len(studies)} studies so far.\n\n{latest}\n[All studies by year](archive/index.md)\n"
    pages["index.md"] = home
    return pages


def write_site(root: Path, studies: Sequence[PlainStudy]) -> Path:
    """The plain site's ``mkdocs.yml`` and ``docs/`` in ``root``; returns ``root``."""
    for path, text in site_pages(studies).items():
        write(root / "docs" / path, text)
    write(root / "mkdocs.yml", yaml.safe_dump(config(REPO / "mkdocs.yml"), sort_keys=False))
    return root


def build(root: Path) -> Run:
    """Time ``mkdocs build -q`` of the plain site in ``root`` from an empty ``site/``."""
    shutil.rmtree(root / "site", ignore_errors=True)
    command = [sys.executable, "-m", "mkdocs", "build", "-q"]
    return checked(run_measured(command, root), "plain MkDocs + Material build")
