"""Faults: a build that fails for any reason, or is killed, leaves the last good site/ byte for byte as it was."""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import lxml.html
import pytest
from mkdocs.exceptions import Abort

from generator.publish import sitefolder as publish

from ..build.test_build import SEED, tree_digest
from ..conftest import ROOT, build_site

MKDOCS = [sys.executable, "-m", "mkdocs", "build", "--quiet"]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def enospc(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.fixture
def built(site_project):
    """A project whose site/ holds a good build; yields (project, site, digest before)."""
    site = build_site(site_project.root)
    return site_project, site, tree_digest(site)


def assert_untouched(project, site: Path, before: str) -> None:
    assert tree_digest(site) == before
    assert not list(project.root.glob(".site-*")), "no staging folder left behind"


def test_template_error_in_the_theme_keeps_the_last_good_site(built) -> None:
    project, site, before = built
    main = project.root / "templates" / "overrides" / "main.html"
    main.write_text(main.read_text() + "{% block footer %}{{ no_such_function() }}{% endblock %}\n")
    with pytest.raises(Exception, match="no_such_function"):
        build_site(project.root)
    assert_untouched(project, site, before)


def test_crash_while_rendering_a_study_page_keeps_the_last_good_site(built, monkeypatch) -> None:
    project, site, before = built
    from generator.render import pages

    original, calls = pages.render_page, []

    def crash_on_third(*args, **kwargs):
        calls.append(args[0])
        if len(calls) == 3:
            raise RuntimeError("simulated crash inside a page render")
        return original(*args, **kwargs)

    monkeypatch.setattr(pages, "render_page", crash_on_third)
    with pytest.raises(RuntimeError, match="simulated crash"):
        build_site(project.root)
    assert_untouched(project, site, before)


def test_disk_full_when_preparing_the_build_folder_is_one_clear_line(built, monkeypatch, caplog) -> None:
    project, site, before = built
    monkeypatch.setattr(publish.tempfile, "mkdtemp", enospc)
    with pytest.raises(Abort):
        build_site(project.root)
    assert f"cannot prepare a folder to build into beside {site}: [Errno 28] No space left on device" in caplog.text
    assert_untouched(project, site, before)
    monkeypatch.undo()  # the lock was released: the next build runs
    build_site(project.root)


def test_disk_full_while_writing_pages_keeps_the_last_good_site(built, monkeypatch) -> None:
    project, site, before = built
    from mkdocs import utils

    original, calls = utils.write_file, []

    def full_after_twenty(content, output_path):
        calls.append(output_path)
        if len(calls) > 20:
            enospc()
        return original(content, output_path)

    monkeypatch.setattr(utils, "write_file", full_after_twenty)
    with pytest.raises(OSError) as caught:
        build_site(project.root)
    assert caught.value.errno == errno.ENOSPC
    assert_untouched(project, site, before)


def test_search_index_failure_keeps_the_last_good_site(built, monkeypatch, caplog) -> None:
    project, site, before = built
    from generator.publish import plugin
    from generator.publish.search import SearchIndexError

    def fail(index, site_dir):
        index.close()
        raise SearchIndexError("the search index could not be built: No space left on device")

    monkeypatch.setattr(plugin.PageIndex, "write", fail)
    with pytest.raises(Abort):
        build_site(project.root)
    assert "the search index could not be built: No space left on device" in caplog.text
    assert_untouched(project, site, before)


def _copy_project(source: Path, target: Path) -> Path:
    target.mkdir()
    for name in ("mkdocs.yml", "templates", "site_data", "content"):
        path = source / name
        (shutil.copytree if path.is_dir() else shutil.copy)(path, target / name)
    return target


def test_killed_build_leaves_the_site_as_it_was_and_the_next_build_cleans_up(site_project, tmp_path) -> None:
    root = site_project.root
    site = build_site(root)
    before = tree_digest(site)
    subprocess.run(
        [sys.executable, "-m", "benchmarks.synth", "300", "--out", str(root / "content" / "studies")],
        check=True, capture_output=True, cwd=ROOT,
    )  # fmt: skip
    process = subprocess.Popen(MKDOCS, cwd=root, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    killed_mid_write = False
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline:
        staging = list(root.glob(".site-build-*/studies/*/index.html"))
        if len(staging) >= 20:  # MkDocs is writing study pages into the staging folder
            process.send_signal(signal.SIGKILL)
            killed_mid_write = True
            break
        time.sleep(0.005)
    process.wait()
    assert killed_mid_write, "the build finished before it could be killed"
    assert list(root.glob(".site-build-*")), "the killed build left its staging folder"
    assert tree_digest(site) == before
    result = subprocess.run(MKDOCS, cwd=root, env=ENV, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert not list(root.glob(".site-*"))
    published = json.loads((site / "studies.json").read_text())["count"]
    assert published > 250 and len(list((site / "studies").iterdir())) == published


def test_two_builds_at_once_publish_one_complete_site(site_project) -> None:
    root = site_project.root
    build_site(root)
    builds = [subprocess.Popen(MKDOCS, cwd=root, env=ENV, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for process in builds:
        _, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr
    site = root / "site"
    assert not list(root.glob(".site-*"))
    for slug in SEED:
        html = lxml.html.fromstring((site / "studies" / slug / "index.html").read_bytes())
        assert html.xpath("//h1") and html.xpath("//meta[@http-equiv='Content-Security-Policy']")
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
    for language in entry["languages"].values():  # the index read by browsers belongs to this site/
        assert (site / "pagefind" / f"pagefind.{language['hash']}.pf_meta").exists()
    assert json.loads((site / "studies.json").read_text())["count"] == len(SEED)
