"""Full-text search that stays light however many studies there are.

Pagefind indexes the built site into small chunks that a reader's browser
fetches only as a query needs them, so the first result costs a few hundred
kilobytes at most instead of one index file that grows with every study
(which is what the theme's built-in search downloads).  Only study pages are
indexed (they carry ``data-pagefind-body``), and within them the parts marked
``data-search-exclude`` are left out.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import queue
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import IO, Any

from pagefind.service import get_executable

__all__ = ["EXCLUDE_SELECTOR", "LANGUAGE", "SEARCH_SUBDIR", "PageIndex", "SearchIndexError"]

SEARCH_SUBDIR = "pagefind"
EXCLUDE_SELECTOR = "[data-search-exclude]"
LANGUAGE = "en"
SEARCHABLE = "data-pagefind-body"
"""The attribute of the part of a page that is indexed; pages without it are not."""


class SearchIndexError(RuntimeError):
    """Raised when the search index could not be built."""


def _write_bundle(folder: Path, files: list[dict[str, str]]) -> None:
    """Write the index's files (each a path in the bundle and its base64 content) under ``folder``."""
    root = folder.resolve()
    for file in files:
        path = (folder / file["path"]).resolve()
        if not path.is_relative_to(root):
            raise SearchIndexError(
                f"the search index could not be built: Pagefind named a file outside it: {file['path']!r}"
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(file["content"]))


class PageIndex:
    """A Pagefind index fed each searchable page as the build renders it, and written when the build is done.

    Pagefind indexes in a process of its own (``pagefind --service``), so the
    indexing runs on another core while MkDocs renders and writes the rest of
    the site, instead of after it, reading every page back from disk.  Only
    pages with ``data-pagefind-body`` are sent: Pagefind leaves every other page
    out of a site that has such pages anyway.  The service's protocol (JSON in
    base64, each message followed by a comma) is spoken here rather than through
    the ``pagefind`` package's client, which reads one reply per 100 ms: about
    100 s for a thousand pages.  A writer thread sends the pages, so the build
    never waits while Pagefind catches up, and a reader thread takes the
    replies as they come, so neither side ever waits on a full pipe.
    """

    def __init__(self, process: subprocess.Popen[bytes], errors: IO[bytes]):
        self.process = process
        self.errors = errors
        self.sent = 0
        self.replies: dict[int, dict[str, Any]] = {}
        self.replied = threading.Condition()
        self.outbox: queue.SimpleQueue[dict[str, Any] | None] = queue.SimpleQueue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.writer = threading.Thread(target=self._write, daemon=True)
        self.reader.start()
        self.writer.start()
        self.index_id = 0

    @classmethod
    def start(cls) -> PageIndex:
        """Start Pagefind and an empty index with the site's settings."""
        binary = get_executable()
        if binary is None:
            raise SearchIndexError("the search index could not be built: the Pagefind program is not installed")
        errors = tempfile.TemporaryFile()
        process = subprocess.Popen(
            [str(binary), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors
        )
        index = cls(process, errors)
        config = {"exclude_selectors": [EXCLUDE_SELECTOR], "force_language": LANGUAGE}
        index.index_id = index._wait(index._send({"type": "NewIndex", "config": config}))["index_id"]
        return index

    def add(self, url: str, html: str) -> None:
        """Index the page at ``url`` (from the site's root, ``/studies/x/``) if it is searchable; no waiting."""
        if SEARCHABLE in html:
            self._send({"type": "AddFile", "index_id": self.index_id, "url": url, "file_contents": html})

    def write(self, site_dir: Path) -> None:
        """Write the index to ``site_dir/pagefind`` once every page is in; stop Pagefind.

        The build asks Pagefind for the index's files and writes them itself, so that every file is
        whole when this returns.  Pagefind's own WriteFiles answers while its writes may still be under
        way, and even waiting for it to exit once its input ends published an empty
        ``pagefind-entry.json`` now and then (two builds at once, a loaded machine).
        """
        try:
            with self.replied:  # every page's reply first: one may have failed, and the index must hold them all
                self.replied.wait_for(lambda: len(self.replies) >= self.sent or not self.reader.is_alive())
            failed = [reply for reply in self.replies.values() if reply.get("type") == "Error"]
            if failed:
                raise SearchIndexError(f"the search index could not be built: {failed[0].get('message')}")
            reply = self._wait(self._send({"type": "GetFiles", "index_id": self.index_id}))
            with self.replied:
                self.replies.clear()  # the index's files, in base64, can be large
            _write_bundle(site_dir / SEARCH_SUBDIR, reply.get("files", []))
        finally:
            self.close()

    def close(self) -> None:
        """Stop Pagefind (at once: a build that failed writes no index)."""
        self.outbox.put(None)
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.reader.join()  # its output ended with the process; the writer ends at the None or a broken pipe
        self.writer.join()
        for stream in (self.process.stdin, self.process.stdout, self.errors):
            if stream is not None:
                with contextlib.suppress(BrokenPipeError):  # a page still buffered for a killed Pagefind: dropped
                    stream.close()  # (closed all the same: the buffer's flush fails, not the close)

    def _send(self, payload: dict[str, Any]) -> int:
        """Queue a message for Pagefind; its id."""
        self.sent += 1
        self.outbox.put({"message_id": self.sent, "payload": payload})
        return self.sent

    def _write(self) -> None:
        assert self.process.stdin is not None
        try:
            while (message := self.outbox.get()) is not None:
                self.process.stdin.write(base64.b64encode(json.dumps(message).encode("utf-8")) + b",")
                self.process.stdin.flush()
        except OSError:  # Pagefind stopped: the reader sees its output end, and whoever waits for a reply is told
            pass

    def _wait(self, message_id: int) -> dict[str, Any]:
        with self.replied:
            self.replied.wait_for(lambda: message_id in self.replies or not self.reader.is_alive())
        reply = self.replies.get(message_id)
        if reply is None:
            raise SearchIndexError(f"the search index could not be built: {self._stopped()}")
        if reply.get("type") == "Error":
            raise SearchIndexError(f"the search index could not be built: {reply.get('message')}")
        return reply

    def _read(self) -> None:
        assert self.process.stdout is not None
        pending: list[bytes] = []  # the pieces of an unfinished message (the index's files come as one)
        stdout = self.process.stdout.fileno()
        while chunk := os.read(stdout, 1 << 16):
            first, *rest = chunk.split(b",")
            pending.append(first)
            if not rest:
                continue
            messages, pending = [b"".join(pending), *rest[:-1]], [rest[-1]]
            with self.replied:
                for message in messages:
                    reply = json.loads(base64.b64decode(message))
                    self.replies[reply.get("message_id") or 0] = reply["payload"]
                self.replied.notify_all()
        with self.replied:
            self.replied.notify_all()

    def _stopped(self) -> str:
        self.process.wait()
        self.errors.seek(0)
        return self.errors.read().decode("utf-8", "replace").strip() or f"Pagefind stopped ({self.process.returncode})"
