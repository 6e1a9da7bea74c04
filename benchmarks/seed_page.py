"""The bytes of one fixed study page of the project's own site, to compare before and after a change.

The repository's own site (``mkdocs.yml``, ``site_data/``, ``templates/`` and
``content/`` copied to a temporary folder) is built once with the site URL of
``mkdocs.yml`` (the published one: the URL is part of every page's links), and
the page of ``content/studies/low-dose-il2-sle.yaml`` is measured.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from .project import REPO, checked, child_env, run_measured

SLUG = "low-dose-il2-sle"
BEFORE = 42_780  # bytes of that page before issue 17's work (commit de91b4e)
COPIED = ("mkdocs.yml", "site_data", "templates", "content")


def seed_page_bytes() -> int:
    """Build the repository's site in a temporary copy; the size of ``site/studies/SLUG/index.html``."""
    with tempfile.TemporaryDirectory(prefix="rheum-bench-seed-") as temp:
        root = Path(temp)
        for name in COPIED:
            source = REPO / name
            if source.is_dir():
                shutil.copytree(source, root / name)
            else:
                shutil.copyfile(source, root / name)
        env = child_env()
        del env["SITE_URL"]  # the site URL mkdocs.yml names by default
        checked(run_measured([sys.executable, "-m", "mkdocs", "build", "-q"], root, env), "build of the own site")
        return (root / "site" / "studies" / SLUG / "index.html").stat().st_size
