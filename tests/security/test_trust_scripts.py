"""Scripts by construction: nothing an editor or a setting writes runs as script in a reader's browser.

Each built page's policy allows exactly the theme's own inline scripts for that page's address, so text
that reaches ``<head>`` or the page (a hand-written page's front matter or raw HTML, a site name) is at
most shown, never trusted; and every value the theme prints in ``<head>`` arrives escaped.
"""

from __future__ import annotations

import base64
import hashlib
import html as htmllib
import re
import shutil
from pathlib import Path

import lxml.html
import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from mkdocs.utils import get_relative_url

from generator.errors import ContentError
from generator.publish.admin import ADMIN_DIR, admin_policy
from generator.read.pages import page_source
from generator.render.cms import CmsSettings
from generator.render.csp import theme_script_hashes

from ..conftest import ROOT, Project, build_site

PAYLOAD = "alert(document.domain)"
SCRIPT = f"<script>{PAYLOAD}</script>"
INJECTIONS = {
    "title": f"</title>{SCRIPT}",
    "description": f'"><script>{PAYLOAD}</script><meta x="',
}


def _allowed(html: str) -> set[str]:
    text = htmllib.unescape(re.search(r'Content-Security-Policy" content="([^"]*)"', html).group(1))
    return set(re.findall(r"'sha256-([^']+)'", text))


def _sha256(script: str) -> str:
    """The hash a browser compares with the policy: SHA-256 of the script's text as UTF-8, in base64."""
    return base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()


def _inline_scripts(html: str) -> list[str]:
    """The text of every inline script a browser would run (not data blocks such as JSON-LD)."""
    tree = lxml.html.fromstring(html)
    scripts = tree.xpath("//script[not(@src)]")
    return [s.text or "" for s in scripts if s.get("type") in (None, "", "text/javascript", "module")]


@pytest.fixture(scope="module")
def attacked_site(tmp_path_factory) -> Path:
    project = Project(tmp_path_factory.mktemp("scripts"))
    shutil.copytree(ROOT / "templates", project.root / "templates")
    project.copy_seed()
    shutil.copy(ROOT / "mkdocs.yml", project.root / "mkdocs.yml")
    front = "".join(f"{key}: '{value}'\n" for key, value in INJECTIONS.items())
    body = f'# About\n\n{SCRIPT}\n\n<img src=x onerror="{PAYLOAD}"> <iframe src="https://evil.example"></iframe>\n'
    (project.root / "content/pages/about.md").write_text(f"---\n{front}---\n{body}", encoding="utf-8")
    return build_site(project.root)


def test_the_editor_page_has_its_own_policy_and_no_inline_script(attacked_site: Path) -> None:
    html = (attacked_site / ADMIN_DIR / "index.html").read_text(encoding="utf-8")
    policy = htmllib.unescape(re.search(r'Content-Security-Policy" content="([^"]*)"', html).group(1))
    assert policy == admin_policy(CmsSettings(), script=False)  # mkdocs.yml names no repository
    assert not _inline_scripts(html) and not _allowed(html)


def test_every_page_allows_exactly_the_theme_s_scripts_for_its_address(attacked_site: Path) -> None:
    config = load_config(str(ROOT / "mkdocs.yml"))
    env = config.theme.get_env()
    features = config.theme["features"]
    pages = sorted(attacked_site.rglob("index.html"))
    assert len(pages) > 30
    for path in pages:
        if path.parent == attacked_site / ADMIN_DIR:  # the editor's page: the next test
            continue
        url = path.parent.relative_to(attacked_site).as_posix() + "/"
        base_url = get_relative_url(".", "" if url == "./" else url)
        html = path.read_text(encoding="utf-8")
        assert _allowed(html) == theme_script_hashes(env, base_url, features), path
        scripts = _inline_scripts(html)
        assert scripts and {_sha256(script) for script in scripts} <= _allowed(html), path  # the theme's still run


def test_injected_scripts_are_never_allowed_and_never_executable(attacked_site: Path) -> None:
    payload_hash = _sha256(PAYLOAD)
    for path in [*attacked_site.rglob("*.html")]:
        html = path.read_text(encoding="utf-8")
        assert payload_hash not in _allowed(html), path
        tree = lxml.html.fromstring(html)
        assert not [s for s in tree.xpath("//script[not(@type)]") if PAYLOAD in (s.text or "")], path
        assert not tree.xpath("//@*[starts-with(name(), 'on')]"), path
        assert not tree.xpath("//iframe"), path


def test_head_values_of_a_hand_written_page_arrive_escaped(attacked_site: Path) -> None:
    tree = lxml.html.fromstring((attacked_site / "about/index.html").read_bytes())
    assert tree.xpath("string(//head/title)") == f"{INJECTIONS['title']} - Rheum Evidence"
    assert tree.xpath("//head/meta[@name='description']/@content") == [INJECTIONS["description"]]
    assert len(tree.xpath("//head/meta[@name='description']")) == 1


def test_a_hand_written_page_s_html_keeps_text_and_loses_markup(attacked_site: Path) -> None:
    tree = lxml.html.fromstring((attacked_site / "about/index.html").read_bytes())
    article = tree.xpath("//article")[0]
    assert article.xpath("string(.//h1)") == "About"
    assert not article.xpath(".//script | .//iframe | .//img[@onerror]")


