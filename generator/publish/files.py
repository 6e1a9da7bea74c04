"""The files MkDocs builds: exactly the checked hand-written pages, plus the generated ones."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import PurePosixPath

from mkdocs.structure.files import Files, InclusionLevel

from generator.errors import Problem
from generator.read.confine import PAGES

__all__ = ["docs_problems"]


def docs_problems(files: Files, docs_dir: str, checked: Mapping[str, str]) -> list[Problem]:
    """Make the files MkDocs found in ``docs_dir`` exactly the ``checked`` pages (file name → text).

    Each checked page gets the text that was checked, so MkDocs never reads
    the file again.  Every other file of ``docs_dir`` is taken out: silently
    when MkDocs would leave it out anyway (hidden files, ``exclude_docs``),
    otherwise as a problem, since it appeared after the check.
    """
    problems = []
    for file in list(files):
        if file.generated_by is not None or os.path.abspath(file.src_dir or "") != os.path.abspath(docs_dir):
            continue  # a plugin's file or a theme file
        if file.src_uri in checked:
            file.content_string = checked[file.src_uri]
            continue
        files.remove(file)
        if file.inclusion != InclusionLevel.EXCLUDED:
            display = (PurePosixPath(PAGES.as_posix()) / file.src_uri).as_posix()
            problems.append(Problem(display, 1, 1, "", "appeared after the content was checked; build again"))
    return problems
