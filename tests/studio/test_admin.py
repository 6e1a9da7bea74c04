"""admin/ in the built site: the editor's files, served from the site alone, with a policy of their own."""

from __future__ import annotations

import re
import shutil

import pytest
from mkdocs.exceptions import Abort

from generator.publish import admin
from generator.publish.admin import (
    GITHUB_API,
    MISSING_PACKAGE,
    AdminError,
    CmsSettings,
    PackageMissing,
    admin_policy,
    cms_settings,
    index_html,
    vendor_files,
)

from ..conftest import ROOT, build_site

pytestmark = pytest.mark.skipif(
    not (ROOT / admin.VENDOR_DIR).is_dir(), reason="the editor's package is not installed: npm ci"
)


def test_the_script_loads_nothing_from_another_host() -> None:
    vendor = vendor_files(ROOT)
    script = vendor.files["sveltia-cms.js"].decode()
    assert "https://unpkg.com/@sveltia/cms" not in script
    assert "cdn.jsdelivr.net/fontsource" not in script
    fonts = sorted(re.findall(r"fonts/[\w.-]+\.woff2", script))
    assert fonts and all(font in vendor.files for font in fonts)
    assert f"sveltia@{vendor.version}/locales/de.json" in vendor.files
    assert "sourceMappingURL" not in script


def test_the_admin_policy() -> None:
    local = admin_policy(CmsSettings())
    deployed = admin_policy(CmsSettings(repo="octo/rheum"))
    assert GITHUB_API not in local and f"connect-src 'self' data: {GITHUB_API}" in deployed
    for policy in (local, deployed):
        assert "script-src 'self';" in policy and "unsafe-eval" not in policy and "default-src 'none'" in policy


def test_without_settings_the_page_says_it_is_not_configured() -> None:
    page = index_html(CmsSettings())
    assert "The editor is not configured" in page and "<script" not in page and "script-src &#x27;none&#x27;" in page
    assert '<script src="sveltia-cms.js">' in index_html(CmsSettings(repo="octo/rheum"))


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"cms": {"repo": "no-slash"}}, "owner/name"),
        ({"cms": {"repo": "octo/rheum", "branch": "a b"}}, "branch name"),
        ({"cms": {"repo": "octo/rheum", "brnach": "main"}}, "unknown settings: brnach"),
        ({"cms": "octo/rheum"}, "must be a mapping"),
    ],
)
def test_bad_settings_are_refused(settings, message) -> None:
    with pytest.raises(AdminError, match=message):
        cms_settings(settings)


def test_a_build_writes_the_editor(site_project) -> None:
    config = (site_project.root / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("extra:\n", "extra:\n  cms:\n    repo: octo/rheum\n    branch: main\n", 1)
    (site_project.root / "mkdocs.yml").write_text(config, encoding="utf-8")
    site = build_site(site_project.root)
    for name in ("index.html", "config.yml", "sveltia-cms.js", "chunks/react-dom.js"):
        assert (site / "admin" / name).is_file(), name
    page = (site / "admin" / "index.html").read_text(encoding="utf-8")
    assert "api.github.com" in page and "Content-Security-Policy" in page
    assert "repo: octo/rheum" in (site / "admin" / "config.yml").read_text(encoding="utf-8")
    assert not (site / "admin" / "local-folder.js").exists()  # only `make edit` serves the local folder


def test_without_the_package_a_strict_build_fails_with_one_line(site_project, monkeypatch, caplog) -> None:
    def missing(root):
        raise PackageMissing(MISSING_PACKAGE)

    monkeypatch.setattr(admin, "package_dir", missing)
    with pytest.raises(Abort):
        build_site(site_project.root)
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert warnings == [f"generator: {MISSING_PACKAGE}"]  # the plugin logger names the package
    assert "npm ci" in MISSING_PACKAGE


def test_without_the_package_a_preview_leaves_the_editor_out(site_project, monkeypatch) -> None:
    monkeypatch.setattr(admin, "package_dir", lambda root: (_ for _ in ()).throw(PackageMissing(MISSING_PACKAGE)))
    site = build_site(site_project.root, strict=False)
    assert (site / "index.html").is_file() and not (site / "admin").exists()


def test_an_upgrade_that_breaks_the_fix_stops_the_build(tmp_path) -> None:
    package = tmp_path / admin.VENDOR_DIR
    shutil.copytree(ROOT / admin.VENDOR_DIR / "npm", package / "npm")
    shutil.copytree(ROOT / admin.VENDOR_DIR / "locales", package / "locales")
    shutil.copy(ROOT / admin.VENDOR_DIR / "package.json", package / "package.json")
    (package / "dist").mkdir()
    script = (ROOT / admin.VENDOR_DIR / "dist" / "sveltia-cms.js").read_text(encoding="utf-8")
    (package / "dist" / "sveltia-cms.js").write_text(script.replace("widget===`keyvalue`)", "widget==`keyvalue`)"))
    with pytest.raises(AdminError, match="no longer applies"):
        vendor_files(tmp_path)
