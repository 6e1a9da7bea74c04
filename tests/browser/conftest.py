"""Browser tests: build the site, serve it like GitHub Pages under a sub-path, drive Debian's Chromium.

The session builds two copies of the real project (mkdocs.yml, templates/,
site_data/, content/ plus the fixture studies in ``fixtures/studies``):

* ``/rheum/``: as configured in the repository (comments off);
* ``/rheum-comments/``: the same with giscus settings in ``extra.comments``.

Both are served by one threaded ``http.server`` on 127.0.0.1 that answers a
missing path with that site's ``404.html`` and status 404, as GitHub Pages does.
Every test's browser context refuses requests to any other host and records
them, so a page that reaches out to the internet fails the test instead of
silently depending on it.

Playwright's own browser download is not used: the tests launch the system
Chromium, named by ``RHEUM_CHROMIUM`` or else Debian's ``chromium`` on PATH
(``apt-get install chromium``; ``.ci/run`` does that; see
:mod:`benchmarks.browser`), and skip, with the reason, when there is none.  A
``RHEUM_CHROMIUM`` that names no executable stops the run instead.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from benchmarks.browser import CHROMIUM_ARGS, ChromiumSettingError, chromium

from ..conftest import ROOT, build_site

HERE = Path(__file__).resolve().parent
FIXTURE_STUDIES = HERE / "fixtures" / "studies"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
try:
    CHROMIUM = chromium()
except ChromiumSettingError as error:
    raise pytest.UsageError(str(error)) from None
COMMENTS = {
    "repo": "octo/rheum-comments",
    "repo_id": "R_kgTest01",
    "category": "Comments",
    "category_id": "DIC_kwTest02",
}
TIMEOUT_MS = 10_000
expect.set_options(timeout=TIMEOUT_MS)
MKDOCS = Path(sys.executable).parent / "mkdocs"

# Variants of the project built for the session: name (also the URL sub-path) -> extra mkdocs.yml text.
VARIANTS = {
    "rheum": "",
    "rheum-comments": "".join(f"    {key}: {value}\n" for key, value in COMMENTS.items()),
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test here `browser`; skip them all, with the reason, when Chromium is missing."""
    skip = pytest.mark.skip(
        reason="Chromium not found: set RHEUM_CHROMIUM, or apt-get install chromium (.ci/run does it)"
    )
    for item in items:
        if Path(str(item.fspath)).is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)
            if CHROMIUM is None:
                item.add_marker(skip)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives a real browser (deselect with -m 'not browser')")


# --- the project copies and the server ------------------------------------------------------


def copy_project(root: Path) -> Path:
    """A copy of this project's site (settings, templates, vocabularies, content) in a new folder ``root``."""
    root.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    for name in ("templates", "site_data", "content"):
        shutil.copytree(ROOT / name, root / name)
    return root


def stop_process(process: subprocess.Popen) -> None:
    """Stop a server the test started, killing it if it does not stop within ten seconds."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def customize_project(root: Path, variant: str) -> None:
    """Hook for demonstrating that the tests catch breakage: patch the copied project here.

    Does nothing normally.  A throw-away pytest plugin can replace it (see the
    report) to break a copy of the templates without touching the real ones.
    """


def make_project(root: Path, variant: str) -> Path:
    """Copy the real project into ``root`` with the fixture studies and the variant's settings."""
    root.mkdir(parents=True)
    for name in ("templates", "site_data", "content"):
        shutil.copytree(ROOT / name, root / name)
    for study in FIXTURE_STUDIES.glob("*.yaml"):
        shutil.copy(study, root / "content" / "studies" / study.name)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    if VARIANTS[variant]:
        assert "  # comments:\n" in config, "mkdocs.yml no longer has the commented-out comments block"
        config = config.replace("  # comments:\n", "  comments:\n" + VARIANTS[variant], 1)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    customize_project(root, variant)
    return root


class GitHubPagesHandler(http.server.SimpleHTTPRequestHandler):
    """Static files; a missing path under /<site>/ gets that site's 404.html with status 404."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code == 404:
            prefix = urlsplit(self.path).path.strip("/").split("/")[0]
            page = Path(self.directory) / prefix / "404.html"
            if prefix and page.is_file():
                body = page.read_bytes()
                self.send_response(404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)
                return
        super().send_error(code, message, explain)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass
class ServedSite:
    """One built site served at ``http://127.0.0.1:PORT/<name>/``."""

    origin: str
    name: str
    root: Path  # the project copy it was built from

    @property
    def base(self) -> str:
        return f"{self.origin}/{self.name}/"

    def url(self, path: str = "") -> str:
        return self.base + path.lstrip("/")

    @property
    def site_dir(self) -> Path:
        return self.root / "site"


