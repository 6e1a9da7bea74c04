"""The command line: ``python -m generator <command>``.

Exit status: 0 when all is well, 1 when the content has problems, 2 when the
command itself was used wrongly.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from . import synth
from .content import SLUG_RULE, STUDIES_DIR, load_content
from .errors import ContentError
from .model import SLUG_PATTERN, Study
from .pages import SiteOptions
from .related import explain
from .site import condition_terms, export, generate, related_inputs, templates_for

__all__ = ["main", "study_schema"]

SCHEMA_FILE = Path("schema/study.schema.json")
OK, CONTENT_ERRORS, USAGE_ERROR = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help(sys.stderr)
        return USAGE_ERROR
    return args.run(args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m generator", description="Rheum Evidence content tools.")
    parser.add_argument("--root", type=Path, default=Path("."), help="the project folder (default: here)")
    commands = parser.add_subparsers(metavar="COMMAND")

    check = commands.add_parser("check", help="validate study files (all of them, or the FILEs given)")
    check.add_argument("files", nargs="*", type=Path, metavar="FILE")
    check.add_argument("--format", choices=("text", "github"), default="text", help="github: Actions annotations")
    check.set_defaults(run=_check)

    new = commands.add_parser("new", help="write a skeleton study file for an editor to fill in")
    new.add_argument("slug", help=f"the file name and URL of the study: {SLUG_RULE}")
    new.add_argument("--condition", required=True, help="a key of site_data/conditions.yaml, e.g. sle")
    new.add_argument("--design", default="randomized-controlled-trial", help="a study design key")
    new.set_defaults(run=_new)

    schema = commands.add_parser("schema", help=f"write the JSON Schema of a study file to {SCHEMA_FILE}")
    schema.set_defaults(run=_schema)

    related = commands.add_parser("related", help="show how a study's \"More like this\" list is ranked")
    related.add_argument("slug")
    related.set_defaults(run=_related)

    export = commands.add_parser("export", help="write the generated Markdown tree (what MkDocs builds) to DIR")
    export.add_argument("out", type=Path, metavar="DIR")
    export.add_argument("--site-url", default="https://example.org/", help="absolute URL of the site, for feeds")
    export.add_argument("--drafts", action="store_true", help="include draft studies")
    export.set_defaults(run=_export)

    synthetic = commands.add_parser("synth", help="write N synthetic, valid study files (for benchmarks)")
    synth.add_arguments(synthetic)
    synthetic.set_defaults(run=synth.run)
    return parser


def _check(args: argparse.Namespace) -> int:
    missing = [str(path) for path in args.files if not path.is_file()]
    if missing:
        print(f"no such file: {', '.join(missing)}", file=sys.stderr)
        return USAGE_ERROR
    try:
        content = load_content(args.root, only=args.files or None)
    except ContentError as error:
        for problem in error.problems:
            print(problem.github_annotation() if args.format == "github" else str(problem))
        files = len({problem.file for problem in error.problems})
        count = len(error.problems)
        print(f"{count} problem{'s' * (count != 1)} in {files} file{'s' * (files != 1)}", file=sys.stderr)
        return CONTENT_ERRORS
    print(f"OK: {len(args.files) if args.files else len(content.studies)} study file(s) checked", file=sys.stderr)
    return OK


def _new(args: argparse.Namespace) -> int:
    if not re.match(SLUG_PATTERN, args.slug) or len(args.slug) > 80:
        print(f"`{args.slug}` is not a valid slug: {SLUG_RULE}", file=sys.stderr)
        return USAGE_ERROR
    target = args.root / STUDIES_DIR / f"{args.slug}.yaml"
    if target.exists():
        print(f"{target.as_posix()} already exists; choose another slug or edit that file", file=sys.stderr)
        return USAGE_ERROR
    try:
        conditions = load_content(args.root, only=[]).conditions
    except ContentError as error:  # the rest of the content is broken; say so but still help
        print(error, file=sys.stderr)
        return CONTENT_ERRORS
    if args.condition not in conditions:
        print(f"unknown condition `{args.condition}`; choose one of: {', '.join(conditions)}", file=sys.stderr)
        return USAGE_ERROR
    loader = FileSystemLoader(templates_for(args.root))
    environment = Environment(loader=loader, undefined=StrictUndefined, autoescape=False)
    text = environment.get_template("new-study.yaml.j2").render(
        today=dt.date.today().isoformat(), condition=args.condition, design=args.design
    )
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target.as_posix()}; fill it in, then run: python -m generator check {target.as_posix()}")
    return OK


def _related(args: argparse.Namespace) -> int:
    try:
        content = load_content(args.root)
    except ContentError as error:
        print(error)
        return CONTENT_ERRORS
    try:
        print(explain(related_inputs(content.visible()), condition_terms(content), args.slug))
    except KeyError:
        print(f"no published study `{args.slug}` in content/studies", file=sys.stderr)
        return USAGE_ERROR
    return OK


def _export(args: argparse.Namespace) -> int:
    try:
        options = SiteOptions(drafts=args.drafts, site_url=args.site_url, templates_dir=templates_for(args.root))
        generated = generate(args.root, options)
    except ContentError as error:
        print(error)
        return CONTENT_ERRORS
    count = export(generated, args.out)
    print(f"wrote {count} files to {args.out.as_posix()}", file=sys.stderr)
    return OK


def study_schema() -> dict:
    """The JSON Schema of a study file, generated from :class:`generator.model.Study`."""
    schema = Study.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://rheum-evidence.example/schema/study.schema.json",
        **schema,
        "title": "Rheum Evidence study file",
    }


def _schema(args: argparse.Namespace) -> int:
    target = args.root / SCHEMA_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(study_schema(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {target.as_posix()}")
    return OK
