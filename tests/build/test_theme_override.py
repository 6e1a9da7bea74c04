"""templates/overrides/base.html is Material's base.html less the checkboxes' autocomplete attribute, and no more."""

from __future__ import annotations

from pathlib import Path

import material

from ..conftest import ROOT

OVERRIDE = ROOT / "templates" / "overrides" / "base.html"
MATERIAL = Path(material.__file__).parent / "templates" / "base.html"
TOGGLES = ('id="__drawer"', 'id="__search"')


def _body(text: str) -> list[str]:
    """The template's lines after its opening comment (Material's says it is generated, ours why it is a copy)."""
    lines = text.splitlines()
    assert lines[0] == "{#-"
    return lines[lines.index("-#}") + 1 :]


def test_the_override_is_materials_base_but_for_the_toggles_autocomplete() -> None:
    ours, theirs = _body(OVERRIDE.read_text(encoding="utf-8")), _body(MATERIAL.read_text(encoding="utf-8"))
    changed = [(mine, original) for mine, original in zip(ours, theirs, strict=True) if mine != original]
    assert len(ours) == len(theirs)
    assert [original for _, original in changed] == [
        f'    <input class="md-toggle" data-md-toggle="{name}" type="checkbox" id="__{name}" autocomplete="off">'
        for name in ("drawer", "search")
    ]
    assert [mine for mine, _ in changed] == [original.replace(' autocomplete="off"', "") for _, original in changed]


def test_the_copy_names_the_material_version_it_was_taken_from() -> None:
    from importlib.metadata import version

    assert f"base.html ({version('mkdocs-material')})" in OVERRIDE.read_text(encoding="utf-8")
