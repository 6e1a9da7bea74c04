"""Full-text search that stays light however many studies there are.

Pagefind indexes the built site into small chunks that a reader's browser
fetches only as a query needs them, so the first result costs a few hundred
kilobytes at most instead of one index file that grows with every study
(which is what the theme's built-in search downloads).  Only study pages are
indexed (they carry ``data-pagefind-body``), and within them the parts marked
``data-search-exclude`` are left out.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

__all__ = ["SEARCH_SUBDIR", "SearchIndexError", "index_site"]

SEARCH_SUBDIR = "pagefind"


class SearchIndexError(RuntimeError):
    """Raised when the search index could not be built."""


def index_site(site_dir: Path) -> None:
    """Write the search index for the built site in ``site_dir`` to ``site_dir/pagefind``."""
    command = [
        sys.executable, "-m", "pagefind",
        "--site", str(site_dir),
        "--output-subdir", SEARCH_SUBDIR,
        "--exclude-selectors", "[data-search-exclude]",
        "--force-language", "en",
        "--silent",
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SearchIndexError(f"the search index could not be built: {result.stderr.strip() or result.stdout.strip()}")
