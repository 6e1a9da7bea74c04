"""The editor's loop: `mkdocs serve`, save a study, see it; save a broken one, keep the last good page and see
the problem in a banner; save a new draft, see it marked, without a restart."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .conftest import MKDOCS, Guard, copy_project, stop_process

STARTUP_SECONDS = 90
REBUILD_MS = 45_000
TITLE = "Low-Dose IL-2 Effective in Lupus"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, root: Path, port: int, log: Path):
        self.root = root
        self.base = f"http://127.0.0.1:{port}/rheum/"
        self.log = log
        self._log_file = log.open("wb")
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": self.base}
        self.process = subprocess.Popen(
            [str(MKDOCS), "serve", "--dev-addr", f"127.0.0.1:{port}", "--livereload"],
            cwd=root,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=self._log_file,
        )

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_until_serving(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"mkdocs serve exited with {self.process.returncode}:\n{self.output()}")
            try:
                with urllib.request.urlopen(self.base, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        pytest.fail(f"mkdocs serve did not answer within {STARTUP_SECONDS} s:\n{self.output()}")

    def wait_for_output(self, text: str, *, after: int, seconds: float = REBUILD_MS / 1000) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            new = self.output()[after:]
            if text in new:
                return new
            time.sleep(0.2)
        pytest.fail(f"mkdocs serve never printed {text!r}; its output since the change:\n{self.output()[after:]}")

    def stop(self) -> None:
        stop_process(self.process)
        self._log_file.close()


@pytest.fixture
def serving(tmp_path: Path) -> Iterator[Server]:
    root = copy_project(tmp_path / "project")
    server = Server(root, free_port(), tmp_path / "serve.log")
    try:
        server.wait_until_serving()
        yield server
    finally:
        server.stop()


def fetch(url: str, seconds: float) -> tuple[int, str]:
    """GET ``url`` outside the browser, giving up after ``seconds``."""
    try:
        with urllib.request.urlopen(url, timeout=seconds) as response:
            return response.status, response.read().decode("utf-8", errors="replace")
    except TimeoutError:
        pass
    pytest.fail(f"mkdocs serve did not answer {url} within {seconds} s", pytrace=False)


def h1(html: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.DOTALL)
    return match[1].strip() if match else ""


def test_saving_a_study_reloads_the_open_page(page: Page, serving: Server) -> None:
    guard = Guard(serving.base.split("/rheum/")[0])
    guard.watch(page.context)
    study = serving.root / "content" / "studies" / "low-dose-il2-sle.yaml"
    original = study.read_text(encoding="utf-8")
    assert f"title: {TITLE}\n" in original
    page.goto(serving.base + "studies/low-dose-il2-sle/")
    heading = page.locator("h1")
    expect(heading).to_have_text(TITLE)

    mark = len(serving.output())
    study.write_text(original.replace(f"title: {TITLE}\n", f"title: {TITLE}, Edited\n"), encoding="utf-8")
    serving.wait_for_output("Reloading browsers", after=mark)
    # The server has rebuilt and told the browsers; the open page must now reload by itself.
    expect(heading, "the page did not reload itself after the save").to_have_text(f"{TITLE}, Edited", timeout=15_000)
    guard.assert_clean()  # the dev server's live-reload endpoint lives outside the site's sub-path


def test_a_broken_save_is_reported_and_the_last_good_page_stays(page: Page, serving: Server) -> None:
    study = serving.root / "content" / "studies" / "low-dose-il2-sle.yaml"
    original = study.read_text(encoding="utf-8")
    url = serving.base + "studies/low-dose-il2-sle/"
    page.goto(url)
    heading = page.locator("h1")
    expect(heading).to_have_text(TITLE)

    # Save a broken file: the terminal names file, line, column and field.
    mark = len(serving.output())
    broken = original + "summery: x\n"
    line = broken.count("\n")  # the added key is on the last line
    study.write_text(broken, encoding="utf-8")
    expected = (
        f"content/studies/low-dose-il2-sle.yaml:{line}:1: summery: unknown key `summery`; did you mean `summary`?"
    )
    serving.wait_for_output(expected, after=mark)
    time.sleep(1)  # give a (wrong) reload every chance to happen

    # The open page shows the problem where the editor looks, and the last good version below it.
    banner = page.get_by_role("alert", name="Content problems")
    expect(banner).to_contain_text(
        "1 content problem: fix and save; until then this preview shows the last good version", timeout=15_000
    )
    expect(banner.locator("li")).to_have_text([expected])
    expect(heading).to_have_text(TITLE)
    other = page.context.new_page()  # every page, not only the one being edited
    other.goto(serving.base + "archive/")
    expect(other.get_by_role("alert", name="Content problems").locator("li")).to_have_text([expected])
    assert serving.process.poll() is None, f"mkdocs serve stopped:\n{serving.output()}"
    status, html = fetch(url, 10)
    assert (status, h1(html)) == (200, TITLE)

    # Fix it with a new title: the server recovers and serves the fixed page.
    mark = len(serving.output())
    study.write_text(original.replace(f"title: {TITLE}\n", f"title: {TITLE}, Fixed\n"), encoding="utf-8")
    serving.wait_for_output("Reloading browsers", after=mark)
    # live reload refreshes the open page by itself (reloading it by hand as well would race with it)
    expect(heading).to_have_text(f"{TITLE}, Fixed", timeout=15_000)
    expect(banner).to_have_count(0, timeout=15_000)
    expect(other.get_by_role("alert")).to_have_count(0, timeout=15_000)


def test_a_problem_is_shown_as_text_never_as_markup(page: Page, serving: Server) -> None:
    page.goto(serving.base)
    mark = len(serving.output())
    study = serving.root / "content" / "studies" / "low-dose-il2-sle.yaml"
    study.write_text(study.read_text(encoding="utf-8") + "<img src=x onerror=alert(1)>: 1\n", encoding="utf-8")
    serving.wait_for_output("unknown key", after=mark)
    banner = page.get_by_role("alert", name="Content problems")
    expect(banner.locator("li")).to_contain_text(["unknown key `<img src=x onerror=alert(1)>`"], timeout=15_000)
    expect(banner.locator("img")).to_have_count(0)


def test_a_new_draft_appears_marked_without_a_restart(page: Page, serving: Server) -> None:
    page.goto(serving.base)
    mark = len(serving.output())
    draft = (serving.root / "content" / "studies" / "low-dose-il2-sle.yaml").read_text(encoding="utf-8")
    draft = draft.replace(f"title: {TITLE}\n", "title: A Draft Nobody Has Published\n")
    assert "status:" not in draft  # published by default
    draft += "status: draft\n"
    (serving.root / "content" / "studies" / "a-new-draft.yaml").write_text(draft, encoding="utf-8")
    serving.wait_for_output("Reloading browsers", after=mark)
    teaser = page.locator(".re-teaser", has_text="A Draft Nobody Has Published")
    expect(teaser.locator(".re-draft-mark")).to_have_text("Draft", timeout=15_000)
    teaser.get_by_role("link").click()
    expect(page.locator("h1")).to_have_text("A Draft Nobody Has Published")
    expect(page.get_by_role("note")).to_contain_text("Draft: readers do not see this study.")
    expect(page.get_by_role("alert")).to_have_count(0)
