"""What a reader does: browse, search, read, go back, use the keyboard, a phone, dark mode.

Every test ends with ``guard.assert_clean``: no request to another host, no
failed request, no error response, no console or script error, and every
request stays under the site's sub-path (/rheum/), which proves the site works
when hosted as a GitHub Pages project site.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from .conftest import Guard, ServedSite

IL2 = "Low-Dose IL-2 Effective in Lupus"
INTERFERON = "Serum Interferon-Alpha Predicts Lupus Flares"
APS = "Warfarin Superior to Rivaroxaban in Antiphospholipid Syndrome"
SSC = "studies/aspirin-vasodilators-ssc/"


def search(page: Page, site: ServedSite, query: str):
    """Open the Search page from the navigation, type ``query``; return the results once they are listed."""
    page.locator("nav.md-nav--primary").get_by_role("link", name="Search", exact=True).click()
    expect(page).to_have_url(site.url("search/"))
    box = page.get_by_role("searchbox", name="Search studies")
    box.press_sequentially(query, delay=20)
    message = page.locator(".re-search__count")
    expect(message).to_have_text(re.compile(rf"^(\d+ results?|No results) for {re.escape(query)}$"))
    return page.locator(".re-search__result")


def test_home_hub_study_related_and_back(page: Page, guard: Guard, site: ServedSite) -> None:
    page.goto(site.url())
    expect(page).to_have_title("Rheum Evidence")
    expect(page.locator("h1")).to_have_text("Latest studies")
    teasers = page.locator("article.re-teaser")
    expect(teasers.first.locator("h3 a")).to_have_text(IL2)

    page.locator(".re-home__conditions").get_by_role("link", name="Systemic lupus erythematosus").click()
    expect(page).to_have_url(site.url("conditions/sle/"))
    expect(page.locator("h1")).to_contain_text("Systemic lupus erythematosus")
    hub_titles = page.locator("article.re-teaser h2 a")
    expect(hub_titles).to_contain_text([IL2, INTERFERON])

    hub_titles.filter(has_text=IL2).click()
    expect(page).to_have_url(site.url("studies/low-dose-il2-sle/"))
    expect(page.locator("h1")).to_have_text(IL2)
    expect(page).to_have_title(f"{IL2} - Rheum Evidence")

    section = page.locator("#more-like-this")
    expect(section).to_be_visible()
    related = section.locator("a").first
    assert section.locator("a").count() > 0, f"'More like this' lists no study to follow: {section.inner_text()!r}"
    related_title = related.inner_text().strip()
    related.click()
    expect(page.locator("h1")).to_have_text(related_title)
    assert page.url.startswith(site.url("studies/")) and page.url != site.url("studies/low-dose-il2-sle/")

    page.go_back()
    expect(page).to_have_url(site.url("studies/low-dose-il2-sle/"))
    expect(page.locator("h1")).to_have_text(IL2)
    guard.assert_clean(prefix="/rheum/")


def test_search_for_a_drug_from_the_home_page_opens_its_study(page: Page, guard: Guard, site: ServedSite) -> None:
    page.goto(site.url())
    page.get_by_role("searchbox", name="Search studies").fill("rivaroxaban")
    page.keyboard.press("Enter")
    expect(page).to_have_url(site.url("search/?q=rivaroxaban"))
    expect(page.locator(".re-search__count")).to_have_text("1 result for rivaroxaban")
    result = page.locator(".re-search__result a.re-search__link")
    expect(result).to_have_text([APS])
    result.click()
    expect(page).to_have_url(site.url("studies/rivaroxaban-vs-warfarin-aps/"))
    expect(page.locator("h1")).to_have_text(APS)
    guard.assert_clean(prefix="/rheum/")


def test_search_for_a_condition_name_finds_its_studies(page: Page, guard: Guard, site: ServedSite) -> None:
    page.goto(site.url())
    results = search(page, site, "lupus")
    titles = results.locator("a.re-search__link")
    expect(titles.filter(has_text=IL2)).to_have_count(1)
    expect(titles.filter(has_text=INTERFERON)).to_have_count(1)
    titles.filter(has_text=INTERFERON).click()
    expect(page.locator("h1")).to_have_text(INTERFERON)
    guard.assert_clean(prefix="/rheum/")


def test_search_for_a_condition_synonym_not_in_the_text_finds_its_studies(
    page: Page, guard: Guard, site: ServedSite
) -> None:
    """site_data/conditions.yaml promises synonyms help readers' searches: "scleroderma" is SSc."""
    conditions = (site.root / "site_data" / "conditions.yaml").read_text(encoding="utf-8")
    assert "synonyms: [scleroderma" in conditions
    page.goto(site.url())
    results = search(page, site, "scleroderma")
    expect(results.locator(f"a[href$='{SSC}']"), "searching a condition synonym misses its study").to_have_count(1)
    guard.assert_clean(prefix="/rheum/")


