"""The plugin's state between MkDocs events: sessions, previews, publications, the page policy and the settings."""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import NoReturn

import jinja2
import pytest
from mkdocs.commands import build as mkdocs_build
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File, get_files
from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from generator.derive.related import RelatedConfig
from generator.publish import plugin as plugin_module
from generator.publish import policy as policy_module
from generator.publish.build import Build
from generator.publish.config import comments_setting
from generator.publish.keptsite import KEPT_FOLDER, KeptSite
from generator.publish.policy import PagePolicy
from generator.publish.search import SEARCH_SUBDIR, PageIndex, SearchIndexError
from generator.publish.serve import BANNER_DATA, BANNER_SCRIPT, Preview, serve_log, watch
from generator.publish.sitefolder import Publication
from generator.render.pages import Comments, GeneratedPage

from ..build.test_build import tree_digest
from ..conftest import MINIMAL_STUDY, build_site

IL2 = "studies/low-dose-il2-sle.md"
OTHER = "studies/aav-mortality-usa.md"
DISCLOSURE = ("The author has no conflicts", "The writer has no conflicts")
"""An edit of the IL-2 study that shows on its own page only."""
NOT_STARTED = (
    "rheum-evidence publishes the site in on_shutdown: run the plugins' on_startup and on_shutdown "
    "around build(), as `mkdocs build` does"
)


def _config(root: Path, **overrides) -> MkDocsConfig:
    """A fresh config, as `mkdocs serve` loads for each rebuild (the plugin instance is MkDocs' cached one)."""
    return load_config(str(root / "mkdocs.yml"), **overrides)


def _generated(config: MkDocsConfig) -> dict[str, File]:
    """The generated files the plugin hands MkDocs, by source path, through its on_config and on_files."""
    config = config.plugins.on_config(config)
    files = config.plugins.on_files(get_files(config), config=config)
    return {file.src_uri: file for file in files if file.generated_by is not None}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # a new mtime even on coarse clocks


@pytest.fixture
def il2(site_project) -> Path:
    return site_project.root / "content" / "studies" / "low-dose-il2-sle.yaml"


