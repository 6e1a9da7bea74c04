"""The search benchmark waits for what the search page really shows: a result's title link."""

from __future__ import annotations

import re
from pathlib import Path

from benchmarks.search import RESULT

READER = Path(__file__).resolve().parents[2] / "templates" / "overrides" / "assets" / "search-page.js"


def test_the_result_selector_names_the_classes_the_search_page_gives_a_result_and_its_link() -> None:
    made = set(re.findall(r'element\("(\w+)", "([\w-]+)"', READER.read_text(encoding="utf-8")))
    item, link = RESULT.split()
    assert ("li", item.lstrip(".")) in made
    assert tuple(link.split(".")) in made