@pytest.mark.parametrize(
    ("query", "said", "expected"),
    [
        ("Xarelto", "Showing results for rivaroxaban (Xarelto)", [APS]),
        ("DOAC", "Showing results for Direct oral anticoagulants (DOAC): rivaroxaban, apixaban, dabigatran etexilate,"
         " edoxaban", [APS]),
        ("vitamin K antagonists", "Showing results for Vitamin K antagonists: warfarin", [APS]),
        ("APS", "Showing results for Antiphospholipid syndrome (APS)", [APS]),
        ("Hughes syndrome", "Showing results for Antiphospholipid syndrome (Hughes syndrome)", [APS]),
        ("interleukin-2", "Showing results for interleukin-2", [IL2]),
        ("ANCA vasculitis", "Showing results for ANCA-associated vasculitis (ANCA vasculitis)",
         ["Declining Mortality from ANCA-Associated Vasculitis in the USA"]),
    ],
)  # fmt: skip
def test_search_expands_brands_classes_abbreviations_and_synonyms(
    page: Page, guard: Guard, site: ServedSite, query: str, said: str, expected: list[str]
) -> None:
    """site_data/drugs.yaml and conditions.yaml expand the query: each finds exactly its studies, and says how."""
    page.goto(site.url())
    results = search(page, site, query)
    expect(page.locator(".re-search__expanded")).to_have_text(said)
    expect(results.locator("a.re-search__link")).to_have_text(expected)
    for meta in results.locator(".re-search__meta").all_inner_texts():
        assert re.fullmatch(r"\d{1,2} \w{3} \d{4} · [^·]+ · [A-Z][\w -]+", meta), meta
    guard.assert_clean(prefix="/rheum/")


@pytest.mark.parametrize("query", ["lupus", "scleroderma", "SLE", "myositis"])
def test_search_excerpts_hold_no_synonym_boilerplate(page: Page, guard: Guard, site: ServedSite, query: str) -> None:
    page.goto(site.url())
    results = search(page, site, query)
    expect(results.first).to_be_visible()
    for text in results.locator(".re-search__excerpt").all_inner_texts():
        assert "Also known as" not in text and "Published" not in text, text
    guard.assert_clean(prefix="/rheum/")


def test_a_nonsense_word_finds_nothing(page: Page, guard: Guard, site: ServedSite) -> None:
    page.goto(site.url())
    results = search(page, site, "qzxvbnm")
    expect(results).to_have_count(0)
    expect(page.locator(".re-search__expanded")).to_have_text("")
    guard.assert_clean(prefix="/rheum/")


def test_markup_in_the_address_of_a_search_stays_text(page: Page, guard: Guard, site: ServedSite) -> None:
    hostile = '<img src=x onerror="window.pwned=1">"><script>window.pwned=2</script>'
    page.goto(site.url("search/?q=" + quote(hostile)))
    expect(page.locator(".re-search__count")).to_have_text(f"No results for {hostile}")
    expect(page.locator("#search img, #search script")).to_have_count(0)
    assert page.evaluate("() => window.pwned") is None
    guard.assert_clean(prefix="/rheum/")  # no request for the image "x", no script error


def test_search_filters_narrow_by_condition_including_also_conditions(
    page: Page, guard: Guard, site: ServedSite
) -> None:
    page.goto(site.url())
    search(page, site, "opportunistic")
    expect(page.locator(".re-search__count")).to_have_text("1 result for opportunistic")
    page.get_by_label("Condition").select_option("Systemic sclerosis")  # an also-condition of the myositis study
    expect(page.locator(".re-search__count")).to_have_text("1 result for opportunistic")
    page.get_by_label("Design").select_option("Randomized controlled trial")
    expect(page.locator(".re-search__count")).to_have_text("No results for opportunistic")
    guard.assert_clean(prefix="/rheum/")


def test_topic_page_lists_its_studies(page: Page, guard: Guard, site: ServedSite) -> None:
    page.goto(site.url("studies/rivaroxaban-vs-warfarin-aps/"))
    topics = page.locator(".re-topics").filter(has_text="Topics:")
    topics.get_by_role("link", name="rivaroxaban", exact=True).click()
    expect(page).to_have_url(site.url("topics/rivaroxaban/"))
    expect(page.locator("h1")).to_contain_text("rivaroxaban")
    expect(page.locator("article.re-teaser h2 a")).to_have_text([APS])
    page.get_by_role("link", name="Topics", exact=True).first.click()
    expect(page).to_have_url(site.url("topics/"))
    expect(page.locator("ul.re-count-list").get_by_role("link", name="rivaroxaban", exact=True)).to_be_visible()
    guard.assert_clean(prefix="/rheum/")


