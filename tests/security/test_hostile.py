"""Hostile input: each case an editor or a contributor's pull request could try, and what happens to it.

Every case is either rejected with the exact line the editor sees, or accepted and rendered inert: no
script, event handler or script URL reaches a reader, in the HTML, in the generated Markdown converted as
MkDocs would, in JSON-LD, in feeds, in the open data or in what the search index reads.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import shutil
from pathlib import Path

import lxml.etree
import lxml.html
import markdown
import pytest
import yaml
from mkdocs.utils.meta import get_data

from generator.errors import ContentError
from generator.read import content as content_module
from generator.read.content import Content, load_content, parse_study
from generator.render.pages import SiteOptions, build_pages

from ..conftest import MINIMAL_STUDY, ROOT, Project, build_site

F = "content/studies/s.yaml"
BASE = {
    "title": "A minimal valid study",
    "published": "2020-01-02",
    "condition": "sle",
    "summary": "Twenty characters or more of summary text.",
    "study": {"design": "cohort"},
    "body": "Some text.",
}
ARMS = [{"key": "a", "label": "A", "participants": 10}, {"key": "b", "label": "B", "participants": 10}]


def study(**changes) -> str:
    """A study file: the minimal study with fields changed or added, each value written as JSON (valid YAML)."""
    data = {**BASE, **changes}
    return "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in data.items())


def details(**changes) -> dict:
    return {"design": "cohort", **changes}


def outcome(**fields) -> str:
    return study(study=details(outcomes=[{"name": "X", **fields}]))


def nested(levels: int) -> object:
    value: object = "x"
    for _ in range(levels):
        value = [value]
    return value


ALIAS_BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{previous}'] * 10)}]\n" for previous, name in zip("abcd", "bcde", strict=True)
)

# --------------------------------------------------------------------------- rejected, with the exact message

REJECTED = {
    "right-to-left override in the title": (
        study(title="Harmless \u202etxt.exe title"),
        "1:8: title: contains the invisible character RIGHT-TO-LEFT OVERRIDE (U+202E); remove it",
    ),
    "left-to-right isolate in a topic": (
        study(topics=["IL-2 \u2066x"]),
        "7:10: topics[0]: contains the invisible character LEFT-TO-RIGHT ISOLATE (U+2066); remove it",
    ),
    "NUL escaped in the summary": (
        study(summary="Twenty characters or more\u0000 of summary text."),
        "4:10: summary: contains the control character U+0000; remove it",
    ),
    "terminal escape in a key finding": (
        study(key_findings=["\u001b[2J cleared the screen"]),
        "7:16: key_findings[0]: contains the control character U+001B; remove it",
    ),
    "terminal escape in a vocabulary value is not echoed raw": (
        study(status="live\u001b[31m"),
        "7:9: status: unknown value 'live\\x1b[31m'; expected one of: published, draft",
    ),
    "control character in a key": (
        study() + '"\\e[31mred": 1\n',
        "7:1: a key cannot contain the control character U+001B; remove it",
    ),
    "lone surrogate escaped in the title": (
        study().replace('"A minimal valid study"', '"Lone \\ud800 surrogate"'),
        "1:16: YAML syntax error: found invalid Unicode character escape code",
    ),
    "javascript: source url": (
        study(source={"url": "javascript:alert(1)"}),
        "7:17: source.url: must be a web address starting with https:// or http://; got 'javascript:alert(1)'",
    ),
    "data: source url": (
        study(source={"url": "data:text/html,<script>alert(1)</script>"}),
        "7:17: source.url: must be a web address starting with https:// or http://; "
        "got 'data:text/html,<script>alert(1)</script>'",
    ),
    "source url breaking out of its attribute": (
        study(source={"url": 'https://e.org/"onmouseover="alert(1)'}),
        "7:17: source.url: must be a web address starting with https:// or http://; "
        "got 'https://e.org/\"onmouseover=\"alert(1)'",
    ),
    "markup in a registration number": (
        study(source={"registration": "<script>alert(1)</script>"}),
        "7:26: source.registration[0]: must be a trial registry number such as NCT02465580; "
        "got '<script>alert(1)</script>'",
    ),
    "markup in a pmid": (
        study(source={"pmid": "1<b>2</b>"}),
        "7:18: source.pmid: must be the PubMed ID digits only, such as 31537547; got '1<b>2</b>'",
    ),
    "path traversal in a pinned slug": (
        study(related={"pin": ["../../etc/passwd"]}),
        "7:19: related.pin[0]: must be lowercase letters, digits and single hyphens (like `low-dose-il2`); "
        "got '../../etc/passwd'",
    ),
    "markup in a condition key": (
        study(condition="<sle>"),
        "3:12: condition: must be a key in lowercase letters, digits and hyphens (like `sle`); got '<sle>'",
    ),
    "attribute break-out in an arm key": (
        study(study=details(arms=[{"key": 'a"onclick', "label": "A"}])),
        "5:46: study.arms[0].key: must be lowercase letters, digits and underscores (like `il2`); got 'a\"onclick'",
    ),
    "python object tag": (
        study() + "extra: !!python/object/apply:os.system ['id']\n",
        "7:8: extra: the tag `!!python/object/apply:os.system` is not allowed; remove it",
    ),
    "merge key": (study() + "base: &b {x: 1}\nother:\n  <<: *b\n", "9:3: other: merge keys (<<) is not supported here"),
    "alias bomb (a billion laughs)": (
        "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + ALIAS_BOMB,
        "1:32: e[3][3][8][8][8]: more than 50,000 values (aliases expanding too far?); simplify the file",
    ),
    "nesting 30 levels deep": (
        study(extra=nested(30)),
        "7:32: extra" + "[0]" * 24 + ": nested too deeply; the limit is 24 levels",
    ),
    "nesting 100,000 levels deep": (
        "x: " + "[" * 100_000 + "]" * 100_000 + "\n",
        "1:1: nested too deeply; the limit is 24 levels",
    ),
    "two documents in one file": (
        study() + "---\n" + study(),
        "7:1: `---` at the start of a line ends the study, and a file holds one study; remove the line, or indent it "
        "if it belongs to the text above",
    ),
    "duplicate key": (
        study() + 'title: "A second title here"\n',
        "7:1: title: duplicate key `title` (first given on line 1); keep one",
    ),
    "title too long": (study(title="<b>" * 51), "1:8: title: must be at most 150 characters long (has 153)"),
    "body too long": (
        study(body="<script>" * 25_001),
        "6:7: body: must be at most 200000 characters long (has 200008)",
    ),
    "outcome name too long": (
        study(study=details(outcomes=[{"name": "x" * 201}])),
        "5:51: study.outcomes[0].name: must be at most 200 characters long (has 201)",
    ),
    "13 arms": (
        study(study=details(arms=[{"key": f"a{i}", "label": f"A{i}"} for i in range(13)])),
        "5:37: study.arms: must have at most 12 items (has 13)",
    ),
    "61 outcomes": (
        study(study=details(outcomes=[{"name": f"O{i}"} for i in range(61)])),
        "5:41: study.outcomes: must have at most 60 items (has 61)",
    ),
    "21 key findings": (
        study(key_findings=[f"Finding {i}" for i in range(21)]),
        "7:15: key_findings: must have at most 20 items (has 21)",
    ),
    "13 results in one outcome": (
        study(study=details(arms=ARMS, outcomes=[{"name": "X", "results": {f"r{i}": 1 for i in range(13)}}])),
        "5:173: study.outcomes[0].results: must have at most 12 items (has 13)",
    ),
    "effect estimate beyond any scale": (
        outcome(effect={"measure": "hazard-ratio", "estimate": "1e308"}),
        "5:106: study.outcomes[0].effect.estimate: must be between -1,000,000,000 and 1,000,000,000 (got '1e308')",
    ),
    "ratio too small for a log scale": (
        outcome(effect={"measure": "odds-ratio", "estimate": "1e-320"}),
        "5:104: study.outcomes[0].effect.estimate: an odds ratio must be between 0.000001 and 1,000,000 (got 1e-320)",
    ),
    "number with underscores": (
        outcome(effect={"measure": "mean-difference", "estimate": "1_000"}),
        "5:109: study.outcomes[0].effect.estimate: expected a number, got '1_000'",
    ),
    "number in Arabic-Indic digits": (
        outcome(effect={"measure": "mean-difference", "estimate": "١٫٥"}),
        "5:109: study.outcomes[0].effect.estimate: expected a number, got '١٫٥'",
    ),
    "p-value in Arabic-Indic digits": (
        outcome(p_value="<٠.٠٥"),
        '5:67: study.outcomes[0].p_value: must be a number from 0 to 1 (0.052) or a bound such as "<0.001"; '
        "got '<٠.٠٥'",
    ),
    "count whose denominator overflows the statistics": (
        study(
            study=details(arms=ARMS, outcomes=[{"name": "X", "results": {"a": "1/99999999999999999999", "b": "1/2"}}])
        ),
        "5:179: study.outcomes[0].results.a: a count's denominator must be at most 100,000,000 "
        "(got '1/99999999999999999999')",
    ),
    "topic that would replace the list of topics": (
        study(topics=["Index"]),
        "7:10: topics[0]: `Index` would take the address of the list of all topics (/topics/); choose another label",
    ),
    "hexadecimal participants": (
        study(study=details(participants="0x10")),
        "5:45: study.participants: expected a whole number, got '0x10'",
    ),
}


@pytest.mark.parametrize("text, expected", REJECTED.values(), ids=REJECTED.keys())
def test_hostile_file_is_rejected_with_one_exact_line(text: str, expected: str) -> None:
    with pytest.raises(ContentError) as caught:
        parse_study(text, F, "s")
    assert [str(problem) for problem in caught.value.problems] == [f"{F}:{expected}"]


# --------------------------------------------------------------------------- rejected files and folders

SLUG_RULE = "lowercase letters a-z, digits and single hyphens, at most 80 characters (like `low-dose-il2-sle`)"


def _named(name: str):
    def setup(project: Project) -> None:
        project.study("fine", study())
        (project.root / "content" / "studies" / f"{name}.yaml").write_text(study(), encoding="utf-8")

    return setup


def _big_file(project: Project) -> None:
    project.study_bytes("s", b"# " + b"x" * 1_000_000 + b"\n")


def _link_loop(project: Project) -> None:
    folder = project.root / "content" / "studies"
    (folder / "a.yaml").symlink_to(folder / "b.yaml")
    (folder / "b.yaml").symlink_to(folder / "a.yaml")


def _link_outside(project: Project) -> None:
    (project.root / "content" / "studies" / "s.yaml").symlink_to("/etc/hostname")


def _folder(project: Project) -> None:
    (project.root / "content" / "studies" / "s.yaml").mkdir()


def _utf16(project: Project) -> None:
    project.study_bytes("s", study().encode("utf-16"))


FILES = {
    "Cyrillic look-alike letter in the name": (
        _named("\u0430spirin"),
        f"content/studies/\u0430spirin.yaml:1:1: file name `\u0430spirin` must be a slug: {SLUG_RULE}",
    ),
    "upper-case twin of a name": (
        _named("Fine"),
        f"content/studies/Fine.yaml:1:1: file name `Fine` must be a slug: {SLUG_RULE}",
    ),
    "full-width digits in the name": (
        _named("trial-\uff12"),
        f"content/studies/trial-\uff12.yaml:1:1: file name `trial-\uff12` must be a slug: {SLUG_RULE}",
    ),
    "double hyphen in the name": (
        _named("a--b"),
        f"content/studies/a--b.yaml:1:1: file name `a--b` must be a slug: {SLUG_RULE}",
    ),
    "name of 81 characters": (
        _named("a" * 81),
        f"content/studies/{'a' * 81}.yaml:1:1: file name `{'a' * 81}` must be a slug: {SLUG_RULE}",
    ),
    "file over 1 MB": (_big_file, "content/studies/s.yaml:1:1: file is 1,000,003 bytes; the limit is 1,000,000 (1 MB)"),
    "UTF-16 file": (
        _utf16,
        "content/studies/s.yaml:1:1: not valid UTF-8 (byte 0 is 0xff); save the file as UTF-8",
    ),
    "loop of symbolic links": (
        _link_loop,
        "content/studies/a.yaml:1:1: is a link that leads back to itself (a loop of links); copy the file in\n"
        "content/studies/b.yaml:1:1: is a link that leads back to itself (a loop of links); copy the file in",
    ),
    "symbolic link to a system file": (
        _link_outside,
        "content/studies/s.yaml:1:1: is a link to a file outside content/; copy the file in",
    ),
    "folder named like a study": (
        _folder,
        "content/studies/s.yaml:1:1: is not a file; content/studies holds only *.yaml files",
    ),
}


@pytest.mark.parametrize("setup, expected", FILES.values(), ids=FILES.keys())
def test_hostile_file_name_or_kind_is_refused(project: Project, setup, expected: str) -> None:
    setup(project)
    with pytest.raises(ContentError) as caught:
        load_content(project.root)
    assert str(caught.value) == expected


def test_too_many_files_is_one_clear_line(project: Project, monkeypatch) -> None:
    monkeypatch.setattr(content_module, "MAX_STUDY_FILES", 3)
    for index in range(4):
        project.study(f"s{index}", study())
    with pytest.raises(ContentError) as caught:
        load_content(project.root)
    assert str(caught.value) == "content/studies:1:1: more than 3 files"


# --------------------------------------------------------------------------- accepted and rendered inert

XSS = "<script>alert(1)</script>"
ACCEPTED = {
    "script element in the title": (study(title=f"{XSS} in a title"), [f"{XSS} in a title"]),
    "Markdown link with a javascript: URL in the title": (
        study(title="[x](javascript:alert(1)) title"),
        ["[x](javascript:alert(1)) title"],
    ),
    "title closing the <title> element": (study(title="</title><script>x</script>"), ["</title><script>x</script>"]),
    "entities in the title stay as typed": (study(title="A &amp; B &lt;i&gt; &#x3C;"), ["A &amp; B &lt;i&gt; &#x3C;"]),
    "Jinja expression in the title": (study(title="{{ 7*7 }} and {{ config }}"), ["{{ 7*7 }} and {{ config }}"]),
    "Jinja raw block in the summary": (
        study(summary="{% raw %}{% endraw %} and {% include 'x' %} in a summary"),
        ["{% raw %}{% endraw %} and {% include 'x' %} in a summary"],
    ),
    "summary closing a JSON-LD script": (
        study(summary="</script><script>alert(1)</script> <!-- in a summary"),
        ["</script><script>alert(1)</script> <!-- in a summary"],
    ),
    "attr_list syntax in a topic": (study(topics=["*emph* {: onclick=alert(1) }"]), ["*emph* {: onclick=alert(1) }"]),
    "image tag in a topic": (study(topics=["<img src=x onerror=alert(1)>"]), ["<img src=x onerror=alert(1)>"]),
    "event handler in a key finding": (
        study(key_findings=["<b onmouseover=alert(1)>bold</b> [l](javascript:alert(1))"]),
        ["<b onmouseover=alert(1)>bold</b> [l](javascript:alert(1))"],
    ),
    "markup in arm labels and outcome names": (
        study(
            study=details(
                arms=[{"key": "a", "label": "<svg onload=alert(1)>", "participants": 10}, ARMS[1]],
                outcomes=[{"name": "<iframe src=javascript:alert(1)>", "results": {"a": "5/10", "b": "2/10"}}],
            )
        ),
        ["<svg onload=alert(1)>", "<iframe src=javascript:alert(1)>"],
    ),
    "markup in the disclosures": (
        study(disclosures="<style>body{display:none}</style>"),
        ["<style>body{display:none}</style>"],
    ),
    "markup in source fields": (
        study(source={"title": "</cite><script>x</script>", "journal": '=HYPERLINK("http://x")', "year": 2020}),
        ["</cite><script>x</script>", '=HYPERLINK("http://x")'],
    ),
    "DOI carrying markup": (study(source={"doi": '10.1234/"><script>x</script>'}), ['10.1234/"><script>x</script>']),
    "source URL with a quote": (
        study(source={"url": "https://e.org/'onmouseover=alert(1)"}),
        ["https://e.org/'onmouseover"],
    ),
    "zero-width characters in the title": (study(title="Zero\u200bwidth\u200djoiner\ufefftitle"), ["Zero\u200bwidth"]),
    "right-to-left text in the title": (study(title="עברית and العربية title"), ["עברית and العربية title"]),
    "formula in the title (CSV)": (study(title="=cmd|' /C calc'!A0 title"), ["=cmd|' /C calc'!A0 title"]),
    "body: script element": (study(body=f"Hello {XSS} world"), ["Hello", "world"]),
    "body: event handlers": (
        study(body='<a href="https://e.org" onclick="x()">ok</a> <b onmouseover="x()">b</b>'),
        ["ok", "b"],
    ),
    "body: javascript: and data: links": (
        study(body="[a](javascript:alert(1)) <a href='data:text/html,x'>b</a> [c](JaVaScRiPt:alert(1))"),
        ["a", "b", "c"],
    ),
    "body: iframes, forms, objects, styles": (
        study(
            body='<iframe src="https://evil"></iframe><form action="/x"><input name=q></form><object data=x></object>'
            "<style>*{}</style><base href=//evil/>text"
        ),
        ["text"],
    ),
    "body: md_in_html and attr_list tricks": (
        study(body='<div markdown="1">*x* {: onclick="alert(1)" }</div>\n\n# Heading {: onclick="alert(1)" }'),
        ["Heading"],
    ),
    "body: closing the page's own elements": (
        study(body="</section></div><script>alert(1)</script>\n\n```\n</section><script>alert(2)</script>\n```"),
        ["</section><script>alert(2)</script>"],
    ),
    "body: Jinja syntax": (study(body="{{ 7*7 }} {% raw %} {# c #}"), ["{{ 7*7 }} {% raw %} {# c #}"]),
    "body: formatting, tables and links survive": (
        study(body="**bold** *em*\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[site](https://example.org)"),
        ["bold", "em", "site"],
    ),
    "body: SVG and MathML": (
        study(body='<svg><script>alert(1)</script></svg><math><mi xlink:href="javascript:alert(1)">m</mi></math>'),
        [],
    ),
    "body: HTML comments and CDATA": (study(body="a <!-- <script>alert(1)</script> --> b <![CDATA[ x ]]>"), ["a", "b"]),
    "body: Markdown placeholders": (study(body="a \u0002wzxhzdk:0\u0003 b"), ["a", "b"]),
}

_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "{http://www.w3.org/1999/xlink}href"}
_BAD_SCHEME = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)
_BAD_TAGS = {"script", "iframe", "frame", "object", "embed", "form", "input", "style", "base", "meta", "link", "math"}


def dangers(html: str) -> list[str]:
    """Everything in ``html`` that could run code or load something: script elements, handlers, script URLs."""
    found = []
    tree = lxml.html.fragment_fromstring(html, create_parent="div")
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions are inert
        tag = element.tag.rsplit("}", 1)[-1].lower()
        if tag in _BAD_TAGS:
            found.append(f"<{tag}>")
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                found.append(f"{tag}[{name}]")
            if name.lower() in _URL_ATTRIBUTES and _BAD_SCHEME.match(re.sub(r"[\x00-\x20]", "", value)):
                found.append(f"{tag}[{name}={value}]")
    return found


@pytest.fixture(scope="module")
def vocabularies(tmp_path_factory) -> Content:
    return load_content(Project(tmp_path_factory.mktemp("vocabularies")).root)


def study_page(text: str, vocabularies: Content) -> tuple[str, str]:
    """The study page's HTML as the plugin serves it, and its Markdown converted the way MkDocs would."""
    record = parse_study(text, F, "s")
    pages = build_pages(dataclasses.replace(vocabularies, studies=(record,)), SiteOptions(), {})
    page = next(page for page in pages if page.src == "studies/s.md")
    html, _ = get_data(page.text)  # MkDocs' own reading of the front matter
    return html, markdown.markdown(html, extensions=["tables", "attr_list", "md_in_html"])


