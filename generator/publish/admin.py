"""The browser editor's files: ``admin/`` in the built site, and what ``make edit`` serves.

The editor is Sveltia CMS, pinned in ``package.json``/``package-lock.json``
and installed by ``npm ci`` into ``node_modules/@sveltia/cms``.  Its
distributed script is copied with the few addresses it would otherwise reach
on other hosts pointed at files of its own package served beside it: its
fonts (``fonts/``), its translations and its version file (``sveltia/``),
so the editor loads nothing from another website.  The admin page gets a
Content-Security-Policy of its own (the site's pages have a stricter one):
the editor's scripts from the site, styles it sets itself, and a connection
to ``api.github.com`` only when the deployed editor is configured.

``admin/config.yml`` is generated from the study model
(:mod:`generator.render.cms`).  Without ``extra.cms`` in ``mkdocs.yml`` the
deployed ``admin/index.html`` is a page saying how to configure it, and
loads no script.
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.read.content import Content
from generator.render.cms import CmsSettings, config_file

__all__ = [
    "ADMIN_DIR",
    "GITHUB_API",
    "MISSING_PACKAGE",
    "VENDOR_DIR",
    "AdminError",
    "PackageMissing",
    "admin_files",
    "package_dir",
    "site_admin_files",
    "admin_policy",
    "cms_settings",
    "vendor_files",
]

ADMIN_DIR = "admin"
VENDOR_DIR = Path("node_modules/@sveltia/cms")
SCRIPT = "sveltia-cms.js"
GITHUB_API = "https://api.github.com"
GITHUB_AVATARS = "https://avatars.githubusercontent.com"
MISSING_PACKAGE = (
    "the browser editor (/admin/) needs its pinned Node package, which is not installed: "
    "run `npm ci` in the project folder (every `make` target does it)"
)
# What the distributed script would load from other hosts, and where its own package has it.
_PACKAGE_HOST = "https://unpkg.com/@sveltia/cms"  # its translations, version file and fallback chunks
_LOCAL_PACKAGE = "./sveltia"
_FONT = re.compile(
    r"https://cdn\.jsdelivr\.net/fontsource/fonts/(?P<family>[a-z0-9-]+)(?::vf)?@[0-9.]+/(?P<file>[a-z0-9-]+)\.woff2"
)
_SOURCE_MAP = re.compile(rb"\n//# sourceMappingURL=\S+\s*$")
# Sveltia CMS 0.221 saves a KeyValue field inside an empty list as a stray `'*': {results: {}}` entry
# (`adverse_events: {'*': ...}` for a study without adverse events): when it orders the saved fields it
# writes an empty mapping at the field's wildcard path.  The fix skips wildcard paths there; their pairs are
# copied with the other values.  If the pinned version's code no longer has this shape the build stops, so
# an upgrade is checked (tests/browser/test_studio.py saves a study without adverse events).
_KEYVALUE_IN_LIST = re.compile(r"else if\((\w+)\?\.widget===`keyvalue`\)(\w+)\[(\w+)\]=\{\}")
_KEYVALUE_FIX = r"else if(\1?.widget===`keyvalue`&&!\3.includes(`*`))\2[\3]={}"


class AdminError(Exception):
    """The editor's package is missing or not what this code expects; the message says what to do."""


class PackageMissing(AdminError):
    """``npm ci`` has not been run: the editor's package is not installed."""


@dataclass(frozen=True)
class Vendor:
    version: str
    files: dict[str, bytes]  # path under admin/ -> content


