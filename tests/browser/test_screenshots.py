"""Screenshots of every kind of page, wide and narrow, light and dark, for people to look at.

Saved to test-artifacts/screenshots/ (git-ignored); CI can keep them as an artifact.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from .conftest import ServedSite, screenshot_path

PAGES = {
    "home": ("", 200),
    "condition-hub": ("conditions/sle/", 200),
    "study": ("studies/low-dose-il2-sle/", 200),
    "topic": ("topics/rivaroxaban/", 200),
    "archive": ("archive/", 200),
    "search": ("search/?q=lupus", 200),
    "404": ("no/such/page/", 404),
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 375])
def test_screenshots_of_each_page_type(browser: Browser, site: ServedSite, width: int, scheme: str) -> None:
    context = browser.new_context(
        viewport={"width": width, "height": 900 if width > 600 else 740}, color_scheme=scheme, is_mobile=width < 600
    )
    try:
        page = context.new_page()
        for name, (path, status) in PAGES.items():
            if scheme == "dark" and name not in ("home", "study"):
                continue
            response = page.goto(site.url(path))
            assert response is not None and response.status == status, name
            expect(page.locator("article h1").first).to_be_visible()
            if name == "search":
                expect(page.locator(".re-search__result").first).to_be_visible()
            suffix = "" if scheme == "light" else "-dark"
            page.screenshot(path=screenshot_path(f"{name}-{width}{suffix}"), full_page=True, animations="disabled")
    finally:
        context.close()
