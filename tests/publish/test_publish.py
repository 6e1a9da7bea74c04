"""Publishing: the new site replaces the old one only after MkDocs finished, and only inside its own folder."""

from __future__ import annotations

import errno
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from generator.publish import config as config_module
from generator.publish import sitefolder as publish
from generator.publish.sitefolder import AtomicSiteDir

from ..build.test_build import tree_digest
from ..conftest import build_site

MKDOCS = [sys.executable, "-m", "mkdocs"]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def _mkdocs(root: Path, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(MKDOCS + list(arguments), cwd=root, env=ENV, capture_output=True, text=True, timeout=600)


@pytest.fixture
def built(site_project):
    """A project whose site/ holds a good build; yields (root, site, digest)."""
    site = build_site(site_project.root)
    return site_project.root, site, tree_digest(site)


def test_a_build_that_fails_in_strict_mode_keeps_the_last_good_site(built) -> None:
    root, site, before = built
    config = root / "mkdocs.yml"  # a nav entry for a page that does not exist is a warning of MkDocs' own
    config.write_text(config.read_text().replace("  - About: about.md\n", "  - About: about.md\n  - Gone: gone.md\n"))
    result = _mkdocs(root, "build")
    assert result.returncode == 1
    assert "Aborted with 1 warnings in strict mode!" in result.stdout + result.stderr
    assert tree_digest(site) == before
    assert not list(root.glob(".site-*")), "no staging folder left behind"


def test_hidden_entries_and_cname_survive_a_build_and_stale_pages_do_not(built) -> None:
    root, site, _ = built
    (site / ".git").mkdir()
    (site / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    (site / ".nojekyll").write_text("")
    (site / "CNAME").write_text("evidence.example.org\n")
    (site / ".well-known").mkdir()
    (site / ".well-known" / "security.txt").write_text("Contact: mailto:security@example.org\n")
    (site / "stale.html").write_text("from an older build")
    result = _mkdocs(root, "build", "--quiet")
    assert result.returncode == 0, result.stderr
    assert (site / ".git" / "HEAD").read_text() == "ref: refs/heads/gh-pages\n"
    assert (site / ".nojekyll").exists()
    assert (site / "CNAME").read_text() == "evidence.example.org\n"
    assert (site / ".well-known" / "security.txt").read_text() == "Contact: mailto:security@example.org\n"
    assert not (site / "stale.html").exists()
    assert (site / "studies.json").exists()


def _enospc(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("exchange", [True, False], ids=["atomic exchange", "two renames"])
def test_a_failed_swap_puts_the_hidden_entries_back_with_the_old_site(tmp_path, monkeypatch, exchange) -> None:
    site = tmp_path / "site"
    (site / ".git").mkdir(parents=True)
    (site / ".git" / "HEAD").write_text("ref")
    (site / "CNAME").write_text("example.org")
    (site / "index.html").write_text("old")
    before = tree_digest(site)
    publisher = AtomicSiteDir(site)
    staging = publisher.start()
    (staging / "index.html").write_text("new")
    real_rename = os.rename

    def rename(source, target):
        if Path(source) == staging:
            _enospc()
        return real_rename(source, target)

    if exchange:
        monkeypatch.setattr(publish, "_exchange", lambda first, second: _enospc())
    else:
        monkeypatch.setattr(publish, "_exchange", lambda first, second: False)
        monkeypatch.setattr(publish.os, "rename", rename)
    with pytest.raises(OSError):
        publisher.commit()
    assert tree_digest(site) == before
    assert not list(tmp_path.glob(".site-*"))


def test_the_new_build_keeps_its_own_cname(tmp_path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "CNAME").write_text("old.example.org")
    publisher = AtomicSiteDir(site)
    (publisher.start() / "CNAME").write_text("new.example.org")
    publisher.commit()
    assert (site / "CNAME").read_text() == "new.example.org"


def test_a_lock_file_planted_as_a_link_is_not_followed(built) -> None:
    root, site, before = built
    victim = root / "victim.txt"
    victim.write_text("must stay")
    (root / ".site.lock").unlink()
    (root / ".site.lock").symlink_to(victim)
    result = _mkdocs(root, "build", "--quiet")
    assert result.returncode == 1
    expected = f"cannot prepare a folder to build into beside {site}: [Errno {errno.ELOOP}] {os.strerror(errno.ELOOP)}"
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert victim.read_text() == "must stay"
    assert tree_digest(site) == before


def test_leftovers_are_removed_only_when_they_are_ours_and_links_are_never_followed(built) -> None:
    root, site, _ = built
    precious = root / "precious"
    precious.mkdir()
    (precious / "keep.txt").write_text("keep")
    (root / ".site-build-planted").symlink_to(precious, target_is_directory=True)
    (root / ".site-notes").mkdir()
    (root / ".site-notes" / "keep.txt").write_text("keep")
    leftover = root / ".site-build-killed"
    (leftover / "studies").mkdir(parents=True)
    (leftover / "studies" / "half.html").write_text("<p>half")
    (leftover / "escape").symlink_to(precious, target_is_directory=True)
    result = _mkdocs(root, "build", "--quiet")
    assert result.returncode == 0, result.stderr
    assert not leftover.exists()
    assert (precious / "keep.txt").read_text() == "keep"
    assert (root / ".site-build-planted").is_symlink()
    assert (root / ".site-notes" / "keep.txt").read_text() == "keep"


SITE_DIRS = {
    "templates/": ("templates", "site_dir `templates` would put the build over templates/"),
    "site_data/": ("site_data", "site_dir `site_data` would put the build over site_data/"),
    "inside site_data/": ("site_data/out", "site_dir `site_data/out` would put the build over site_data/"),
    "generator/ of the project": ("generator", "site_dir `generator` would put the build over generator/"),
    "a link": ("linked-site", "site_dir `linked-site` is a link"),
    "a file": ("site_data/authors.yaml", "site_dir `site_data/authors.yaml` is not a folder"),
}


@pytest.mark.parametrize("site_dir, expected", SITE_DIRS.values(), ids=SITE_DIRS.keys())
def test_a_site_dir_over_the_sources_or_a_link_is_refused(built, site_dir: str, expected: str) -> None:
    root, site, before = built
    (root / "generator").mkdir()
    (root / "generator" / "code.py").write_text("print('source')\n")
    (root / "linked-site").symlink_to(root / "templates", target_is_directory=True)
    sources = {name: tree_digest(root / name) for name in ("templates", "site_data", "generator", "content")}
    result = _mkdocs(root, "build", "--quiet", "--site-dir", site_dir)
    assert result.returncode == 1
    assert f"{expected}; build into a folder of its own, such as `site`" in result.stderr
    assert "Traceback" not in result.stderr
    assert {name: tree_digest(root / name) for name in sources} == sources
    assert (root / "site_data" / "authors.yaml").is_file()
    assert tree_digest(site) == before


def test_a_site_dir_over_the_generators_own_code_is_refused(built, tmp_path_factory, monkeypatch, caplog) -> None:
    root, site, before = built
    package = (
        tmp_path_factory.mktemp("installed") / "generator"
    )  # stands in for the real package, which a regression would wipe
    package.mkdir(parents=True)
    (package / "plugin.py").write_text("code\n")
    monkeypatch.setattr(config_module, "PACKAGE", package)
    with pytest.raises(Abort):
        build_site(root, site_dir=str(package))
    expected = f"site_dir `{package}` would put the build over the generator's code; build into a folder of its own"
    assert expected in caplog.text
    assert (package / "plugin.py").read_text() == "code\n"
    assert tree_digest(site) == before


@pytest.mark.parametrize("relative", [".", "..", "../.."], ids=["project", "parent", "grandparent"])
def test_site_dir_problem_refuses_the_project_folder_and_its_parents(tmp_path, relative: str) -> None:
    project = tmp_path / "a" / "b" / "project"
    project.mkdir(parents=True)
    site_dir = Path(os.path.normpath(project / relative))
    assert publish.site_dir_problem(site_dir, project, {}) == "would put the build over the project folder"
    assert publish.site_dir_problem(project / "site", project, {"content/": project / "content"}) is None


def test_a_programmatic_build_without_startup_and_shutdown_is_refused(built, caplog) -> None:
    root, site, before = built
    config = load_config(str(root / "mkdocs.yml"))
    with pytest.raises(Abort):
        build(config)
    assert (
        "rheum-evidence publishes the site in on_shutdown: run the plugins' on_startup and on_shutdown "
        "around build(), as `mkdocs build` does" in caplog.text
    )
    assert tree_digest(site) == before


def test_after_a_build_site_dir_names_the_published_folder_again(built) -> None:
    root, site, _ = built
    config = load_config(str(root / "mkdocs.yml"))
    config.plugins.on_startup(command="gh-deploy", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    assert config.site_dir == str(site)  # `mkdocs gh-deploy` pushes the folder config.site_dir names
    assert (site / "studies.json").exists()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(url: str, text: str, process: subprocess.Popen) -> str:
    """The page at ``url`` once it contains ``text``; fails if the server stops or never shows it."""
    deadline = time.monotonic() + 240  # a guard against a hang, not a measurement
    while time.monotonic() < deadline:
        assert process.poll() is None, "mkdocs serve stopped"
        try:
            page = urllib.request.urlopen(url, timeout=10).read().decode("utf-8")
            if text in page:
                return page
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} never showed {text!r}")


@pytest.mark.parametrize(
    ("mode", "watcher"),
    [([], "native"), (["--clean"], "native"), (["--dirty", "--no-strict"], "native"), ([], "polling")],
    ids=["serve", "serve --clean", "serve --dirty", "serve, polling"],
)
def test_mkdocs_serve_previews_and_reloads_without_touching_site(site_project, tmp_path, mode, watcher) -> None:
    """An edit of a page (watched by MkDocs) and of a study (watched by the plugin) is served, either watcher;
    a build reading the files it watches does not start another."""
    root = site_project.root
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("preview_drafts: true", f"serve_watcher: {watcher}"),
        encoding="utf-8",
    )
    port = _free_port()
    about = root / "content" / "pages" / "about.md"
    study = root / "content" / "studies" / "low-dose-il2-sle.yaml"
    command = MKDOCS + ["serve", *mode, "-a", f"127.0.0.1:{port}"]
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=root, env=ENV, stdout=subprocess.DEVNULL, stderr=output)
    try:
        base = f"http://127.0.0.1:{port}/rheum-evidence/"
        _wait_for(base + "about/", "About", process)
        about.write_text(about.read_text(encoding="utf-8") + "\nRELOADED-AFTER-EDIT\n", encoding="utf-8")
        _wait_for(base + "about/", "RELOADED-AFTER-EDIT", process)
        text = study.read_text(encoding="utf-8")
        study.write_text(text.replace("title: Low-Dose IL-2 Effective in Lupus", "title: Study edited under serve"))
        _wait_for(base + "studies/low-dose-il2-sle/", "Study edited under serve", process)
        time.sleep(3)  # a build that set off the next one would have done so by now
    finally:
        process.terminate()
        process.wait(timeout=60)
    builds = log.read_text(encoding="utf-8").count("Building documentation...")
    assert builds <= 4, f"{builds} builds for two edits"  # the first build, one per edit, and a spare
    assert not (root / "site").exists(), "a preview never publishes site/"
