"""The evidence view on a phone: chart text as large as the small print, tables that stack, nothing sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from .conftest import ServedSite

STUDIES = ["studies/low-dose-il2-sle/", "studies/rivaroxaban-vs-warfarin-aps/"]

MEASURE = """() => {
  const shown = [...document.querySelectorAll('svg.re-chart')].filter(svg => svg.getBoundingClientRect().width > 0);
  const sizes = shown.flatMap(svg => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return [...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
  });
  const results = document.querySelector('#results');
  const wide = [...results.querySelectorAll('*')].filter(el => el.clientWidth > 1 && el.scrollWidth > el.clientWidth + 1
      && getComputedStyle(el).overflowX !== 'visible').map(el => el.tagName + '.' + el.className);
  return {charts: shown.length, smallest: Math.min(...sizes),
          caption: parseFloat(getComputedStyle(document.querySelector('figcaption')).fontSize),
          sof: getComputedStyle(document.querySelector('.re-sof__table')).display,
          scrolling: wide, page: document.documentElement.scrollWidth - document.documentElement.clientWidth};
}"""


@pytest.mark.parametrize("path", STUDIES)
def test_at_375_px_chart_text_is_readable_and_the_results_do_not_scroll_sideways(
    browser: Browser, site: ServedSite, path: str
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(site.url(path))
        page.wait_for_load_state("load")
        found = page.evaluate(MEASURE)
        assert found["charts"] >= 1
        assert found["smallest"] >= found["caption"] - 0.05, found
        assert found["sof"] == "block", "the summary of findings stacks"
        assert found["scrolling"] == [] and found["page"] <= 0, found
    finally:
        context.close()


def test_at_desktop_width_the_wide_charts_and_a_real_table_are_shown(browser: Browser, site: ServedSite) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(site.url(STUDIES[0]))
        classes = page.evaluate(
            "[...document.querySelectorAll('svg.re-chart')].filter(s => s.getBoundingClientRect().width > 0)"
            ".map(s => s.classList[1])"
        )
        assert classes == ["re-chart--wide"]
        assert page.evaluate("getComputedStyle(document.querySelector('.re-sof__table')).display") == "table"
    finally:
        context.close()