class _Records(logging.Handler):
    """The messages of a logger that does not propagate to caplog."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture
def serve_messages():
    records = _Records()
    serve_log.addHandler(records)
    yield records.messages
    serve_log.removeHandler(records)


# --- mkdocs serve --dirty ------------------------------------------------------------------------------------


def test_a_dirty_rebuild_reports_only_the_pages_whose_text_changed_as_modified(site_project, il2, tmp_path) -> None:
    root = site_project.root
    config = _config(root, site_dir=str(tmp_path / "preview"))
    config.plugins.on_startup(command="serve", dirty=True)
    try:
        first = _generated(config)
        assert first[IL2].is_modified() and first[OTHER].is_modified(), "the first build renders every page"
        again = _generated(_config(root, site_dir=str(tmp_path / "preview")))
        banner = {BANNER_SCRIPT, BANNER_DATA}  # always written: the banner's script asks for them every second
        assert not any(file.is_modified() for src, file in again.items() if src not in banner), "pages and data alike"
        _edit(il2, *DISCLOSURE)
        edited = _generated(_config(root, site_dir=str(tmp_path / "preview")))
        assert sorted(src for src, file in edited.items() if file.is_modified() and src not in banner) == [
            "studies.json",
            IL2,
        ], "the study's page and the open data's JSON, which carry the edit; not its card, feeds, CSV or citations"
    finally:
        config.plugins.on_shutdown()


def test_a_rebuild_that_is_not_dirty_renders_every_page(site_project, tmp_path) -> None:
    config = _config(site_project.root, site_dir=str(tmp_path / "preview"))
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        _generated(config)
        again = _generated(_config(site_project.root, site_dir=str(tmp_path / "preview")))
        assert again[IL2].is_modified() and again[OTHER].is_modified()
    finally:
        config.plugins.on_shutdown()


def test_mkdocs_skips_an_unchanged_page_on_a_dirty_rebuild_and_renders_a_changed_one(
    site_project, il2, tmp_path
) -> None:
    root, site = site_project.root, tmp_path / "preview"
    config = _config(root, site_dir=str(site), strict=False)  # a dirty build warns; `make serve` is not strict
    config.plugins.on_startup(command="serve", dirty=True)
    try:
        build(config, dirty=True)
        other = site / "studies" / "aav-mortality-usa" / "index.html"
        assert "Content-Security-Policy" not in other.read_text(encoding="utf-8"), "previews carry no policy"
        other.write_text("LEFT-AS-IT-WAS", encoding="utf-8")
        card = site / "studies" / "low-dose-il2-sle" / "card.png"
        card.write_bytes(b"LEFT-AS-IT-WAS")
        _edit(il2, *DISCLOSURE)
        build(_config(root, site_dir=str(site), strict=False), dirty=True)
    finally:
        config.plugins.on_shutdown()
    assert other.read_text(encoding="utf-8") == "LEFT-AS-IT-WAS"
    assert card.read_bytes() == b"LEFT-AS-IT-WAS", "a data file the edit does not change is not written again"
    assert "The writer has no conflicts" in (site / "studies" / "low-dose-il2-sle" / "index.html").read_text()


# --- mkdocs serve (not --dirty): a rebuild overwrites the last build in place ----------------------------------


def _files(site: Path) -> dict[str, bytes]:
    """Every file of a site folder but the search bundle (whose fragment names differ from build to build)."""
    return {
        path.relative_to(site).as_posix(): path.read_bytes()
        for path in sorted(site.rglob("*"))
        if path.is_file() and path.relative_to(site).parts[0] != SEARCH_SUBDIR
    }


def _preview(root: Path, site: Path, *, dirty: bool = False, rebuilds: int = 0) -> MkDocsConfig:
    """Start a preview of ``root`` into ``site`` and build it ``1 + rebuilds`` times; the caller shuts it down."""
    config = _config(root, site_dir=str(site), strict=False)
    config.plugins.on_startup(command="serve", dirty=dirty)
    build(config, dirty=dirty)
    for _ in range(rebuilds):
        build(_config(root, site_dir=str(site), strict=False), dirty=dirty)
    return config


def test_a_rebuild_overwrites_the_last_build_in_place_and_ends_as_a_clean_build(site_project, il2, tmp_path) -> None:
    root, warm = site_project.root, tmp_path / "warm"
    page = warm / "studies" / "low-dose-il2-sle" / "index.html"
    config = _preview(root, warm)
    try:
        inode = page.stat().st_ino
        _edit(il2, *DISCLOSURE)
        renamed = root / "content" / "studies" / "aav-mortality-usa.yaml"
        renamed.rename(renamed.with_name("aav-mortality-united-states.yaml"))
        build(_config(root, site_dir=str(warm), strict=False))
    finally:
        config.plugins.on_shutdown()
    assert "The writer has no conflicts" in page.read_text(encoding="utf-8")
    assert page.stat().st_ino == inode, "the page was overwritten, not deleted and made again"
    assert not (warm / "studies" / "aav-mortality-usa").exists(), "the renamed study's old page and files are gone"
    assert (warm / "studies" / "aav-mortality-united-states" / "card.png").is_file()
    assert not (warm / KEPT_FOLDER).exists()
    cold = tmp_path / "cold"
    _preview(root, cold).plugins.on_shutdown()
    assert _files(warm) == _files(cold), "the same files, byte for byte, as a preview's first build"
    index = [len(list((site / SEARCH_SUBDIR).rglob("*"))) for site in (warm, cold)]
    assert index[0] == index[1], "a whole new search index, without the last one's fragments"


def test_a_rebuild_writes_only_the_pages_whose_html_changed_and_keeps_the_others(
    site_project, il2, tmp_path, caplog
) -> None:
    root, site = site_project.root, tmp_path / "preview"
    other = site / "studies" / "aav-mortality-usa" / "index.html"
    config = _preview(root, site)
    try:
        other.write_text("LEFT-AS-IT-WAS", encoding="utf-8")
        _edit(il2, *DISCLOSURE)
        with caplog.at_level(logging.INFO, logger="mkdocs.commands.build"):
            build(_config(root, site_dir=str(site), strict=False))
    finally:
        config.plugins.on_shutdown()
    assert other.read_text(encoding="utf-8") == "LEFT-AS-IT-WAS", "not written again, and not deleted as unwritten"
    assert "The writer has no conflicts" in (site / "studies" / "low-dose-il2-sle" / "index.html").read_text()
    assert not [record for record in caplog.records if "skipped" in record.getMessage()], "no notice per page"


def test_links_left_in_a_preview_folder_are_removed_and_never_followed(site_project, tmp_path) -> None:
    outside = tmp_path / "outside"
    (outside / "sub").mkdir(parents=True)
    (outside / "sub" / "precious.txt").write_text("keep me", encoding="utf-8")
    site = tmp_path / "preview"
    config = _preview(site_project.root, site)
    try:
        for link, target in (
            (site / "studies" / "to-a-folder", outside),
            (site / "to-a-file", outside / "sub" / "precious.txt"),
        ):
            link.symlink_to(target)
            os.utime(link, (1_000_000_000, 1_000_000_000), follow_symlinks=False)  # as old as a stale file
        build(_config(site_project.root, site_dir=str(site), strict=False))
    finally:
        config.plugins.on_shutdown()
    assert not os.path.lexists(site / "studies" / "to-a-folder") and not os.path.lexists(site / "to-a-file")
    assert (outside / "sub" / "precious.txt").read_text(encoding="utf-8") == "keep me"


@pytest.mark.parametrize("dirty", [False, True], ids=["serve", "serve --dirty"])
def test_a_link_put_in_place_of_a_page_or_a_file_is_never_written_or_dated_through(
    site_project, il2, tmp_path, dirty
) -> None:
    root, site = site_project.root, tmp_path / "preview"
    outside = tmp_path / "outside"
    outside.mkdir()
    config = _preview(root, site, dirty=dirty)
    try:
        links = (
            "studies/low-dose-il2-sle/index.html",  # the edited page
            "studies/aav-mortality-usa/index.html",  # a page the edit leaves as it was
            "studies.json",  # a data file the edit changes
            "studies/aav-mortality-usa/card.png",  # one it does not
        )
        for number, path in enumerate(links):
            target = outside / f"precious-{number}.txt"
            target.write_text("keep me", encoding="utf-8")
            os.utime(target, (1_000_000_000, 1_000_000_000))
            (site / path).unlink()
            (site / path).symlink_to(target)
        _edit(il2, *DISCLOSURE)
        build(_config(root, site_dir=str(site), strict=False), dirty=dirty)
    finally:
        config.plugins.on_shutdown()
    for target in sorted(outside.iterdir()):
        assert target.read_text(encoding="utf-8") == "keep me" and target.stat().st_mtime == 1_000_000_000, target
    written = [path for path in links if (site / path).is_file() and not (site / path).is_symlink()]
    assert "The writer has no conflicts" in (site / "studies" / "low-dose-il2-sle" / "index.html").read_text()
    # A --dirty rebuild neither renders the unchanged page nor looks at its path; it copies every data file.
    assert written == [path for path in links if not dirty or path != "studies/aav-mortality-usa/index.html"]


@pytest.mark.parametrize("dirty", [False, True], ids=["serve", "serve --dirty"])
def test_after_a_rebuild_that_failed_before_writing_the_next_one_writes_the_edit(
    site_project, il2, tmp_path, monkeypatch, dirty
) -> None:
    """The failed rebuild had the edit in hand but wrote nothing: the next one must not take it as written."""
    root, site = site_project.root, tmp_path / "preview"
    config = _preview(root, site, dirty=dirty)
    try:
        _edit(il2, *DISCLOSURE)
        with monkeypatch.context() as patch:
            patch.setattr(plugin_module.Frames, "install", _crash)
            with pytest.raises(RuntimeError, match="simulated"):
                build(_config(root, site_dir=str(site), strict=False), dirty=dirty)
        build(_config(root, site_dir=str(site), strict=False), dirty=dirty)
    finally:
        config.plugins.on_shutdown()
    assert "The writer has no conflicts" in (site / "studies" / "low-dose-il2-sle" / "index.html").read_text()
    assert "The writer has no conflicts" in (site / "studies.json").read_text(encoding="utf-8")


def test_a_rebuild_that_fails_before_mkdocs_writes_leaves_the_last_build_whole(
    site_project, tmp_path, monkeypatch
) -> None:
    root, site = site_project.root, tmp_path / "preview"
    config = _preview(root, site)
    try:
        _plugin(config).session.preview.wait_for_index()
        before = tree_digest(site)
        with monkeypatch.context() as patch:
            patch.setattr(mkdocs_build, "get_files", _crash)
            with pytest.raises(RuntimeError, match="simulated"):
                build(_config(root, site_dir=str(site), strict=False))
        assert tree_digest(site) == before, "search index included"
    finally:
        config.plugins.on_shutdown()


def test_a_preview_is_served_before_its_search_index_is_written_and_the_next_build_waits_for_it(
    site_project, tmp_path, monkeypatch
) -> None:
    root, site = site_project.root, tmp_path / "preview"
    gate, events = threading.Event(), []
    write, hide = PageIndex.write, KeptSite.hide

    def slow_write(index: PageIndex, site_dir: Path) -> None:
        gate.wait(timeout=60)
        write(index, site_dir)
        events.append("index written")

    def logged_hide(site_dir: Path) -> KeptSite | None:
        kept = hide(site_dir)
        events.extend(["last build hidden"] if kept else [])
        return kept

    monkeypatch.setattr(PageIndex, "write", slow_write)
    monkeypatch.setattr(KeptSite, "hide", logged_hide)
    config = _preview(root, site)
    try:
        assert (site / "studies" / "low-dose-il2-sle" / "index.html").is_file(), "the build is done"
        assert not (site / SEARCH_SUBDIR).exists() and events == [], "its index is not written yet"
        threading.Timer(0.3, gate.set).start()
        build(_config(root, site_dir=str(site), strict=False))
    finally:
        config.plugins.on_shutdown()
    assert events == ["index written", "last build hidden", "index written"]
    assert json.loads((site / SEARCH_SUBDIR / "pagefind-entry.json").read_text())["languages"]["en"]["page_count"] > 1


def test_a_preview_whose_search_index_fails_says_so_and_goes_on(site_project, tmp_path, monkeypatch, serve_messages):
    def failing_write(index: PageIndex, site_dir: Path) -> None:
        index.close()
        raise SearchIndexError("the search index could not be built: no space left on device")

    monkeypatch.setattr(PageIndex, "write", failing_write)
    config = _preview(site_project.root, tmp_path / "preview")
    config.plugins.on_shutdown()
    assert serve_messages == ["the search index could not be built: no space left on device"]
    assert (tmp_path / "preview" / "studies" / "low-dose-il2-sle" / "index.html").is_file()


def _plugin(config: MkDocsConfig) -> plugin_module.RheumEvidencePlugin:
    return config.plugins["rheum-evidence"]  # type: ignore[return-value]


def _crash(*args: object, **kwargs: object) -> NoReturn:
    raise RuntimeError("simulated crash in the middle of a rebuild")


# --- a preview when the content breaks -----------------------------------------------------------------------


def test_a_preview_keeps_serving_the_last_good_build_when_the_content_breaks(
    site_project, tmp_path, serve_messages
) -> None:
    root = site_project.root
    config = _config(root, site_dir=str(tmp_path / "preview"))
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        good = _generated(config)
        site_project.study("broken", MINIMAL_STUDY + "summery: x\n")
        kept = _generated(_config(root, site_dir=str(tmp_path / "preview")))
    finally:
        config.plugins.on_shutdown()
    assert sorted(kept) == sorted(good)
    assert kept[IL2].content_string == good[IL2].content_string
    assert serve_messages == [
        "1 content problem; still serving the last good version:\n"
        "content/studies/broken.yaml:8:1: summery: unknown key `summery`; did you mean `summary`?"
    ]


def test_a_preview_whose_first_build_breaks_stops_with_the_problems(site_project, tmp_path) -> None:
    site_project.study("broken", MINIMAL_STUDY + "summery: x\n")
    config = _config(site_project.root, site_dir=str(tmp_path / "preview"))
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        with pytest.raises(PluginError) as caught:
            config.plugins.on_config(config)
    finally:
        config.plugins.on_shutdown()
    assert str(caught.value) == (
        "1 content problem; nothing was built:\n"
        "content/studies/broken.yaml:8:1: summery: unknown key `summery`; did you mean `summary`?"
    )


def _banner(files: dict[str, File]) -> dict:
    return json.loads(files[BANNER_DATA].content_string)


def test_the_banner_lists_the_problems_of_a_broken_save_and_clears_when_they_are_fixed(
    site_project, tmp_path, serve_messages
) -> None:
    root = site_project.root
    config = _config(root, site_dir=str(tmp_path / "preview"))
    config.plugins.on_startup(command="serve", dirty=True)
    try:
        good = _generated(config)
        assert _banner(good) == {"summary": "", "problems": []}
        assert BANNER_SCRIPT in good
        site_project.study("broken", MINIMAL_STUDY + "summery: x\n" + "conditions: [<b>]\n")
        broken = _banner(_generated(_config(root, site_dir=str(tmp_path / "preview"))))
        (root / "content" / "studies" / "broken.yaml").unlink()
        fixed = _banner(_generated(_config(root, site_dir=str(tmp_path / "preview"))))
    finally:
        config.plugins.on_shutdown()
    assert broken == {
        "summary": "2 content problems: fix and save; until then this preview shows the last good version",
        "problems": [
            "content/studies/broken.yaml:8:1: summery: unknown key `summery`; did you mean `summary`?",
            "content/studies/broken.yaml:9:1: conditions: unknown key `conditions`; did you mean `condition`?",
        ],
    }
    assert fixed == {"summary": "", "problems": []}
    assert len(serve_messages) == 1, "the terminal prints them too"


def test_every_preview_page_and_the_404_page_load_the_banner_and_a_build_s_pages_do_not(site_project, tmp_path) -> None:
    root = site_project.root
    config = _config(root, site_dir=str(tmp_path / "preview"), site_url="http://127.0.0.1:8000/sub/", strict=False)
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    tag = '<script src="/sub/assets/preview-problems.js" defer></script></body>'
    pages = [page for page in (tmp_path / "preview").rglob("*.html") if page.parent.name != "admin"]  # the editor
    assert len(pages) > 20 and all(tag in page.read_text(encoding="utf-8") for page in pages)
    assert (tmp_path / "preview" / "assets" / "preview-problems.js").is_file()
    site = build_site(root)
    assert not (site / "assets" / "preview-problems.js").exists()
    assert not any("preview-problems" in page.read_text(encoding="utf-8") for page in site.rglob("*.html"))


def test_a_preview_shows_drafts_marked_and_a_build_leaves_them_out(site_project, tmp_path) -> None:
    root = site_project.root
    site_project.study(
        "new-draft", MINIMAL_STUDY.replace("A minimal valid study", "A study still in draft") + "status: draft\n"
    )
    config = _config(root, site_dir=str(tmp_path / "preview"))
    config.plugins.on_startup(command="serve", dirty=True)
    try:
        previewed = _generated(config)
    finally:
        config.plugins.on_shutdown()
    page = previewed["studies/new-draft.md"].content_string
    assert '<p class="re-draft" role="note"><strong>Draft:</strong> readers do not see this study.' in page
    home = previewed["index.md"].content_string
    assert "A study still in draft</a></h3>" in home and '<strong class="re-draft-mark">Draft</strong>' in home
    assert "new-draft" not in previewed["studies.json"].content_string, "open data never holds drafts"
    site = build_site(root)
    assert not (site / "studies" / "new-draft").exists()


def test_a_preview_of_the_published_studies_only(site_project, tmp_path) -> None:
    mkdocs_yml = site_project.root / "mkdocs.yml"
    mkdocs_yml.write_text(mkdocs_yml.read_text().replace("preview_drafts: true", "preview_drafts: false"))
    site_project.study("new-draft", MINIMAL_STUDY + "status: draft\n")
    config = _config(site_project.root, site_dir=str(tmp_path / "preview"))
    config.plugins.on_startup(command="serve", dirty=True)
    try:
        assert "studies/new-draft.md" not in _generated(config)
    finally:
        config.plugins.on_shutdown()


# --- sessions and publications -------------------------------------------------------------------------------


@pytest.fixture
def live_server(tmp_path) -> Iterator[LiveReloadServer]:
    """MkDocs' live-reload server as `mkdocs serve` hands it to plugins: made, never started."""
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    yield server
    server.server_close()


