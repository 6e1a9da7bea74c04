"""Publish a built site to S3-compatible object storage, for a CDN to serve: the way on past GitHub Pages.

GitHub Pages publishes at most 1 GB per site and gives a deployment 10
minutes; object storage has neither limit.  A deploy uploads only what
changed since the last one, so a site of 50,000 studies is not sent whole
after each edit: the bucket keeps a manifest of what the last deploy put
there (each object's SHA-256, content type and caching), and a file whose
entry is the same is left alone.  Only objects a deploy put there are ever
deleted, so a bucket shared with other files keeps them.

Readers never meet a half-published site: new and changed files that pages
point to go up first, then the pages and Pagefind's entry file that point to
them, then what the new site no longer has is deleted, and the manifest is
written last.  A deploy that stops half-way is finished by the next one.

The S3 protocol is spoken by boto3 (AWS S3, Cloudflare R2, Backblaze B2,
Google Cloud Storage's XML API, MinIO); credentials come from its usual
places (environment, shared files, an OIDC role in CI), never from here.
"""

from __future__ import annotations

import base64
import hashlib
import json
import mimetypes
import os
import re
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from generator.publish.search import SEARCH_SUBDIR

__all__ = [
    "MANIFEST",
    "DeployError",
    "DeployPlan",
    "SiteObject",
    "Target",
    "deploy",
    "plan_deploy",
    "site_objects",
]

MANIFEST = ".rheum-evidence-deploy.json"
"""The object, under the target's prefix, that lists what the last deploy uploaded."""
SHORT = "public, max-age=300"
"""Pages, feeds and data change in place: a CDN and a browser check again after five minutes."""
IMMUTABLE = "public, max-age=31536000, immutable"
"""Files whose name changes with their content (the theme's hashed assets, Pagefind's chunks)."""
_HASHED_NAME = re.compile(r"\.[0-9a-f]{8,}\.min\.(?:js|css)(?:\.map)?$")
_SEARCH_CHUNKS = tuple(f"{SEARCH_SUBDIR}/{folder}/" for folder in ("fragment", "index", "filter"))
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".csv": "text/csv; charset=utf-8",
    ".bib": "application/x-bibtex; charset=utf-8",
    ".ris": "application/x-research-info-systems",
    ".yml": "text/yaml; charset=utf-8",
    ".map": "application/json",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".woff2": "font/woff2",
    ".gz": "application/gzip",
    ".wasm": "application/wasm",
}
"""Content types of what a build writes; others are guessed, and an unknown one is sent as bytes."""
_LAST = ("index.html", f"{SEARCH_SUBDIR}/pagefind-entry.json")
"""Names of files that point to others: uploaded after everything they may point to."""
WORKERS = 16


class DeployError(RuntimeError):
    """The deploy cannot go on; the message is one line for the person running it."""


@dataclass(frozen=True)
class Target:
    """A bucket and a prefix in it (``s3://bucket/prefix``), the prefix empty or ending in ``/``."""

    bucket: str
    prefix: str = ""

    @classmethod
    def parse(cls, url: str) -> Target:
        """The target of ``s3://bucket`` or ``s3://bucket/some/prefix``."""
        parts = urlsplit(url)
        if parts.scheme != "s3" or not parts.netloc or parts.query or parts.fragment:
            raise DeployError(f"the target must be written s3://bucket or s3://bucket/prefix, not {url!r}")
        prefix = parts.path.strip("/")
        if prefix and any(segment in ("", ".", "..") for segment in prefix.split("/")):
            raise DeployError(f"the prefix of {url!r} may not have empty, '.' or '..' parts")
        return cls(parts.netloc, f"{prefix}/" if prefix else "")

    def key(self, path: str) -> str:
        return self.prefix + path


@dataclass(frozen=True)
class SiteObject:
    """One file of the built site as it is stored: where it is, its digest and its headers."""

    path: Path
    sha256: str
    content_type: str
    cache_control: str

    @property
    def entry(self) -> str:
        """What the manifest keeps of it: a changed header sends the file again too."""
        return f"{self.sha256} {self.content_type} | {self.cache_control}"


@dataclass(frozen=True)
class DeployPlan:
    """What a deploy does, in order: upload ``first``, then ``last``, then delete ``stale``."""

    first: list[str] = field(default_factory=list)
    last: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    unchanged: int = 0

    def summary(self, *, done: bool = True) -> str:
        """One line: what the deploy did (``done``) or would do."""
        uploads, stale = len(self.first) + len(self.last), len(self.stale)
        if done:
            return f"{uploads:,} files uploaded, {stale:,} deleted, {self.unchanged:,} unchanged"
        return f"{uploads:,} files to upload, {stale:,} to delete, {self.unchanged:,} unchanged"


def content_type(path: str) -> str:
    """The Content-Type a file of the site is served with."""
    suffix = os.path.splitext(path)[1].lower()
    return _TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"


