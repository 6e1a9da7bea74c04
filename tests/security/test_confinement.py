"""Confinement: every file read is inside content/, site_data/ or templates/, and MkDocs builds exactly what was checked."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from generator.errors import ContentError
from generator.publish import plugin as plugin_module
from generator.read import confine, content
from generator.read.content import load_content

from ..build.test_build import tree_digest
from ..conftest import MINIMAL_STUDY, ROOT, Project, build_site

SECRET = "OUTSIDE-SECRET-7f3a: not: [valid yaml"
"""Text of the files outside the project: it must never appear in a message or a page."""

MKDOCS = [sys.executable, "-m", "mkdocs", "build", "--quiet"]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the project holding files an attacker would like the build to read."""
    folder = tmp_path / "outside"
    folder.mkdir()
    for name in ("about.md", "s.yaml", "conditions.yaml", "study.md.j2", "rheum.css"):
        (folder / name).write_text(SECRET + "\n", encoding="utf-8")
    return folder


@pytest.fixture
def inside(tmp_path: Path) -> Project:
    """A project in a subfolder of tmp_path, so that ``outside`` really is outside it."""
    root = tmp_path / "project"
    root.mkdir()
    project = Project(root)
    project.study("fine", MINIMAL_STUDY)
    shutil.copytree(ROOT / "templates", root / "templates")
    return project


