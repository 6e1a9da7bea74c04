"""The search page compares what a reader types with the vocabulary's keys the way the build made them.

The keys in ``search-terms.<hash>.json`` come from :func:`generator.read.drugs.term_key`; the page
(``templates/overrides/assets/search-page.js``) turns the query into a key with its own ``termKey``.
Both are run here, the JavaScript one in Node, on the same strings: any difference would make a
brand or a synonym typed one way find nothing.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.read.drugs import term_key

from ..conftest import ROOT

SCRIPT = ROOT / "templates/overrides/assets/search-page.js"
NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="Node.js is not installed")

WRITTEN = [
    "Xarelto", "JAK inhibitors", "jak-inhibitor", "Jak Inhibitor", "Sjögren's", "sjogren", "SJÖGREN’S syndrome",
    "IL-2", "interleukin‑2", "anti-TNF", "TNF-α inhibitors", "Behçet’s disease", "ANCA vasculitis",
    "  temporal   arteritis ", "glucocorticoids", "sepsis", "class", "Lupus.", "mycophénolate mofetil", "IL-12/23",
    "Straße", "ΣΊΣΥΦΟΣ", "ﬁlgotinib", "Ｘａｒｅｌｔｏ", "(MTX)", "ciclosporin; cyclosporine", "anti-IL-6R", "bDMARDs",
    "", "   ", "'s", "es", "its", "tocilizumab's", "Osteoarthritis", "gouts",
]  # fmt: skip


def js_keys(texts: list[str]) -> list[str]:
    """``termKey`` of the search page, run by Node over ``texts``."""
    source = SCRIPT.read_text(encoding="utf-8")
    match = re.search(r"^  function termKey\(text\) \{\n.*?^  \}\n", source, re.S | re.M)
    assert match, "search-page.js has no termKey function"
    program = match[0] + "process.stdout.write(JSON.stringify(JSON.parse(process.argv[1]).map(termKey)));"
    done = subprocess.run([NODE, "-e", program, json.dumps(texts)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_the_page_keys_what_editors_write_as_the_build_does() -> None:
    assert js_keys(WRITTEN) == [term_key(text) for text in WRITTEN]


_TEXT = st.text(
    alphabet=st.sampled_from(
        [*"aAsSzZéÉöÖçßσςΣαİıﬁ '’-‐‑–—_/.,;:()\t\n0123456789", "\ufeff", "\x85", "\x1c", "\u00a0", "𝐗", "ǅ", "١", "ⅷ"]
    ),
    max_size=24,
)


@settings(max_examples=1, deadline=None)
@given(st.lists(_TEXT, min_size=300, max_size=300))
def test_the_page_keys_any_mix_of_letters_accents_and_separators_as_the_build_does(texts: list[str]) -> None:
    assert js_keys(texts) == [term_key(text) for text in texts]