def test_a_drug_chip_leads_to_the_drug_its_class_and_back_to_the_study(
    page: Page, guard: Guard, site: ServedSite
) -> None:
    page.goto(site.url("studies/rivaroxaban-vs-warfarin-aps/"))
    page.locator(".re-topics").filter(has_text="Drugs:").get_by_role("link", name="rivaroxaban").click()
    expect(page).to_have_url(site.url("drugs/rivaroxaban/"))
    expect(page.locator(".re-about")).to_contain_text("Xarelto")
    page.locator(".re-about").get_by_role("link", name="Direct oral anticoagulants").click()
    expect(page).to_have_url(site.url("drug-classes/doacs/"))
    page.locator("article.re-teaser h2 a").filter(has_text=APS).click()
    expect(page).to_have_url(site.url("studies/rivaroxaban-vs-warfarin-aps/"))
    page.get_by_role("link", name="Drugs", exact=True).first.click()
    expect(page).to_have_url(site.url("drugs/"))
    guard.assert_clean(prefix="/rheum/")


def test_archive_by_year_reaches_every_published_study(page: Page, guard: Guard, site: ServedSite) -> None:
    page.goto(site.url())
    page.get_by_role("link", name="All studies by year →").click()
    expect(page).to_have_url(site.url("archive/"))
    page.locator("ul.re-count-list").get_by_role("link", name="2019").click()
    expect(page).to_have_url(site.url("archive/2019/"))
    titles = page.locator("article.re-teaser h2 a")
    expect(titles).to_have_count(7)  # six seed studies and the published fixture study; never the draft
    expect(titles.filter(has_text="Zebrafish")).to_have_count(0)
    titles.filter(has_text=APS).click()
    expect(page.locator("h1")).to_have_text(APS)
    guard.assert_clean(prefix="/rheum/")


def test_drafts_are_neither_served_nor_found(page: Page, guard: Guard, site: ServedSite) -> None:
    missing = site.url("studies/browser-draft-zebrafish/")
    response = page.goto(missing)
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")
    page.get_by_role("link", name="Latest studies").click()
    expect(page).to_have_url(site.url())
    results = search(page, site, "zebrafish")
    expect(results).to_have_count(0)
    guard.assert_clean(expected_404=(missing,), prefix="/rheum/")


def focus_is_visible(page: Page) -> dict:
    """Where the focused element is and whether something draws focus on it.

    The palette switch is a visually hidden radio button; the theme draws its
    focus on the label that follows it, so that label is what is measured.
    """
    return page.evaluate(
        """() => {
        let el = document.activeElement;
        const focused = el;
        const hidden = (e) => { const b = e.getBoundingClientRect(); return b.width < 2 || b.height < 2; };
        if (el.tagName === 'INPUT' && hidden(el) && el.nextElementSibling && el.nextElementSibling.tagName === 'LABEL') {
            el = el.nextElementSibling;
        }
        const style = getComputedStyle(el);
        const box = el.getBoundingClientRect();
        return {
            tag: focused.tagName, cls: String(focused.className), id: focused.id,
            text: (focused.innerText || focused.getAttribute('aria-label') || '').trim().slice(0, 60),
            inViewport: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
                && box.top < innerHeight && box.left < innerWidth,
            opacity: Number(style.opacity),
            indicator: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
                || style.boxShadow !== 'none',
            focusVisible: focused.matches(':focus-visible'),
        };
    }"""
    )


def test_keyboard_alone_skip_link_first_and_focus_visible(page: Page, guard: Guard, site: ServedSite) -> None:
    page.goto(site.url())
    page.keyboard.press("Tab")
    page.wait_for_function(
        "() => getComputedStyle(document.activeElement).opacity === '1'", timeout=2000
    )  # it fades in
    first = focus_is_visible(page)
    assert "re-skip" in first["cls"] and first["text"] == "Skip to content", (
        f"first Tab stop is not the skip link: {first}"
    )
    assert first["inViewport"] and first["focusVisible"] and first["indicator"], (
        f"skip link not visibly focused: {first}"
    )

    # Every later stop, through the header, the navigation and into the content, shows where focus is.
    invisible = []
    for _ in range(20):
        page.keyboard.press("Tab")
        state = focus_is_visible(page)
        if not (state["inViewport"] and state["indicator"]):
            invisible.append(state)

    # The skip link jumps past header and navigation; from there the keyboard alone opens a study.
    page.goto(site.url())
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(site.url("#main-content"))
    stops = []
    for _ in range(12):
        page.keyboard.press("Tab")
        state = page.evaluate(
            "() => ({text: (document.activeElement.innerText || '').trim(), id: document.activeElement.id,"
            " inHeader: !!document.activeElement.closest('.md-header, .md-sidebar')})"
        )
        stops.append(state)
        if state["text"] == IL2:
            break
    else:
        pytest.fail(f"Tab from the skip link never reached the first study: {stops}")
    assert not any(stop["inHeader"] for stop in stops), f"skip link did not skip the header and menu: {stops}"
    page.keyboard.press("Enter")
    expect(page).to_have_url(site.url("studies/low-dose-il2-sle/"))
    expect(page.locator("h1")).to_have_text(IL2)
    assert not invisible, "focused elements without a visible focus indicator:\n" + "\n".join(map(str, invisible))
    guard.assert_clean(prefix="/rheum/")


