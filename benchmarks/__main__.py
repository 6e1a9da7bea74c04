"""Run every benchmark side by side and print one table: ``python -m benchmarks [--quick | --sizes N,N]``.

See benchmarks/README.md for what each figure is and how it is measured.  The
table is printed and written to benchmarks/out/results.md; the exit status is 1
when a target fails.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from . import bench_related, budgets, hugo, plain_mkdocs
from .baseline import BASELINE_NOTE, run_baseline
from .project import REPO, checked, make_project, mkdocs_build, pagefind_seconds, run_measured, site_sizes
from .search import search_costs
from .seed_page import BEFORE, SLUG, seed_page_bytes
from .serve import edit_latencies

FULL_SIZES = (100, 1_000, 2_000, 10_000)
QUICK_SIZES = (100, 1_000)
RELATED_SIZES = {False: (1_000, 10_000, 100_000), True: (1_000,)}
COLUMNS = (100, 1_000, 2_000, 10_000, 100_000)
QUERIES = ("rituximab", "lupus")
SEARCH_SIZES = (1_000, 10_000)  # issue 15: report the search payload at 1k and at 10k
SERVE_SIZE = 1_000
SERVE_EDITS = 5
COMPARED = 2_000  # the targets against bare MkDocs + Material and Hugo are stated at 2,000 studies
BEST_OF_TWO = 2_000  # a full run builds up to this size twice and keeps the faster (small builds are noisy)
BUILDERS = {
    "build": "our mkdocs build",
    "build-warm": "our mkdocs build again, keeping the cards it drew",
    "plain": "bare MkDocs + Material build",
    "hugo": "Hugo build",
}
MiB = 1024**2
GB2 = 2 * 1024**3
KB500 = 500_000
KB20 = 20_000
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


def comparison_sites(size: int, workdir: Path, errors: list[str]) -> dict[str, Path]:
    """The bare MkDocs + Material site and (with hugo on PATH) the Hugo site of the same studies, written."""
    log(f"{size:,} studies: plain Markdown pages for bare MkDocs + Material and Hugo")
    roots = {"plain": workdir / "plain", **({"hugo": workdir / "hugo"} if hugo.hugo() else {})}
    command = [sys.executable, "-m", "benchmarks.compare_sites", str(size)]
    command += [part for name, root in roots.items() for part in (f"--{name}", str(root))]
    written = attempt(f"comparison sites {size}", errors, lambda: checked(run_measured(command, REPO), "sites"))
    return roots if written is not None else {}


def timed_builds(size: int, root: Path, others: dict[str, Path], repeats: int, errors: list[str]) -> dict[str, Any]:
    """Our build, bare MkDocs + Material's and Hugo's in turn, ``repeats`` rounds; the fastest run of each."""
    builders: dict[str, Callable[[], Any]] = {
        "build": lambda: mkdocs_build(root),
        "build-warm": lambda: mkdocs_build(root, keep_cards=True),  # right after "build", which drew the cards
    }
    if "plain" in others:
        builders["plain"] = lambda: plain_mkdocs.build(others["plain"])
    if "hugo" in others:
        builders["hugo"] = lambda: hugo.build(others["hugo"])
    runs: dict[str, list[Any]] = {name: [] for name in builders}
    for round_ in range(1, repeats + 1):
        for name, build in list(builders.items()):  # interleaved, so that the machine's load falls on all alike
            log(f"{size:,} studies: {BUILDERS[name]}, round {round_} of {repeats}")
            run = attempt(f"{name} build {size}", errors, build)
            if run is None:
                del builders[name]  # an error once is reported once
            else:
                runs[name].append(run)
    return {name: min(found, key=lambda run: run.seconds) for name, found in runs.items() if found}


def measure_size(size: int, workdir: Path, repeats: int, errors: list[str]) -> dict[str, Any]:
    """Build, measure and compare the site with ``size`` studies inside ``workdir``."""
    log(f"{size:,} studies: writing the synthetic corpus")
    root = attempt(f"synth {size}", errors, lambda: make_project(workdir, size))
    if root is None:
        return {}
    site = root / "site"
    others = comparison_sites(size, workdir, errors)
    found: dict[str, Any] = timed_builds(size, root, others, repeats, errors)
    if "plain" in found:
        found["plain-sizes"] = attempt(f"plain sizes {size}", errors, lambda: site_sizes(others["plain"] / "site"))
    if "hugo" in found:
        found["hugo-sizes"] = attempt(f"hugo sizes {size}", errors, lambda: site_sizes(others["hugo"] / "public"))
    for other in others.values():
        shutil.rmtree(other, ignore_errors=True)  # the plain site at 10k is most of a gigabyte
    if "build" in found:
        found["sizes"] = attempt(f"sizes {size}", errors, lambda: site_sizes(site))
        log(f"{size:,} studies: Pagefind indexing alone")
        found["pagefind"] = attempt(f"pagefind {size}", errors, lambda: pagefind_seconds(site))
        if size in SEARCH_SIZES:
            log(f"{size:,} studies: search in Chromium")
            found["search"] = attempt(f"search {size}", errors, lambda: search_costs(site, QUERIES))
    if size == SERVE_SIZE:
        for key, dirty, polling in (
            ("serve", False, False),
            ("serve-dirty", True, False),
            ("serve-polling", True, True),
        ):
            how = f"{' --dirty' if dirty else ''}{', polling' if polling else ''}"
            log(f"{size:,} studies: mkdocs serve{how}, {SERVE_EDITS} edits")
            found[key] = attempt(
                key, errors, lambda d=dirty, p=polling: edit_latencies(root, dirty=d, polling=p, edits=SERVE_EDITS)
            )
    log(f"{size:,} studies: generate() in-process, export, baseline build")
    base = workdir / "baseline"
    base.mkdir()
    found["baseline"] = attempt(f"baseline {size}", errors, lambda: run_baseline(root, base))
    return {key: value for key, value in found.items() if value is not None}


def run_sizes(sizes: tuple[int, ...], quick: bool, errors: list[str]) -> dict[str, dict[int, Any]]:
    """Every size in its own temporary folder, removed afterwards; figures by name, then size."""
    found: dict[str, dict[int, Any]] = {}
    for size in sizes:
        repeats = 2 if not quick and size <= BEST_OF_TWO else 1
        with tempfile.TemporaryDirectory(prefix=f"rheum-bench-{size}-") as temp:
            for name, value in measure_size(size, Path(temp), repeats, errors).items():
                found.setdefault(name, {})[size] = value
    return found


def moonshot(ok: bool | None) -> str:
    """A verdict that does not count as a target: ``met`` or ``not met``."""
    return "n/a" if ok is None else ("met" if ok else "not met")


def cpu_ratios(ours: dict[int, Any], theirs: dict[int, Any]) -> dict[int, str]:
    """Our build's CPU seconds over theirs: the view a busy machine distorts least (no target)."""
    return {n: f"{ours[n].cpu_seconds / run.cpu_seconds:.2f}" for n, run in theirs.items() if n in ours}


