"""Keep every read inside the project's ``content/``, ``site_data/`` and ``templates/`` folders.

A symbolic link is followed only while it stays inside the folder it is in:
a link of a file or of a folder that leads elsewhere (a system file, another
checkout) is refused with one line that never quotes what it points at.
Files that cannot be read, or vanish between listing and reading, give one
line each too.  :func:`docs_problems` makes MkDocs build exactly the
hand-written pages that were checked, with the text that was checked.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from generator.errors import ContentError, Problem
from generator.read.loader import read_text

__all__ = [
    "CONTENT",
    "LOOP",
    "PAGES",
    "SITE_DATA",
    "TEMPLATES",
    "link_problem",
    "read_confined",
    "template_problems",
    "unreadable",
]

CONTENT = Path("content")
SITE_DATA = Path("site_data")
TEMPLATES = Path("templates")
PAGES = CONTENT / "pages"
LOOP = "is a link that leads back to itself (a loop of links); copy the file in"
_SPECIAL = "is not a plain file (a named pipe, socket or device); replace it with the file itself"


def link_problem(root: Path, path: Path, area: Path) -> str | None:
    """Why links make ``path`` unreadable, or None when it resolves inside ``root / area``.

    ``root`` is the resolved project folder.  Refused: a loop of links, a link
    of the file, and a link of any folder on its way, that leads outside.
    """
    try:
        real = path.resolve()
    except (OSError, RuntimeError):  # Python 3.11 reports a loop of links as RuntimeError
        return LOOP
    if real.is_relative_to(root / area):
        return None
    where = f"outside {area.as_posix()}/"
    if path.is_symlink():
        kind = "folder" if real.is_dir() else "file"
        return f"is a link to a {kind} {where}; copy the {kind} in"
    return f"is in a linked folder that leads {where}; copy the files in"


def unreadable(error: OSError) -> str:
    """The one-line reason an operating-system error gives for a file that could not be read."""
    if isinstance(error, FileNotFoundError):
        return "disappeared while it was being read (deleted or renamed during the run); run again"
    if isinstance(error, PermissionError):
        return "cannot be read: permission denied"
    return f"cannot be read: {error.strerror or type(error).__name__}"


def read_confined(root: Path, path: Path, area: Path) -> str:
    """The text of ``path``, once it is known to be a plain file inside ``root / area``.

    Raises :class:`ContentError` with one problem otherwise: a link leading
    outside, a loop of links, a pipe or device (which could block forever),
    an unreadable or vanished file, and whatever :func:`read_text` refuses.
    """
    display = path.relative_to(root).as_posix()
    if problem := link_problem(root, path, area):
        raise ContentError([Problem(display, 1, 1, "", problem)])
    real = path.resolve()
    try:
        mode = real.stat().st_mode
        if stat.S_ISDIR(mode):
            raise ContentError([Problem(display, 1, 1, "", "is a folder, not a file")])
        if not stat.S_ISREG(mode):
            raise ContentError([Problem(display, 1, 1, "", _SPECIAL)])
        return read_text(real, display)
    except OSError as error:
        raise ContentError([Problem(display, 1, 1, "", unreadable(error))]) from None


def template_problems(root: Path) -> list[Problem]:
    """Links leading out of ``templates/`` and special files in it, which the generator and MkDocs would read."""
    folder = root / TEMPLATES
    if not os.path.lexists(folder):
        return []  # the generator's own templates are used
    if problem := link_problem(root, folder, TEMPLATES):
        return [Problem(TEMPLATES.as_posix(), 1, 1, "", problem)]
    problems: list[Problem] = []

    def walk_error(error: OSError) -> None:
        where = Path(error.filename).relative_to(root).as_posix() if error.filename else TEMPLATES.as_posix()
        problems.append(Problem(where, 1, 1, "", unreadable(error)))

    # Links are checked here, never entered: a link to a folder inside templates/ is walked where it really is.
    for directory, folders, names in os.walk(folder, onerror=walk_error):
        for name in sorted(folders + names):
            path = Path(directory, name)
            display = path.relative_to(root).as_posix()
            if path.is_symlink():
                if problem := link_problem(root, path, TEMPLATES):
                    problems.append(Problem(display, 1, 1, "", problem))
            elif not (path.is_dir() or path.is_file()):
                problems.append(Problem(display, 1, 1, "", _SPECIAL))
    return problems
