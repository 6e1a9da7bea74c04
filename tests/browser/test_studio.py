"""`make edit`: a study made through the browser editor's forms is saved, passes `check` and builds into its page.

The editor (Sveltia CMS) runs on the local server that ``python -m generator
edit`` starts (what ``make edit`` runs) in a copy of the project; the test
fills the form as an editor would, saves, and then reads the file, runs
``check`` and builds the site from it.  Every request the browser makes is
recorded and must go to that server.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest
import yaml
from playwright.sync_api import Locator, Page, expect

from .conftest import ROOT, Guard, build_site, copy_project, screenshot_path, stop_process

NODE_PACKAGE = ROOT / "node_modules" / "@sveltia" / "cms"
STARTUP_SECONDS = 60
SLUG = "abatacept-trial-in-early-ra"  # the CMS makes it from the title
TITLE = "Abatacept trial in early RA"
# What the editor's page is allowed to be refused: the CMS asks GitHub's status page whether GitHub is up
# (the policy's connect-src stops it before it leaves the browser).
REFUSED_BY_POLICY = ("https://www.githubstatus.com/",)

pytestmark = pytest.mark.skipif(not NODE_PACKAGE.is_dir(), reason="the editor's package is not installed: npm ci")

_ISOLATES = "[\u2068\u2069]*"  # the CMS wraps names it puts into labels in Unicode isolates


def ui(text: str) -> re.Pattern[str]:
    """An accessible name as the CMS writes it, isolates allowed anywhere."""
    return re.compile("^" + _ISOLATES + _ISOLATES.join(map(re.escape, text)) + _ISOLATES + "$")


class EditServer:
    """`python -m generator edit --port 0` in a project folder, with its output collected."""

    def __init__(self, root: Path):
        self.root = root
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        command = [sys.executable, "-m", "generator", "edit", "--port", "0"]
        self.process = subprocess.Popen(
            command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.url = self._wait_for_url()
        self.origin = self.url.split("/admin/")[0]

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def _wait_for_url(self) -> str:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            for line in self.lines:
                if match := re.search(r"http://127\.0\.0\.1:\d+/admin/", line):
                    return match[0]
            if self.process.poll() is not None:
                pytest.fail("generator edit exited:\n" + "\n".join(self.lines))
            time.sleep(0.1)
        pytest.fail("generator edit printed no address:\n" + "\n".join(self.lines))

    def wait_for_line(self, text: str, seconds: float = 15) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if found := [line for line in self.lines if text in line]:
                return found[-1]
            time.sleep(0.1)
        pytest.fail(f"generator edit never printed {text!r}:\n" + "\n".join(self.lines))

    def stop(self) -> None:
        stop_process(self.process)
        self.reader.join(timeout=10)  # the pipe ends with the process
        if self.process.stdout is not None:
            self.process.stdout.close()


@pytest.fixture
def editing(tmp_path: Path) -> Iterator[EditServer]:
    root = copy_project(tmp_path / "project")
    (root / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    server = EditServer(root)
    try:
        yield server
    finally:
        server.stop()


def watch(page: Page, origin: str) -> Guard:
    guard = Guard(origin)
    guard.watch(page.context)
    return guard


def assert_only_local(guard: Guard) -> None:
    """Every request went to the edit server; the only console errors are the policy's known refusals."""
    assert guard.requests, "no request was recorded"
    foreign = [url for url in guard.requests if not guard.is_local(url)]
    assert not foreign, f"requests to other hosts: {foreign}"
    assert not guard.failed, guard.failed
    assert not guard.bad_status, guard.bad_status
    assert not guard.page_errors, guard.page_errors
    errors = [m for m in guard.console_errors if not any(url in m for url in REFUSED_BY_POLICY)]
    assert not errors, "\n".join(errors)


def open_editor(page: Page, server: EditServer) -> None:
    page.goto(server.url)
    local = page.get_by_role("button", name="Work with Local Repository")
    studies = page.get_by_role("treeitem", name=re.compile("^Studies"))
    expect(local.or_(studies)).to_be_visible()
    if local.is_visible():  # once chosen, the CMS reopens the folder by itself
        local.click()
    title = page.get_by_text("Low-Dose IL-2 Effective in Lupus")
    if page.viewport_size["width"] < 768:  # on a phone the CMS opens on the list of collections
        # The CMS may still be reopening the folder and redraw the list over a first click; click
        # again until the studies show, within the usual ten seconds.
        for _ in range(5):
            if studies.is_visible():
                studies.click()
            try:
                expect(title).to_be_visible(timeout=2_000)
                break
            except AssertionError:
                continue
    expect(title).to_be_visible()


def new_study(page: Page) -> None:
    page.get_by_role("button", name="Create New Entry").click()


def field(page: Page, key_path: str) -> Locator:
    """The editor's field at ``key_path`` (``study.arms.0.key``), scrolled to (the CMS draws fields as they come into view)."""
    located = page.locator(f'section.field[data-key-path="{key_path}"]')
    for _ in range(80):
        if located.count():
            located.first.scroll_into_view_if_needed()
            return located.first
        page.mouse.wheel(0, 500)
        page.wait_for_timeout(50)
    pytest.fail(f"the editor shows no field {key_path}")


