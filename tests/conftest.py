"""Shared fixtures: a throw-away project folder with the real vocabularies."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests assert behaviour, never speed: Hypothesis' default deadline (200 ms an example) fails
# them at random on a loaded, shared machine. Speed has its benchmarks (make bench).
settings.register_profile("behaviour", deadline=None)
settings.load_profile("behaviour")

ROOT = Path(__file__).resolve().parent.parent

SEED = [
    "aav-mortality-usa",
    "aspirin-vasodilators-ssc",
    "low-dose-il2-sle",
    "opportunistic-infections-myositis",
    "rivaroxaban-vs-warfarin-aps",
    "serum-interferon-predicts-lupus-flares",
]
"""The slugs of the six seed studies, in order."""

MINIMAL_STUDY = """\
title: A minimal valid study
published: 2020-01-02
condition: sle
summary: Twenty characters or more of summary text.
study:
  design: cohort
body: Some text.
"""


class Project:
    """A project folder in ``tmp_path`` holding site_data, templates and chosen studies."""

    def __init__(self, root: Path):
        self.root = root
        shutil.copytree(ROOT / "site_data", root / "site_data")
        (root / "content" / "studies").mkdir(parents=True)
        (root / "content" / "pages").mkdir(parents=True)

    def study(self, slug: str, text: str) -> Path:
        """Write ``content/studies/<slug>.yaml`` from dedented ``text``."""
        path = self.root / "content" / "studies" / f"{slug}.yaml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def study_bytes(self, slug: str, data: bytes) -> Path:
        """Write a study file byte for byte."""
        path = self.root / "content" / "studies" / f"{slug}.yaml"
        path.write_bytes(data)
        return path

    def copy_seed(self) -> None:
        """Copy the real seed studies and pages in."""
        shutil.copytree(ROOT / "content", self.root / "content", dirs_exist_ok=True)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """An empty project with the real vocabularies."""
    return Project(tmp_path)


def build_site(root: Path, **overrides) -> Path:
    """Build the project at ``root`` with MkDocs, in-process, as `mkdocs build` does; return site/."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(root / "mkdocs.yml"), **overrides)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return root / "site"


def seed_project(root: Path | Project) -> Project:
    """A project (in ``root``, or ``root`` itself) with the real mkdocs.yml, theme overrides, pages and seed studies."""
    project = root if isinstance(root, Project) else Project(root)
    shutil.copy(ROOT / "mkdocs.yml", project.root / "mkdocs.yml")
    shutil.copytree(ROOT / "templates", project.root / "templates")
    project.copy_seed()
    return project


@pytest.fixture
def site_project(project: Project) -> Project:
    """A project with the real mkdocs.yml, theme overrides, pages and seed studies."""
    return seed_project(project)
