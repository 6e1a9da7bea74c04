"""The Chromium that the browser tests and the search benchmark drive, found through one setting.

``RHEUM_CHROMIUM`` names the browser's executable (a path, or a name looked up
on ``PATH``).  Without it, Debian's ``chromium`` (``apt-get install
chromium``, at ``/usr/bin/chromium``) or Ubuntu's ``chromium-browser`` is
used.  The GitHub workflow sets it to the Chromium the runner image ships.
Playwright's own browser download is never used.
"""

from __future__ import annotations

import os
import shutil

__all__ = ["CHROMIUM_ARGS", "ENVIRONMENT_VARIABLE", "ChromiumSettingError", "chromium"]

ENVIRONMENT_VARIABLE = "RHEUM_CHROMIUM"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
"""Headless, and without any traffic of the browser's own."""


class ChromiumSettingError(Exception):
    """``RHEUM_CHROMIUM`` is set to something that is no executable: say so rather than skip the tests."""


def chromium(environ: os._Environ[str] | dict[str, str] = os.environ) -> str | None:
    """The browser's executable: ``RHEUM_CHROMIUM`` when set, else ``chromium`` or ``chromium-browser`` on PATH.

    Returns None when nothing is set and neither is installed; raises :class:`ChromiumSettingError`
    when ``RHEUM_CHROMIUM`` is set but names no executable.
    """
    setting = environ.get(ENVIRONMENT_VARIABLE, "").strip()
    if setting:
        found = shutil.which(setting)
        if found is None:
            raise ChromiumSettingError(f"{ENVIRONMENT_VARIABLE}={setting!r} is not an executable file")
        return found
    return shutil.which("chromium") or shutil.which("chromium-browser")
