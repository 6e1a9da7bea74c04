"""Packaging: every library the generator imports is declared, and the package says it is typed."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib

from tests.conftest import ROOT

PACKAGE = ROOT / "generator"


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _normalised(name: str) -> str:
    """A distribution name as PEP 503 compares them: case and runs of -_. do not matter."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> set[str]:
    """The distributions named in [project] dependencies, without versions, extras or markers."""
    names = set()
    for requirement in _pyproject()["project"]["dependencies"]:
        match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
        assert match, f"cannot read the requirement {requirement!r}"
        names.add(_normalised(match.group()))
    return names


def _imported() -> dict[str, set[str]]:
    """Each top-level module that a file of generator/ imports absolutely, with the files importing it."""
    modules: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        shown = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=shown)):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                modules.setdefault(name.partition(".")[0], set()).add(shown)
    return modules


def _third_party(modules: dict[str, set[str]]) -> dict[str, set[str]]:
    return {
        name: files
        for name, files in modules.items()
        if name not in sys.stdlib_module_names and name not in ("__future__", "generator")
    }


def test_every_imported_distribution_is_declared() -> None:
    imported = _third_party(_imported())
    assert {"pydantic", "yaml", "mkdocs"} <= imported.keys(), "the scan found none of the known imports"
    declared = _declared()
    distributions = importlib.metadata.packages_distributions()
    undeclared = []
    for module, files in sorted(imported.items()):
        providers = {_normalised(name) for name in distributions.get(module, [])}
        if not providers:
            undeclared.append(
                f"{module} (no installed distribution provides it), imported by {', '.join(sorted(files))}"
            )
        elif not providers & declared:
            wanted = " or ".join(sorted(providers))
            undeclared.append(f"{module} from {wanted}, imported by {', '.join(sorted(files))}")
    assert not undeclared, "pyproject.toml [project] dependencies lacks:\n" + "\n".join(undeclared)


def test_the_scan_sees_third_party_imports_only() -> None:
    modules = {"os": {"a.py"}, "__future__": {"a.py"}, "generator": {"a.py"}, "yaml": {"a.py"}}
    assert _third_party(modules) == {"yaml": {"a.py"}}
    assert _normalised("typing_extensions") == _normalised("Typing-Extensions") == "typing-extensions"


def test_the_package_is_marked_typed() -> None:
    assert (PACKAGE / "py.typed").is_file()
    package_data = _pyproject()["tool"]["setuptools"]["package-data"]
    assert "py.typed" in package_data.get("generator", [])
