"""Time the generator's own work in-process, then export its Markdown tree (for the baseline build).

``python -m benchmarks.generate_child ROOT OUT SITE_URL`` prints one JSON object:
the seconds :func:`generator.pipeline.generate` took (and its stages, where they can
be seen), the peak RSS of this process afterwards, and the files exported.
Generating and exporting is what ``python -m generator export OUT`` does; doing
it here lets one run give both the timing and the tree.
"""

from __future__ import annotations

import functools
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

import generator.pipeline as site
from generator.render.pages import SiteOptions

STAGES = ("load_content", "related_lists", "build_pages", "build_files")


def _timed(stages: dict[str, float], name: str, function: Any) -> Any:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            stages[name] = stages.get(name, 0.0) + time.perf_counter() - start

    return wrapper


def main(root: Path, out: Path, site_url: str) -> dict[str, Any]:
    stages: dict[str, float] = {}
    for name in STAGES:  # generate() looks these up in its module when it runs; a stage it no longer has is skipped
        if callable(getattr(site, name, None)):
            setattr(site, name, _timed(stages, name, getattr(site, name)))
    start = time.perf_counter()
    generated = site.generate(root, SiteOptions(site_url=site_url))
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    start = time.perf_counter()
    files = site.export(generated, out)
    return {
        "generate": seconds,
        "stages": stages,
        "peak_rss": peak,
        "export": time.perf_counter() - start,
        "files": files,
        "pages": len(generated.pages),
    }


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3])))