def watched(observer) -> set[str]:
    """The paths an observer watches, as they were named to it."""
    return {emitter.watch.raw_path for emitter in observer.emitters}


@pytest.mark.parametrize("native", [True, False], ids=["native", "polling"])
def test_serve_watches_the_project_with_the_chosen_watcher_and_keeps_what_mkdocs_watched(
    site_project, live_server, native
) -> None:
    root = site_project.root
    polling = live_server.observer
    mkdocs_own = {str(root / "content" / "pages"), str(root / "mkdocs.yml")}
    for path in sorted(mkdocs_own):
        live_server.watch(path)
    watch(live_server, root, native=native)
    ours = {str(root / name) for name in ("content", "site_data", "templates")}
    assert watched(live_server.observer) == mkdocs_own | ours
    if native:
        assert isinstance(live_server.observer, Observer) and not isinstance(live_server.observer, PollingObserver)
        assert watched(polling) == set(), "nothing is left with the observer that never starts"
    else:
        assert live_server.observer is polling


def test_the_native_watcher_tells_of_changes_not_of_files_being_read(site_project, live_server) -> None:
    """A build reads every file it watches; were reading an event, each build would start the next."""
    root = site_project.root
    watch(live_server, root, native=True)
    seen: list[str] = []
    handler = FileSystemEventHandler()
    handler.on_any_event = lambda event: seen.append(event.event_type)  # type: ignore[method-assign]
    study = root / "content" / "studies" / "low-dose-il2-sle.yaml"
    live_server.observer.schedule(handler, str(study.parent), recursive=True)
    live_server.observer.start()
    try:
        study.read_text(encoding="utf-8")
        time.sleep(0.5)
        assert seen == []
        study.write_text(study.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        deadline = time.monotonic() + 10
        while "closed" not in seen and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "modified" in seen and "closed" in seen and "opened" not in seen
    finally:
        live_server.observer.stop()
        live_server.observer.join()


def test_serve_clean_publishes_its_first_build_and_rebuilds_in_place(site_project, tmp_path, live_server) -> None:
    root, site = site_project.root, tmp_path / "served"
    config = _config(root, site_dir=str(site))
    config.plugins.on_startup(command="build", dirty=False)  # what `mkdocs serve --clean` passes
    try:
        build(config)
        assert not site.exists(), "published only once MkDocs serves"
        config.plugins.on_serve(live_server, config=config, builder=None)
        assert (site / "studies.json").exists()
        assert watched(live_server.observer) == {str(root / name) for name in ("content", "site_data", "templates")}
        rebuild = _config(root, site_dir=str(site))
        rebuild = rebuild.plugins.on_config(rebuild)
        assert rebuild.site_dir == str(site), "a rebuild goes straight into the served folder"
    finally:
        config.plugins.on_shutdown()


def test_a_build_that_fails_names_the_real_site_dir_again(site_project, monkeypatch) -> None:
    root = site_project.root

    def fail(index, site_dir):
        index.close()
        raise SearchIndexError("the search index could not be built: simulated")

    monkeypatch.setattr(plugin_module.PageIndex, "write", fail)
    config = _config(root)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        with pytest.raises(Abort):
            build(config)
        assert config.site_dir == str(root / "site")
        assert not list(root.glob(".site-build-*")), "the staging folder is thrown away"
    finally:
        config.plugins.on_shutdown()
    assert not (root / "site").exists()


def test_on_config_is_refused_before_on_startup_and_after_on_shutdown(site_project) -> None:
    config = _config(site_project.root)
    config.plugins.on_startup(command="build", dirty=False)
    config.plugins.on_shutdown()
    with pytest.raises(PluginError) as caught:
        config.plugins.on_config(config)
    assert str(caught.value) == NOT_STARTED
    plugin = plugin_module.RheumEvidencePlugin()
    plugin.load_config({})
    with pytest.raises(PluginError) as caught:
        plugin.on_config(config)
    assert str(caught.value) == NOT_STARTED


def test_a_publication_points_site_dir_at_its_staging_folder_and_back(tmp_path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("old")
    config = SimpleNamespace(site_dir=str(site))
    aborted = Publication.start(config)
    staging = Path(config.site_dir)
    assert staging.parent == tmp_path and staging.name.startswith(".site-build-")
    aborted.abort()
    assert config.site_dir == str(site) and not staging.exists()

    unfinished = Publication.start(config)
    (Path(config.site_dir) / "index.html").write_text("unfinished")
    unfinished.publish()
    assert config.site_dir == str(site) and (site / "index.html").read_text() == "old"

    finished = Publication.start(config)
    (Path(config.site_dir) / "index.html").write_text("new")
    finished.finished = True
    finished.publish()
    assert config.site_dir == str(site) and (site / "index.html").read_text() == "new"
    assert not list(tmp_path.glob(".site-build-*"))


# --- the preview's bookkeeping, the page policy and the settings ---------------------------------------------


def test_a_preview_tells_changed_pages_and_files() -> None:
    preview = Preview(dirty=True)
    assert preview.changed("a.md", "text"), "nothing was built yet"
    preview.remember(Build(pages=[GeneratedPage("a.md", "text")], files={"a.json": b"{}"}))
    assert not preview.changed("a.md", "text")
    assert not preview.changed("a.json", b"{}")
    assert preview.changed("a.md", "new text")
    assert preview.changed("a.json", b"[]")
    assert preview.changed("c.md", "text")
    assert Preview(dirty=False, previous={"a.md": "text"}).changed("a.md", "text"), "without --dirty all is built"


def test_a_preview_leaves_a_page_unwritten_only_when_the_site_folder_holds_the_same_html(tmp_path, caplog) -> None:
    page = tmp_path / "index.html"
    page.write_text("<p>old</p>", encoding="utf-8")
    preview = Preview()
    preview.start()
    assert preview.output("a.md", str(page), "<p>old</p>") == "<p>old</p>", "a first build writes every page"
    assert preview.output("a.md", str(page), "<p>old</p>") == "<p>old</p>", "a build that did not keep the folder too"
    preview.kept = KeptSite(tmp_path)
    assert preview.output("a.md", str(page), "<p>new</p>") == "<p>new</p>"
    os.utime(page, (1_000_000_000, 1_000_000_000))
    assert preview.output("a.md", str(page), "<p>new</p>") == ""
    assert page.stat().st_mtime > 1_000_000_000, "dated now, so that the rebuild keeps it"
    assert preview.output("b.md", str(tmp_path / "gone.html"), "<p>new</p>") == "<p>new</p>"
    assert preview.output("b.md", str(tmp_path / "gone.html"), "<p>new</p>") == "<p>new</p>", "not in the folder"
    mkdocs_log = logging.getLogger("mkdocs.commands.build")
    with caplog.at_level(logging.INFO, logger="mkdocs.commands.build"):
        mkdocs_log.info("Page skipped: '%s'. Generated empty output.", "a.md")
        mkdocs_log.info("Page skipped: '%s'. Generated empty output.", "b.md")
    assert [record.getMessage() for record in caplog.records] == ["Page skipped: 'b.md'. Generated empty output."]
    preview.kept = None  # nothing hidden to put back
    preview.build_failed()
    preview.kept = KeptSite(tmp_path)
    assert preview.output("a.md", str(page), "<p>new</p>") == "<p>new</p>", "after a failure every page is written"


def test_a_preview_without_a_good_build_has_nothing_to_keep_serving(serve_messages) -> None:
    from generator.errors import ContentError, Problem

    error = ContentError([Problem("content/studies/x.yaml", 1, 1, "", "broken")])
    assert Preview().keep_serving(error) is None
    last = Build(pages=[GeneratedPage("a.md", "text")], held={"a.md": "<p>held</p>"})
    again = Preview(last=last).keep_serving(error)
    assert again is not None and again.pages == last.pages and again.held == {}
    assert serve_messages == [
        "1 content problem; still serving the last good version:\ncontent/studies/x.yaml:1:1: broken"
    ]


def test_the_page_policy_hashes_the_theme_scripts_once_per_page_depth(monkeypatch) -> None:
    env = jinja2.Environment(
        loader=jinja2.DictLoader({"partials/javascripts/base.html": '<script>var base = "{{ base_url }}"</script>'})
    )
    calls = []
    original = policy_module.theme_script_hashes

    def counted(env, base_url, features):
        calls.append(base_url)
        return original(env, base_url, features)

    monkeypatch.setattr(policy_module, "theme_script_hashes", counted)
    policy = PagePolicy(env, [], comments=True)

    def page(src: str, url: str):
        return SimpleNamespace(file=SimpleNamespace(src_uri=src), url=url)

    first = policy.page("<html><head></head></html>", page("studies/a.md", "studies/a/"))
    policy.page("<html><head></head></html>", page("studies/b.md", "studies/b/"))
    search = policy.page("<html><head></head></html>", page("search.md", "search/"))
    error = policy.error_page("<html><head></head></html>", "https://example.org/evidence/")
    assert calls == ["../..", "..", "/evidence/"]
    assert '<meta http-equiv="Content-Security-Policy"' in first and "https://giscus.app" in first
    assert "wasm-unsafe-eval" in search and "wasm-unsafe-eval" not in first
    assert policy.hashes["../.."] != policy.hashes["/evidence/"]
    assert "Content-Security-Policy" in error


def test_comments_settings_are_parsed_with_the_same_messages() -> None:
    assert comments_setting(None) is None
    settings = {"repo": "octo/rheum", "repo_id": "R_1", "category": "Comments", "category_id": "DIC_2"}
    assert comments_setting(settings) == Comments("octo/rheum", "R_1", "Comments", "DIC_2")
    with pytest.raises(
        PluginError, match="^extra.comments must be a mapping with repo, repo_id, category, category_id$"
    ):
        comments_setting("octo/rheum")
    with pytest.raises(PluginError, match="^extra.comments is missing: repo_id, category_id$"):
        comments_setting({"repo": "octo/rheum", "category": "Comments", "repo_id": " "})


def test_the_related_options_are_typed_and_become_one_related_config(site_project) -> None:
    mkdocs_yml = site_project.root / "mkdocs.yml"
    text = mkdocs_yml.read_text()
    mkdocs_yml.write_text(text.replace("      preview_drafts: true\n", "      related: {count: 2}\n"))
    options = _config(site_project.root).plugins["rheum-evidence"].config
    assert options.related.related_config() == RelatedConfig(count=2)


def test_a_preview_compiles_each_theme_template_once_and_again_only_when_it_changes(monkeypatch) -> None:
    sources = {"page.html": "<p>{{ title }}</p>"}
    cache = Preview().templates
    compiled: list[str] = []
    original = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):  # type: ignore[no-untyped-def]
        compiled.append(name)
        return original(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)

    def render() -> str:  # MkDocs makes a new environment for each build
        return jinja2.Environment(loader=jinja2.DictLoader(sources), bytecode_cache=cache).get_template(
            "page.html").render(title="T")  # fmt: skip

    assert render() == "<p>T</p>" and compiled == ["page.html"]
    assert render() == "<p>T</p>" and compiled == ["page.html"], "the second build compiles nothing"
    sources["page.html"] = "<h1>{{ title }}</h1>"
    assert render() == "<h1>T</h1>" and compiled == ["page.html", "page.html"], "a changed template is compiled"


def test_a_preview_rebuild_compiles_no_unchanged_template(site_project, tmp_path, monkeypatch) -> None:
    compiled: list[str] = []
    original = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):  # type: ignore[no-untyped-def]
        compiled.append(name)
        return original(self, source, name, filename, raw, defer_init)

    config = _config(site_project.root, site_dir=str(tmp_path / "preview"))
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        build(config)
        monkeypatch.setattr(jinja2.Environment, "compile", counting)
        build(_config(site_project.root, site_dir=str(tmp_path / "preview")))
    finally:
        config.plugins.on_shutdown()
    assert compiled == []
