"""Search tried as a reader would on real published trials (tests/derive/fixtures/quality) beside the seed.

Brand names, drug classes, abbreviations and condition synonyms each find exactly the trials that are
about them, although none of those words is what the study files call the drug or the condition.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from ..conftest import ROOT, build_site

QUALITY = ROOT / "tests/derive/fixtures/quality/studies"
TOFACITINIB = "Tofacitinib Carries More Cancer and Heart Risk than TNF Inhibitors in Older RA Patients"
UPADACITINIB = "Upadacitinib Beats Placebo and Adalimumab in Methotrexate-Refractory RA"


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The seed and the real trials built and served at the root of 127.0.0.1:<port>."""
    root = tmp_path_factory.mktemp("real-trials")
    for name in ("templates", "site_data", "content"):
        shutil.copytree(ROOT / name, root / name)
    for study in QUALITY.glob("*.yaml"):
        shutil.copy(study, root / "content/studies" / study.name)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root / "site")))
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    build_site(root, site_url=url)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    fragment_delay = 0.0  # seconds before each Pagefind result fragment is served: a slow connection

    def do_GET(self) -> None:
        if "/pagefind/fragment/" in self.path:
            time.sleep(self.fragment_delay)
        super().do_GET()

    def log_message(self, format: str, *args: object) -> None:
        pass


def titles(page: Page, origin: str, query: str) -> list[str]:
    """Type ``query`` in the search page's box; the titles of the results once they are counted."""
    page.goto(origin + "search/")
    page.get_by_role("searchbox", name="Search studies").press_sequentially(query, delay=10)
    expect(page.locator(".re-search__count")).to_have_text(re.compile(rf"(\d+ results?|No results) for {query}$"))
    return page.locator("a.re-search__link").all_inner_texts()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("JAK inhibitors", {TOFACITINIB, UPADACITINIB}),  # a class: its drugs
        ("Xeljanz", {TOFACITINIB}),  # a brand: its generic name
        ("Rinvoq", {UPADACITINIB}),
        ("RoActemra", {"Tocilizumab Sustains Remission in Giant Cell Arteritis",
                       "Tocilizumab Induces and Maintains Remission in Giant Cell Arteritis"}),  # an EU brand
        ("Benlysta", {"Belimumab Improves Kidney Responses in Lupus Nephritis"}),
        ("Tavneos", {"Avacopan Can Replace Prednisone Taper in ANCA-Associated Vasculitis"}),
    ],
)  # fmt: skip
def test_brands_and_classes_find_the_real_trials_of_their_drugs(page: Page, origin: str, query, expected) -> None:
    assert set(titles(page, origin, query)) == expected


def test_a_condition_synonym_finds_the_trials_of_the_condition(page: Page, origin: str) -> None:
    found = titles(page, origin, "temporal arteritis")
    assert {"Tocilizumab Sustains Remission in Giant Cell Arteritis"} <= set(found)
    assert all("Arteritis" in title or "GCA" in title for title in found), found


def test_a_word_of_no_study_finds_nothing(page: Page, origin: str) -> None:
    assert titles(page, origin, "zyxwvutsr") == []


def test_the_count_appears_with_the_results_it_counts_on_a_slow_connection(page: Page, origin: str) -> None:
    _Quiet.fragment_delay = 0.5
    try:
        page.goto(origin + "search/")
        page.get_by_role("searchbox", name="Search studies").fill("JAK inhibitors")
        expect(page.locator(".re-search__count")).to_have_text("2 results for JAK inhibitors")
        assert set(page.locator("a.re-search__link").all_inner_texts()) == {TOFACITINIB, UPADACITINIB}
    finally:
        _Quiet.fragment_delay = 0.0