@pytest.mark.parametrize(
    ("front", "message"),
    [
        ("title: !ENV [GITHUB_TOKEN]\n", "content/pages/p.md:2:8: title: the tag `!ENV` is not allowed; remove it"),
        ("template: ../../secret.html\n", "content/pages/p.md:2:1: template: unknown key `template`"),
        ("title: [a, b]\n", "content/pages/p.md:2:8: title: expected text, got a list"),
        ("title: &a x\ndescription: *a\n", None),
        ("- a list\n", "content/pages/p.md:1:1: front matter must be `key: value` lines, not a list"),
        ("hide: [sidebar]\n", "content/pages/p.md:2:8: hide[0]: unknown value `sidebar`"),
    ],
)
def test_front_matter_of_a_hand_written_page_is_checked_like_a_study(front: str, message: str | None) -> None:
    text = f"---\n{front}---\n# Page\n"
    if message is None:
        assert page_source(text, "content/pages/p.md").startswith("---\ntitle: x\ndescription: x\n---\n")
        return
    with pytest.raises(ContentError) as caught:
        page_source(text, "content/pages/p.md")
    assert str(caught.value).startswith(message)


def test_meta_data_lines_without_front_matter_stay_text() -> None:
    source = page_source("Title: </title><script>x()</script>\n\nText.\n", "content/pages/p.md")
    assert source == "---\n{}\n---\n\nTitle: </title><script>x()</script>\n\nText.\n"


@pytest.mark.parametrize(
    "url",
    [
        'https://example.org/"><script>alert(1)</script>/',
        "https://example.org/it's/",
        "ftp://example.org/",
        "https://example.org/a b/",
        "https://example.org/?q=1",
        "https://example.org/#x",
        "https://user@example.org/",
        "https://example.org/\\x/",
    ],
)
def test_a_site_url_that_needs_quoting_is_refused(site_project: Project, caplog, url: str) -> None:
    with pytest.raises(Abort):
        build_site(site_project.root, site_url=url)
    expected = (
        "site_url must be an absolute http:// or https:// address whose path holds only letters, digits, "
        f"'-', '.', '_', '~', '/' and %-escapes, such as https://example.org/rheum-evidence/; got {url!r}"
    )
    assert [r.getMessage() for r in caplog.records if r.levelname == "ERROR"] == [expected]
    assert not (site_project.root / "site").exists()


@pytest.mark.parametrize("url", ["javascript:alert(1)//", "//example.org/", "example.org"])
def test_mkdocs_itself_refuses_a_site_url_without_a_scheme(site_project: Project, caplog, url: str) -> None:
    with pytest.raises(Abort):
        build_site(site_project.root, site_url=url)
    expected = "Config value 'site_url': The URL isn't valid, it should include the http:// (scheme)"
    assert [r.getMessage() for r in caplog.records if r.levelname == "ERROR"] == [expected]


@pytest.mark.parametrize("url", ["https://rheum.example/", "http://127.0.0.1:8000/", "https://a.github.io/re-2%20x/"])
def test_ordinary_site_urls_are_accepted(site_project: Project, url: str) -> None:
    site = build_site(site_project.root, site_url=url)
    assert (site / "index.html").is_file()


def test_the_theme_s_storage_scope_setting_is_refused(site_project: Project, caplog) -> None:
    with pytest.raises(Abort):
        build_site(site_project.root, extra={"scope": '/"+alert(1)+"'})
    assert "extra.scope is not supported: the theme prints it into a script; remove it" in caplog.text


@pytest.mark.parametrize(
    ("name", "value"),
    [("site_name", f"Rheum {SCRIPT}"), ("site_description", 'a" onload="x'), ("site_author", "a\nb")],
)
def test_settings_the_theme_prints_unescaped_must_be_plain_text(site_project: Project, caplog, name, value) -> None:
    with pytest.raises(Abort):
        build_site(site_project.root, **{name: value})
    assert f'{name} must be plain text on one line, without <, > or "; got {value!r}' in caplog.text


def test_a_link_to_a_page_the_site_lacks_is_one_line_and_page_links_become_addresses(
    site_project: Project, caplog
) -> None:
    pages = site_project.root / "content/pages"
    (pages / "broken.md").write_text(
        "---\ntitle: Broken\n---\n# Broken\n\nSee [policy](editorial-policy.md#sources)\nand [the missing page](missing.md).\n"
    )
    with pytest.raises(Abort):
        build_site(site_project.root)
    assert "content/pages/broken.md:7:1: links to `missing.md`, which is no page of this site" in caplog.text
    (pages / "broken.md").write_text(
        "# Fixed\n\nSee [policy](editorial-policy.md#sources) and [SLE](conditions/sle.md).\n"
    )
    tree = lxml.html.fromstring((build_site(site_project.root) / "broken/index.html").read_bytes())
    assert tree.xpath("//article//p/a/@href") == ["../editorial-policy/#sources", "../conditions/sle/"]


def test_a_hand_written_page_nested_too_deeply_is_refused_before_conversion() -> None:
    with pytest.raises(ContentError) as caught:
        page_source("# Deep\n\n" + "> " * 5000 + "x\n", "content/pages/p.md")
    assert str(caught.value) == (
        "content/pages/p.md:1:1: quotes are nested 5000 levels deep (line 3 of the text, `>` inside `>`); "
        "the limit is 12: use fewer `>`"
    )
