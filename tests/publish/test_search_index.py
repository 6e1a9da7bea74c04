"""The Pagefind index the build feeds: written whole, by the build itself, before Pagefind stops."""

from __future__ import annotations

import json

import pytest

from generator.publish import search
from generator.publish.search import SEARCH_SUBDIR, PageIndex, SearchIndexError

PAGE = (
    '<html lang="en"><body><main data-pagefind-body><h1>Tocilizumab in giant cell arteritis</h1></main></body></html>'
)


def test_the_build_writes_every_file_of_the_index_whole_before_it_returns(tmp_path) -> None:
    index = PageIndex.start()
    for number in range(20):
        index.add(f"/studies/s{number}/", PAGE.replace("giant", f"giant {number}"))
    index.write(tmp_path)
    bundle = tmp_path / SEARCH_SUBDIR
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 20
    assert (bundle / f"pagefind.{entry['languages']['en']['hash']}.pf_meta").is_file()
    written = [path for path in bundle.rglob("*") if path.is_file()]
    assert len(list(bundle.glob("fragment/*.pf_fragment"))) == 20
    assert all(path.stat().st_size > 0 for path in written), "no file is left empty"
    wasm = bundle / "wasm.en.pagefind"
    assert wasm.stat().st_size > 1 << 16, "a reply longer than one read of the pipe arrives whole"
    assert index.process.poll() is not None, "Pagefind is stopped"


def test_a_failed_build_stops_pagefind_at_once() -> None:
    index = PageIndex.start()
    index.add("/studies/s/", PAGE)
    index.close()
    assert index.process.returncode < 0, "a failed build's Pagefind is killed, not left to write"


def test_an_index_file_named_outside_the_bundle_is_refused(tmp_path) -> None:
    with pytest.raises(SearchIndexError) as error:
        search._write_bundle(tmp_path / SEARCH_SUBDIR, [{"path": "../index.html", "content": "PGgxPg=="}])
    assert str(error.value) == "the search index could not be built: Pagefind named a file outside it: '../index.html'"
    assert not (tmp_path / "index.html").exists()
