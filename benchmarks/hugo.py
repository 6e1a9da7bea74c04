"""What Hugo takes for the same studies: a tiny Hugo site with a study layout, listings and ``.Related``.

The site's configuration and layouts are files in ``benchmarks/hugo/`` (kept
minimal, as a user would start: no theme, no CSS).  :func:`write_site` copies
them and writes ``content/``: each published study as front matter (title,
date, summary, design and its conditions, topics and year as taxonomies)
over the Markdown of :mod:`benchmarks.plain_markdown`, and a title page for
each condition.  Hugo makes the listings (50 a page at our addresses), the
"More like this" list (``.Related`` on conditions and topics, top 5), RSS
feeds of 20 and a sitemap.  Hugo renders on every core; MkDocs on one.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import yaml

from .plain_markdown import PlainStudy, condition_names, write
from .project import SITE_URL, Run, checked, run_measured

SITE = Path(__file__).resolve().parent / "hugo"
NOTE = (
    "Hugo = `hugo --quiet` of a minimal site (benchmarks/hugo/: study layout, term lists of 50 a page, "
    "`.Related` top 5 on conditions and topics) over the same Markdown; no search index; Hugo uses every core"
)


def hugo() -> str | None:
    """The ``hugo`` on PATH, or None."""
    return shutil.which("hugo")


@cache  # asked by the header and the table
def version() -> str:
    """Hugo's version, e.g. ``v0.111.3+extended``."""
    found = hugo()
    if found is None:
        return "not installed"
    output = subprocess.run([found, "version"], capture_output=True, text=True, check=False).stdout
    words = output.split()
    return words[1] if len(words) > 1 else output.strip()


def front_matter(study: PlainStudy) -> dict:
    return {
        "title": study.title,
        "date": study.published,
        "summary": study.summary,
        "design": study.design,
        "conditions": list(study.conditions),
        "topics": list(study.topics),
        "archive": [str(study.published.year)],
    }


def study_file(study: PlainStudy) -> str:
    """A Hugo content file: YAML front matter, then the study's Markdown."""
    head = yaml.safe_dump(front_matter(study), sort_keys=False, allow_unicode=True)
    return f"---\n{head}---\n\n{study.markdown}"


def write_site(root: Path, studies: Sequence[PlainStudy]) -> Path:
    """The Hugo site in ``root``: the layouts and config of benchmarks/hugo/, then ``content/``; returns ``root``."""
    shutil.copytree(SITE, root, dirs_exist_ok=True)
    config = root / "hugo.toml"
    config.write_text(f'baseURL = "{SITE_URL}"\n' + config.read_text(encoding="utf-8"), encoding="utf-8")
    for study in studies:
        write(root / "content" / "studies" / f"{study.slug}.md", study_file(study))
    for key, name in condition_names().items():
        write(root / "content" / "conditions" / key / "_index.md", f"---\ntitle: {json.dumps(name)}\n---\n")
    return root


def build(root: Path) -> Run:
    """Time ``hugo --quiet`` in ``root`` from an empty ``public/`` and no resource cache."""
    for folder in ("public", "resources"):
        shutil.rmtree(root / folder, ignore_errors=True)
    found = hugo()
    if found is None:
        raise RuntimeError("hugo is not on PATH")
    return checked(run_measured([found, "--quiet"], root), "hugo build")