def type_in(page: Page, key_path: str, text: str) -> None:
    field(page, key_path).locator("input:not([type=checkbox]), textarea").first.fill(text)


def choose(page: Page, key_path: str, option: str) -> None:
    """Pick ``option`` in a choice: radio buttons when few, a drop-down list when many."""
    box = field(page, key_path)
    radio = box.get_by_role("radio", name=ui(option))
    if radio.count():
        radio.click()
        return
    box.get_by_role("combobox").click()
    page.get_by_role("option", name=ui(option)).click()


def add_item(page: Page, key_path: str, label: str) -> None:
    field(page, key_path).get_by_role("button", name=ui(f"Add {label}")).first.click()


def add_pair(page: Page, key_path: str, key: str, value: str, row: int) -> None:
    box = field(page, key_path)
    box.get_by_role("button", name=ui("Add")).click()
    box.get_by_role("textbox", name=ui("Arm key")).nth(row).fill(key)
    box.get_by_role("textbox", name=ui("Result")).nth(row).fill(value)


def fill_study(page: Page) -> None:
    """Fill in a new study the way an editor would, field by field."""
    new_study(page)
    type_in(page, "title", TITLE)
    field(page, "published").locator('input[type="date"]').fill("2026-03-02")
    choose(page, "status", "published")
    choose(page, "condition", "Rheumatoid arthritis (ra)")
    type_in(page, "summary", "A randomised trial of abatacept against placebo in early rheumatoid arthritis.")
    choose(page, "study.design", "randomized-controlled-trial")
    choose(page, "study.blinding", "double-blind")
    add_item(page, "study.country", "country")
    type_in(page, "study.country.0", "Norway")
    type_in(page, "study.participants", "60")
    for index, (key, label) in enumerate((("abatacept", "Abatacept"), ("placebo", "Placebo"))):
        add_item(page, "study.arms", "arm")
        type_in(page, f"study.arms.{index}.key", key)
        type_in(page, f"study.arms.{index}.label", label)
        type_in(page, f"study.arms.{index}.participants", "30")
    add_item(page, "study.outcomes", "outcome")
    type_in(page, "study.outcomes.0.name", "Remission at week 24")
    add_pair(page, "study.outcomes.0.results", "abatacept", "16/30", 0)
    add_pair(page, "study.outcomes.0.results", "placebo", "6/30", 1)
    type_in(page, "study.outcomes.0.p_value", "0.007")
    add_item(page, "key_findings", "key finding")
    type_in(page, "key_findings.0", "Twice as many patients reached remission with abatacept.")
    body = field(page, "body").get_by_role("textbox")
    body.click()
    page.keyboard.type("Abatacept was compared with placebo for 24 weeks.")
    source = field(page, "source")
    source.get_by_role("checkbox").click()
    type_in(page, "source.journal", "Example Journal of Rheumatology")
    type_in(page, "source.doi", "10.1234/example.2026.001")


def test_a_study_made_in_the_editor_is_saved_checked_and_built(page: Page, editing: EditServer) -> None:
    guard = watch(page, editing.origin)
    started = time.monotonic()
    open_editor(page, editing)
    fill_study(page)
    page.screenshot(path=screenshot_path("editor-form-1280"))
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_timeout(1500)
    page.screenshot(path=screenshot_path("editor-saved-1280"))
    saved = editing.wait_for_line(f"saved content/studies/{SLUG}.yaml")
    assert saved.endswith(": OK"), "\n".join(editing.lines)
    seconds = time.monotonic() - started

    target = editing.root / "content" / "studies" / f"{SLUG}.yaml"
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert data["title"] == TITLE
    assert str(data["published"]) == "2026-03-02"
    assert data["condition"] == "ra"
    assert data["study"]["arms"][0] == {"key": "abatacept", "label": "Abatacept", "participants": 30}
    assert data["study"]["outcomes"][0]["results"] == {"abatacept": "16/30", "placebo": "6/30"}
    assert data["source"]["doi"] == "10.1234/example.2026.001"

    check = subprocess.run(
        [sys.executable, "-m", "generator", "check", f"content/studies/{SLUG}.yaml"],
        cwd=editing.root,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr

    site = build_site(editing.root, site_url="http://127.0.0.1:8000/")
    html = lxml.html.fromstring((site / "studies" / SLUG / "index.html").read_bytes())
    assert html.xpath("string(//h1)").strip() == TITLE
    text = html.text_content()
    for value in (
        "16/30",
        "6/30",
        "Abatacept",
        "Placebo",
        "Norway",
        "10.1234/example.2026.001",
        "Remission at week 24",
    ):
        assert value in text, value
    assert_only_local(guard)
    print(f"filled and saved in {seconds:.1f} s")


def test_the_editor_at_phone_and_desktop_width(page: Page, editing: EditServer) -> None:
    guard = watch(page, editing.origin)
    for width, height in ((1280, 900), (375, 812)):
        page.set_viewport_size({"width": width, "height": height})
        open_editor(page, editing)
        page.screenshot(path=screenshot_path(f"editor-list-{width}"))
        new_study(page)
        field(page, "title")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"the editor is {overflow} px wider than a {width} px screen"
        page.screenshot(path=screenshot_path(f"editor-new-{width}"))
    assert_only_local(guard)
