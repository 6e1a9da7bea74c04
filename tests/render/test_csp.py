"""The Content-Security-Policy allows the theme's own inline scripts and nothing that a page's text holds."""

from __future__ import annotations

import base64
import hashlib

import jinja2
import lxml.html

from generator.render.csp import add_policy, inline_script_hashes, theme_script_hashes


def _policy(html: str) -> dict[str, str]:
    meta = lxml.html.fromstring(html).xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    return {part.split()[0]: part for part in meta.split("; ")}


def _digest(body: str) -> str:
    return base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()


def _theme(**templates: str) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.DictLoader(templates))


def test_the_policy_lists_the_hashes_it_is_given_and_never_the_page_s_own_scripts() -> None:
    page = "<html><head><title>x</title></head><body><script>alert(document.domain)</script></body></html>"
    policy = _policy(add_policy(page, {_digest("theme()")}, comments=False))
    assert policy["script-src"] == f"script-src 'self' 'sha256-{_digest('theme()')}'"
    assert _digest("alert(document.domain)") not in policy["script-src"]
    assert policy["frame-src"] == "frame-src 'none'"
    assert policy["default-src"] == "default-src 'self'"


def test_inline_script_hashes_skip_files_and_json() -> None:
    page = (
        "<script>console.log(1)</script>"
        '<script type="application/ld+json">{"a": 1}</script>'
        '<script id="__config" type="application/json">{}</script>'
        '<script src="assets/x.js"></script><script> </script>'
    )
    assert inline_script_hashes(page) == {_digest("console.log(1)")}


def test_theme_hashes_come_from_the_theme_s_script_templates_with_the_page_address_only() -> None:
    env = _theme(
        **{
            "partials/javascripts/base.html": '<script>scope("{{ config.extra.scope | d(base_url) }}")</script>',
            "partials/javascripts/tabs.html": '{% if "tabs" in features %}<script>tabs()</script>{% endif %}',
            "partials/other.html": "<script>notATheme()</script>",
        }
    )
    assert theme_script_hashes(env, "../..", []) == {_digest('scope("../..")')}
    assert theme_script_hashes(env, ".", ["tabs"]) == {_digest('scope(".")'), _digest("tabs()")}


def test_wasm_and_giscus_are_allowed_only_when_asked() -> None:
    page = "<html><head></head><body></body></html>"
    assert "https://giscus.app" not in add_policy(page, (), comments=False)
    policy = _policy(add_policy(page, (), comments=True, wasm=True))
    assert policy["script-src"] == "script-src 'self' 'wasm-unsafe-eval' https://giscus.app"
    assert policy["frame-src"] == "frame-src https://giscus.app"


def test_the_policy_is_the_first_element_of_head() -> None:
    html = add_policy("<html><head><script>x()</script></head></html>", (), comments=False)
    assert lxml.html.fromstring(html).xpath("//head/*[1]/@http-equiv") == ["Content-Security-Policy"]
