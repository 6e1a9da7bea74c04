"""``mkdocs serve`` edit latency: seconds from saving a study file to its new title being served."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from .project import child_env

STARTUP_TIMEOUT = 600.0
EDIT_TIMEOUT = 300.0
POLL = 0.05


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=EDIT_TIMEOUT) as response:
            return response.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def set_title(path: Path, title: str) -> None:
    """Replace the ``title:`` of a study file (a plain scalar, maybe folded over indented lines)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    first = next(number for number, line in enumerate(lines) if line.startswith("title:"))
    last = first + 1
    while last < len(lines) and lines[last].startswith((" ", "\t")):
        last += 1
    lines[first:last] = [f"title: {title}\n"]
    path.write_text("".join(lines), encoding="utf-8")


PLUGIN = "  - rheum-evidence:\n"


def edit_latencies(root: Path, *, dirty: bool = False, polling: bool = False, edits: int = 3) -> list[float]:
    """Start ``mkdocs serve`` in ``root``, change one study's title ``edits`` times; seconds until each is served.

    With ``polling``, the project's mkdocs.yml asks for MkDocs' own polling watcher meanwhile.
    """
    config = root / "mkdocs.yml"
    original = config.read_text(encoding="utf-8")
    if polling:
        if PLUGIN not in original:
            raise RuntimeError(f"{config} has no {PLUGIN.strip()!r} line to add serve_watcher to")
        config.write_text(original.replace(PLUGIN, PLUGIN + "      serve_watcher: polling\n"), encoding="utf-8")
    try:
        return _edit_latencies(root, dirty=dirty, edits=edits)
    finally:
        config.write_text(original, encoding="utf-8")


def _edit_latencies(root: Path, *, dirty: bool, edits: int) -> list[float]:
    study = sorted((root / "content" / "studies").glob("*.yaml"))[0]
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    url = f"{base}studies/{study.stem}/"
    command = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"]  # live reload on
    if dirty:
        command += ["--dirty", "--no-strict"]  # a dirty build always warns, which strict mode turns into a failure
    output: list[str] = []
    server = subprocess.Popen(
        command,
        cwd=root,
        env=child_env(SITE_URL=base),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    reader = threading.Thread(target=lambda: output.extend(server.stdout), daemon=True)  # type: ignore[arg-type]
    reader.start()
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while _get(url) is None:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("mkdocs serve did not start:\n" + "".join(output[-15:]))
            time.sleep(0.2)
        latencies = []
        for number in range(1, edits + 1):
            title = f"Benchmark edit {number} {'dirty' if dirty else 'full'} of this study"
            start = time.perf_counter()
            set_title(study, title)
            while True:
                page = _get(url)
                if page is not None and title in page:
                    break
                if server.poll() is not None or time.perf_counter() - start > EDIT_TIMEOUT:
                    raise RuntimeError("the edit was not served:\n" + "".join(output[-15:]))
                time.sleep(POLL)
            latencies.append(time.perf_counter() - start)
            time.sleep(1.0)  # let the watcher settle before the next edit
        return latencies
    finally:
        server.send_signal(signal.SIGINT)  # lets MkDocs remove its temporary site folder
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        reader.join(timeout=5)