def visible(html: str) -> str:
    return " ".join(lxml.html.fragment_fromstring(html, create_parent="div").text_content().split())


@pytest.mark.parametrize("text, shown", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_hostile_text_is_accepted_and_rendered_inert(vocabularies, text: str, shown: list[str]) -> None:
    html, converted = study_page(text, vocabularies)
    assert dangers(html) == []
    assert dangers(converted) == []
    for words in shown:
        assert " ".join(words.split()) in visible(html)
        assert " ".join(words.split()) in visible(converted)


def test_external_body_links_get_noopener_and_ordinary_markup_survives(vocabularies) -> None:
    html, _ = study_page(ACCEPTED["body: formatting, tables and links survive"][0], vocabularies)
    body = lxml.html.fragment_fromstring(html, create_parent="div").xpath("//section[@class='re-body']")[0]
    assert body.xpath(".//a/@rel") == ["noopener noreferrer"]
    assert body.xpath(".//a/@href") == ["https://example.org"]
    assert body.xpath(".//strong/text()") == ["bold"] and body.xpath(".//table//td/text()") == ["1", "2"]


# --------------------------------------------------------------------------- the built site: every output at once

BUILT = {
    "title-script": study(title=f"{XSS} in a title", summary="</script><!-- summary closing the JSON-LD element"),
    "title-closes-title": study(title="</title><script>alert(1)</script> & more"),
    "csv-formula": study(
        title='=HYPERLINK("http://evil","x") title',
        summary="@SUM(1+1)*cmd|' /C calc'!A0 summary here",
        topics=["+cmd", "-2+3"],
        study=details(
            arms=[{"key": "a", "label": "=1+1", "participants": 10}, ARMS[1]],
            outcomes=[
                {
                    "name": "-1+1",
                    "results": {"a": "5/10", "b": "2/10"},
                    "effect": {"measure": "mean-difference", "estimate": "-1.6"},
                }
            ],
        ),
    ),
    "xml-breakers": study(
        title="Feed ]]> <![CDATA[ & \u2028 \uffff title",
        summary="Summary with \u2029 separator, \ufffe non-character and \U0001f600 emoji.",
        topics=["<category term='x'/>"],
    )
    .replace("\uffff", "\\uffff")  # escaped: YAML refuses these characters raw
    .replace("\ufffe", "\\ufffe"),
}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    project = Project(tmp_path_factory.mktemp("hostile"))
    shutil.copy(ROOT / "mkdocs.yml", project.root / "mkdocs.yml")
    shutil.copytree(ROOT / "templates", project.root / "templates")
    shutil.copytree(ROOT / "content" / "pages", project.root / "content" / "pages", dirs_exist_ok=True)
    for slug, text in BUILT.items():
        project.study(slug, text)
    (project.root / "content" / "pages" / "about.md").write_text(
        f"# About\n\nA hand-written page with raw HTML: {XSS}\n", encoding="utf-8"
    )
    return build_site(project.root)


def built_page(site: Path, slug: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((site / "studies" / slug / "index.html").read_bytes())


@pytest.mark.parametrize("slug", BUILT)
def test_built_study_page_shows_text_as_text(hostile_site: Path, slug: str) -> None:
    written = yaml.safe_load(BUILT[slug])  # the text as written, read by PyYAML rather than the generator's loader
    html = built_page(hostile_site, slug)
    title, summary = written["title"], written["summary"]
    assert html.xpath("string(//h1)") == title and not html.xpath("//h1/*")  # what Pagefind indexes as the title
    assert html.xpath("//article//*[@data-pagefind-body]//h1")
    assert html.xpath("string(//p[@class='re-lead'])") == summary
    assert html.xpath("string(//head/title)") == f"{title} - Rheum Evidence"
    assert html.xpath("//head/meta[@name='description']/@content") == [summary]
    theme_scripts = [s for s in html.xpath("//script") if not s.get("src") and s.get("type") != "application/ld+json"]
    assert all("alert" not in (script.text or "") for script in theme_scripts)
    assert not html.xpath("//@*[starts-with(name(), 'on')]")
    data = json.loads(html.xpath("string(//script[@type='application/ld+json'])"))
    assert (data["headline"], data["description"]) == (title, summary)
    raw = (hostile_site / "studies" / slug / "index.html").read_text(encoding="utf-8")
    json_ld = raw.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in json_ld and ">" not in json_ld
    # The social card: its alternative text is the title as text, its address the card drawn beside the page.
    [alt] = html.xpath("//head/meta[@property='og:image:alt']/@content")
    shown = " ".join("".join(char for char in title if char.isprintable() or char.isspace()).split())
    assert alt.startswith(f"Rheum Evidence: “{shown}”;")
    assert html.xpath("//head/meta[@name='twitter:image:alt']/@content") == [alt]
    [image] = html.xpath("//head/meta[@property='og:image']/@content")
    assert image.endswith(f"/studies/{slug}/card.png") and data["image"]["url"] == image
    assert (hostile_site / "studies" / slug / "card.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_feeds_stay_well_formed_whatever_the_characters(hostile_site: Path) -> None:
    atom = lxml.etree.fromstring((hostile_site / "feed.xml").read_bytes())
    namespace = {"a": "http://www.w3.org/2005/Atom"}
    titles = atom.xpath("//a:entry/a:title/text()", namespaces=namespace)
    assert f"{XSS} in a title" in titles
    breaker = yaml.safe_load(BUILT["xml-breakers"])["title"]
    assert breaker.replace("\uffff", "") in titles  # U+FFFF is not an XML character: left out, the rest kept
    assert atom.xpath("//a:category/@term", namespaces=namespace).count("<category term='x'/>") == 1
    items = json.loads((hostile_site / "feed.json").read_text(encoding="utf-8"))["items"]
    assert "</title><script>alert(1)</script> & more" in [item["title"] for item in items]


def test_csv_cells_that_would_run_as_formulas_are_neutralised(hostile_site: Path) -> None:
    studies = {row["slug"]: row for row in csv.DictReader(io.StringIO((hostile_site / "studies.csv").read_text()))}
    row = studies["csv-formula"]
    assert row["title"] == '\'=HYPERLINK("http://evil","x") title'
    assert row["summary"] == "'@SUM(1+1)*cmd|' /C calc'!A0 summary here"
    assert row["topics"] == "'+cmd; -2+3"
    outcomes = list(csv.DictReader(io.StringIO((hostile_site / "outcomes.csv").read_text())))
    mine = [row for row in outcomes if row["slug"] == "csv-formula"]
    assert {row["outcome"] for row in mine} == {"'-1+1"}
    assert {row["arm_label"] for row in mine} == {"'=1+1", "B"}
    assert {row["effect_estimate"] for row in mine} == {"-1.6"}  # a plain number is left alone


def test_csp_never_allows_a_script_written_into_a_page(hostile_site: Path) -> None:
    import base64
    import hashlib

    html = lxml.html.fromstring((hostile_site / "about" / "index.html").read_bytes())
    policy = html.xpath("//head/meta[@http-equiv='Content-Security-Policy']/@content")[0]
    injected = base64.b64encode(hashlib.sha256(b"alert(1)").digest()).decode()
    assert f"'sha256-{injected}'" not in policy
    assert policy.count("'sha256-") >= 2  # the theme's own inline scripts are still allowed
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";")[0]


@pytest.mark.parametrize("title", ["Title ending in a table rule |---", "Three dashes --- in the middle", "---- four"])
def test_dashes_in_a_title_never_end_the_front_matter(title: str, vocabularies: Content) -> None:
    text = MINIMAL_STUDY.replace("A minimal valid study", json.dumps(title))
    record = parse_study(text, F, "s")
    pages = build_pages(dataclasses.replace(vocabularies, studies=(record,)), SiteOptions(), {})
    page = next(page for page in pages if page.src == "studies/s.md")
    body, meta = get_data(page.text)
    assert meta["title"] == title
    assert body.startswith('<div class="re-page re-study"')


def test_markup_in_the_drug_vocabulary_stays_text_on_drug_and_study_pages(project: Project) -> None:
    """site_data/ is written by contributors too: a brand or class name with markup is shown, never run."""
    path = project.root / "site_data" / "drugs.yaml"
    text = path.read_text(encoding="utf-8")
    hostile = '"Xarelto<script>alert(1)</script><img src=x onerror=alert(2)>"'
    assert "    brands: [Xarelto]\n" in text
    path.write_text(text.replace("    brands: [Xarelto]\n", f"    brands: [{hostile}]\n"), encoding="utf-8")
    arm = "  arms:\n    - key: a\n      label: Rivaroxaban 20 mg\n"
    project.study("s", MINIMAL_STUDY.replace("  design: cohort\n", "  design: cohort\n" + arm))
    pages = {page.src: page.text for page in build_pages(load_content(project.root), SiteOptions(), {})}
    for src in ("drugs/rivaroxaban.md", "drug-classes/doacs.md", "studies/s.md"):
        tree = lxml.html.fromstring(pages[src])
        assert not tree.xpath("//script | //img | //*[@onerror]"), src
    assert "Xarelto&lt;script&gt;alert(1)&lt;/script&gt;&lt;img" in pages["drugs/rivaroxaban.md"]
