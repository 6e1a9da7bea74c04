"""benchmarks.browser: the one setting that names the Chromium of the browser tests and the search benchmark."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from benchmarks.browser import ENVIRONMENT_VARIABLE, ChromiumSettingError, chromium


def executable(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_text("#!/bin/sh\n", encoding="utf-8")
    path.chmod(0o755)
    return path


def test_the_setting_names_the_browser_by_path_or_by_name(tmp_path, monkeypatch) -> None:
    browser = executable(tmp_path, "google-chrome")
    assert ENVIRONMENT_VARIABLE == "RHEUM_CHROMIUM"
    assert chromium({"RHEUM_CHROMIUM": str(browser)}) == str(browser)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert chromium({"RHEUM_CHROMIUM": "google-chrome"}) == str(browser)


def test_without_the_setting_debians_chromium_on_path(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert chromium({}) is None
    ubuntu = executable(tmp_path, "chromium-browser")
    assert chromium({}) == str(ubuntu)
    debian = executable(tmp_path, "chromium")
    assert chromium({"RHEUM_CHROMIUM": "  "}) == str(debian)


def test_a_setting_that_names_no_browser_is_an_error_not_a_skip(tmp_path) -> None:
    with pytest.raises(ChromiumSettingError) as caught:
        chromium({"RHEUM_CHROMIUM": str(tmp_path / "nothing")})
    assert str(caught.value) == f"RHEUM_CHROMIUM='{tmp_path / 'nothing'}' is not an executable file"


def test_the_default_is_what_this_machine_has() -> None:
    expected = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium({k: v for k, v in os.environ.items() if k != "RHEUM_CHROMIUM"}) == expected
