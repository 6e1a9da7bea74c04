"""``make edit``: the browser editor on the study files of this computer, with no account and no network.

A small server bound to 127.0.0.1 serves the editor (``/admin/``, the same
files as the deployed ``admin/`` with a page of its own) and the study files
through ``/_studio/files/``, which the page's ``local-folder.js`` hands to the
editor as its local repository.  Saving writes ``content/studies/<slug>.yaml``
(all at once: a reader never sees half a file) and prints what ``check`` says
of it.

What the server lets a page do is small, and only this page can do it:

* it reads and lists only ``content/studies/*.yaml`` and writes or deletes
  only ``content/studies/<slug>.yaml`` files (no links, nothing larger than the
  loader reads);
* every request must carry the random token written into the admin page,
  in a header: another website open in the same browser can neither read the
  token nor send the header without a CORS preflight, which is refused;
* a request whose ``Host`` is not this server's address (DNS rebinding) or
  whose ``Origin`` is another site's is refused.
"""

from __future__ import annotations

import hmac
import http.server
import json
import mimetypes
import os
import secrets
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TextIO
from urllib.parse import unquote, urlsplit

from generator.errors import ContentError, printable
from generator.publish.admin import ADMIN_DIR, admin_files, cms_settings
from generator.read.content import STUDIES_DIR, load_content
from generator.read.loader import MAX_FILE_BYTES
from generator.urls import is_slug

__all__ = ["Studio", "TOKEN_HEADER", "serve"]

TOKEN_HEADER = "X-Rheum-Studio"
API = "/_studio/files/"
FOLDERS = {"": [(".git", "directory"), ("content", "directory")], "content": [("studies", "directory")], ".git": []}
STUDIES = STUDIES_DIR.as_posix()


class Studio:
    """The files the editor sees, and the rules for reading and writing them."""

    def __init__(self, root: Path, *, say: Callable[[str], None]):
        self.root = root.resolve()
        self.token = secrets.token_urlsafe(32)
        self.say = say
        content = load_content(self.root, only=[])  # the vocabularies; a broken study must not stop the editor
        conditions = {key: condition.name for key, condition in content.conditions.items()}
        authors = {key: author.name for key, author in content.authors.items()}
        settings = cms_settings(_mkdocs_extra(self.root))
        self.admin = admin_files(self.root, settings, conditions, authors, local_token=self.token)
        self.lock = threading.Lock()

    def study_path(self, path: str) -> Path | None:
        """The file a request's path names, if it is a study file the editor may use."""
        folder, _, name = path.rpartition("/")
        if folder != STUDIES or not name.endswith(".yaml") or not is_slug(name[: -len(".yaml")]):
            return None
        return self.root / STUDIES_DIR / name

    def listing(self, folder: str) -> list[dict[str, str]] | None:
        if folder in FOLDERS:
            return [{"name": name, "kind": kind} for name, kind in FOLDERS[folder]]
        if folder != STUDIES:
            return None
        directory = self.root / STUDIES_DIR
        names = sorted(p.name for p in directory.iterdir()) if directory.is_dir() else []
        files = [n for n in names if self.study_path(f"{STUDIES}/{n}") and _plain_file(directory / n)]
        return [{"name": name, "kind": "file"} for name in files]

    def read(self, path: str) -> bytes | None:
        target = self.study_path(path)
        if target is None or not _plain_file(target) or target.stat().st_size > MAX_FILE_BYTES:
            return None
        return target.read_bytes()

    def write(self, path: str, data: bytes) -> str | None:
        """Write a study file atomically; the refusal, or None when written."""
        target = self.study_path(path)
        if target is None:
            return f"only {STUDIES}/<slug>.yaml files can be written (a slug is lowercase letters, digits, hyphens)"
        if len(data) > MAX_FILE_BYTES:
            return f"a study file is at most {MAX_FILE_BYTES:,} bytes"
        if target.is_symlink() or (target.exists() and not target.is_file()):
            return f"{path} is not a plain file"
        with self.lock:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as stream:
                    stream.write(data)
                os.replace(temporary, target)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        self.report(target)
        return None

    def delete(self, path: str) -> bool:
        target = self.study_path(path)
        if target is None or not _plain_file(target):
            return False
        with self.lock:
            target.unlink()
        self.say(f"deleted {path}")
        return True

    def report(self, target: Path) -> None:
        """Say what `check` says of a saved file."""
        shown = target.relative_to(self.root).as_posix()
        try:
            load_content(self.root, only=[target])
        except ContentError as error:
            problems = [str(problem) for problem in error.problems if problem.file == shown] or [str(error)]
            self.say(f"saved {shown}, which has problems to fix:")
            for line in problems:
                self.say(f"  {line}")
            return
        self.say(f"saved {shown}: OK")


