"""The comparison sites of the benchmark: the same studies as plain Markdown for bare MkDocs + Material, and for Hugo."""

from __future__ import annotations

import html
import posixpath
import re
import shutil
import subprocess
import sys
import tomllib
from functools import cache
from pathlib import Path

import pytest
import yaml

from benchmarks import hugo, plain_mkdocs
from benchmarks.plain_markdown import PlainStudy, published_studies, study_markdown
from benchmarks.synth import corpus_data

SIZE = 160
LINK = re.compile(r"\]\(([^)\s]+\.md)\)")


@cache
def studies() -> tuple[PlainStudy, ...]:
    return tuple(published_studies(SIZE))


@cache
def pages() -> dict[str, str]:
    return plain_mkdocs.site_pages(studies())


def test_the_published_studies_newest_first_without_drafts() -> None:
    drafts = {slug for slug, data in corpus_data(SIZE) if data.get("status") == "draft"}
    slugs = [study.slug for study in studies()]
    assert drafts and not drafts & set(slugs)
    assert len(slugs) == SIZE - len(drafts)
    dates = [study.published for study in studies()]
    assert dates == sorted(dates, reverse=True)


def test_a_study_as_markdown_has_its_facts_findings_body_and_outcomes() -> None:
    data = next(
        data
        for _, data in corpus_data(SIZE)
        if data.get("key_findings") and any("results" in outcome for outcome in data["study"].get("outcomes", ()))
    )
    text = study_markdown(data)
    assert text.startswith("| Fact | Value |\n|---|---|\n")
    assert f"| Participants | {data['study']['participants']} |" in text
    assert data["body"].strip().splitlines()[0] in text
    outcomes = text.split("## Outcomes\n\n", 1)[1].splitlines()
    assert outcomes[:2] == ["| Outcome | Primary | Result | p |", "|---|---|---|---|"]
    assert len(outcomes) == 2 + len(data["study"]["outcomes"])
    assert all(line.count(" | ") == 3 for line in outcomes[2:])
    arm = data["study"]["arms"][0]["label"]
    assert any(f"| {arm} " in line and " vs " in line for line in outcomes[2:])
    assert f"## Key findings\n\n- {data['key_findings'][0]}" in text


def test_the_plain_site_has_one_page_per_study_with_its_title_and_five_neighbours() -> None:
    study_pages = {path: text for path, text in pages().items() if path.startswith("studies/")}
    assert set(study_pages) == {f"studies/{study.slug}.md" for study in studies()}
    for study in studies():
        text = study_pages[f"studies/{study.slug}.md"]
        assert text.startswith(f"# {study.title}\n\n{study.summary}\n")
        more = text.split("## More like this\n\n", 1)[1].strip().splitlines()
        same = sum(study.conditions[0] in other.conditions for other in studies())
        assert len(more) == min(5, same - 1)
        assert f"({study.slug}.md)" not in "".join(more)


def test_listings_are_paginated_like_ours_and_every_link_reaches_a_page(monkeypatch) -> None:
    monkeypatch.setattr(plain_mkdocs, "PER_PAGE", 10)  # pages of 10: several listings of this corpus need more
    site = plain_mkdocs.site_pages(studies())
    paged = [path for path in site if "/page/" in path]
    assert "conditions/ra/page/2.md" in paged
    for path in paged:
        assert path.split("/page/")[0] + ".md" in site
    for path, text in site.items():
        if path.startswith(("conditions/", "topics/", "archive/")) and not path.endswith("/index.md"):
            assert 1 <= text.count("\n## [") <= 10, path
        for target in LINK.findall(text):
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
            assert resolved in site, f"{path} links to {target}"
    assert {"index.md", "conditions/index.md", "topics/index.md", "archive/index.md"} <= site.keys()


def test_the_plain_mkdocs_yml_is_material_with_its_own_search_and_no_plugin_of_ours() -> None:
    config = plain_mkdocs.config(Path(__file__).resolve().parents[2] / "mkdocs.yml")
    assert config["plugins"] == ["search"]
    assert config["theme"]["name"] == "material" and "custom_dir" not in config["theme"]
    assert {"tables"} <= set(config["markdown_extensions"])


def test_the_hugo_site_is_well_formed(tmp_path: Path) -> None:
    root = hugo.write_site(tmp_path / "hugo", studies()[:20])
    config = tomllib.loads((root / "hugo.toml").read_text(encoding="utf-8"))
    assert config["baseURL"].startswith("http://127.0.0.1")
    assert config["paginate"] == plain_mkdocs.PER_PAGE
    assert {index["name"] for index in config["related"]["indices"]} == {"conditions", "topics"}
    assert set(config["taxonomies"].values()) == {"conditions", "topics", "archive"}
    for layout in (root / "layouts").rglob("*.html"):
        text = layout.read_text(encoding="utf-8")
        assert text.count("{{") == text.count("}}"), layout
        opened = len(re.findall(r"\{\{-?\s*(?:define|range|with|if|block)\b", text))
        assert opened == len(re.findall(r"\{\{-?\s*end\s*-?\}\}", text)), layout
    for study in studies()[:20]:
        text = (root / "content" / "studies" / f"{study.slug}.md").read_text(encoding="utf-8")
        _, head, body = text.split("---\n", 2)
        matter = yaml.safe_load(head)
        assert matter["title"] == study.title and matter["conditions"] == list(study.conditions)
        assert body.strip() == study.markdown.strip()


@pytest.mark.skipif(shutil.which("hugo") is None, reason="hugo is not installed")
def test_hugo_builds_study_pages_with_more_like_this(tmp_path: Path) -> None:
    root = hugo.write_site(tmp_path / "hugo", studies()[:60])
    run = hugo.build(root)
    assert run.returncode == 0
    page = html.unescape((root / "public" / "studies" / studies()[0].slug / "index.html").read_text(encoding="utf-8"))
    assert f"<h1>{studies()[0].title}</h1>" in page
    assert "<h2>More like this</h2>" in page
    assert (root / "public" / "conditions" / studies()[0].conditions[0] / "index.html").is_file()


def test_the_child_writes_both_sites(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    command = [sys.executable, "-m", "benchmarks.compare_sites", "12", "--plain", str(tmp_path / "p")]
    command += ["--hugo", str(tmp_path / "h")]
    subprocess.run(command, cwd=root, check=True)
    assert (tmp_path / "p" / "mkdocs.yml").is_file() and (tmp_path / "p" / "docs" / "index.md").is_file()
    assert len(list((tmp_path / "h" / "content" / "studies").glob("*.md"))) == len(published_studies(12))
