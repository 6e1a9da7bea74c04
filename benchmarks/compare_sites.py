"""Write the comparison sites of N synthetic studies in a child process: ``python -m benchmarks.compare_sites``.

``python -m benchmarks.compare_sites N --plain DIR [--hugo DIR]`` writes the
bare MkDocs + Material site (:mod:`benchmarks.plain_mkdocs`) and the Hugo site
(:mod:`benchmarks.hugo`) of the same published studies.  The benchmark runs it
as a child so that its memory (the whole corpus as Markdown) never becomes
the runner's: a child's peak RSS starts from its parent's size at the fork.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import hugo, plain_mkdocs
from .plain_markdown import published_studies


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.compare_sites", description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, metavar="N", help="how many synthetic studies (drafts are left out)")
    parser.add_argument("--plain", type=Path, required=True, metavar="DIR", help="folder of the plain MkDocs site")
    parser.add_argument("--hugo", type=Path, metavar="DIR", help="folder of the Hugo site")
    args = parser.parse_args(argv)
    studies = published_studies(args.n)
    plain_mkdocs.write_site(args.plain, studies)
    if args.hugo:
        hugo.write_site(args.hugo, studies)
    return 0


if __name__ == "__main__":
    sys.exit(main())
