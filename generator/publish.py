"""Publish a build atomically: readers never see a half-written site.

A build writes into a fresh folder beside the site folder; only when it
succeeds is that folder swapped into place, in one step where the system
allows (Linux ``renameat2`` with ``RENAME_EXCHANGE``).  A lock keeps two
builds of the same site from interleaving; leftovers of a killed build are
removed by the next one.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import fcntl
import os
import shutil
import tempfile
from pathlib import Path
from typing import IO

__all__ = ["AtomicSiteDir"]

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
        self._lock = open(self.parent / f".{self.site_dir.name}.lock", "wb")
        fcntl.flock(self._lock, fcntl.LOCK_EX)
        for leftover in self.parent.glob(f"{self.prefix}*"):
            shutil.rmtree(leftover, ignore_errors=True)
        self.staging = Path(tempfile.mkdtemp(prefix=f"{self.prefix}build-", dir=self.parent))
        self.staging.chmod(0o755)  # mkdtemp makes it private; a web server must be able to read the site
        return self.staging

    def commit(self) -> None:
        """Swap the finished staging folder into place and release the lock."""
        assert self.staging is not None, "start() first"
        try:
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
            shutil.rmtree(self.staging, ignore_errors=True)  # the published site is still the previous one
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


def _exchange(first: Path, second: Path) -> bool:
    """Atomically swap two paths; False where the system cannot."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    libc = ctypes.CDLL(name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    return result == 0
