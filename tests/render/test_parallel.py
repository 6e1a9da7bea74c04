"""Rendering on several cores gives exactly what rendering on one gives, and the work really is done by workers."""

from __future__ import annotations

import multiprocessing
import os
from functools import partial

import pytest

from generator.pipeline import generate
from generator.render import pages, parallel
from generator.render.pages import SiteOptions, build_pages


def test_map_in_processes_keeps_order_and_uses_workers(monkeypatch) -> None:
    monkeypatch.setattr(parallel, "PARALLEL_MINIMUM", 2)
    results = parallel.map_in_processes(lambda n: (n * n, os.getpid(), os.getppid()), list(range(50)), workers=2)
    assert [square for square, _, _ in results] == [n * n for n in range(50)]
    assert {(pid == os.getpid(), parent) for _, pid, parent in results} == {(False, os.getpid())}  # our children


def test_two_workers_run_at_the_same_time(monkeypatch) -> None:
    monkeypatch.setattr(parallel, "PARALLEL_MINIMUM", 2)
    meeting = multiprocessing.get_context("fork").Barrier(2, timeout=30)

    def meet(n: int) -> int:
        meeting.wait()  # returns only once another process waits too: one process alone would time out
        return os.getpid()

    pids = parallel.map_in_processes(meet, [0, 1], workers=2)
    assert len(set(pids)) == 2 and os.getpid() not in pids


def test_small_jobs_stay_in_this_process() -> None:
    results = parallel.map_in_processes(lambda n: os.getpid(), list(range(10)), workers=2)
    assert set(results) == {os.getpid()}


def test_a_full_build_renders_study_pages_in_workers_exactly_as_in_one_process(project, monkeypatch) -> None:
    project.copy_seed()
    generated = generate(project.root, SiteOptions())
    serial = build_pages(generated.content, SiteOptions(), generated.related)
    monkeypatch.setattr(parallel, "PARALLEL_MINIMUM", 2)
    rendered_in: list[tuple[str, int, int]] = []

    def recording(function, items, **options):
        options.setdefault("workers", 2)  # parallel even on a one-core machine

        def render(item):
            return function(item), os.getpid(), os.getppid()

        results = parallel.map_in_processes(render, items, **options)
        rendered_in.extend((page.src, pid, parent) for page, pid, parent in results)
        return [page for page, _, _ in results]

    monkeypatch.setattr(pages, "map_in_processes", recording)
    forked = build_pages(generated.content, SiteOptions(), generated.related)
    assert forked == serial
    studies = [page.src for page in serial if page.src.startswith("studies/")]
    assert [src for src, _, _ in rendered_in] == studies and len(studies) == 6
    assert all(pid != os.getpid() and parent == os.getpid() for _, pid, parent in rendered_in)


def test_an_error_in_a_worker_reaches_the_caller(monkeypatch) -> None:
    monkeypatch.setattr(parallel, "PARALLEL_MINIMUM", 2)

    def fail(n: int) -> int:
        raise ValueError(f"bad item {n} in process {os.getpid()}")

    with pytest.raises(ValueError, match=r"^bad item \d+ in process (\d+)$") as caught:
        parallel.map_in_processes(fail, list(range(10)), workers=2)
    assert int(str(caught.value).rsplit(" ", 1)[1]) != os.getpid()  # raised in a worker, not here


def test_study_files_read_in_workers_give_the_same_content_and_problems(project, monkeypatch) -> None:
    from generator.errors import ContentError
    from generator.read.content import load_content

    project.copy_seed()
    monkeypatch.setattr(parallel, "PARALLEL_MINIMUM", 2)
    spread = partial(parallel.map_in_processes, workers=2)
    assert load_content(project.root, spread=spread) == load_content(project.root)
    project.study("broken", "title: Too short\n")
    with pytest.raises(ContentError) as serial:
        load_content(project.root)
    with pytest.raises(ContentError) as forked:
        load_content(project.root, spread=spread)
    assert forked.value.problems == serial.value.problems


def test_a_cache_is_filled_in_this_process_so_it_is_never_spread(project) -> None:
    from generator.read.content import load_content

    project.copy_seed()
    cache: dict = {}
    load_content(project.root, cache=cache, spread=lambda function, items: pytest.fail("spread with a cache"))
    assert len(cache) == 6
