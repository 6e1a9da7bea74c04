"""Comments: giscus only when configured, never a request to giscus.app otherwise.

The giscus client is intercepted with ``page.route`` and answered with an empty
script, so these tests never reach the network.
"""

from __future__ import annotations

from playwright.sync_api import Browser, Page, Route, expect

from .conftest import COMMENTS, Guard, ServedSite

GISCUS_CLIENT = "https://giscus.app/client.js"
STUDY = "studies/low-dose-il2-sle/"


def open_with_fake_giscus(browser: Browser, site: ServedSite, *, color_scheme: str) -> tuple[Page, Guard, list[str]]:
    context = browser.new_context(color_scheme=color_scheme, viewport={"width": 1280, "height": 900})
    served: list[str] = []

    def fake_giscus(route: Route) -> None:
        served.append(route.request.url)
        route.fulfill(status=200, content_type="text/javascript", body="/* giscus stand-in */")

    guard = Guard(site.origin)
    guard.watch(context, allow=lambda url: url == GISCUS_CLIENT)
    context.route(GISCUS_CLIENT, fake_giscus)
    page = context.new_page()
    page.goto(site.url(STUDY))
    page.locator("#comments").scroll_into_view_if_needed()
    return page, guard, served


def test_giscus_is_mounted_with_the_configured_settings(browser: Browser, comments_site: ServedSite) -> None:
    page, guard, served = open_with_fake_giscus(browser, comments_site, color_scheme="light")
    try:
        script = page.locator(f"#comments .re-giscus script[src='{GISCUS_CLIENT}']")
        expect(script).to_have_count(1)
        expected = {
            "data-repo": COMMENTS["repo"],
            "data-repo-id": COMMENTS["repo_id"],
            "data-category": COMMENTS["category"],
            "data-category-id": COMMENTS["category_id"],
            "data-mapping": "pathname",
            "data-loading": "lazy",
            "data-theme": "light",
        }
        actual = {name: script.get_attribute(name) for name in expected}
        assert actual == expected
        expect(page.locator("#comments .re-comments-off")).to_have_count(0)
        page.wait_for_load_state("load")
        assert served == [GISCUS_CLIENT], f"giscus client requested {len(served)} times"
        guard.assert_clean(prefix="/rheum-comments/")
        assert [url for url in guard.requests if not guard.is_local(url)] == [GISCUS_CLIENT]
    finally:
        page.context.close()


def test_giscus_theme_follows_the_dark_palette(browser: Browser, comments_site: ServedSite) -> None:
    page, guard, served = open_with_fake_giscus(browser, comments_site, color_scheme="dark")
    try:
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
        script = page.locator(f"#comments script[src='{GISCUS_CLIENT}']")
        expect(script).to_have_attribute("data-theme", "dark")
        guard.assert_clean(prefix="/rheum-comments/")
    finally:
        page.context.close()


def test_without_comment_settings_a_placeholder_and_no_request(page: Page, guard: Guard, site: ServedSite) -> None:
    asked: list[str] = []
    page.route("https://giscus.app/**", lambda route: (asked.append(route.request.url), route.abort()))
    page.goto(site.url(STUDY))
    placeholder = page.locator("#comments .re-comments-off")
    placeholder.scroll_into_view_if_needed()
    expect(placeholder).to_be_visible()
    expect(placeholder).to_contain_text("Comments are not enabled")
    expect(page.locator("#comments script, #comments iframe, #comments .re-giscus")).to_have_count(0)
    page.wait_for_load_state("load")
    assert asked == []
    guard.assert_clean(prefix="/rheum/")
    assert all(guard.is_local(url) for url in guard.requests)
