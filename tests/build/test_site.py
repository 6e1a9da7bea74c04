"""generate(): the whole pipeline, and the caches that keep mkdocs serve quick."""

from __future__ import annotations

import os

from generator.pipeline import generate
from generator.render import opendata
from generator.render.memo import RenderCache
from generator.render.pages import SiteOptions


def _edit(path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # a new mtime even on coarse clocks


def test_caches_reuse_unchanged_pages_and_redo_what_an_edit_touches(project) -> None:
    project.copy_seed()
    pages, studies = RenderCache(), {}
    first = generate(project.root, SiteOptions(), render_cache=pages, study_cache=studies)
    again = generate(project.root, SiteOptions(), render_cache=pages, study_cache=studies)
    by_src = {page.src: page for page in first.pages}
    assert all(page is by_src[page.src] for page in again.pages)  # listings and indexes too
    assert all(again.files[path] is first.files[path] for path in first.files if "feed." in path)  # and feeds

    il2 = project.root / "content/studies/low-dose-il2-sle.yaml"
    _edit(il2, "The author has no conflicts", "The writer has no conflicts")  # not shown on other pages
    edited = {
        page.src: page for page in generate(project.root, SiteOptions(), render_cache=pages, study_cache=studies).pages
    }
    assert "The writer has no conflicts" in edited["studies/low-dose-il2-sle.md"].text
    assert [src for src, page in edited.items() if page is not by_src[src]] == ["studies/low-dose-il2-sle.md"]

    _edit(il2, "title: Low-Dose IL-2 Effective in Lupus", "title: A New Headline for the IL-2 Trial")
    retitled = generate(project.root, SiteOptions(), render_cache=pages, study_cache=studies)
    edited = {page.src: page for page in retitled.pages}
    # every page that lists the IL-2 study shows the new headline: "More like this", its hub, its year, the home page
    lists = ["studies/serum-interferon-predicts-lupus-flares.md", "conditions/sle.md", "archive/2019.md", "index.md"]
    shown = [src for src in lists if "A New Headline for the IL-2 Trial" in edited[src].text]
    assert shown == lists
    assert edited["conditions/ra.md"] is by_src["conditions/ra.md"]  # a listing without the study is kept
    for feed in ("feed.xml", "feed.json", "conditions/sle/feed.xml", "conditions/sle/feed.json"):
        assert "A New Headline for the IL-2 Trial" in retitled.files[feed].decode(), feed
    assert retitled.files["conditions/ra/feed.xml"] is first.files["conditions/ra/feed.xml"]
    assert retitled.files == generate(project.root, SiteOptions()).files  # what was reused is what a build makes


def test_a_rebuild_after_one_edit_redoes_the_open_data_of_that_study_only(project, monkeypatch) -> None:
    project.copy_seed()
    pages, studies, made = RenderCache(), {}, []
    study_json = opendata._study_json
    monkeypatch.setattr(
        opendata, "_study_json", lambda record, *args: made.append(record.slug) or study_json(record, *args)
    )
    generate(project.root, SiteOptions(), render_cache=pages, study_cache=studies)
    assert len(made) == len(studies) > 1
    made.clear()
    _edit(project.root / "content/studies/low-dose-il2-sle.yaml", "The author has no conflicts", "None declared")
    generated = generate(project.root, SiteOptions(), render_cache=pages, study_cache=studies)
    assert made == ["low-dose-il2-sle"]
    assert "None declared" in generated.files["studies.json"].decode()


def test_cached_and_uncached_builds_are_identical(project) -> None:
    project.copy_seed()
    cold = generate(project.root, SiteOptions())
    pages, studies = RenderCache(), {}
    generate(project.root, SiteOptions(), render_cache=pages, study_cache=studies)
    warm = generate(project.root, SiteOptions(), render_cache=pages, study_cache=studies)
    assert [(p.src, p.text, p.head) for p in warm.pages] == [(p.src, p.text, p.head) for p in cold.pages]
    assert warm.files == cold.files


def test_a_rebuild_writes_the_citation_files_again_when_the_source_changes(project) -> None:
    project.copy_seed()
    pages, studies = RenderCache(), {}
    bib, ris = "studies/low-dose-il2-sle/citation.bib", "studies/low-dose-il2-sle/citation.ris"
    first = generate(project.root, SiteOptions(), render_cache=pages, study_cache=studies)
    assert "journal = {Annals of the Rheumatic Diseases}" in first.files[bib]
    assert "volume = {79}" in first.files[bib]
    _edit(project.root / "content/studies/low-dose-il2-sle.yaml", '  volume: "79"', '  volume: "80"')
    again = generate(project.root, SiteOptions(), render_cache=pages, study_cache=studies)
    assert "volume = {80}" in again.files[bib] and "VL  - 80" in again.files[ris]
    assert (
        again.files["studies/aav-mortality-usa/citation.bib"] is first.files["studies/aav-mortality-usa/citation.bib"]
    )
