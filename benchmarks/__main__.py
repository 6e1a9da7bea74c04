"""Run every benchmark side by side and print one table: ``python -m benchmarks [--quick]``.

See benchmarks/README.md for what each figure is and how it is measured.  The
table is printed and written to benchmarks/out/results.md; the exit status is 1
when a target fails.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from . import bench_related, budgets
from .baseline import BASELINE_NOTE, run_baseline
from .project import REPO, make_project, mkdocs_build, pagefind_seconds, site_sizes
from .search import search_costs
from .serve import edit_latencies

FULL_SIZES = (100, 1_000, 10_000)
QUICK_SIZES = (100, 1_000)
RELATED_SIZES = {False: (1_000, 10_000, 100_000), True: (1_000,)}
COLUMNS = (100, 1_000, 10_000, 100_000)
QUERIES = ("rituximab", "lupus")
SERVE_SIZE = 1_000
MiB = 1024**2
GB2 = 2 * 1024**3
KB500 = 500_000
OUT = Path(__file__).resolve().parent / "out" / "results.md"


@dataclass
class Row:
    figure: str
    cells: dict[int, str] = field(default_factory=dict)
    target: str = ""
    verdict: str = "–"  # PASS, FAIL, "n/a" (not measured in this run) or "–" (no target)


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def attempt(what: str, errors: list[str], action: Callable[[], Any]) -> Any:
    """Run one benchmark; an error is reported and the benchmark's figures show as `error`."""
    try:
        return action()
    except Exception as error:  # one broken benchmark must not hide the others
        traceback.print_exc(file=sys.stderr)
        errors.append(f"{what}: {str(error).splitlines()[0] if str(error) else type(error).__name__}")
        return None


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "FAIL")


def seconds(value: float) -> str:
    return f"{value:.2f}"


def percent(value: float) -> str:
    return f"{100 * value:+.0f}%" if abs(value) < 10 else f"{100 * value:+,.0f}%"


def kb(value: float) -> str:
    return f"{value / 1000:,.1f}"


def measure_size(size: int, workdir: Path, full: bool, search: bool, errors: list[str]) -> dict[str, Any]:
    """Build, measure and compare the site with ``size`` studies inside ``workdir``."""
    found: dict[str, Any] = {}
    log(f"{size:,} studies: writing the synthetic corpus")
    root = attempt(f"synth {size}", errors, lambda: make_project(workdir, size))
    if root is None:
        return found
    site = root / "site"
    repeats = 2 if full and size <= 1_000 else 1  # small builds are noisy: best of two
    log(f"{size:,} studies: mkdocs build ×{repeats}")
    builds = [attempt(f"build {size}", errors, lambda: mkdocs_build(root)) for _ in range(repeats)]
    builds = [run for run in builds if run is not None]
    if builds:
        found["build"] = min(builds, key=lambda run: run.seconds)
        found["sizes"] = attempt(f"sizes {size}", errors, lambda: site_sizes(site))
        log(f"{size:,} studies: Pagefind indexing alone")
        found["pagefind"] = attempt(f"pagefind {size}", errors, lambda: pagefind_seconds(site))
        if search:
            log(f"{size:,} studies: search in Chromium")
            found["search"] = attempt("search", errors, lambda: search_costs(site, QUERIES))
    if size == SERVE_SIZE:
        for key, dirty in (("serve", False), ("serve-dirty", True)):
            log(f"{size:,} studies: mkdocs serve{' --dirty' if dirty else ''}, 3 edits")
            found[key] = attempt(key, errors, lambda dirty=dirty: edit_latencies(root, dirty=dirty))
    log(f"{size:,} studies: generate() in-process, export, baseline build")
    base = workdir / "baseline"
    base.mkdir()
    found["baseline"] = attempt(f"baseline {size}", errors, lambda: run_baseline(root, base))
    return {key: value for key, value in found.items() if value is not None}


def run_sizes(sizes: tuple[int, ...], full: bool, errors: list[str]) -> dict[str, dict[int, Any]]:
    """Every size in its own temporary folder, removed afterwards; figures by name, then size."""
    found: dict[str, dict[int, Any]] = {}
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix=f"rheum-bench-{size}-") as temp:
            for name, value in measure_size(size, Path(temp), full, size == max(sizes), errors).items():
                found.setdefault(name, {})[size] = value
    return found


