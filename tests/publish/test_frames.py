"""Framed pages are the theme's own output, less the frame's blank lines and indentation."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.publish import frames as frames_module
from generator.publish.frames import Frame, compact, frame_of, page_values

from ..conftest import build_site


def test_a_frame_fills_its_slots_in_order() -> None:
    frame = frame_of("<title>\ue000Title\ue001</title><main>\ue000Content<h1\ue001</main>")
    assert frame == Frame(("<title>", "Title", "</title><main>", "Content", "</main>"))
    assert frame.fill({"Title": "A & B", "Content": "<p>x</p>"}) == "<title>A & B</title><main><p>x</p></main>"


def test_a_probe_whose_marker_was_changed_gives_no_frame() -> None:
    assert frame_of("<title>\ue000Title\ue001</title><p>\ue000</p>") is None
    assert frame_of("<title>\ue000Other\ue001</title>") is None


def test_compacting_drops_blank_lines_and_indentation_only() -> None:
    assert compact("<div>\n    \n    <a>x y</a>\n  </div>\n") == "<div>\n<a>x y</a>\n</div>\n"
    assert Frame(("  <b>\n  ", "Content", "\n\n  </b>")).compacted().parts == ("  <b>\n", "Content", "\n</b>")


class _Page:
    def __init__(self, title: str, description: str | None = None):
        self.meta = {"title": title} | ({"description": description} if description is not None else {})
        self.title, self.canonical_url, self.content = title, "https://example.org/x/", "<h1>x</h1>"


@pytest.mark.parametrize("title", ["A <b> title", "Tom & Jerry", "two  spaces", 'a "quote"', " padded"])
def test_a_title_a_filter_could_change_is_rendered_in_full(title: str) -> None:
    assert page_values(_Page(title), {}) is None
    assert page_values(_Page("Plain title", title), {}) is None


def test_plain_values_are_filled_as_they_are() -> None:
    values = page_values(_Page("Plain title", "A plain description."), {"extra_head": "<meta>"})
    assert values == {"Title": "Plain title", "Description": "A plain description.",
                      "Canonical": "https://example.org/x/", "Head": "<meta>", "Content": "<h1>x</h1>"}  # fmt: skip


def test_every_framed_page_is_what_the_theme_renders(site_project, tmp_path: Path, monkeypatch) -> None:
    framed = build_site(site_project.root)
    shutil.copytree(framed, tmp_path / "framed")
    monkeypatch.setattr(frames_module, "group_of", lambda template, page: None)  # every page rendered in full
    full = build_site(site_project.root)
    pages = sorted(path.relative_to(full) for path in full.rglob("*.html") if "pagefind" not in path.parts)
    assert len(pages) > 50
    smaller = 0
    for path in pages:
        ours, theirs = (tmp_path / "framed" / path).read_text(), (full / path).read_text()
        assert compact(ours) == compact(theirs), path
        smaller += len(ours) < len(theirs)
    assert smaller > len(pages) / 2, "most pages are framed"