def _plain_file(path: Path) -> bool:
    return path.is_file() and not path.is_symlink()


def _mkdocs_extra(root: Path) -> dict:
    """``extra`` of mkdocs.yml, read without running MkDocs (its tags such as !ENV are taken as text)."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    try:
        data = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    except (OSError, yaml.YAMLError):
        return {}
    extra = data.get("extra") if isinstance(data, dict) else None
    return extra if isinstance(extra, dict) else {}


class _Handler(http.server.BaseHTTPRequestHandler):
    studio: Studio
    server_version = "rheum-evidence-edit"
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._serve("GET")

    def do_PUT(self) -> None:
        self._serve("PUT")

    def do_DELETE(self) -> None:
        self._serve("DELETE")

    def do_POST(self) -> None:
        self._send(405, b"method not allowed")

    def _serve(self, method: str) -> None:
        port = self.server.server_address[1]  # type: ignore[index]  # an IPv4 (host, port) pair
        if self.headers.get("Host") not in (f"127.0.0.1:{port}", f"localhost:{port}"):
            return self._send(403, b"this server answers only at its own address")
        origin = self.headers.get("Origin")
        if origin is not None and origin not in (f"http://127.0.0.1:{port}", f"http://localhost:{port}"):
            return self._send(403, b"requests from other websites are refused")
        path = unquote(urlsplit(self.path).path)
        if path.startswith(API):
            return self._api(method, path[len(API) :])
        if method != "GET":
            return self._send(405, b"method not allowed")
        if path in ("/", f"/{ADMIN_DIR}"):
            return self._send(302, b"", location=f"/{ADMIN_DIR}/")
        name = path.removeprefix(f"/{ADMIN_DIR}/") if path.startswith(f"/{ADMIN_DIR}/") else None
        name = "index.html" if name == "" else name
        if name is None or name not in self.studio.admin:
            return self._send(404, b"not found")
        kind = "text/yaml" if name.endswith(".yml") else mimetypes.guess_type(name)[0] or "application/octet-stream"
        self._send(200, self.studio.admin[name], content_type=kind)

    def _api(self, method: str, path: str) -> None:
        if not hmac.compare_digest(self.headers.get(TOKEN_HEADER, ""), self.studio.token):
            return self._send(403, b"missing or wrong token")
        studio = self.studio
        if method == "GET" and (path == "" or path.endswith("/")):
            listing = studio.listing(path.rstrip("/"))
            if listing is None:
                return self._send(404, b"not a folder the editor may use")
            return self._send(200, json.dumps(listing).encode(), content_type="application/json")
        if method == "GET":
            data = studio.read(path)
            return self._send(404, b"not found") if data is None else self._send(200, data, content_type="text/yaml")
        if method == "PUT":
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_FILE_BYTES:
                return self._send(413, f"a study file is at most {MAX_FILE_BYTES:,} bytes".encode())
            refusal = studio.write(path, self.rfile.read(length))
            return self._send(403, refusal.encode()) if refusal else self._send(204, b"")
        if method == "DELETE":
            return self._send(204, b"") if studio.delete(path) else self._send(404, b"not found")
        self._send(405, b"method not allowed")

    def _send(self, status: int, body: bytes, *, content_type: str = "text/plain", location: str = "") -> None:
        self.send_response(status)
        if status != 204:
            self.send_header(
                "Content-Type", f"{content_type}; charset=utf-8" if "text" in content_type else content_type
            )
            self.send_header("Content-Length", str(len(body)))
        if location:
            self.send_header("Location", location)
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        if self.command != "HEAD" and status != 204:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(root: Path, port: int, *, stream: TextIO | None = None, ready: Callable[[str], None] | None = None) -> None:
    """Serve the editor on 127.0.0.1:``port`` (0: any free port) until interrupted."""
    out = stream or sys.stdout

    def say(line: str) -> None:
        print(printable(line), file=out, flush=True)

    studio = Studio(root, say=say)
    handler = type("Handler", (_Handler,), {"studio": studio})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    url = f"http://127.0.0.1:{server.server_address[1]}/{ADMIN_DIR}/"
    say(f"The editor is at {url} (your study files in {STUDIES}; no account needed). Stop it with Ctrl+C.")
    say('Open it in a browser and choose "Work with Local Repository".')
    if ready:
        ready(url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