def cms_settings(extra: Mapping[str, Any] | None) -> CmsSettings:
    """The deployed editor's repository and branch from ``extra.cms`` (absent: not configured)."""
    settings = (extra or {}).get("cms")
    if not settings:
        return CmsSettings()
    if not isinstance(settings, Mapping):
        raise AdminError("extra.cms must be a mapping with `repo: owner/name` and optionally `branch: main`")
    repo, branch = str(settings.get("repo") or "").strip(), str(settings.get("branch") or "main").strip()
    if not re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", repo):
        raise AdminError(f"extra.cms.repo must be a GitHub repository written owner/name; got {repo!r}")
    if not re.fullmatch(r"[A-Za-z0-9_./-]+", branch) or ".." in branch:
        raise AdminError(f"extra.cms.branch must be a branch name such as main; got {branch!r}")
    unknown = sorted(set(settings) - {"repo", "branch"})
    if unknown:
        raise AdminError(f"extra.cms has unknown settings: {', '.join(map(str, unknown))}; it takes repo and branch")
    return CmsSettings(repo=repo, branch=branch)


def package_dir(root: Path) -> Path:
    """Where the editor's package is installed: the project's ``node_modules``, else the one beside this code."""
    for base in (root, Path(__file__).resolve().parents[2]):
        if (base / VENDOR_DIR / "package.json").is_file():
            return base / VENDOR_DIR
    raise PackageMissing(MISSING_PACKAGE)


def vendor_files(root: Path) -> Vendor:
    """The editor's script, chunks, fonts and translations from ``node_modules``, made to load only from beside it.

    Made once per installed package: a preview builds again on every save, and ``npm ci`` gives the
    package's files new times, which make it be made again.
    """
    package = package_dir(root)
    try:
        stamp = tuple((package / name).stat().st_mtime_ns for name in ("package.json", f"dist/{SCRIPT}"))
    except OSError:
        raise PackageMissing(MISSING_PACKAGE) from None
    return _vendor(package, stamp)


@functools.lru_cache(maxsize=2)
def _vendor(package: Path, stamp: tuple[int, ...]) -> Vendor:
    """:func:`vendor_files` of the package in ``package`` as it was at ``stamp`` (its files' times)."""
    try:
        version = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
        script = (package / "dist" / SCRIPT).read_text(encoding="utf-8")
    except (OSError, ValueError, KeyError):
        raise PackageMissing(MISSING_PACKAGE) from None
    files: dict[str, bytes] = {}
    assets = package / "npm" / "assets"

    def local_font(match: re.Match[str]) -> str:
        found = sorted(assets.glob(f"{match['family']}-{match['file']}-*.woff2"))
        if not found:
            raise AdminError(f"{VENDOR_DIR.as_posix()} {version} has no local copy of the font {match[0]}")
        files[f"fonts/{found[0].name}"] = found[0].read_bytes()
        return f"fonts/{found[0].name}"

    script = _FONT.sub(local_font, script)
    if script.count(_PACKAGE_HOST) != 1:
        raise AdminError(f"{VENDOR_DIR.as_posix()} {version}: its script no longer names its package host once")
    script = script.replace(_PACKAGE_HOST, _LOCAL_PACKAGE)
    script, fixed = _KEYVALUE_IN_LIST.subn(_KEYVALUE_FIX, script)
    if fixed != 1:
        raise AdminError(
            f"{VENDOR_DIR.as_posix()} {version}: the fix for results in an empty list no longer applies; "
            "check whether this version saves them right, then update generator/publish/admin.py"
        )
    files[SCRIPT] = _SOURCE_MAP.sub(b"\n", script.encode("utf-8"))
    for chunk in sorted((package / "dist" / "chunks").glob("*.js")):
        files[f"chunks/{chunk.name}"] = _SOURCE_MAP.sub(b"\n", chunk.read_bytes())
    files["sveltia/package.json"] = json.dumps({"version": version}).encode()  # its "new version?" check
    for locale in sorted((package / "locales").glob("*.json")):
        files[f"sveltia@{version}/locales/{locale.name}"] = locale.read_bytes()
    return Vendor(version, files)