def cache_control(path: str) -> str:
    """The Cache-Control a file of the site is served with: long only for names that change with the content."""
    if path.startswith(_SEARCH_CHUNKS) or path.endswith(".pf_meta") or _HASHED_NAME.search(path):
        return IMMUTABLE
    return SHORT


def site_objects(site: Path) -> dict[str, SiteObject]:
    """Every file of the built site ``site`` by its path there; hidden entries are left out.

    Refused: a folder that is no finished build (no ``index.html`` or ``sitemap.xml``), and links, which a
    build never writes and which could point anywhere on the machine.
    """
    if not site.is_dir() or site.is_symlink():
        raise DeployError(f"{site} is not a folder; build the site first (make site)")
    missing = [name for name in ("index.html", "sitemap.xml") if not (site / name).is_file()]
    if missing:
        raise DeployError(f"{site} is not a finished build: it has no {' and no '.join(missing)}; run make site")
    objects = {}
    for folder, folders, names in os.walk(site):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        files = sorted(name for name in names if not name.startswith("."))
        for name in folders + files:
            if os.path.islink(os.path.join(folder, name)):
                relative = Path(folder, name).relative_to(site).as_posix()
                raise DeployError(f"{relative} is a link; a deploy uploads only the files a build wrote")
        for name in files:
            path = Path(folder, name)
            relative = path.relative_to(site).as_posix()
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            objects[relative] = SiteObject(path, digest, content_type(relative), cache_control(relative))
    return objects


def plan_deploy(objects: Mapping[str, SiteObject], deployed: Mapping[str, str]) -> DeployPlan:
    """What to upload and delete to make the bucket hold ``objects``, when the last deploy left ``deployed``."""
    changed = sorted(path for path, item in objects.items() if deployed.get(path) != item.entry)
    last = [path for path in changed if path.endswith(_LAST)]
    first = [path for path in changed if not path.endswith(_LAST)]
    stale = sorted(set(deployed) - set(objects))
    return DeployPlan(first, last, stale, len(objects) - len(changed))


def deploy(site: Path, target: Target, client: Any, *, dry_run: bool = False) -> DeployPlan:
    """Make ``target`` hold the built site ``site`` through the S3 ``client``; what was (or would be) done."""
    objects = site_objects(site)
    plan = plan_deploy(objects, _manifest(client, target))
    if dry_run:
        return plan
    for batch in (plan.first, plan.last):
        _each(batch, lambda path: _upload(client, target, path, objects[path]))
    for start in range(0, len(plan.stale), 1000):  # DeleteObjects takes at most 1,000 keys
        chunk = [{"Key": target.key(path)} for path in plan.stale[start : start + 1000]]
        client.delete_objects(Bucket=target.bucket, Delete={"Objects": chunk, "Quiet": True})
    manifest = {"objects": {path: item.entry for path, item in sorted(objects.items())}}
    client.put_object(
        Bucket=target.bucket,
        Key=target.key(MANIFEST),
        Body=json.dumps(manifest, indent=0).encode(),
        ContentType="application/json",
        CacheControl="no-store",
    )
    return plan


def _manifest(client: Any, target: Target) -> dict[str, str]:
    """What the last deploy to ``target`` uploaded (path → entry); nothing when none did."""
    try:
        body = client.get_object(Bucket=target.bucket, Key=target.key(MANIFEST))["Body"].read()
    except client.exceptions.NoSuchKey:
        return {}
    try:
        objects = json.loads(body)["objects"]
    except (ValueError, KeyError, TypeError):
        objects = None
    if not isinstance(objects, dict) or not all(_site_path(k) and isinstance(v, str) for k, v in objects.items()):
        raise DeployError(f"s3://{target.bucket}/{target.key(MANIFEST)} is not a deploy manifest; remove it to deploy")
    return objects


def _site_path(path: object) -> bool:
    """Whether ``path`` is one a build writes: relative, with no empty, ``.`` or ``..`` part (a deploy deletes it).

    S3 keys are plain names, but some S3-compatible servers resolve ``..`` in the address: a manifest
    written by someone else must not make a deploy delete anything outside its prefix.
    """
    return isinstance(path, str) and "\\" not in path and all(part not in ("", ".", "..") for part in path.split("/"))


def _upload(client: Any, target: Target, path: str, item: SiteObject) -> None:
    client.put_object(
        Bucket=target.bucket,
        Key=target.key(path),
        Body=item.path.read_bytes(),
        ContentType=item.content_type,
        CacheControl=item.cache_control,
        ChecksumSHA256=_base64_digest(item.sha256),
    )


def _base64_digest(hexdigest: str) -> str:
    """The digest as S3 checks it (base64): the storage refuses a body damaged on the way."""
    return base64.b64encode(bytes.fromhex(hexdigest)).decode()


def _each(paths: Iterable[str], action: Callable[[str], None]) -> None:
    """Run ``action`` on every path, several at once (uploads wait on the network, not on this machine)."""
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        for _ in pool.map(action, paths):
            pass