@pytest.fixture(scope="session")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, ServedSite]]:
    """Build every variant and serve them all from one threaded server, stopped at the end."""
    tmp = tmp_path_factory.mktemp("browser")
    www = tmp / "www"
    www.mkdir()
    handler = functools.partial(GitHubPagesHandler, directory=str(www))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    built = {}
    try:
        for name in VARIANTS:
            project = make_project(tmp / name, name)
            build_site(project, site_url=f"{origin}/{name}/")
            (www / name).symlink_to(project / "site", target_is_directory=True)
            built[name] = ServedSite(origin, name, project)
    except BaseException:
        server.server_close()
        raise
    thread = threading.Thread(target=server.serve_forever, name="browser-test-server", daemon=True)
    thread.start()
    try:
        yield built
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def site(sites: dict[str, ServedSite]) -> ServedSite:
    """The site as the repository configures it (no comment service)."""
    return sites["rheum"]


@pytest.fixture(scope="session")
def comments_site(sites: dict[str, ServedSite]) -> ServedSite:
    """The same site with giscus configured."""
    return sites["rheum-comments"]


# --- Playwright set-up ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Launch the system Chromium, headless, without any background traffic."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": browser_type_launch_args.get("headless", True),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def base_url() -> None:
    """Tests build full URLs from ``site``.

    Also replaces pytest-playwright's fallback ``base_url`` fixture, which is an
    instance method of a plugin class and so raises pytest 9's
    PytestRemovedIn10Warning (an error under the project's ``filterwarnings``).
    """
    return None


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "color_scheme": "light"}


@dataclass
class Guard:
    """Everything one browser context did that a clean page must not do."""

    origin: str
    requests: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    bad_status: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def watch(self, context, *, allow: Callable[[str], bool] = lambda url: False) -> None:
        """Record every request; refuse (and record) any to another host unless ``allow``ed."""

        def on_request(request) -> None:
            self.requests.append(request.url)
            if not self.is_local(request.url) and not allow(request.url):
                self.foreign.append(request.url)

        def on_failed(request) -> None:
            failure = request.failure or ""
            # A navigation cancels requests still in flight (the search index, for one); not a fault.
            if "ERR_ABORTED" not in failure or not self.is_local(request.url):
                self.failed.append(f"{request.url}: {failure}")

        def on_response(response) -> None:
            if response.status >= 400:
                self.bad_status.append(f"{response.status} {response.url}")

        def on_page(page) -> None:
            def on_console(message) -> None:
                if message.type == "error":
                    self.console_errors.append(f"{page.url}: {message.text}")

            page.on("console", on_console)
            page.on("pageerror", lambda error: self.page_errors.append(f"{page.url}: {error}"))

        def refuse(route) -> None:
            route.abort("blockedbyclient")

        context.on("request", on_request)
        context.on("requestfailed", on_failed)
        context.on("response", on_response)
        context.on("page", on_page)
        for page in context.pages:
            on_page(page)
        context.route(lambda url: not self.is_local(url) and not allow(url), refuse)

    def is_local(self, url: str) -> bool:
        return url.startswith(self.origin + "/") or url.startswith(("data:", "blob:", "about:"))

    def assert_clean(self, *, expected_404: tuple[str, ...] = (), prefix: str = "/") -> None:
        """No foreign, failed or error requests, no console or script errors, and every request under ``prefix``."""
        expected = [f"404 {url}" for url in expected_404]
        bad_status = [entry for entry in self.bad_status if entry not in expected]
        console = self.console_errors
        if expected_404:  # Chromium logs the expected 404 of the page itself as a console error
            console = [m for m in console if "status of 404" not in m or not any(m.startswith(u) for u in expected_404)]
        outside = [
            url
            for url in self.requests
            if self.is_local(url) and not urlsplit(url).path.startswith(prefix) and url.startswith("http")
        ]
        problems = {
            "requests to other hosts": self.foreign,
            "failed requests": self.failed,
            "error responses": bad_status,
            "console errors": console,
            "uncaught script errors": self.page_errors,
            f"requests outside the site's sub-path {prefix}": outside,
        }
        report = "\n".join(f"{label}:\n  " + "\n  ".join(_counted(items)) for label, items in problems.items() if items)
        assert not report, report


def _counted(items: list[str]) -> list[str]:
    """Each distinct item once, with how often it happened."""
    counts: dict[str, int] = {}
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    return [f"{item} (x{count})" if count > 1 else item for item, count in counts.items()]


@pytest.fixture
def guard(context, site: ServedSite) -> Guard:
    """Watch the test's browser context (the one pytest-playwright's ``page`` fixture uses)."""
    watcher = Guard(site.origin)
    watcher.watch(context)
    context.set_default_timeout(TIMEOUT_MS)
    return watcher


def screenshot_path(name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"
