"""Show that a change of code leaves the built site the same, byte for byte.

``python -m benchmarks.same_site REV [--synth N]`` builds the site twice from the
same content: once with the code of git revision ``REV`` (checked out beside
the repository, with its own virtual environment made from its
``requirements.lock``) and once with the code of the working tree. It does so for
the project's own studies and for ``N`` synthetic studies (default 300), then
compares the two ``site/`` folders file by file. The exit status is 0 only when
every file is the same in both; otherwise the differing paths are listed.

The content (``content/`` and ``site_data/``) of both builds is the working
tree's, so only the code (``generator/``, ``templates/``, ``mkdocs.yml``) differs.

Pagefind writes the values of a filter in a different order each time it runs
(a HashMap's order: the same site indexed twice gives two filter files), and
the names of its filter and meta files are hashes of that order. Those three
kinds of file are therefore compared by what they hold: the decoded filter
with its values sorted, and the meta and entry files with the hashes left out.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import cbor2

from .project import REPO, checked, child_env, run_measured

INPUTS = ("content", "site_data")
SHOWN = 20


def _run(command: list[str], cwd: Path) -> None:
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL)


def _checkout(revision: str, target: Path) -> Path:
    """The code of ``revision`` in ``target``, with a virtual environment of its pinned dependencies."""
    _run(["git", "worktree", "add", "--quiet", "--detach", str(target), revision], REPO)
    venv = target / ".venv"
    _run([sys.executable, "-m", "venv", str(venv)], target)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    _run([*pip, "-r", "requirements.lock"], target)
    _run([*pip, "--no-deps", "-e", "."], target)
    return venv / "bin" / "python"


def _working_tree(target: Path) -> Path:
    """A copy of the working tree's files (tracked and new, not ignored), built with this interpreter."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        check=True,
        capture_output=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return Path(sys.executable)


def _use_content(root: Path, content: Path) -> None:
    for name in INPUTS:
        shutil.rmtree(root / name, ignore_errors=True)
        shutil.copytree(content / name, root / name)


def _build(python: Path, root: Path) -> dict[str, bytes]:
    """Every file of a fresh ``site/`` of the project in ``root``, by its path."""
    shutil.rmtree(root / "site", ignore_errors=True)
    env = child_env(PYTHONPATH=str(root))
    checked(run_measured([str(python), "-m", "mkdocs", "build", "-q"], root, env), f"mkdocs build in {root}")
    site = root / "site"
    files = {path.relative_to(site).as_posix(): path.read_bytes() for path in site.rglob("*") if path.is_file()}
    return pagefind_canonical(files)


def _pagefind_data(blob: bytes) -> Any:
    """A Pagefind data file decoded: gzip, then a signature, then CBOR."""
    data = gzip.decompress(blob)
    signature = b"pagefind_dcd"
    if not data.startswith(signature):
        raise ValueError("not a Pagefind data file")
    return cbor2.loads(data[len(signature) :])


def pagefind_canonical(files: dict[str, bytes]) -> dict[str, bytes]:
    """``files`` with Pagefind's order-dependent filter, meta and entry files replaced by their content in order."""
    canonical = dict(files)
    filters: dict[str, str] = {}
    for path in [path for path in files if path.startswith("pagefind/filter/")]:
        name, values = _pagefind_data(canonical.pop(path))
        filters[path.rsplit("/", 1)[1].removesuffix(".pf_filter")] = name
        canonical[f"pagefind/filter/{name}"] = repr(sorted(values)).encode()
    for path in [path for path in files if path.startswith("pagefind/pagefind.") and path.endswith(".pf_meta")]:
        meta = _pagefind_data(canonical.pop(path))
        meta[3] = sorted([name, filters.get(file, file)] for name, file in meta[3])
        canonical["pagefind/pagefind.pf_meta"] = repr(meta).encode()
    if "pagefind/pagefind-entry.json" in files:
        entry = json.loads(files["pagefind/pagefind-entry.json"])
        for language in entry["languages"].values():
            language.pop("hash")
        canonical["pagefind/pagefind-entry.json"] = json.dumps(entry, sort_keys=True).encode()
    return canonical


def differences(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    """One line per path that is missing, new, or not the same in ``after``."""
    lines = [f"only before: {path}" for path in sorted(before.keys() - after.keys())]
    lines += [f"only after: {path}" for path in sorted(after.keys() - before.keys())]
    lines += [f"differs: {path}" for path in sorted(before.keys() & after.keys()) if before[path] != after[path]]
    return lines


def _compare(label: str, builds: list[tuple[Path, Path]]) -> bool:
    (before_python, before_root), (after_python, after_root) = builds
    before, after = _build(before_python, before_root), _build(after_python, after_root)
    lines = differences(before, after)
    print(f"{label}: {len(before)} files before, {len(after)} after, {len(lines)} differ")
    for line in lines[:SHOWN]:
        print(f"  {line}")
    if len(lines) > SHOWN:
        print(f"  … and {len(lines) - SHOWN} more")
    return not lines


def main(argv: list[str] | None = None) -> int:
    """Build with ``REV``'s code and with the working tree's; 0 when both sites are the same."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.same_site", description=__doc__.split("\n\n")[0])
    parser.add_argument("revision", help="the git revision to compare against, e.g. main or a commit")
    parser.add_argument("--synth", type=int, default=300, metavar="N", help="synthetic studies (default 300)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="same-site-") as tmp:
        before_root, after_root = Path(tmp) / "before", Path(tmp) / "after"
        after_root.mkdir()
        try:
            builds = [(_checkout(args.revision, before_root), before_root), (_working_tree(after_root), after_root)]
            _use_content(before_root, after_root)
            same = _compare("project studies", builds)
            studies = after_root / "content" / "studies"
            shutil.rmtree(studies)
            synth = [sys.executable, "-m", "benchmarks.synth", str(args.synth), "--out", str(studies)]
            checked(run_measured(synth, after_root, child_env(PYTHONPATH=str(after_root))), "synth")
            _use_content(before_root, after_root)
            same = _compare(f"{args.synth} synthetic studies", builds) and same
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(before_root)], cwd=REPO, check=False)
    print("same site" if same else "the sites differ")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
