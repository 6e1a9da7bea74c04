"""The deployed editor (/admin/ of the built site): it loads from the site alone, signs in with a GitHub token."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from .conftest import ROOT, Guard, build_site, screenshot_path
from .test_studio import NODE_PACKAGE, REFUSED_BY_POLICY

pytestmark = pytest.mark.skipif(not NODE_PACKAGE.is_dir(), reason="the editor's package is not installed: npm ci")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Two builds served under sub-paths as on GitHub Pages: with extra.cms, and without it."""
    tmp = tmp_path_factory.mktemp("admin")
    www = tmp / "www"
    www.mkdir()
    for name, extra in (("configured", "  cms:\n    repo: octo/rheum\n    branch: main\n"), ("bare", "")):
        root = tmp / name
        root.mkdir()
        for folder in ("templates", "site_data", "content"):
            shutil.copytree(ROOT / folder, root / folder)
        config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("extra:\n", "extra:\n" + extra, 1)
        (root / "mkdocs.yml").write_text(config, encoding="utf-8")
        (www / name).symlink_to(build_site(root, site_url=f"http://127.0.0.1/{name}/"), target_is_directory=True)
    handler = functools.partial(_Quiet, directory=str(www))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield {"origin": origin, "configured": f"{origin}/configured/admin/", "bare": f"{origin}/bare/admin/"}
    finally:
        server.shutdown()
        server.server_close()


def test_the_deployed_editor_offers_token_sign_in_and_loads_only_from_the_site(page: Page, deployed) -> None:
    guard = Guard(deployed["origin"])
    guard.watch(page.context)
    page.goto(deployed["configured"])
    expect(page.get_by_role("button", name="Sign In Using Access Token")).to_be_visible()
    expect(page.get_by_role("button", name="Sign In with GitHub", exact=True)).to_have_count(0)  # no OAuth app
    page.screenshot(path=screenshot_path("editor-sign-in-1280"))
    policy = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    assert "connect-src 'self' data: https://api.github.com" in policy
    foreign = [url for url in guard.requests if not guard.is_local(url)]
    assert not foreign, foreign
    assert all(url.startswith(deployed["origin"] + "/configured/") for url in guard.requests if url.startswith("http"))
    errors = [m for m in guard.console_errors if not any(url in m for url in REFUSED_BY_POLICY)]
    assert not errors and not guard.page_errors and not guard.bad_status, (errors, guard.page_errors, guard.bad_status)


def test_without_settings_the_deployed_editor_says_it_is_not_configured(page: Page, deployed) -> None:
    guard = Guard(deployed["origin"])
    guard.watch(page.context)
    page.goto(deployed["bare"])
    expect(page.get_by_role("heading", name="The editor is not configured")).to_be_visible()
    assert page.locator("script").count() == 0
    assert [url for url in guard.requests if url.startswith("http")] == [deployed["bare"]]
    assert not guard.console_errors and not guard.page_errors
