"""ProperDocs, the continuation of MkDocs 1.x, builds the same site: benchmarks.properdocs_same.

The whole comparison runs when ProperDocs is installed (in an environment of
its own: ``.venv-properdocs``, ``RHEUM_PROPERDOCS`` or ``properdocs`` on PATH;
the workflow's continuity job makes one) and is skipped otherwise.
"""

from __future__ import annotations

import pytest

from benchmarks.properdocs_same import find_properdocs, main, without_generator_tag
from benchmarks.same_site import differences

MKDOCS_PAGE = b'<head>\n<meta name="generator" content="mkdocs-1.6.1, mkdocs-material-9.8.2">\n<title>A</title>'
PROPERDOCS_PAGE = (
    b'<head>\n<meta name="generator" content="mkdocs-ProperDocs 1.6.7, mkdocs-material-9.8.2">\n<title>A</title>'
)


def test_only_the_generator_tag_may_differ() -> None:
    mkdocs = without_generator_tag({"index.html": MKDOCS_PAGE, "feed.xml": b"<feed/>"})
    proper = without_generator_tag({"index.html": PROPERDOCS_PAGE, "feed.xml": b"<feed/>"})
    assert differences(mkdocs, proper) == []


def test_any_other_difference_is_reported() -> None:
    mkdocs = without_generator_tag({"index.html": MKDOCS_PAGE, "a/index.html": MKDOCS_PAGE})
    other = PROPERDOCS_PAGE.replace(b"<title>A", b"<title>B")
    proper = without_generator_tag({"index.html": other, "b/index.html": PROPERDOCS_PAGE})
    assert differences(mkdocs, proper) == [
        "only before: a/index.html",
        "only after: b/index.html",
        "differs: index.html",
    ]
    # the tag is left alone outside HTML, and a second generator tag in a page is content
    twice = MKDOCS_PAGE + MKDOCS_PAGE
    assert without_generator_tag({"x.txt": MKDOCS_PAGE})["x.txt"] == MKDOCS_PAGE
    assert without_generator_tag({"x.html": twice})["x.html"].count(b"mkdocs-1.6.1") == 1


@pytest.mark.skipif(
    find_properdocs() is None, reason="ProperDocs not installed (pip install -r benchmarks/properdocs.lock)"
)
def test_properdocs_builds_the_same_site_as_mkdocs(capsys) -> None:
    assert main([]) == 0
    out = capsys.readouterr().out
    assert out.endswith("same site\n") and ", 0 differ" in out
