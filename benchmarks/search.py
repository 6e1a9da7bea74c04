"""What a reader downloads before the first search result appears, measured in Chromium."""

from __future__ import annotations

import functools
import gzip
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from benchmarks.browser import CHROMIUM_ARGS, chromium

# A result counts once its title link is in the page: the search page's own reader
# (templates/overrides/assets/search-page.js) adds it when the result's fragment has arrived.
RESULT = ".re-search__result a.re-search__link"

# Records when the first result is in the page (page clock; timeOrigin converts it to wall-clock ms).
MARK_FIRST_RESULT = """
(() => {
  const mark = () => {
    if (window.__firstResult === undefined && document.querySelector('__SELECTOR__')) {
      window.__firstResult = performance.timeOrigin + performance.now();
    }
  };
  new MutationObserver(mark).observe(document, {childList: true, subtree: true});
})();
""".replace("__SELECTOR__", RESULT)


@dataclass(frozen=True)
class SearchCost:
    query: str
    total_bytes: int  # response bodies as served (http.server does not compress)
    pagefind_bytes: int  # of which under /pagefind/
    gzip_bytes: int  # the same responses if the host gzips them (GitHub Pages does), estimated from the files
    requests: int
    first_result_ms: float
    sitemap_bytes: int  # Material fetches /sitemap.xml once per <link rel=alternate> (the feed links)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve ``site`` on 127.0.0.1 (a free port) from a thread; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _file(site: Path, url: str) -> Path:
    path = unquote(urlsplit(url).path)
    return site / (path.lstrip("/") + ("index.html" if path.endswith("/") else ""))


def _served_bytes(site: Path, request: Any) -> int:
    """The response body's size; http.server sends files as they are, so the file's size where Chromium has none."""
    reported = request.sizes()["responseBodySize"]
    if reported > 0:
        return reported
    try:
        return _file(site, request.url).stat().st_size
    except OSError:
        return 0


def _gzip_size(site: Path, url: str, served: int) -> int:
    try:
        data = _file(site, url).read_bytes()
    except OSError:
        return served
    return min(len(gzip.compress(data, 6)), served)  # Pagefind's index files are compressed already


def _finished_at(request: Any) -> float:
    """Wall-clock ms when the response had fully arrived."""
    timing = request.timing
    return timing["startTime"] + max(timing["responseEnd"], 0.0)


def search_costs(site: Path, queries: tuple[str, ...]) -> list[SearchCost]:
    """Open /search/?q=QUERY for each query in a fresh browser context and add up what came before a result.

    Every finished request counts, the page's and Pagefind's worker's alike, when it had finished before
    the first result's title was in the page.
    """
    from playwright.sync_api import sync_playwright  # only this benchmark needs it

    costs = []
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), headless=True, args=CHROMIUM_ARGS)
        try:
            for query in queries:
                context = browser.new_context()  # fresh: nothing cached
                finished: list[Any] = []
                context.on("requestfinished", lambda request, finished=finished: finished.append(request))
                try:
                    page = context.new_page()
                    page.add_init_script(MARK_FIRST_RESULT)
                    page.goto(f"{base}search/?q={quote(query)}", wait_until="commit")
                    page.wait_for_selector(RESULT, timeout=60_000)
                    page.wait_for_function("window.__firstResult !== undefined", timeout=10_000)
                    first = page.evaluate("window.__firstResult - performance.timeOrigin")
                    first_at = page.evaluate("window.__firstResult")
                    page.wait_for_timeout(500)  # let the events of requests already finished arrive
                    before = [
                        (request.url, _served_bytes(site, request))
                        for request in finished
                        if _finished_at(request) <= first_at
                    ]
                finally:
                    context.close()
                costs.append(
                    SearchCost(
                        query=query,
                        total_bytes=sum(size for _, size in before),
                        pagefind_bytes=sum(size for url, size in before if urlsplit(url).path.startswith("/pagefind/")),
                        gzip_bytes=sum(_gzip_size(site, url, size) for url, size in before),
                        requests=len(before),
                        first_result_ms=first,
                        sitemap_bytes=sum(size for url, size in before if urlsplit(url).path == "/sitemap.xml"),
                    )
                )
        finally:
            browser.close()
    return costs
