"""The generator's layout: stage folders that import only earlier stages, and few modules outside them.

read -> derive -> render -> publish, then pipeline and cli on top.  Every import counts, wherever it is
written (inside functions, under ``if TYPE_CHECKING:``), and relative imports are resolved first.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "generator"

ROOT_MODULES = frozenset({"__init__", "__main__", "cli", "errors", "urls", "pipeline", "text"})
"""The only modules allowed directly in generator/, outside the stage folders."""

STAGES = ("read", "derive", "render", "publish")

FORBIDDEN = {
    "read": ("derive", "render", "publish", "pipeline", "cli"),
    "derive": ("render", "publish", "pipeline", "cli"),
    "render": ("publish", "pipeline", "cli"),
    "publish": ("cli",),
    "errors": (*STAGES, "pipeline", "cli"),
    "urls": (*STAGES, "pipeline", "cli"),
}
"""For a stage folder or a root module: the parts of the generator it must not import."""


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> set[str]:
    """Every module ``path`` imports, as absolute dotted names (``from a import b`` counts as a and a.b)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            names.add(source)
            names.update(f"{source}.{alias.name}" for alias in node.names)
    return names


def part_of(module: str) -> str | None:
    """The stage or root module of the generator a dotted name belongs to (None outside the generator)."""
    parts = module.split(".")
    return parts[1] if parts[0] == "generator" and len(parts) > 1 else None


def owner(path: Path) -> str:
    """What the rules are kept by: the stage folder of ``path``, or its own name at the root."""
    relative = path.relative_to(PACKAGE)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_the_package_is_where_the_test_looks() -> None:
    assert (PACKAGE / "pipeline.py").is_file() and len(MODULES) > 20


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.relative_to(PACKAGE).as_posix())
def test_each_module_imports_only_earlier_stages(path: Path) -> None:
    forbidden = FORBIDDEN.get(owner(path), ())
    wrong = sorted(module for module in imported(path) if part_of(module) in forbidden)
    assert wrong == [], f"{owner(path)} must not import {', '.join(forbidden)}"


def test_every_module_is_in_a_stage_folder_or_one_of_the_root_modules() -> None:
    strays = []
    for path in MODULES:
        relative = path.relative_to(PACKAGE)
        if len(relative.parts) == 1:
            if relative.stem not in ROOT_MODULES:
                strays.append(relative.as_posix())
        elif relative.parts[0] not in STAGES or len(relative.parts) > 2:
            strays.append(relative.as_posix())
    assert strays == []
    assert all((PACKAGE / stage / "__init__.py").is_file() for stage in STAGES)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import generator.render.pages", {"generator.render.pages"}),
        ("from generator import render", {"generator", "generator.render"}),
        ("from ..render import pages", {"generator.render", "generator.render.pages"}),
        ("from . import loader", {"generator.read", "generator.read.loader"}),
        ("def f():\n    from generator.cli import main\n", {"generator.cli", "generator.cli.main"}),
    ],
)
def test_imports_are_found_wherever_and_however_they_are_written(tmp_path, monkeypatch, source, expected) -> None:
    fake = tmp_path / "generator"
    (fake / "read").mkdir(parents=True)
    (fake / "read" / "module.py").write_text(source, encoding="utf-8")
    monkeypatch.setattr(f"{__name__}.PACKAGE", fake)
    assert imported(fake / "read" / "module.py") == expected
