"""Temporary projects with a synthetic corpus, measured child processes and site sizes."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from generator.publish.cardcache import CARD_CACHE
from generator.publish.search import EXCLUDE_SELECTOR, LANGUAGE, SEARCH_SUBDIR

REPO = Path(__file__).resolve().parent.parent
SITE_URL = "http://127.0.0.1:8000/"
COPIED = ("mkdocs.yml", "site_data", "templates", "content/pages")


@dataclass(frozen=True)
class Run:
    """One finished child process: wall seconds and the peak RSS of its process tree's largest process."""

    seconds: float
    peak_rss: int  # bytes
    returncode: int
    output: str
    cpu_seconds: float = 0.0  # user + system time of the tree: what a loaded machine does not inflate as much


def child_env(**extra: str) -> dict[str, str]:
    """The environment of every child: no MkDocs 2 banner, a fixed site URL, this checkout's code first.

    The checkout goes on PYTHONPATH because a virtual environment shared between git worktrees has its
    editable install pointing at one of them: the plugin would otherwise be another tree's code.
    """
    env = {key: value for key, value in os.environ.items() if key != "SITE_URL"}
    path = os.pathsep.join(part for part in (str(REPO), env.get("PYTHONPATH", "")) if part)
    env.update(NO_MKDOCS_2_WARNING="1", SITE_URL=SITE_URL, PYTHONDONTWRITEBYTECODE="1", PYTHONPATH=path)
    env.update(extra)
    return env


def run_measured(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run ``command`` to the end; time it and take its peak RSS from ``wait4`` (children it waited for count)."""
    log = cwd / f".bench-{os.getpid()}-{time.monotonic_ns()}.log"
    with open(log, "wb") as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env or child_env(), stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    output = log.read_text(encoding="utf-8", errors="replace")
    log.unlink()
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, usage.ru_maxrss * 1024, process.returncode, output, cpu)


def checked(run: Run, what: str) -> Run:
    """``run``, or an error that shows the end of its output."""
    if run.returncode != 0:
        tail = "\n".join(run.output.strip().splitlines()[-15:])
        raise RuntimeError(f"{what} failed with exit status {run.returncode}:\n{tail}")
    return run


def make_project(parent: Path, studies: int) -> Path:
    """A copy of the project's configuration, templates and pages with ``studies`` synthetic study files."""
    root = parent / f"project-{studies}"
    for name in COPIED:
        source, target = REPO / name, root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copyfile(source, target)
    command = [sys.executable, "-m", "benchmarks.synth", str(studies), "--out", str(root / "content" / "studies")]
    checked(run_measured(command, root), f"synth {studies}")
    return root


def mkdocs_build(root: Path, *, keep_cards: bool = False) -> Run:
    """``mkdocs build`` of the project in ``root`` from scratch: no previous site, no social cards drawn before.

    With ``keep_cards``, the cards the last build drew stay, as the site workflow's cache keeps them in CI.
    """
    shutil.rmtree(root / "site", ignore_errors=True)
    if not keep_cards:
        shutil.rmtree(root / CARD_CACHE, ignore_errors=True)
    return checked(run_measured([sys.executable, "-m", "mkdocs", "build", "-q"], root), f"mkdocs build in {root}")


def pagefind_seconds(site: Path) -> float:
    """Time Pagefind alone, with the plugin's settings, indexing a finished site again from its files."""
    command = [
        sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", SEARCH_SUBDIR,
        "--exclude-selectors", EXCLUDE_SELECTOR, "--force-language", LANGUAGE, "--silent",
    ]  # fmt: skip
    return checked(run_measured(command, site.parent), "pagefind").seconds


@dataclass(frozen=True)
class SiteSizes:
    study_pages: int
    page_median: float
    page_max: int
    disk_bytes: int  # what du counts
    apparent_bytes: int


def site_sizes(site: Path) -> SiteSizes:
    """Sizes of the study pages (``studies/*/index.html``) and of every file of the built site."""
    pages = [path.stat().st_size for path in (site / "studies").glob("*/index.html")]
    disk = apparent = 0
    for folder, _, names in os.walk(site):
        disk += os.lstat(folder).st_blocks * 512
        for name in names:
            info = os.lstat(os.path.join(folder, name))
            disk += info.st_blocks * 512
            apparent += info.st_size
    return SiteSizes(len(pages), statistics.median(pages), max(pages), disk, apparent)