def table(
    found: dict[str, dict[int, Any]], related: dict[int, dict], sizes: tuple[int, ...], quick: bool, worst: dict | None
) -> list[Row]:
    """The rows of the table, always the same ones in the same order."""
    big, large = 10_000, 100_000
    builds, baselines, sizes_of = found.get("build", {}), found.get("baseline", {}), found.get("sizes", {})
    rows: list[Row] = []

    row = Row("full build: mkdocs build, s", {n: seconds(r.seconds) for n, r in builds.items()}, "10k < 120 s")
    row.verdict = verdict(builds[big].seconds < 120 if big in builds else None)
    rows.append(row)
    row = Row("  ratio t(N) / t(N/10)", {}, "t(10k)/t(1k) ≤ 11")
    for n in builds:
        if n // 10 in builds:
            row.cells[n] = f"{builds[n].seconds / builds[n // 10].seconds:.2f}"
    row.verdict = verdict(builds[big].seconds / builds[1_000].seconds <= 11 if {big, 1_000} <= builds.keys() else None)
    rows.append(row)
    rows.append(Row("  of it: generate() in-process, s", {n: seconds(b.generate) for n, b in baselines.items()}))
    for stage in ("load_content", "related_lists", "build_pages", "build_files"):
        cells = {n: seconds(b.stages[stage]) for n, b in baselines.items() if stage in b.stages}
        rows.append(Row(f"    {stage}(), s", cells))
    rows.append(Row("  of it: Pagefind indexing, s", {n: seconds(s) for n, s in found.get("pagefind", {}).items()}))
    rows.append(Row("baseline: bare MkDocs + Material, s", {n: seconds(b.build.seconds) for n, b in baselines.items()}))
    for label, part in (
        ("generator share: (build − baseline) / baseline", lambda n: builds[n].seconds - baselines[n].build.seconds),
        ("generate() in-process / baseline", lambda n: baselines[n].generate),
    ):
        shares = {n: part(n) / baselines[n].build.seconds for n in baselines if n in builds}
        row = Row(label, {n: percent(share) for n, share in shares.items()}, "10k ≤ 15%")
        row.verdict = verdict(shares[big] <= 0.15 if big in shares else None)
        rows.append(row)
    peaks = {n: r.peak_rss for n, r in builds.items()}
    row = Row("peak RSS of mkdocs build, MiB", {n: f"{p / MiB:,.0f}" for n, p in peaks.items()}, "10k < 2 GB")
    row.verdict = verdict(peaks[big] < GB2 if big in peaks else None)
    rows.append(row)
    rows.append(
        Row("  generate() alone, peak RSS MiB", {n: f"{b.generate_peak_rss / MiB:,.0f}" for n, b in baselines.items()})
    )
    rows.append(Row("baseline peak RSS, MiB", {n: f"{b.build.peak_rss / MiB:,.0f}" for n, b in baselines.items()}))

    medians = {n: s.page_median for n, s in sizes_of.items()}
    row = Row("study page HTML, median bytes", {n: f"{m:,.0f}" for n, m in medians.items()}, "10k ≤ 100 + 5%")
    row.verdict = verdict(medians[big] <= 1.05 * medians[100] if {big, 100} <= medians.keys() else None)
    rows.append(row)
    rows.append(
        Row("  median vs N=100", {n: percent(m / medians[100] - 1) for n, m in medians.items() if 100 in medians})
    )
    rows.append(Row("study page HTML, max bytes", {n: f"{s.page_max:,}" for n, s in sizes_of.items()}))
    rows.append(
        Row(
            "  max vs N=100",
            {n: percent(s.page_max / sizes_of[100].page_max - 1) for n, s in sizes_of.items() if 100 in sizes_of},
        )
    )
    rows.append(Row("site size per study (du), KB", {n: kb(s.disk_bytes / n) for n, s in sizes_of.items()}))
    rows.append(Row("site size per study (bytes), KB", {n: kb(s.apparent_bytes / n) for n, s in sizes_of.items()}))

    search_size = max(sizes)
    costs = found.get("search", {}).get(search_size, [])
    for query in QUERIES:
        cost = next((c for c in costs if c.query == query), None)
        target = "10k ≤ 500 kB" if not quick else "10k ≤ 500 kB (10k only)"
        cell = {search_size: kb(cost.total_bytes)} if cost else {}
        row = Row(f"search “{query}”: kB before 1st result", cell, target)
        row.verdict = verdict(cost.total_bytes <= KB500 if cost and search_size == big else None)
        rows.append(row)
        if cost:
            rows.append(Row("  of it under /pagefind/, kB", {search_size: kb(cost.pagefind_bytes)}))
            rows.append(Row("  of it /sitemap.xml, kB", {search_size: kb(cost.sitemap_bytes)}))
            rows.append(Row("  all of it if the host gzips, kB", {search_size: kb(cost.gzip_bytes)}))
            rows.append(
                Row("  requests / ms to 1st result", {search_size: f"{cost.requests} / {cost.first_result_ms:,.0f}"})
            )
        else:
            for label in (
                "  of it under /pagefind/, kB",
                "  of it /sitemap.xml, kB",
                "  all of it if the host gzips, kB",
                "  requests / ms to 1st result",
            ):
                rows.append(Row(label))

    for key, label in (
        ("serve", "mkdocs serve: edit → new title, s"),
        ("serve-dirty", "mkdocs serve --dirty: same, s"),
    ):
        latencies = found.get(key, {}).get(SERVE_SIZE)
        cells = {}
        if latencies:
            spread = f"{min(latencies):.1f}–{max(latencies):.1f}"
            cells = {SERVE_SIZE: f"{statistics.median(latencies):.2f} ({spread})"}
        row = Row(label, cells, "1k ≤ 3 s (median of 3)")
        row.verdict = verdict(statistics.median(latencies) <= 3 if latencies else None)
        rows.append(row)

    row = Row("related top-5, all studies, wall s", {n: seconds(m["wall"]) for n, m in related.items()}, "100k < 10 s")
    row.verdict = verdict(related[large]["wall"] < 10 if large in related else None)
    rows.append(row)
    row = Row(
        "related top-5, peak RSS MiB", {n: f"{m['peak_rss'] / MiB:,.0f}" for n, m in related.items()}, "100k < 2 GB"
    )
    row.verdict = verdict(related[large]["peak_rss"] < GB2 if large in related else None)
    rows.append(row)
    if worst:
        at = {min(sizes): f"{worst['body']:.2f} / {worst['yaml']:.2f} / {worst['peak_rss'] / MiB:,.0f}"}
        row = Row("worst editor text: body s / YAML s / RSS MiB", at, "< 5 s, < 2 GB (any N)")
        row.verdict = verdict(max(worst["body"], worst["yaml"]) < 5 and worst["peak_rss"] < GB2)
        rows.append(row)
    return rows


