"""Rendering on several cores gives exactly what rendering on one gives."""

from __future__ import annotations

import os

import pytest

from generator.pipeline import generate
from generator.render import parallel
from generator.render.pages import SiteOptions, build_pages


def test_map_in_processes_keeps_order_and_uses_workers(monkeypatch) -> None:
    monkeypatch.setattr(parallel, "PARALLEL_MINIMUM", 2)
    results = parallel.map_in_processes(lambda n: (n * n, os.getpid()), list(range(50)), workers=2)
    assert [square for square, _ in results] == [n * n for n in range(50)]
    assert os.getpid() not in {pid for _, pid in results}  # computed in forked workers


def test_small_jobs_stay_in_this_process() -> None:
    results = parallel.map_in_processes(lambda n: os.getpid(), list(range(10)), workers=2)
    assert set(results) == {os.getpid()}


def test_parallel_and_serial_pages_are_identical(project, monkeypatch) -> None:
    project.copy_seed()
    generated = generate(project.root, SiteOptions())
    serial = build_pages(generated.content, SiteOptions(), generated.related)
    monkeypatch.setattr(parallel, "PARALLEL_MINIMUM", 2)
    forked = build_pages(generated.content, SiteOptions(), generated.related)
    assert forked == serial


def test_an_error_in_a_worker_reaches_the_caller(monkeypatch) -> None:
    monkeypatch.setattr(parallel, "PARALLEL_MINIMUM", 2)

    def fail(n: int) -> int:
        raise ValueError(f"bad item {n}")

    with pytest.raises(ValueError, match="bad item"):
        parallel.map_in_processes(fail, list(range(10)), workers=2)
