"""The Content-Security-Policy allows the page's own inline scripts and nothing else."""

from __future__ import annotations

import base64
import hashlib

import lxml.html

from generator.csp import add_policy


def _policy(html: str) -> dict[str, str]:
    meta = lxml.html.fromstring(html).xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    return {part.split()[0]: part for part in meta.split("; ")}


def test_inline_scripts_are_allowed_by_hash_and_json_is_ignored() -> None:
    page = (
        "<html><head><title>x</title></head><body>"
        "<script>console.log(1)</script>"
        '<script type="application/ld+json">{"a": 1}</script>'
        '<script src="assets/x.js"></script></body></html>'
    )
    policy = _policy(add_policy(page, comments=False))
    digest = base64.b64encode(hashlib.sha256(b"console.log(1)").digest()).decode()
    assert policy["script-src"] == f"script-src 'self' 'sha256-{digest}'"
    assert policy["frame-src"] == "frame-src 'none'"
    assert policy["default-src"] == "default-src 'self'"


def test_giscus_is_allowed_only_with_comments() -> None:
    page = "<html><head></head><body></body></html>"
    assert "https://giscus.app" not in add_policy(page, comments=False)
    policy = _policy(add_policy(page, comments=True))
    assert policy["script-src"] == "script-src 'self' https://giscus.app"
    assert policy["frame-src"] == "frame-src https://giscus.app"


def test_the_policy_is_the_first_element_of_head() -> None:
    html = add_policy("<html><head><script>x()</script></head></html>", comments=False)
    assert lxml.html.fromstring(html).xpath("//head/*[1]/@http-equiv") == ["Content-Security-Policy"]