def render(rows: list[Row], columns: tuple[int, ...], header: list[str], notes: list[str]) -> str:
    """A Markdown table with fixed column widths (the same layout every run)."""
    widths = [48] + [16] * len(columns) + [24, 6]
    names = ["figure", *[f"N = {n:,}" for n in columns], "target", "result"]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)) + " |"

    lines = [*header, "", line(names), "|" + "|".join("-" * (width + 2) for width in widths) + "|"]
    for row in rows:
        lines.append(line([row.figure, *[row.cells.get(n, "–") for n in columns], row.target or "–", row.verdict]))
    return "\n".join([*lines, "", *notes]) + "\n"


def machine() -> str:
    versions = ", ".join(f"{name} {metadata.version(name)}" for name in ("mkdocs", "mkdocs-material", "pagefind"))
    load = f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "?"
    return (
        f"Machine: {os.cpu_count()} cores, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}; {versions}; load average at start {load}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="100 and 1,000 studies only; no 10k or 100k")
    args = parser.parse_args(argv)
    os.chdir(REPO)
    sizes = QUICK_SIZES if args.quick else FULL_SIZES
    errors: list[str] = []
    found = run_sizes(sizes, not args.quick, errors)
    related: dict[int, dict] = {}
    for size in RELATED_SIZES[args.quick]:
        log(f"related top-5 at {size:,} studies")
        measured = attempt(f"related {size}", errors, lambda size=size: bench_related.measure_in_child(size))
        if measured is not None:
            related[size] = measured
    log("worst-case editor text (tests/security/budget_attacks.py)")
    worst = attempt("budgets", errors, budgets.measure_in_child)
    rows = table(found, related, sizes, args.quick, worst)
    columns = tuple(n for n in COLUMNS if n in sizes or n in RELATED_SIZES[args.quick])
    mode = "quick: 100 and 1,000 studies" if args.quick else "full: 100, 1,000 and 10,000 studies; related to 100,000"
    header = [f"# Rheum Evidence benchmarks ({mode})", "", machine()]
    notes = [
        "Notes:",
        f"- {BASELINE_NOTE}.",
        "- generator share = (our build − baseline) / baseline; our build also runs Pagefind, the baseline no search.",
        "- generate() is generator.pipeline.generate() timed in its own process (what the plugin runs in on_config).",
        "- peak RSS: largest process of the build's process tree (MkDocs or the Pagefind it runs), from wait4().",
        f"- search: /search/?q=… at N = {max(sizes):,} in headless Chromium, fresh context; response bodies of "
        "every request (page and Pagefind's worker) finished before the first result's title showed; "
        "served by http.server (no compression); the gzip line estimates a host that compresses.",
        f"- serve: N = {SERVE_SIZE:,}, one study's title changed on disk, page polled over HTTP; median (min–max).",
        "- related: benchmarks/bench_related.py's measurement, one fresh process per size.",
        "- worst editor text: benchmarks/budgets.py; slowest 200 KB one-unit body (check + render) and slowest "
        "alias/duplicate-key study file (check), one fresh process; not per N.",
    ]
    notes += [f"- ERROR {error}" for error in errors]
    text = render(rows, columns, header, notes)
    print(text, end="")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    failed = errors or any(row.verdict == "FAIL" for row in rows)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
