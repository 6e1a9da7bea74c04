"""The README's "How it is built" names every stage folder and every module the package has."""

from __future__ import annotations

from tests.conftest import ROOT

PACKAGE = ROOT / "generator"


def _how_it_is_built() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## How it is built", 1)[1]
    return section.split("\n## ", 1)[0]


def test_every_module_is_named_in_how_it_is_built() -> None:
    section = _how_it_is_built()
    modules = sorted(
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if path.name not in ("__init__.py", "__main__.py")
    )
    missing = [name for name in modules if f"`{name.rsplit('/', 1)[-1]}`" not in section]
    assert not missing, f"README's 'How it is built' does not name: {', '.join(missing)}"


def test_every_stage_folder_is_named_in_how_it_is_built() -> None:
    section = _how_it_is_built()
    stages = sorted(path.name for path in PACKAGE.iterdir() if (path / "__init__.py").is_file())
    assert stages == ["derive", "publish", "read", "render"]
    assert all(f"`generator/{stage}/`" in section for stage in stages)
