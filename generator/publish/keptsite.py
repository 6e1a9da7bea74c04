"""A `mkdocs serve` rebuild that rewrites the last build's files in place instead of cleaning the folder first.

Without ``--dirty``, MkDocs empties the site folder before every build and
then writes every file again.  Most of a rebuild's writing is then the file
system making and removing thousands of files (at 1,000 studies about 5,000
files): creating a file and deleting it cost far more than overwriting one
that exists.  So a rebuild hides the last build from MkDocs' clean step and
puts it back before MkDocs writes: MkDocs' clean skips hidden entries, and
moving a folder is one rename.  MkDocs then overwrites each file in place,
and what the rebuild did not write (a study renamed or removed) is deleted
afterwards, so the folder ends as a clean build leaves it.

A file counts as written by the rebuild when its modification time is not
older than that of a marker made when the last build was hidden.  With
coarse file times, a file of the last build may look as new as the marker
and stay: the preview then shows a stale page, as ``--dirty`` previews
always may, until the next rebuild.  The search bundle is not put back:
the rebuild writes a new one whole, and its fragments have new names for new text.
"""

from __future__ import annotations

import os
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

from generator.publish.search import SEARCH_SUBDIR

__all__ = ["KEPT_FOLDER", "KeptSite", "holds_file"]

KEPT_FOLDER = ".rheum-evidence-last-build"
"""Where a rebuild hides the last build from MkDocs' clean step: a hidden folder, which MkDocs does not remove."""
_MARKER = ".written-after"


@dataclass
class KeptSite:
    """The last build of one site folder, hidden from MkDocs' clean step for one rebuild."""

    site_dir: Path

    @property
    def folder(self) -> Path:
        return self.site_dir / KEPT_FOLDER

    @classmethod
    def hide(cls, site_dir: Path) -> KeptSite | None:
        """Hide the last build in ``site_dir`` (before MkDocs cleans it), or None when there is none to keep."""
        if not site_dir.is_dir() or site_dir.is_symlink():
            return None
        entries = [entry for entry in os.scandir(site_dir) if not entry.name.startswith(".")]
        if not entries:
            return None
        kept = cls(site_dir)
        shutil.rmtree(kept.folder, ignore_errors=True)  # a rebuild that stopped half-way
        kept.folder.mkdir()
        (kept.folder / _MARKER).touch()
        for entry in entries:
            os.rename(entry.path, kept.folder / entry.name)
        return kept

    def put_back(self, *, search: bool = False) -> None:
        """Put the last build's files back where MkDocs will overwrite them (after MkDocs' clean step).

        The search bundle stays hidden, to be removed, unless ``search``: the rebuild writes a new one whole.
        """
        for entry in os.scandir(self.folder):
            if entry.name == _MARKER or (entry.name == SEARCH_SUBDIR and not search):
                continue
            if not os.path.lexists(self.site_dir / entry.name):
                os.rename(entry.path, self.site_dir / entry.name)

    def restore(self) -> None:
        """Put back what is still hidden, search bundle included, and remove the hidden folder: the rebuild failed.

        Before MkDocs wrote anything, that is the whole last build; afterwards, what MkDocs did not overwrite.
        """
        self.put_back(search=True)
        shutil.rmtree(self.folder, ignore_errors=True)

    def remove_unwritten(self) -> None:
        """Delete what the rebuild did not write, and the hidden folder, so the site folder is as a clean build's."""
        since = (self.folder / _MARKER).stat().st_mtime_ns
        shutil.rmtree(self.folder, ignore_errors=True)
        for folder, folders, names in os.walk(self.site_dir, topdown=False):  # never into a link
            links = [name for name in folders if os.path.islink(os.path.join(folder, name))]
            for name in names + links:
                path = os.path.join(folder, name)
                if os.lstat(path).st_mtime_ns < since:
                    os.unlink(path)  # a link itself, never what it points to
            if folder != str(self.site_dir) and not os.listdir(folder):
                os.rmdir(folder)


def holds_file(path: str) -> bool:
    """Whether the site folder holds a regular file at ``path``, to be overwritten or kept in place.

    A link there was never written by a build: it is removed, so that nothing writes or dates through it.
    """
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return False
    if stat.S_ISLNK(mode):
        os.unlink(path)
        return False
    return stat.S_ISREG(mode)
