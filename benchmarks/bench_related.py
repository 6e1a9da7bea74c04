"""Benchmark "More like this" on synthetic corpora of 1k, 10k and 100k studies.

Run from the repository root::

    PYTHONPATH=. .venv/bin/python benchmarks/bench_related.py [SIZES...]

The corpus of N studies is the one ``python -m benchmarks.synth N`` writes for
the build benchmarks (same seed, so the same studies), taken from
:func:`benchmarks.synth.corpus_data` as plain data instead of YAML files, and
without the parts the engine does not read (key findings, body, source,
disclosures).  The engine is given what the site gives it: the studies readers
see (drafts left out), each with the fields ``generator.pipeline.related_inputs``
takes from a study, and the condition vocabulary of
``site_data/conditions.yaml`` as ``generator.pipeline.condition_terms`` reads it.
For each size, in a fresh process, the script prints the wall and CPU time to
compute the lists of every study (on one core: the code is single-threaded),
the time per study, the peak resident memory of the process (corpus included),
the memory the corpus alone took and the seconds it took to build (not part of
the timed figures), then PASS or FAIL against the budget at 100k: under 10 s
and under 2 GB.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.synth import DEFAULT_SEED, corpus_data
from generator.derive.related import ConditionTerms, RelatedConfig, RelatedInput, compute_related
from generator.derive.treatments import TreatmentMatcher
from generator.pipeline import condition_terms
from generator.read.content import load_content
from generator.read.vocabulary import DESIGNS

REPO = Path(__file__).resolve().parent.parent
BUDGET_SECONDS = 10.0
BUDGET_BYTES = 2 * 1024**3
WIDTHS = (8, 7, 7, 9, 12, 10, 8)


def related_input(slug: str, data: dict[str, Any], drugs: TreatmentMatcher) -> RelatedInput:
    """What the engine needs of one study, taken from its data as ``generator.pipeline.related_inputs`` takes it."""
    details = data["study"]
    arms = [f"{arm['label']}\n{arm.get('intervention', '')}" for arm in details.get("arms", ())]
    about = f"{data['title']}\n{details.get('comparator', '')}"
    compared = drugs.treatments(about, list(data.get("topics", ())), arms).compared
    return RelatedInput(
        slug=slug,
        title=data["title"],
        summary=data["summary"],
        published=data["published"],
        condition=data["condition"],
        also_conditions=tuple(data.get("also_conditions", ())),
        topics=tuple(data.get("topics", ())),
        design_family=DESIGNS[details["design"]].family,
        interventions=_interventions(details),
        drug_classes=tuple(drugs.class_name(key) for key in compared),
    )


def _interventions(details: dict[str, Any]) -> str:
    """The comparator and each arm's label and intervention, as the site joins them."""
    arms = [f"{arm['label']} {arm.get('intervention', '')}" for arm in details.get("arms", ())]
    return " ".join(part for part in [details.get("comparator", ""), *arms] if part)


def synthetic_corpus(size: int, seed: int = DEFAULT_SEED) -> tuple[list[RelatedInput], dict[str, ConditionTerms]]:
    """The published studies among the first ``size`` of the synthetic corpus, and the condition vocabulary.

    The vocabularies are the repository's (``site_data/``), handed over as the site does.
    """
    site = load_content(REPO)
    drugs = TreatmentMatcher(site.drugs, site.drug_classes)
    corpus = corpus_data(size, seed, prose=False)  # the engine reads no prose, so none is made
    studies = [related_input(slug, data, drugs) for slug, data in corpus if data.get("status") != "draft"]
    return studies, condition_terms(site)


def measure(size: int) -> dict[str, float]:
    """Compute every study's list once; wall and CPU seconds, and the peak RSS of this process.

    The corpus is built first and timed apart (``corpus_seconds``); ``corpus_rss`` is the peak RSS once it is built.
    """
    corpus_seconds = time.perf_counter()
    studies, conditions = synthetic_corpus(size)
    corpus_seconds = time.perf_counter() - corpus_seconds
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    wall, cpu = time.perf_counter(), time.process_time()
    lists = compute_related(studies, conditions, RelatedConfig())
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert len(lists) == len(studies)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {
        "size": size,
        "wall": wall,
        "cpu": cpu,
        "peak_rss": peak,
        "corpus_rss": rss_before,
        "corpus_seconds": corpus_seconds,
    }


def measure_in_child(size: int) -> dict[str, float]:
    """Run :func:`measure` in a fresh interpreter, so that sizes do not share memory peaks."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, __file__, "--one", str(size)]
    done = subprocess.run(command, cwd=REPO, env=env, check=True, capture_output=True, text=True)
    return json.loads(done.stdout)


def main(sizes: list[int]) -> int:
    """Measure each of ``sizes`` in its own process and print the table; 1 if the budget at 100k fails."""
    print("Top-5 'More like this' for every study of a synthetic corpus (one process per size)")
    columns = ("studies", "wall s", "cpu s", "ms/study", "peak RSS MiB", "corpus MiB", "corpus s")
    print("  ".join(f"{name:>{width}}" for name, width in zip(columns, WIDTHS, strict=True)))
    verdict = None
    for size in sizes:
        m = measure_in_child(size)
        cells = (
            f"{size}",
            f"{m['wall']:.2f}",
            f"{m['cpu']:.2f}",
            f"{1000 * m['wall'] / size:.4f}",
            f"{m['peak_rss'] / 1024**2:.1f}",
            f"{m['corpus_rss'] / 1024**2:.1f}",
            f"{m['corpus_seconds']:.1f}",
        )
        print("  ".join(f"{cell:>{width}}" for cell, width in zip(cells, WIDTHS, strict=True)), flush=True)
        if size == 100_000:
            verdict = m["wall"] < BUDGET_SECONDS and m["peak_rss"] < BUDGET_BYTES
    if verdict is not None:
        print(f"{'PASS' if verdict else 'FAIL'}: 100k studies in < {BUDGET_SECONDS:g} s and < 2 GB peak RSS")
    return 0 if verdict in (None, True) else 1


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(measure(int(sys.argv[2]))))
        sys.exit(0)
    sys.exit(main([int(arg) for arg in sys.argv[1:]] or [1_000, 10_000, 100_000]))