def admin_policy(settings: CmsSettings, *, script: bool = True) -> str:
    """The admin page's Content-Security-Policy.

    The editor runs from files of the site (no inline script, no eval); it
    sets styles itself, shows images it makes (``data:``/``blob:``) and runs
    workers from ``blob:``.  Signed in to GitHub it talks to the GitHub API
    and shows the user's avatar; nothing else is reachable.
    """
    github = settings.configured
    connect = ["'self'", "data:"] + [GITHUB_API] * github  # data: its own icon, read with fetch()
    images = ["'self'", "data:", "blob:"] + [GITHUB_AVATARS] * github
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'" if script else "script-src 'none'",
            "style-src 'self' 'unsafe-inline'",
            "img-src " + " ".join(images),
            "font-src 'self'",
            "connect-src " + " ".join(connect),
            "worker-src 'self' blob:",
            "manifest-src 'self'",
            "frame-src 'none'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'none'",
        ]
    )


def index_html(settings: CmsSettings, *, local_token: str | None = None) -> str:
    """The admin page: the editor, or (deployed and not configured) a page that says how to configure it."""
    if local_token is None and not settings.configured:
        return _PAGE.format(
            policy=html.escape(admin_policy(settings, script=False)),
            title="Rheum Evidence editor: not configured",
            head=_NOT_CONFIGURED_HEAD,
            body=_NOT_CONFIGURED_BODY,
        )
    extra = ""
    if local_token is not None:
        extra = f'    <meta name="rheum-studio-token" content="{html.escape(local_token)}">\n'
        extra += '    <script src="local-folder.js"></script>\n'
    return _PAGE.format(
        policy=html.escape(admin_policy(settings)),
        title="Rheum Evidence editor",
        head=_EDITOR_HEAD + extra,
        body=f'    <script src="{SCRIPT}"></script>\n',
    )


def admin_files(
    root: Path,
    settings: CmsSettings,
    conditions: Mapping[str, str],
    authors: Mapping[str, str],
    *,
    local_token: str | None = None,
) -> dict[str, bytes]:
    """Every file of ``admin/``, by its path under ``admin/``.

    ``local_token`` makes the page ``make edit`` serves: it edits the files on
    disk through the local server, whose requests must carry the token.
    """
    files = dict(vendor_files(root).files)
    files["index.html"] = index_html(settings, local_token=local_token).encode("utf-8")
    files["config.yml"] = config_file(conditions, authors, settings).encode("utf-8")
    if local_token is not None:
        files["local-folder.js"] = (Path(__file__).parent / "local-folder.js").read_bytes()
    return files


def site_admin_files(root: Path, extra: Mapping[str, Any] | None, content: Content) -> dict[str, bytes]:
    """``admin/`` of the built site, by path under the site, for the study content ``content`` was loaded from."""
    conditions = {key: condition.name for key, condition in content.conditions.items()}
    authors = {key: author.name for key, author in content.authors.items()}
    files = admin_files(root, cms_settings(extra), conditions, authors)
    return {f"{ADMIN_DIR}/{path}": data for path, data in files.items()}


_PAGE = """\
<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta http-equiv="Content-Security-Policy" content="{policy}">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="robots" content="noindex">
    <title>{title}</title>
{head}  </head>
  <body>
{body}  </body>
</html>
"""
"""The admin page's frame: its policy, a title, what its head and body hold."""

_EDITOR_HEAD = '    <link href="config.yml" type="application/yaml" rel="cms-config-url">\n'

_NOT_CONFIGURED_HEAD = """\
    <style>
      body { font: 1rem/1.5 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; }
    </style>
"""

_NOT_CONFIGURED_BODY = """\
    <main>
      <h1>The editor is not configured</h1>
      <p>This site's browser editor does not know which GitHub repository holds the study files.
        A maintainer names it in <code>mkdocs.yml</code>:</p>
      <pre>extra:
  cms:
    repo: owner/repository
    branch: main</pre>
      <p>and the next deployment brings the editor here. To edit on your own computer instead,
        run <code>make edit</code> in the project folder.</p>
    </main>
"""