def scheme(page: Page) -> str:
    return page.locator("body").get_attribute("data-md-color-scheme") or ""


def test_palette_toggle_switches_light_and_dark_and_remembers(page: Page, guard: Guard, site: ServedSite) -> None:
    page.goto(site.url("studies/low-dose-il2-sle/"))
    assert scheme(page) == "default"
    light_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.locator("label[title='Switch to dark mode']").click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    dark_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert dark_bg != light_bg, (light_bg, dark_bg)
    page.goto(site.url("conditions/sle/"))
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    page.locator("label[title='Switch to light mode']").click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "default")
    guard.assert_clean(prefix="/rheum/")


def test_dark_preference_is_followed_on_first_visit(browser, site: ServedSite) -> None:
    context = browser.new_context(color_scheme="dark", viewport={"width": 1280, "height": 900})
    guard = Guard(site.origin)
    guard.watch(context)
    try:
        page = context.new_page()
        page.goto(site.url())
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
        guard.assert_clean(prefix="/rheum/")
    finally:
        context.close()


PAGE_TYPES = {
    "home": "",
    "condition-hub": "conditions/sle/",
    "study": "studies/low-dose-il2-sle/",
    "study-wide": "studies/browser-wide-sle-trial/",
    "topic": "topics/rivaroxaban/",
    "archive": "archive/2019/",
    "404": "no/such/page/",
}


def test_phone_width_nothing_overflows_and_the_menu_opens(browser, site: ServedSite) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    guard = Guard(site.origin)
    guard.watch(context)
    try:
        page = context.new_page()
        overflowing = {}
        for name, path in PAGE_TYPES.items():
            page.goto(site.url(path))
            page.wait_for_load_state("load")
            widths = page.evaluate(
                """() => ({scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
                    culprits: [...document.querySelectorAll('body *')].filter(el => {
                        const box = el.getBoundingClientRect();
                        return box.right > document.documentElement.clientWidth + 1 && box.width > 0
                            && !el.closest('.re-table-wrap, .md-sidebar, .md-search, .md-header__option, .md-header__title');
                    }).slice(0, 5).map(el => el.tagName + '.' + el.className + ' ' + (el.innerText || '').slice(0, 40))})"""
            )
            if widths["scroll"] > widths["client"]:
                overflowing[name] = widths
        assert not overflowing, f"pages wider than the 375 px screen: {overflowing}"

        page.goto(site.url("studies/low-dose-il2-sle/"))
        drawer = page.locator("nav.md-nav--primary")
        archive_link = drawer.get_by_role("link", name="Archive", exact=True)
        expect(archive_link).not_to_be_in_viewport()
        page.locator("label.md-header__button[for='__drawer']").click()
        expect(archive_link).to_be_in_viewport()
        archive_link.click()
        expect(page).to_have_url(site.url("archive/"))
        guard.assert_clean(expected_404=(site.url(PAGE_TYPES["404"]),), prefix="/rheum/")
    finally:
        context.close()


def test_404_page_under_the_sub_path_is_styled_and_its_advice_works(page: Page, guard: Guard, site: ServedSite) -> None:
    missing = site.url("studies/no-such-study/deeper/")
    response = page.goto(missing)
    assert response is not None and response.status == 404
    expect(page.locator("article h1")).to_have_text("Page not found")
    # The theme's stylesheet loaded from /rheum/ even this deep: the header has its colour.
    header = page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor")
    assert header not in ("rgba(0, 0, 0, 0)", "transparent"), header
    links = page.locator("article ul a")
    hrefs = [links.nth(i).evaluate("a => a.href") for i in range(links.count())]
    assert site.url() in hrefs and site.url("archive/") in hrefs, hrefs
    text = page.locator("article").inner_text()
    if "search box at the top" in text:
        search_box = page.locator(".md-header").locator("input[type='search'], input[type='text']")
        expect(
            search_box.first, "the 404 page points to a search box at the top of the page; there is none"
        ).to_be_visible()
    for href in hrefs:
        response = page.goto(href)
        assert response is not None and response.status == 200, href
    guard.assert_clean(expected_404=(missing,), prefix="/rheum/")
