"""The benchmark table's targets: which rows pass, fail or only report."""

from __future__ import annotations

import argparse

import pytest

from benchmarks import project
from benchmarks.__main__ import build_rows, serve_rows, size_list, size_rows
from benchmarks.project import Run, SiteSizes
from generator.publish.cardcache import CARD_CACHE


def run(seconds: float) -> Run:
    return Run(seconds, 100 * 1024**2, 0, "", seconds)


def row(rows, figure):
    return next(r for r in rows if r.figure.strip() == figure)


def test_sizes_are_whole_numbers_separated_by_commas() -> None:
    assert size_list("2000,1000") == (1000, 2000)
    for bad in ("", "1k", "0", "-5"):
        with pytest.raises(argparse.ArgumentTypeError):
            size_list(bad)


def test_ours_against_bare_material_is_a_target_at_2000_and_against_hugo_a_moonshot() -> None:
    found = {"build": {2_000: run(23.0)}, "plain": {2_000: run(20.0)}, "hugo": {2_000: run(5.0)}}
    rows = build_rows(found, (2_000,))
    assert row(rows, "ours / bare MkDocs + Material").cells[2_000] == "1.15"
    assert row(rows, "ours / bare MkDocs + Material").verdict == "PASS"
    assert row(rows, "ours / Hugo").verdict in {"not met", "n/a"}  # never FAIL
    found["build"][2_000] = run(24.0)
    assert row(build_rows(found, (2_000,)), "ours / bare MkDocs + Material").verdict == "FAIL"


def test_the_targets_hold_the_build_from_scratch_and_the_warm_build_only_reports() -> None:
    found = {"build": {1_000: run(10.0), 10_000: run(115.0)}, "build-warm": {1_000: run(8.0), 10_000: run(70.0)}}
    rows = build_rows(found, (1_000, 10_000))
    assert row(rows, "full build: mkdocs build, s").verdict == "PASS"
    assert row(rows, "ratio t(N) / t(N/10)").cells == {10_000: "11.50"}
    assert row(rows, "ratio t(N) / t(N/10)").verdict == "FAIL", "the warm builds' 8.75 does not count"
    assert row(rows, "with the last build's social cards (CI's cache), s").cells == {1_000: "8.00", 10_000: "70.00"}


def test_a_build_from_scratch_draws_every_card_and_the_warm_build_keeps_the_last_ones(tmp_path, monkeypatch) -> None:
    cards, site = tmp_path / CARD_CACHE, tmp_path / "site"
    seen = []

    def measured(command, cwd):
        seen.append((cards.is_dir(), site.exists()))
        cards.mkdir(parents=True, exist_ok=True)  # as a build draws them
        site.mkdir(exist_ok=True)
        return run(1.0)

    monkeypatch.setattr(project, "run_measured", measured)
    project.mkdocs_build(tmp_path)
    project.mkdocs_build(tmp_path, keep_cards=True)
    project.mkdocs_build(tmp_path)
    assert seen == [(False, False), (True, False), (False, False)]


def test_the_site_bytes_per_study_target_holds_at_every_size() -> None:
    sizes = {n: SiteSizes(n, 30_000, 40_000, 0, per * n) for n, per in ((100, 19_000), (1_000, 21_000))}
    rows = size_rows({"sizes": sizes}, 42_000, (100, 1_000))
    assert row(rows, "site size per study (bytes), KB").verdict == "FAIL"
    assert row(rows, "own site: low-dose-il2-sle page, B").verdict == "PASS"


def test_make_serve_has_one_second_and_plain_serve_three() -> None:
    found = {
        "serve": {1_000: [2.0, 2.5, 2.9]},
        "serve-dirty": {1_000: [0.8, 1.2, 1.1]},
        "serve-polling": {1_000: [1.5]},
    }
    rows = serve_rows(found)
    assert [r.verdict for r in rows] == ["PASS", "FAIL", "–"]
    assert [r.target for r in rows] == [
        "1k < 3 s (median of 5)",
        "1k < 1 s (median of 5)",
        "MkDocs' own watcher, for comparison",
    ]
    assert rows[2].cells == {1_000: "1.50 (1.5–1.5)"}
