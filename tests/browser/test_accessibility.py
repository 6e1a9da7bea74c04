"""Accessibility: axe-core finds nothing serious or critical; tables and charts explain themselves."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from .conftest import Guard, ServedSite

AXE = Axe()
SEVERE = ("serious", "critical")
PAGES = {
    "home": "",
    "condition hub": "conditions/sle/",
    "study with results table and chart": "studies/low-dose-il2-sle/",
    "search": "search/",
    "404": "no/such/page/",
}


def severe_violations(page: Page) -> list[dict]:
    results = AXE.run(page)
    return [violation for violation in results.response["violations"] if violation["impact"] in SEVERE]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:8]:
            lines.append(f"    at {' '.join(map(str, node['target']))}")
            lines.append(f"       {node['html'][:160]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"       {summary[:300]}")
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_serious_or_critical_violation(browser: Browser, site: ServedSite, name: str, scheme: str) -> None:
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    guard = Guard(site.origin)
    guard.watch(context)
    try:
        page = context.new_page()
        page.goto(site.url(PAGES[name]))
        page.wait_for_load_state("load")
        if name == "search":
            page.get_by_role("searchbox", name="Search studies").fill("lupus")
            expect(page.locator(".re-search__result").first).to_be_visible()
        expect(page.locator("body")).to_have_attribute(
            "data-md-color-scheme", "slate" if scheme == "dark" else "default"
        )
        violations = severe_violations(page)
        assert not violations, f"axe on the {name} page ({scheme}):\n{describe(violations)}"
        guard.assert_clean(expected_404=(site.url(PAGES["404"]),), prefix="/rheum/")
    finally:
        context.close()


def test_tables_have_captions_and_headers(page: Page, guard: Guard, site: ServedSite) -> None:
    for path in (
        "studies/low-dose-il2-sle/",
        "studies/rivaroxaban-vs-warfarin-aps/",
        "studies/browser-wide-sle-trial/",
    ):
        page.goto(site.url(path))
        tables = page.locator("article table")
        assert tables.count() > 0, path
        for index in range(tables.count()):
            table = tables.nth(index)
            caption = table.locator("caption")
            expect(caption).to_have_count(1)
            assert caption.inner_text().strip(), f"{path} table {index}: empty caption"
            column_headers = table.locator("thead th[scope='col']")
            assert column_headers.count() >= 2, f"{path} table {index}: no column headers"
            rows = table.locator("tbody tr")
            for row in range(rows.count()):
                expect(rows.nth(row).locator("th[scope='row']")).to_have_count(1)
            # The accessible name comes from the caption.
            expect(table).to_have_accessible_name(caption.inner_text().strip())
            # A wide table scrolls inside a focusable, labelled region rather than the page.
            wrapper = table.locator("xpath=..")
            expect(wrapper).to_have_attribute("tabindex", "0")
            expect(wrapper).to_have_attribute("aria-label", re.compile(r"\w"))
    guard.assert_clean(prefix="/rheum/")


def test_charts_have_a_text_alternative(page: Page, guard: Guard, site: ServedSite) -> None:
    for path in ("studies/low-dose-il2-sle/", "studies/rivaroxaban-vs-warfarin-aps/"):
        page.goto(site.url(path))
        charts = page.locator("figure svg[role='img']")
        assert charts.count() > 0, f"{path}: no chart"
        assert page.locator("figure svg[role='img']:visible").count() == charts.count() // 2, "one layout shows"
        for index in range(charts.count()):
            chart = charts.nth(index)
            title = chart.locator(":scope > title").text_content() or ""
            desc = chart.locator(":scope > desc").text_content() or ""
            assert title.strip() and desc.strip(), f"{path} chart {index}: title {title!r}, desc {desc!r}"
            # Named by its title and described by its data: a screen reader hears the numbers. Each chart comes
            # in a wide and a narrow layout and the stylesheet hides one; a hidden one has no accessible name.
            if chart.is_visible():
                expect(chart).to_have_accessible_name(re.compile(re.escape(title.strip()[:20])))
            name_and_description = (chart.get_attribute("aria-labelledby") or "") + (
                chart.get_attribute("aria-describedby") or ""
            )
            desc_id = chart.locator(":scope > desc").get_attribute("id")
            assert desc_id and desc_id in name_and_description, f"{path} chart {index}: <desc> is not referenced"
        expect(page.locator("figure svg:not([role='img']):not([aria-hidden='true'])")).to_have_count(0)
    guard.assert_clean(prefix="/rheum/")
