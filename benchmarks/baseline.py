"""The baseline: the generator's Markdown tree built by bare MkDocs + Material, without the plugin."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .project import REPO, SITE_URL, Run, checked, run_measured

BASELINE_NOTE = (
    "exported tree = `python -m generator export` tree built by bare MkDocs + Material (same theme settings, nav and "
    "Markdown extensions; no rheum-evidence plugin, no custom_dir; the theme's search plugin is off because our "
    "build uses Pagefind instead)"
)


@dataclass(frozen=True)
class Baseline:
    generate: float  # seconds of generator.pipeline.generate() in-process
    stages: dict[str, float]
    generate_peak_rss: int
    build: Run


class EnvLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, taking an ``!ENV [NAME, default]`` value as its default."""


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.SequenceNode):
        values = loader.construct_sequence(node)
        return values[-1] if len(values) > 1 else None
    return None


EnvLoader.add_constructor("!ENV", _env)


def baseline_config(project_config: Path) -> dict[str, Any]:
    """A minimal mkdocs.yml for the exported tree: the project's theme, nav and Markdown, nothing else."""
    project = yaml.load(project_config.read_text(encoding="utf-8"), Loader=EnvLoader)  # a SafeLoader
    theme = {key: value for key, value in project["theme"].items() if key != "custom_dir"}
    config = {
        "site_name": project["site_name"],
        "site_url": SITE_URL,
        "docs_dir": "docs",
        "site_dir": "site",
        "use_directory_urls": True,
        "theme": theme,
        "nav": project["nav"],
        "plugins": [],  # no search plugin: the real build indexes with Pagefind, timed as part of it
        "markdown_extensions": project.get("markdown_extensions", []),
        "extra": {"generator": False},
    }
    if "not_in_nav" in project:
        config["not_in_nav"] = project["not_in_nav"]
    return config


def run_baseline(root: Path, workdir: Path) -> Baseline:
    """Generate and export ``root``'s tree (timing generate()), then time bare ``mkdocs build`` of it."""
    docs = workdir / "docs"
    command = [sys.executable, "-m", "benchmarks.generate_child", str(root), str(docs), SITE_URL]
    exported = checked(run_measured(command, REPO), "generate + export")
    result = json.loads(exported.output.strip().splitlines()[-1])
    # The search page names the plugin's own template (custom_dir); bare Material renders it as a plain page.
    search = docs / "search.md"
    if search.is_file():
        lines = search.read_text(encoding="utf-8").splitlines(keepends=True)
        search.write_text("".join(line for line in lines if not line.startswith("template:")), encoding="utf-8")
    config = baseline_config(REPO / "mkdocs.yml")
    (workdir / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    build = checked(run_measured([sys.executable, "-m", "mkdocs", "build", "-q"], workdir), "baseline mkdocs build")
    return Baseline(result["generate"], result.get("stages", {}), result["peak_rss"], build)