def _replace_with_link(path: Path, target: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif os.path.lexists(path):
        path.unlink()
    path.symlink_to(target, target_is_directory=target.is_dir())


LINKS = {
    "content/studies a folder link": (
        lambda root, out: _replace_with_link(root / "content/studies", out),
        "content/studies:1:1: is a link to a folder outside content/; copy the folder in",
    ),
    "content/pages a folder link": (
        lambda root, out: _replace_with_link(root / "content/pages", out),
        "content/pages:1:1: is a link to a folder outside content/; copy the folder in",
    ),
    "content/ itself a folder link": (
        lambda root, out: (
            shutil.copytree(root / "content", out / "content"),
            _replace_with_link(root / "content", out / "content"),
        ),
        "content/pages:1:1: is in a linked folder that leads outside content/; copy the files in\n"
        "content/studies:1:1: is in a linked folder that leads outside content/; copy the files in",
    ),  # fmt: skip
    "a page a link to a file outside": (
        lambda root, out: (root / "content/pages/about.md").symlink_to(out / "about.md"),
        "content/pages/about.md:1:1: is a link to a file outside content/; copy the file in",
    ),
    "a study a link to a file outside": (
        lambda root, out: (root / "content/studies/s.yaml").symlink_to(out / "s.yaml"),
        "content/studies/s.yaml:1:1: is a link to a file outside content/; copy the file in",
    ),
    "a page a link to a site_data file": (
        lambda root, out: (root / "content/pages/config.md").symlink_to(root / "site_data" / "authors.yaml"),
        "content/pages/config.md:1:1: is a link to a file outside content/; copy the file in",
    ),
    "site_data/conditions.yaml a link to a file outside": (
        lambda root, out: _replace_with_link(root / "site_data/conditions.yaml", out / "conditions.yaml"),
        "site_data/conditions.yaml:1:1: is a link to a file outside site_data/; copy the file in",
    ),
    "site_data/ a folder link": (
        lambda root, out: (
            shutil.copytree(root / "site_data", out / "site_data"),
            _replace_with_link(root / "site_data", out / "site_data"),
        ),
        "site_data/authors.yaml:1:1: is in a linked folder that leads outside site_data/; copy the files in\n"
        "site_data/conditions.yaml:1:1: is in a linked folder that leads outside site_data/; copy the files in\n"
        "site_data/drugs.yaml:1:1: is in a linked folder that leads outside site_data/; copy the files in",
    ),  # fmt: skip
    "templates/ a folder link": (
        lambda root, out: (
            shutil.copytree(root / "templates", out / "templates"),
            _replace_with_link(root / "templates", out / "templates"),
        ),
        "templates:1:1: is a link to a folder outside templates/; copy the folder in",
    ),  # fmt: skip
    "a template a link to a file outside": (
        lambda root, out: _replace_with_link(root / "templates/study.md.j2", out / "study.md.j2"),
        "templates/study.md.j2:1:1: is a link to a file outside templates/; copy the file in",
    ),
    "a theme asset folder a link": (
        lambda root, out: _replace_with_link(root / "templates/overrides/assets", out),
        "templates/overrides/assets:1:1: is a link to a folder outside templates/; copy the folder in",
    ),
    "a loop of folder links in content/pages": (
        lambda root, out: (root / "content/pages/loop").symlink_to("loop"),
        f"content/pages/loop:1:1: {confine.LOOP}",
    ),
    "a loop of links in templates": (
        lambda root, out: ((root / "templates/a").symlink_to("b"), (root / "templates/b").symlink_to("a")),
        f"templates/a:1:1: {confine.LOOP}\ntemplates/b:1:1: {confine.LOOP}",
    ),
    "a named pipe among the theme assets": (
        lambda root, out: os.mkfifo(root / "templates/overrides/assets/feed.css"),
        "templates/overrides/assets/feed.css:1:1: is not a plain file (a named pipe, socket or device); "
        "replace it with the file itself",
    ),
    "site_data/conditions.yaml a named pipe": (
        lambda root, out: (
            (root / "site_data/conditions.yaml").unlink(),
            os.mkfifo(root / "site_data/conditions.yaml"),
        ),
        "site_data/conditions.yaml:1:1: is not a plain file (a named pipe, socket or device); "
        "replace it with the file itself",
    ),
    "site_data/authors.yaml a folder": (
        lambda root, out: ((root / "site_data/authors.yaml").unlink(), (root / "site_data/authors.yaml").mkdir()),
        "site_data/authors.yaml:1:1: is a folder, not a file",
    ),
}


@pytest.mark.parametrize("setup, expected", LINKS.values(), ids=LINKS.keys())
def test_a_link_leading_outside_or_a_special_file_is_one_line_that_never_quotes_it(
    inside: Project, outside: Path, setup, expected: str
) -> None:
    setup(inside.root, outside)
    with pytest.raises(ContentError) as caught:
        load_content(inside.root)
    assert str(caught.value) == expected
    assert "OUTSIDE-SECRET" not in str(caught.value)


def test_links_that_stay_inside_their_folder_are_read(inside: Project) -> None:
    pages = inside.root / "content" / "pages"
    (pages / "original.md").write_text("# Original\n\nThe page text.\n", encoding="utf-8")
    (pages / "alias.md").symlink_to("original.md")
    (inside.root / "templates" / "study-copy.j2").symlink_to("study.md.j2")
    loaded = load_content(inside.root)
    assert {page.name: page.text for page in loaded.pages}["alias"] == "---\n{}\n---\n\n# Original\n\nThe page text.\n"


def _raise(error: OSError):
    """A read_text that fails with ``error`` for the study file and reads every other file."""
    original = confine.read_text

    def read(path, display):
        if display == "content/studies/fine.yaml":
            raise error
        return original(path, display)

    return read


def _delete_after_listing(monkeypatch, name: str) -> None:
    """Delete ``name`` from the folder right after load_content listed it, as a concurrent `git checkout` would."""
    original = content._listing

    def listing(root, folder, suffix, problems):
        chosen = original(root, folder, suffix, problems)
        for path in chosen:
            if path.name == name:
                path.unlink()
        return chosen

    monkeypatch.setattr(content, "_listing", listing)


UNREADABLE = {
    "permission denied": (
        lambda monkeypatch: monkeypatch.setattr(confine, "read_text", _raise(PermissionError(errno.EACCES, "denied"))),
        "content/studies/fine.yaml:1:1: cannot be read: permission denied",
    ),
    "deleted between the check and the read": (
        lambda monkeypatch: monkeypatch.setattr(confine, "read_text", _raise(FileNotFoundError(errno.ENOENT, "gone"))),
        "content/studies/fine.yaml:1:1: disappeared while it was being read (deleted or renamed during the run); "
        "run again",
    ),
    "a disk error": (
        lambda monkeypatch: monkeypatch.setattr(
            confine, "read_text", _raise(OSError(errno.EIO, os.strerror(errno.EIO)))
        ),
        f"content/studies/fine.yaml:1:1: cannot be read: {os.strerror(errno.EIO)}",
    ),
    "deleted between listing and reading": (
        lambda monkeypatch: _delete_after_listing(monkeypatch, "fine.yaml"),
        "content/studies/fine.yaml:1:1: disappeared while it was being read (deleted or renamed during the run); "
        "run again",
    ),
    "a page deleted between listing and reading": (
        lambda monkeypatch: _delete_after_listing(monkeypatch, "about.md"),
        "content/pages/about.md:1:1: disappeared while it was being read (deleted or renamed during the run); "
        "run again",
    ),
}


@pytest.mark.parametrize("setup, expected", UNREADABLE.values(), ids=UNREADABLE.keys())
def test_an_unreadable_or_vanishing_file_is_one_line(inside: Project, monkeypatch, setup, expected: str) -> None:
    if "fine.yaml" not in expected:  # a page to delete
        (inside.root / "content" / "pages" / "about.md").write_text("# About\n", encoding="utf-8")
    setup(monkeypatch)
    with pytest.raises(ContentError) as caught:
        load_content(inside.root)
    assert str(caught.value) == expected


def test_a_study_gone_before_its_cross_file_problem_is_placed_keeps_the_problem(inside: Project, monkeypatch) -> None:
    inside.study("fine", MINIMAL_STUDY + "authors: [no-such-author]\n")
    original = content._references

    def references(root, names, *args):
        (root / names.file).unlink()  # the file goes away after it was read, before its position is looked up
        return original(root, names, *args)

    monkeypatch.setattr(content, "_references", references)
    with pytest.raises(ContentError) as caught:
        load_content(inside.root)
    assert str(caught.value).startswith("content/studies/fine.yaml:1:1: authors[0]: unknown author `no-such-author`")


# --- through MkDocs ------------------------------------------------------------------------------------------


@pytest.fixture
def built(site_project, outside):
    """A project with a good site/ and a folder outside it; yields (project root, site, digest, outside)."""
    site = build_site(site_project.root)
    return site_project.root, site, tree_digest(site), outside


def _mkdocs(root: Path, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(MKDOCS + list(arguments), cwd=root, env=ENV, capture_output=True, text=True, timeout=600)


def test_a_folder_link_to_outside_is_refused_by_mkdocs_build_and_nothing_of_it_is_published(built) -> None:
    root, site, before, outside = built
    _replace_with_link(root / "content" / "pages", outside)
    result = _mkdocs(root)
    assert result.returncode == 1
    assert "content/pages:1:1: is a link to a folder outside content/; copy the folder in" in result.stderr
    assert "OUTSIDE-SECRET" not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(site) == before
    assert not any("OUTSIDE-SECRET" in path.read_text(errors="replace") for path in site.rglob("*") if path.is_file())


def test_a_named_pipe_in_content_pages_is_refused_without_hanging(built) -> None:
    root, site, before, _ = built
    os.mkfifo(root / "content" / "pages" / "pipe.md")
    result = _mkdocs(root)  # a read of the pipe would block until the timeout fails the test
    assert result.returncode == 1
    assert "content/pages/pipe.md:1:1: is not a file; content/pages holds only *.md files" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(site) == before


def _after_the_check(monkeypatch, action) -> None:
    """Run ``action(root)`` once the plugin has checked the content, before MkDocs walks docs_dir."""
    original = plugin_module.generate

    def generate(root, *args, **kwargs):
        generated = original(root, *args, **kwargs)
        action(root)
        return generated

    monkeypatch.setattr(plugin_module, "generate", generate)


def test_a_page_added_after_the_check_is_refused(built, monkeypatch, caplog) -> None:
    root, site, before, _ = built
    _after_the_check(monkeypatch, lambda root: (root / "content/pages/late.md").write_text("# Late\n"))
    with pytest.raises(Abort):
        build_site(root)
    assert "content/pages/late.md:1:1: appeared after the content was checked; build again" in caplog.text
    assert tree_digest(site) == before


def test_mkdocs_renders_the_text_that_was_checked_not_a_later_one(built, monkeypatch) -> None:
    root, site, _, _ = built
    about = root / "content" / "pages" / "about.md"
    checked = about.read_text(encoding="utf-8")
    _after_the_check(monkeypatch, lambda root: about.write_text("# Swapped in\n\nSWAPPED-AFTER-CHECK\n"))
    build_site(root)
    html = (site / "about" / "index.html").read_text(encoding="utf-8")
    assert "SWAPPED-AFTER-CHECK" not in html
    first_line = next(line for line in checked.splitlines() if line.startswith("# "))
    assert first_line[2:].strip() in html


def test_hidden_files_in_content_pages_are_neither_refused_nor_published(site_project) -> None:
    (site_project.root / "content" / "pages" / ".notes.md").write_text("# HIDDEN-NOTES\n")
    site = build_site(site_project.root)
    assert not (site / ".notes").exists()
    assert not any("HIDDEN-NOTES" in path.read_text(errors="replace") for path in site.rglob("*.html"))


SETTINGS = {
    "docs_dir another folder": (
        "docs_dir: content/pages\n",
        "docs_dir: site_data\n",
        "docs_dir must be content/pages, the folder of hand-written pages rheum-evidence checks",
    ),
    "theme.custom_dir outside templates/": (
        "custom_dir: templates/overrides\n",
        "custom_dir: outside\n",
        "theme.custom_dir must be inside templates/, the folder rheum-evidence checks",
    ),
}


@pytest.mark.parametrize("setting, replacement, expected", SETTINGS.values(), ids=SETTINGS.keys())
def test_settings_that_make_mkdocs_read_unchecked_files_are_refused(built, setting, replacement, expected) -> None:
    root, site, before, _ = built
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert setting in text
    config.write_text(text.replace(setting, replacement), encoding="utf-8")
    result = _mkdocs(root)
    assert result.returncode == 1
    assert expected in result.stderr
    assert "OUTSIDE-SECRET" not in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(site) == before