def build_rows(found: dict[str, dict[int, Any]], sizes: tuple[int, ...]) -> list[Row]:
    """Our build, its parts, and the same studies built by bare MkDocs + Material and by Hugo."""
    big = 10_000
    builds, baselines = found.get("build", {}), found.get("baseline", {})
    plain, hugos = found.get("plain", {}), found.get("hugo", {})
    rows: list[Row] = []
    row = Row("full build: mkdocs build, s", {n: seconds(r.seconds) for n, r in builds.items()}, "10k < 120 s")
    row.verdict = verdict(builds[big].seconds < 120 if big in builds else None)
    rows += [row, Row("  CPU (user + system), s", {n: seconds(r.cpu_seconds) for n, r in builds.items()})]
    warm = found.get("build-warm", {})
    rows.append(
        Row("  with the last build's social cards (CI's cache), s", {n: seconds(r.seconds) for n, r in warm.items()})
    )
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

    rows.append(Row("bare MkDocs + Material + its search, s", {n: seconds(r.seconds) for n, r in plain.items()}))
    rows.append(Row("  CPU (user + system), s", {n: seconds(r.cpu_seconds) for n, r in plain.items()}))
    ratios = {n: builds[n].seconds / plain[n].seconds for n in plain if n in builds}
    row = Row("  ours / bare MkDocs + Material", {n: f"{r:.2f}" for n, r in ratios.items()}, "2k ≤ 1.15")
    row.verdict = verdict(ratios[COMPARED] <= 1.15 if COMPARED in ratios else None)
    rows += [row, Row("    the same in CPU seconds", cpu_ratios(builds, plain))]

    label = f"Hugo {hugo.version()} (.Related), s"
    if hugo.hugo() is None:
        rows.append(Row(label, {n: "n/a (hugo not installed)" for n in sizes}))
    else:
        rows.append(Row(label, {n: seconds(r.seconds) for n, r in hugos.items()}))
        rows.append(Row("  CPU (user + system), s", {n: seconds(r.cpu_seconds) for n, r in hugos.items()}))
    ratios = {n: builds[n].seconds / hugos[n].seconds for n in hugos if n in builds}
    row = Row("  ours / Hugo", {n: f"{r:.2f}" for n, r in ratios.items()}, "moonshot: 2k ≤ 1")
    row.verdict = moonshot(ratios[COMPARED] <= 1 if COMPARED in ratios else None)
    rows += [row, Row("    the same in CPU seconds", cpu_ratios(builds, hugos))]

    rows.append(
        Row("exported tree by bare MkDocs + Material, s", {n: seconds(b.build.seconds) for n, b in baselines.items()})
    )
    for label, part in (
        ("  generator share: (build − tree) / tree", lambda n: builds[n].seconds - baselines[n].build.seconds),
        ("  generate() in-process / tree", lambda n: baselines[n].generate),
    ):
        shares = {n: part(n) / baselines[n].build.seconds for n in baselines if n in builds}
        row = Row(label, {n: percent(share) for n, share in shares.items()}, "10k ≤ 15%")
        row.verdict = verdict(shares[big] <= 0.15 if big in shares else None)
        rows.append(row)
    return rows


