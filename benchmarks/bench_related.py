"""Benchmark "More like this" on synthetic corpora of 1k, 10k and 100k studies.

Run from the repository root::

    PYTHONPATH=. .venv/bin/python benchmarks/bench_related.py [SIZES...]

The corpus is built in memory with a seeded RNG: conditions of the contract with
skewed frequencies, a few hundred topics with a Zipf-like long tail, the four
design families, and titles, summaries and interventions drawn from a word list
(common research words plus a long tail of drug- and gene-like names).  For each
size, in a fresh process, the script prints the wall and CPU time to compute the
lists of every study (on one core: the code is single-threaded), the time per
study, the peak resident memory of the process (corpus included) and the memory
the corpus alone took, then PASS or FAIL against the budget at 100k: under 10 s
and under 2 GB.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
import resource
import subprocess
import sys
import time

from generator.related import ConditionTerms, RelatedConfig, RelatedInput, compute_related

SEED = 20191018
BUDGET_SECONDS = 10.0
BUDGET_BYTES = 2 * 1024**3
WIDTHS = (8, 7, 7, 9, 12, 10)

CONDITIONS = {  # key: (short name, relative frequency)
    "ra": ("RA", 30), "sle": ("SLE", 16), "oa": ("OA", 10), "psa": ("PsA", 8), "axspa": ("axSpA", 7),
    "gout": ("Gout", 6), "ssc": ("SSc", 5), "osteoporosis": ("Osteoporosis", 5), "aav": ("AAV", 3),
    "gca": ("GCA", 3), "sjogrens": ("Sjögren's", 3), "myositis": ("Myositis", 2), "aps": ("APS", 2),
    "lupus-nephritis": ("Lupus nephritis", 2), "jia": ("JIA", 2), "fibromyalgia": ("Fibromyalgia", 2),
    "pmr": ("PMR", 1), "behcet": ("Behçet's", 1), "still-disease": ("Still's disease", 1),
    "other-rheumatic": ("Other", 3),
}  # fmt: skip
FAMILIES = (("trial", 35), ("observational", 45), ("review", 15), ("other", 5))
COMMON_WORDS = """
    patients study trial disease risk treatment therapy outcomes cohort analysis randomised placebo
    inflammation inflammatory arthritis joint pain fatigue remission flare activity response damage
    kidney lung skin heart vascular bone muscle infection cancer mortality pregnancy women men children
    older adults biologic conventional synthetic glucocorticoid steroid tapering withdrawal switching
    dose low high long-term short-term early late incidence prevalence registry national population
    serum antibody autoantibody biomarker cytokine interferon interleukin complement imaging ultrasound
    mri radiographic progression erosion function quality life disability work cost adherence safety
""".split()


def _pseudo_words(rng: random.Random, count: int) -> list[str]:
    """Drug- and gene-like names: the long tail of rare, telling terms."""
    syllables = "ba be ci da do fi ga ki lo ma mi na no pa ri sa ti to va xe zu mab nib lim cept".split()
    words: set[str] = set()
    while len(words) < count:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def _zipf_cumulative(count: int, exponent: float = 1.1) -> list[float]:
    """Cumulative Zipf weights, for ``random.choices(..., cum_weights=...)``."""
    return list(itertools.accumulate(1 / rank**exponent for rank in range(1, count + 1)))


def synthetic_corpus(size: int, seed: int = SEED) -> tuple[list[RelatedInput], dict[str, ConditionTerms]]:
    """``size`` studies and the condition vocabulary, the same for the same seed."""
    rng = random.Random(seed)
    conditions = {key: ConditionTerms(short, (key.replace("-", " "),)) for key, (short, _) in CONDITIONS.items()}
    condition_keys = list(CONDITIONS)
    condition_weights = [weight for _, weight in CONDITIONS.values()]
    topics = [f"topic {name}" for name in _pseudo_words(rng, 300)]
    topic_weights = _zipf_cumulative(len(topics))
    vocabulary = COMMON_WORDS + _pseudo_words(rng, 20_000)
    word_weights = _zipf_cumulative(len(vocabulary), 1.0)
    drugs = _pseudo_words(rng, 2_000)
    drug_weights = _zipf_cumulative(len(drugs))
    families, family_weights = zip(*FAMILIES, strict=True)
    first_day = dt.date(2000, 1, 1).toordinal()

    studies = []
    for number in range(size):
        condition = rng.choices(condition_keys, condition_weights)[0]
        also = rng.sample(condition_keys, rng.choice((0, 0, 0, 0, 0, 1, 2)))
        slug = f"study-{number:06d}"
        studies.append(
            RelatedInput(
                slug=slug,
                title=" ".join(rng.choices(vocabulary, cum_weights=word_weights, k=rng.randint(6, 12))),
                summary=" ".join(rng.choices(vocabulary, cum_weights=word_weights, k=rng.randint(25, 45))),
                published=dt.date.fromordinal(first_day + rng.randrange(9_000)),
                condition=condition,
                also_conditions=tuple(key for key in also if key != condition),
                topics=tuple(dict.fromkeys(rng.choices(topics, cum_weights=topic_weights, k=rng.randint(0, 8)))),
                design_family=rng.choices(families, family_weights)[0],
                interventions=" ".join(rng.choices(drugs, cum_weights=drug_weights, k=rng.randint(0, 3))),
                pin=(f"study-{rng.randrange(size):06d}",) if rng.random() < 0.01 else (),
                exclude=(f"study-{rng.randrange(size):06d}",) if rng.random() < 0.01 else (),
                draft=rng.random() < 0.01,
            )
        )
    return studies, conditions


def measure(size: int) -> dict[str, float]:
    """Compute every study's list once; wall and CPU seconds, and the peak RSS of this process."""
    studies, conditions = synthetic_corpus(size)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    wall, cpu = time.perf_counter(), time.process_time()
    lists = compute_related(studies, conditions, RelatedConfig())
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert len(lists) == sum(not study.draft for study in studies)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"size": size, "wall": wall, "cpu": cpu, "peak_rss": peak, "corpus_rss": rss_before}


def measure_in_child(size: int) -> dict[str, float]:
    """Run :func:`measure` in a fresh interpreter, so that sizes do not share memory peaks."""
    done = subprocess.run([sys.executable, __file__, "--one", str(size)], check=True, capture_output=True, text=True)
    return json.loads(done.stdout)


def main(sizes: list[int]) -> int:
    print("Top-5 'More like this' for every study of a synthetic corpus (one process per size)")
    columns = ("studies", "wall s", "cpu s", "ms/study", "peak RSS MiB", "corpus MiB")
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
