"""Worst-case editor text: the slowest 200 KB body and a 1 MB alias-heavy study file, timed in a fresh process.

The cases are tests/security/budget_attacks.py's (the same the tests run, there only bounded, not timed): every body
of one repeated unit at the size limit through the model's body check and the rendering, and the YAML family
through ``check``.  Run alone: ``PYTHONPATH=. .venv/bin/python benchmarks/budgets.py``.
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def measure() -> dict[str, float]:
    """Seconds of the slowest body and of the slowest YAML file, measured in this process."""
    from tests.security.budget_attacks import _body_through_render, _through_the_build, runs, yaml_files

    def slowest(cases, handle) -> float:
        worst = 0.0
        for _, text in cases:
            start = time.perf_counter()
            handle(text)
            worst = max(worst, time.perf_counter() - start)
        return worst

    return {
        "body": slowest(runs(random.Random(18)), _body_through_render),
        "yaml": slowest(yaml_files(random.Random(18)), _through_the_build),
    }


def measure_in_child() -> dict[str, float]:
    """:func:`measure` in a fresh interpreter, with that process's peak RSS in bytes as ``peak_rss``."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, __file__], cwd=REPO, env=env, check=True, capture_output=True, text=True)
    return json.loads(done.stdout)


if __name__ == "__main__":
    found = measure()
    found["peak_rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps(found))