def mib(runs: dict[int, Any]) -> dict[int, str]:
    return {n: f"{run.peak_rss / MiB:,.0f}" for n, run in runs.items()}


def memory_rows(found: dict[str, dict[int, Any]]) -> list[Row]:
    big = 10_000
    peaks = {n: r.peak_rss for n, r in found.get("build", {}).items()}
    baselines = found.get("baseline", {})
    row = Row("peak RSS of mkdocs build, MiB", mib(found.get("build", {})), "10k < 2 GB")
    row.verdict = verdict(peaks[big] < GB2 if big in peaks else None)
    return [
        row,
        Row("  generate() alone, peak RSS MiB", {n: f"{b.generate_peak_rss / MiB:,.0f}" for n, b in baselines.items()}),
        Row("  exported tree build, peak RSS MiB", mib({n: b.build for n, b in baselines.items()})),
        Row("  bare Material, peak RSS MiB", mib(found.get("plain", {}))),
        Row("  Hugo, peak RSS MiB", mib(found.get("hugo", {}))),
    ]


def size_rows(found: dict[str, dict[int, Any]], seed: int | None, sizes: tuple[int, ...]) -> list[Row]:
    """Study page and whole-site bytes, ours beside the comparison sites'; the project's own seed page."""
    big = 10_000
    sizes_of, plain, hugos = found.get("sizes", {}), found.get("plain-sizes", {}), found.get("hugo-sizes", {})
    medians = {n: s.page_median for n, s in sizes_of.items()}
    row = Row("study page HTML, median bytes", {n: f"{m:,.0f}" for n, m in medians.items()}, "10k ≤ 100 + 5%")
    row.verdict = verdict(medians[big] <= 1.05 * medians[100] if {big, 100} <= medians.keys() else None)
    rows = [row]
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
    rows.append(Row("  bare Material study page, median B", {n: f"{s.page_median:,.0f}" for n, s in plain.items()}))
    rows.append(Row("  Hugo study page, median B", {n: f"{s.page_median:,.0f}" for n, s in hugos.items()}))
    row = Row(f"own site: {SLUG} page, B", {min(sizes): f"{seed:,}"} if seed else {}, f"< {BEFORE:,} (before)")
    row.verdict = verdict(seed < BEFORE if seed else None)
    rows.append(row)
    rows.append(Row("site size per study (du), KB", {n: kb(s.disk_bytes / n) for n, s in sizes_of.items()}))
    per_study = {n: s.apparent_bytes / n for n, s in sizes_of.items()}
    row = Row("site size per study (bytes), KB", {n: kb(b) for n, b in per_study.items()}, "≤ 20 KB at every N")
    row.verdict = verdict(all(b <= KB20 for b in per_study.values()) if per_study else None)
    rows.append(row)
    rows.append(Row("  bare Material (bytes), KB", {n: kb(s.apparent_bytes / n) for n, s in plain.items()}))
    rows.append(Row("  Hugo (bytes), KB", {n: kb(s.apparent_bytes / n) for n, s in hugos.items()}))
    return rows


