"""The Pagefind index the build feeds: written whole before Pagefind stops."""

from __future__ import annotations

import json

from generator.publish.search import SEARCH_SUBDIR, PageIndex

PAGE = (
    '<html lang="en"><body><main data-pagefind-body><h1>Tocilizumab in giant cell arteritis</h1></main></body></html>'
)


def test_pagefind_finishes_writing_the_index_and_exits_by_itself(tmp_path) -> None:
    index = PageIndex.start()
    for number in range(20):
        index.add(f"/studies/s{number}/", PAGE.replace("giant", f"giant {number}"))
    index.write(tmp_path)
    assert index.process.returncode == 0, "Pagefind was killed, perhaps before its last writes ended"
    entry = json.loads((tmp_path / SEARCH_SUBDIR / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 20


def test_a_failed_build_stops_pagefind_at_once() -> None:
    index = PageIndex.start()
    index.add("/studies/s/", PAGE)
    index.close()
    assert index.process.returncode < 0, "a failed build's Pagefind is killed, not left to write"
