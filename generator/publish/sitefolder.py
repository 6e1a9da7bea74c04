"""Publish a build atomically: readers never see a half-written site.

A build writes into a fresh folder beside the site folder; only when it
succeeds is that folder swapped into place, in one step where the system
allows (Linux ``renameat2`` with ``RENAME_EXCHANGE``).  A lock keeps two
builds of the same site from interleaving; leftovers of a killed build are
removed by the next one.  Hidden entries of the published folder (``.git``,
``.nojekyll``) and ``CNAME`` move into each new site, as MkDocs' own clean
step would keep them.  A build writes and deletes only its own folders: the
site folder may not be a link nor lie over the sources, and deleting never
follows a link.  :class:`Publication` does this for one MkDocs build.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import fcntl
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import IO

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError

__all__ = ["AtomicSiteDir", "KEPT_NAMES", "Publication", "site_dir_problem"]

KEPT_NAMES = frozenset({"CNAME"})
"""Entries of the published folder that survive a build besides hidden ones (names starting with a dot)."""

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class AtomicSiteDir:
    """A staging folder for one build of ``site_dir`` that replaces it on :meth:`commit`."""

    def __init__(self, site_dir: Path):
        self.site_dir = site_dir.resolve()
        self.parent = self.site_dir.parent
        self.prefix = f".{self.site_dir.name}-"
        self._lock: IO[bytes] | None = None
        self.staging: Path | None = None

    def start(self) -> Path:
        """Take the lock, clear leftovers and return an empty staging folder to build into."""
        self.parent.mkdir(parents=True, exist_ok=True)
        # O_NOFOLLOW and no O_TRUNC: a lock file planted as a link cannot make the build truncate what it points at.
        lock = self.parent / f".{self.site_dir.name}.lock"
        self._lock = os.fdopen(os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW, 0o644), "wb")
        fcntl.flock(self._lock, fcntl.LOCK_EX)
        for kind in ("build", "old"):
            for leftover in self.parent.glob(f"{self.prefix}{kind}-*"):
                if leftover.is_dir() and not leftover.is_symlink():
                    shutil.rmtree(leftover, ignore_errors=True)
        self.staging = Path(tempfile.mkdtemp(prefix=f"{self.prefix}build-", dir=self.parent))
        self.staging.chmod(0o755)  # mkdtemp makes it private; a web server must be able to read the site
        return self.staging

    def commit(self) -> None:
        """Swap the finished staging folder into place and release the lock."""
        assert self.staging is not None, "start() first"
        carried: list[str] = []
        try:
            carried = _carry(self.site_dir, self.staging)
            # The new site is live once swapped in: a previous site that cannot be deleted now is a leftover
            # the next build removes, not a failed build.
            if self.site_dir.is_dir() and _exchange(self.staging, self.site_dir):
                shutil.rmtree(self.staging, ignore_errors=True)  # now holds the previous site
            else:
                if self.site_dir.exists():
                    retired = Path(tempfile.mkdtemp(prefix=f"{self.prefix}old-", dir=self.parent))
                    os.rename(self.site_dir, retired / "site")
                    try:
                        os.rename(self.staging, self.site_dir)
                    except OSError:
                        os.rename(retired / "site", self.site_dir)  # put the last good site back
                        shutil.rmtree(retired, ignore_errors=True)
                        raise
                    shutil.rmtree(retired, ignore_errors=True)
                else:
                    os.rename(self.staging, self.site_dir)
        except BaseException:
            _carry(self.staging, self.site_dir, carried)  # the published site is still the previous one
            shutil.rmtree(self.staging, ignore_errors=True)
            raise
        finally:
            self.staging = None
            self._release()

    def abort(self) -> None:
        """Throw the staging folder away, leaving the published site as it was."""
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None
        self._release()

    def _release(self) -> None:
        if self._lock is not None:
            fcntl.flock(self._lock, fcntl.LOCK_UN)
            self._lock.close()
            self._lock = None


class Publication:
    """One MkDocs build, published atomically at the site_dir its config names.

    MkDocs writes a build into ``config.site_dir``, so :meth:`start` points
    that setting at a staging folder beside the real one (``on_config`` may
    return a changed config).  :meth:`publish` and :meth:`abort` point it back
    before anything else, so whatever reads ``config.site_dir`` after the
    build finds the published folder: ``mkdocs gh-deploy`` pushes that folder.
    """

    def __init__(self, config: MkDocsConfig):
        self.config = config
        self.site_dir = config.site_dir
        """The real site folder, as the config named it."""
        self.folder = AtomicSiteDir(Path(config.site_dir))
        self.finished = False
        """Whether MkDocs finished the build (search index included), so that it may be published."""

    @classmethod
    def start(cls, config: MkDocsConfig) -> Publication:
        """Point ``config.site_dir`` at a fresh staging folder beside the real one."""
        publication = cls(config)
        try:
            config.site_dir = str(publication.folder.start())
        except OSError as error:
            publication.abort()
            where = Path(publication.site_dir).resolve()
            raise PluginError(f"cannot prepare a folder to build into beside {where}: {error}") from None
        return publication

    def publish(self) -> None:
        """Swap a finished build in, or throw an unfinished one away; site_dir names the real folder again."""
        if not self.finished:
            self.abort()
            return
        self.config.site_dir = self.site_dir
        try:
            self.folder.commit()
        except OSError as error:
            message = f"the new site could not replace {self.folder.site_dir}: {error}; the last good site stays"
            raise Abort(message) from None

    def abort(self) -> None:
        """Throw the build away, leaving the published site as it was; site_dir names the real folder again."""
        self.config.site_dir = self.site_dir
        self.folder.abort()


def site_dir_problem(site_dir: Path, project: Path, sources: Mapping[str, Path]) -> str | None:
    """Why a build may not be published at ``site_dir``, or None.

    Refused: a link, something that is not a folder, the ``project`` folder
    or a parent of it, and a folder of ``sources`` (name → folder), a parent
    of one or a folder inside one.
    """
    if site_dir.is_symlink():
        return "is a link"
    if site_dir.exists() and not site_dir.is_dir():
        return "is not a folder"
    real = site_dir.resolve()
    if project.resolve().is_relative_to(real):
        return "would put the build over the project folder"
    for name, folder in sources.items():
        folder = folder.resolve()
        if folder.is_relative_to(real) or real.is_relative_to(folder):
            return f"would put the build over {name}"
    return None


def _carry(source: Path, target: Path, names: list[str] | None = None) -> list[str]:
    """Move the kept entries (hidden ones and :data:`KEPT_NAMES`) of ``source`` that ``target`` lacks into it.

    With ``names``, move back just those (undoing an earlier carry).  Links are
    moved as links, never followed.  Returns the names moved.
    """
    if names is None:
        try:
            names = sorted(name for name in os.listdir(source) if name.startswith(".") or name in KEPT_NAMES)
        except FileNotFoundError:  # no site published yet
            return []
    moved = []
    for name in names:
        if os.path.lexists(source / name) and not os.path.lexists(target / name):
            os.rename(source / name, target / name)
            moved.append(name)
    return moved


def _exchange(first: Path, second: Path) -> bool:
    """Atomically swap two paths; False where the system cannot."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    libc = ctypes.CDLL(name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result: int = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    return result == 0