def search_rows(found: dict[str, dict[int, Any]]) -> list[Row]:
    """What a reader downloads before the first result, at each size measured (1k and 10k)."""
    measured = found.get("search", {})
    rows = []
    for query in QUERIES:
        costs = {n: cost for n, found_costs in measured.items() for cost in found_costs if cost.query == query}
        row = Row(f"search “{query}”: kB before 1st result", {n: kb(c.total_bytes) for n, c in costs.items()})
        row.target = "10k ≤ 500 kB"
        row.verdict = verdict(costs[10_000].total_bytes <= KB500 if 10_000 in costs else None)
        rows.append(row)
        rows.append(Row("  of it under /pagefind/, kB", {n: kb(c.pagefind_bytes) for n, c in costs.items()}))
        rows.append(Row("  of it /sitemap.xml, kB", {n: kb(c.sitemap_bytes) for n, c in costs.items()}))
        rows.append(Row("  all of it if the host gzips, kB", {n: kb(c.gzip_bytes) for n, c in costs.items()}))
        rows.append(
            Row(
                "  requests / ms to 1st result",
                {n: f"{c.requests} / {c.first_result_ms:,.0f}" for n, c in costs.items()},
            )
        )
    return rows


def serve_rows(found: dict[str, dict[int, Any]]) -> list[Row]:
    """Edit → new page in the browser, with plain ``mkdocs serve`` (≤ 3 s) and ``make serve``'s flags (≤ 1 s)."""
    rows = []
    for key, label, limit in (
        ("serve", "mkdocs serve: edit → new title, s", 3),
        ("serve-dirty", "make serve (--dirty --no-strict): same, s", 1),
        ("serve-polling", "make serve with serve_watcher: polling: same, s", None),
    ):
        latencies = found.get(key, {}).get(SERVE_SIZE)
        cells = {}
        if latencies:
            spread = f"{min(latencies):.1f}–{max(latencies):.1f}"
            cells = {SERVE_SIZE: f"{statistics.median(latencies):.2f} ({spread})"}
        if limit is None:
            rows.append(Row(label, cells, "MkDocs' own watcher, for comparison"))
            continue
        row = Row(label, cells, f"1k < {limit} s (median of {SERVE_EDITS})")
        row.verdict = verdict(statistics.median(latencies) < limit if latencies else None)
        rows.append(row)
    return rows


def other_rows(related: dict[int, dict], sizes: tuple[int, ...], worst: dict | None) -> list[Row]:
    large = 100_000
    rows = []
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


def table(
    found: dict[str, dict[int, Any]],
    related: dict[int, dict],
    sizes: tuple[int, ...],
    worst: dict | None,
    seed: int | None,
) -> list[Row]:
    """The rows of the table, always the same ones in the same order."""
    return [
        *build_rows(found, sizes),
        *memory_rows(found),
        *size_rows(found, seed, sizes),
        *search_rows(found),
        *serve_rows(found),
        *other_rows(related, sizes, worst),
    ]


def render(rows: list[Row], columns: tuple[int, ...], header: list[str], notes: list[str]) -> str:
    """A Markdown table with fixed column widths (the same layout every run)."""
    widths = [48] + [16] * len(columns) + [24, 7]
    names = ["figure", *[f"N = {n:,}" for n in columns], "target", "result"]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)) + " |"

    lines = [*header, "", line(names), "|" + "|".join("-" * (width + 2) for width in widths) + "|"]
    for row in rows:
        lines.append(line([row.figure, *[row.cells.get(n, "–") for n in columns], row.target or "–", row.verdict]))
    return "\n".join([*lines, "", *notes]) + "\n"


def machine() -> str:
    versions = ", ".join(f"{name} {metadata.version(name)}" for name in ("mkdocs", "mkdocs-material", "pagefind"))
    versions += f", hugo {hugo.version()}"
    load = f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "?"
    return (
        f"Machine: {os.cpu_count()} cores, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}; {versions}; load average at start {load}"
    )


