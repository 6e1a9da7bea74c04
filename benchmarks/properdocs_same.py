"""Show that ProperDocs builds the same site as MkDocs 1.6: the way off MkDocs 1.x stays open.

``python -m benchmarks.properdocs_same [--properdocs PATH] [--synth N]`` copies
the working tree, builds it with this environment's MkDocs (``python -m
mkdocs build``) and with ProperDocs (the ``properdocs`` executable of an
environment of its own, ``benchmarks/properdocs.lock`` on top of
``requirements.lock``), on the project's studies and, with ``--synth N``, on
``N`` synthetic ones too, and compares the two sites file by file.

The only difference allowed is the ``<meta name="generator">`` tag, which
names the generator and its version; Pagefind's order-dependent files are
compared by what they hold (see :mod:`benchmarks.same_site`).  The exit
status is 0 only when every other byte is the same.

ProperDocs is found as ``--properdocs``, else ``RHEUM_PROPERDOCS``, else
``.venv-properdocs/bin/properdocs`` in the repository, else ``properdocs`` on
PATH.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

from .project import REPO, checked, child_env, run_measured
from .same_site import SHOWN, _working_tree, differences, pagefind_canonical

__all__ = ["GENERATOR_TAG", "find_properdocs", "main", "without_generator_tag"]

GENERATOR_TAG = re.compile(rb'<meta name="generator" content="[^"]*">')
"""The one tag the two generators may write differently: each names itself."""


def without_generator_tag(files: dict[str, bytes]) -> dict[str, bytes]:
    """``files`` with each HTML page's generator tag replaced by a fixed one (once per page, nothing else)."""
    return {
        path: GENERATOR_TAG.sub(b'<meta name="generator" content="">', data, count=1)
        if path.endswith(".html")
        else data
        for path, data in files.items()
    }


def find_properdocs(given: str | None = None) -> str | None:
    """The ``properdocs`` executable to use, or None when there is none (see the module's docstring)."""
    for candidate in (given, os.environ.get("RHEUM_PROPERDOCS"), str(REPO / ".venv-properdocs/bin/properdocs")):
        if candidate and (found := shutil.which(candidate)):
            return found
    return shutil.which("properdocs")


def _build(command: list[str], root: Path) -> dict[str, bytes]:
    """Every file of a fresh ``site/`` built in ``root`` by ``command``, by its path."""
    shutil.rmtree(root / "site", ignore_errors=True)
    checked(run_measured([*command, "build", "-q"], root, child_env(PYTHONPATH=str(root))), f"{command[-1]} build")
    site = root / "site"
    files = {path.relative_to(site).as_posix(): path.read_bytes() for path in site.rglob("*") if path.is_file()}
    return without_generator_tag(pagefind_canonical(files))


def _compare(label: str, root: Path, properdocs: str) -> bool:
    mkdocs = _build([sys.executable, "-m", "mkdocs"], root)
    proper = _build([properdocs], root)
    lines = differences(mkdocs, proper)
    pages = sum(path.endswith(".html") for path in mkdocs)
    print(
        f"{label}: {len(mkdocs)} files ({pages} pages) with MkDocs, {len(proper)} with ProperDocs, {len(lines)} differ"
    )
    for line in lines[:SHOWN]:
        print("  " + line.replace("only before:", "only MkDocs:", 1).replace("only after:", "only ProperDocs:", 1))
    if len(lines) > SHOWN:
        print(f"  … and {len(lines) - SHOWN} more")
    return not lines


def main(argv: list[str] | None = None) -> int:
    """Build with MkDocs and with ProperDocs; 0 when the sites are the same but for the generator tag."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.properdocs_same", description=__doc__.split("\n\n")[0])
    parser.add_argument("--properdocs", metavar="PATH", help="the properdocs executable (see above for the default)")
    parser.add_argument("--synth", type=int, default=0, metavar="N", help="also compare N synthetic studies")
    args = parser.parse_args(argv)
    properdocs = find_properdocs(args.properdocs)
    if properdocs is None:
        print(
            "ProperDocs not found: pip install -r benchmarks/properdocs.lock in an environment of its own",
            file=sys.stderr,
        )
        return 2
    with tempfile.TemporaryDirectory(prefix="properdocs-same-") as tmp:
        root = Path(tmp)
        _working_tree(root)
        same = _compare("project studies", root, properdocs)
        if args.synth:
            studies = root / "content" / "studies"
            shutil.rmtree(studies)
            synth = [sys.executable, "-m", "benchmarks.synth", str(args.synth), "--out", str(studies)]
            checked(run_measured(synth, root, child_env(PYTHONPATH=str(root))), "synth")
            same = _compare(f"{args.synth} synthetic studies", root, properdocs) and same
    print("same site" if same else "the sites differ")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
