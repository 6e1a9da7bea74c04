"""Plugin options are MkDocs typed options with ranges: a wrong value is one line, before anything is read."""

from __future__ import annotations

import pytest
from mkdocs.exceptions import Abort

from ..conftest import Project, build_site

PREFIX = "Config value 'plugins': Plugin 'rheum-evidence' option"


def _with_options(project: Project, options: str) -> None:
    config = project.root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("      preview_drafts: true\n", options), encoding="utf-8")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ("per_page: 0", "'per_page': must be at least 1, got 0"),
        ("per_page: -1", "'per_page': must be at least 1, got -1"),
        ("per_page: 2.5", "'per_page': must be a whole number, got 2.5"),
        ("per_page: true", "'per_page': must be a whole number, got True"),
        ("per_page: '10'", "'per_page': must be a whole number, got '10'"),
        ("home_latest: 0", "'home_latest': must be at least 1, got 0"),
        ("related: {count: 2.5}", "'related': Sub-option 'count': must be a whole number, got 2.5"),
        ("related: {count: true}", "'related': Sub-option 'count': must be a whole number, got True"),
        ("related: {count: 0}", "'related': Sub-option 'count': must be at least 1, got 0"),
        ("related: {min_score: -1}", "'related': Sub-option 'min_score': must be at least 0, got -1"),
        ("related: {min_score: .nan}", "'related': Sub-option 'min_score': must be a finite number, got nan"),
        (
            "related: {recency_half_life_days: 0}",
            "'related': Sub-option 'recency_half_life_days': must be greater than 0, got 0",
        ),
        ("related: {rarity_cutoff_min: 1}", "'related': Sub-option 'rarity_cutoff_min': must be at least 2, got 1"),
        ("related: {shared_topic: high}", "'related': Sub-option 'shared_topic': must be a number, got 'high'"),
        ("related: 5", "'related': must be a mapping of option names to numbers, e.g. {count: 5}"),
        (
            "drafts: true",
            "'drafts': 'drafts' is no longer an option: `mkdocs serve` shows drafts, marked as drafts, and a build "
            "never includes them; remove it (`preview_drafts: false` previews the published studies only)",
        ),
        ("preview_drafts: maybe", "'preview_drafts': Expected type: <class 'bool'> but received: <class 'str'>"),
        ("serve_watcher: inotify", "'serve_watcher': Expected one of: ('native', 'polling') but received: 'inotify'"),
        ("serve_watcher: true", "'serve_watcher': Expected one of: ('native', 'polling') but received: True"),
        (
            "related: {weight: 1}",
            "'related': unknown option `weight`; known options: count, min_score, "
            "same_condition, shared_condition, shared_topic, shared_drug_class, same_design_family, shared_intervention, shared_term, "
            "recency, recency_half_life_days, rarity_cutoff_share, rarity_cutoff_min, reason_signals",
        ),
    ],
)
def test_an_out_of_range_option_stops_the_build_with_one_line(site_project: Project, caplog, options, message) -> None:
    _with_options(site_project, f"      {options}\n")
    with pytest.raises(Abort):
        build_site(site_project.root)
    assert [r.getMessage() for r in caplog.records if r.levelname == "ERROR"] == [f"{PREFIX} {message}"]
    assert not (site_project.root / "site").exists()


def test_in_range_options_take_effect(site_project: Project) -> None:
    _with_options(site_project, "      per_page: 1\n      home_latest: 2\n      related: {count: 1, min_score: 0}\n")
    site = build_site(site_project.root)
    assert (site / "archive/2019/page/2/index.html").is_file()  # one study a page
    home = (site / "index.html").read_text(encoding="utf-8")
    assert home.count('class="re-teaser"') == 2  # six seed studies, two on the home page