def size_list(text: str) -> tuple[int, ...]:
    """``1000,2000`` → (1000, 2000), in increasing order."""
    try:
        sizes = tuple(sorted({int(part) for part in text.split(",") if part.strip()}))
    except ValueError:
        raise argparse.ArgumentTypeError(f"sizes are whole numbers separated by commas, got {text!r}") from None
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError(f"give one or more sizes of at least 1, got {text!r}")
    return sizes


def notes(sizes: tuple[int, ...], errors: list[str]) -> list[str]:
    searched = ", ".join(f"{n:,}" for n in sizes if n in SEARCH_SIZES) or "none of this run's sizes"
    return [
        "Notes:",
        f"- {plain_mkdocs.NOTE}.",
        f"- {hugo.NOTE}.",
        f"- at N ≤ {BEST_OF_TWO:,} a full run builds ours, bare MkDocs + Material and Hugo in turn, twice, and keeps "
        "each one's faster build; CPU is user + system seconds of the build's process tree (less inflated by the "
        "machine's other load than wall time).",
        "- full build: from scratch, with no site/ and no card cache, so every social card is drawn; the next row "
        "builds again right after it, keeping the cards it drew, as the site workflow's cache does in CI.",
        f"- {BASELINE_NOTE}.",
        "- generator share = (our build − exported tree) / exported tree; our build also runs Pagefind.",
        "- generate() is generator.pipeline.generate() timed in its own process (what the plugin runs in on_config).",
        "- peak RSS: largest process of the build's process tree (MkDocs or the Pagefind it runs), from wait4().",
        f"- own site: the repository's own content built once with mkdocs.yml's site URL; {SLUG} was {BEFORE:,} B "
        "before issue 17.",
        "- site size per study: every file of site/ (Pagefind's index included), divided by N; KB = 1,000 bytes.",
        f"- search: /search/?q=… at N = {searched} in headless Chromium, fresh context; response bodies of "
        "every request (page and Pagefind's worker) finished before the first result's title showed; "
        "served by http.server (no compression); the gzip line estimates a host that compresses.",
        f"- serve: N = {SERVE_SIZE:,}, one study's title changed on disk {SERVE_EDITS} times, page polled over HTTP; "
        "median (min–max).",
        "- ours / Hugo is a moonshot, not a target: `met` or `not met`, never a failure.",
        "- related: benchmarks/bench_related.py's measurement, one fresh process per size.",
        "- worst editor text: benchmarks/budgets.py; slowest 200 KB one-unit body (check + render) and slowest "
        "alias/duplicate-key study file (check), one fresh process; not per N.",
        *(f"- ERROR {error}" for error in errors),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    choice = parser.add_mutually_exclusive_group()
    choice.add_argument("--quick", action="store_true", help="100 and 1,000 studies, each built once; no 10k or 100k")
    choice.add_argument(
        "--sizes", type=size_list, metavar="N,N", help="only these sizes, e.g. 1000,2000; related at 1,000 only"
    )
    args = parser.parse_args(argv)
    os.chdir(REPO)
    sizes = args.sizes or (QUICK_SIZES if args.quick else FULL_SIZES)
    partial = args.quick or args.sizes is not None
    errors: list[str] = []
    log(f"the repository's own site: {SLUG}")
    seed = attempt("own site", errors, seed_page_bytes)
    found = run_sizes(sizes, args.quick, errors)
    related: dict[int, dict] = {}
    for size in RELATED_SIZES[partial]:
        log(f"related top-5 at {size:,} studies")
        measured = attempt(f"related {size}", errors, lambda size=size: bench_related.measure_in_child(size))
        if measured is not None:
            related[size] = measured
    log("worst-case editor text (tests/security/budget_attacks.py)")
    worst = attempt("budgets", errors, budgets.measure_in_child)
    rows = table(found, related, sizes, worst, seed)
    columns = tuple(n for n in COLUMNS if n in sizes or n in RELATED_SIZES[partial])
    shown = ", ".join(f"{n:,}" for n in sizes)
    if args.quick:
        mode = f"quick: {shown} studies"
    elif args.sizes:
        mode = f"sizes {shown}; related at 1,000"
    else:
        mode = f"full: {shown} studies; related to 100,000"
    header = [f"# Rheum Evidence benchmarks ({mode})", "", machine()]
    text = render(rows, columns, header, notes(sizes, errors))
    print(text, end="")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    failed = errors or any(row.verdict == "FAIL" for row in rows)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
