"""The command line: ``python -m generator <command>``.

Exit status: 0 when all is well, 1 when the content has problems, 2 when the
command itself was used wrongly (``check FILE`` naming a missing file, or one
that is not a study file the build reads).  Warnings (``check`` prints them
like problems, after them) never change the exit status.

Every line printed goes through :func:`generator.errors.printable`, so no file
name or text from a study reaches the terminal or a CI log as a control
character or a workflow command.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from generator.derive.headline import headline_warning
from generator.derive.related import explain
from generator.derive.treatments import TreatmentMatcher, unplaced_drug_names
from generator.errors import ContentError, Problem, printable
from generator.pipeline import condition_terms, export, generate, related_inputs, templates_for
from generator.publish.editor import add_commands as add_editor_commands
from generator.publish.objectstore import DeployError, Target, deploy
from generator.read.content import STUDIES_DIR, Content, StudyCache, load_content, locate
from generator.read.model import Study
from generator.read.skeleton import PLACEHOLDERS
from generator.render.pages import SiteOptions
from generator.urls import SLUG_RULE, is_slug, taken_address

__all__ = ["main", "study_schema"]

SCHEMA_FILE = Path("schema/study.schema.json")
PROGRAM = ".venv/bin/python -m generator"
"""The command line as it runs, written as is, from the project folder (where `make` sets up .venv)."""
CHECK_COMMAND = f"{PROGRAM} check"
OK, CONTENT_ERRORS, USAGE_ERROR = 0, 1, 2
OUTSIDE_PROJECT = "is outside the project folder, so the build never reads it; give a file in content/studies"
NOT_A_STUDY_FILE = (
    "is not a study file the build reads, so it was not checked; study files are content/studies/<slug>.yaml"
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help(sys.stderr)
        return USAGE_ERROR
    status: int = args.run(args)
    return status


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROGRAM, description="Rheum Evidence content tools.")
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

    related = commands.add_parser("related", help='show how a study\'s "More like this" list is ranked')
    related.add_argument("slug")
    related.set_defaults(run=_related)

    export = commands.add_parser("export", help="write the generated Markdown tree (what MkDocs builds) to DIR")
    export.add_argument("out", type=Path, metavar="DIR")
    export.add_argument("--site-url", default=SiteOptions.site_url, help="absolute URL of the site, for feeds")
    export.add_argument("--drafts", action="store_true", help="include draft studies")
    export.set_defaults(run=_export)

    deploy = commands.add_parser("deploy", help="publish the built site DIR to S3-compatible storage, for a CDN")
    deploy.add_argument("site", type=Path, metavar="DIR", help="the built site (make site writes site/)")
    deploy.add_argument("target", metavar="s3://BUCKET[/PREFIX]")
    deploy.add_argument("--endpoint-url", help="the storage's S3 address, when it is not AWS (R2, B2, MinIO)")
    deploy.add_argument("--dry-run", action="store_true", help="say what would be uploaded and deleted; change nothing")
    deploy.set_defaults(run=_deploy)
    add_editor_commands(commands)
    return parser


def _check(args: argparse.Namespace) -> int:
    missing = [str(path) for path in args.files if not path.is_file()]
    if missing:
        _say(f"no such file: {', '.join(missing)}", stream=sys.stderr)
        return USAGE_ERROR
    validated: StudyCache = {}  # load_content records here each study file it read and found valid
    try:
        content = load_content(args.root, cache=validated)
        problems: list[Problem] = []
    except ContentError as error:
        content, problems = None, list(error.problems)
    # Warnings of every file that passed, even when another file has problems; headlines need the whole content.
    warnings = [warning for _, record in validated.values() for warning in record.warnings]
    if content:
        warnings += _headline_warnings(args.root, content) + _drug_warnings(args.root, content)
    warnings.sort()
    if args.files:
        wanted = {_display(args.root, path): path for path in args.files}
        problems = [problem for problem in problems if problem.file in wanted]
        warnings = [warning for warning in warnings if warning.file in wanted]
        unread = [file for file in wanted if file not in validated and all(p.file != file for p in problems)]
        problems += [_unread(args.root, wanted[file], file) for file in unread]
    else:
        unread = []
    for problem in [*sorted(problems), *warnings]:
        _say(problem.github_annotation() if args.format == "github" else str(problem))
    if problems:
        _say(*filter(None, (_counted(warnings, "warning"), _counted(problems, "problem"))), stream=sys.stderr)
        return USAGE_ERROR if unread else CONTENT_ERRORS
    if args.files:
        checked = len(args.files)
    else:
        assert content is not None, "a ContentError carries at least one problem"
        checked = len(content.studies)
    tail = f", {len(warnings)} warning{'s' * (len(warnings) != 1)}" if warnings else ""
    _say(f"OK: {checked} study file(s) checked{tail}", stream=sys.stderr)
    return OK


def _counted(problems: list[Problem], noun: str) -> str:
    """``3 problems in 2 files``; empty when there are none."""
    files, count = len({problem.file for problem in problems}), len(problems)
    return f"{count} {noun}{'s' * (count != 1)} in {files} file{'s' * (files != 1)}" if problems else ""


def _headline_warnings(root: Path, content: Content) -> list[Problem]:
    """The published studies whose title claims an effect their primary outcome does not show."""
    return [
        dataclasses.replace(locate(root, record.file, ("title",), message), severity="warning")
        for record in content.studies
        if record.published and (message := headline_warning(record.study))
    ]


def _drug_warnings(root: Path, content: Content) -> list[Problem]:
    """Drug names a study writes that ``site_data/drugs.yaml`` does not list."""
    matcher = TreatmentMatcher(content.drugs, content.drug_classes)
    return [
        dataclasses.replace(locate(root, record.file, path, UNPLACED_DRUG.format(name=name)), severity="warning")
        for record in content.studies
        for path, name in unplaced_drug_names(record, matcher)
    ]


UNPLACED_DRUG = (
    "`{name}` reads as a drug name that site_data/drugs.yaml does not list; add it there (generic name, brands, "
    "class, target, source) so search, its drug page and More like this know it"
)


def _display(root: Path, path: Path) -> str:
    """How load_content names ``path``: relative to the project, the file itself not followed if a link."""
    absolute = path.parent.resolve() / path.name
    try:
        return absolute.relative_to(root.resolve()).as_posix()
    except ValueError:
        return absolute.as_posix()


def _unread(root: Path, path: Path, file: str) -> Problem:
    """The refusal of a FILE that the build does not read as a study."""
    inside = (path.parent.resolve() / path.name).is_relative_to(root.resolve())
    return Problem(file, 1, 1, "", NOT_A_STUDY_FILE if inside else OUTSIDE_PROJECT)


def _say(*lines: str, stream: TextIO | None = None) -> None:
    """Print each line made :func:`printable` (to stdout unless ``stream`` is given)."""
    for line in lines:
        print(printable(line), file=stream or sys.stdout)


def _say_problems(error: ContentError, stream: TextIO | None = None) -> None:
    _say(*(str(problem) for problem in error.problems), stream=stream)


def _new(args: argparse.Namespace) -> int:
    if not is_slug(args.slug):
        _say(f"`{args.slug}` is not a valid slug: {SLUG_RULE}", stream=sys.stderr)
        return USAGE_ERROR
    if taken := taken_address("studies", args.slug, "slug"):
        _say(taken, stream=sys.stderr)
        return USAGE_ERROR
    target = args.root / STUDIES_DIR / f"{args.slug}.yaml"
    if target.exists():
        _say(f"{target.as_posix()} already exists; choose another slug or edit that file", stream=sys.stderr)
        return USAGE_ERROR
    try:
        conditions = load_content(args.root, only=[]).conditions
    except ContentError as error:  # the rest of the content is broken; say so but still help
        _say_problems(error, stream=sys.stderr)
        return CONTENT_ERRORS
    if args.condition not in conditions:
        _say(f"unknown condition `{args.condition}`; choose one of: {', '.join(conditions)}", stream=sys.stderr)
        return USAGE_ERROR
    loader = FileSystemLoader(templates_for(args.root))
    environment = Environment(loader=loader, undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
    text = environment.get_template("new-study.yaml.j2").render(
        today=dt.date.today().isoformat(), condition=args.condition, design=args.design, placeholders=PLACEHOLDERS
    )
    target.write_text(text, encoding="utf-8")
    command = f"{CHECK_COMMAND} {(STUDIES_DIR / target.name).as_posix()}"
    _say(f"wrote {target.as_posix()}; fill it in, then check it from the project folder: {command}")
    return OK


def _related(args: argparse.Namespace) -> int:
    try:
        content = load_content(args.root)
    except ContentError as error:
        _say_problems(error)
        return CONTENT_ERRORS
    try:
        _say(*explain(related_inputs(content, content.visible()), condition_terms(content), args.slug).split("\n"))
    except KeyError:
        _say(f"no published study `{args.slug}` in content/studies", stream=sys.stderr)
        return USAGE_ERROR
    return OK


def _export(args: argparse.Namespace) -> int:
    try:
        options = SiteOptions(drafts=args.drafts, site_url=args.site_url, templates_dir=templates_for(args.root))
        generated = generate(args.root, options)
    except ContentError as error:
        _say_problems(error)
        return CONTENT_ERRORS
    count = export(generated, args.out)
    _say(f"wrote {count} files to {args.out.as_posix()}", stream=sys.stderr)
    return OK


def _deploy(args: argparse.Namespace) -> int:
    import boto3  # only this command needs it, and it takes a while to import
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        target = Target.parse(args.target)
    except DeployError as error:
        _say(f"deploy: {error}", stream=sys.stderr)
        return USAGE_ERROR
    try:
        client = boto3.client("s3", endpoint_url=args.endpoint_url)
        plan = deploy(args.site, target, client, dry_run=args.dry_run)
    except DeployError as error:
        _say(f"deploy: {error}", stream=sys.stderr)
        return CONTENT_ERRORS
    except (BotoCoreError, ClientError) as error:
        _say(f"deploy failed, the bucket may be half-updated (deploy again to finish): {error}", stream=sys.stderr)
        return CONTENT_ERRORS
    if args.dry_run:
        for verb, paths in (("upload", plan.first + plan.last), ("delete", plan.stale)):
            for path in paths:
                _say(f"would {verb} {path}")
    _say(f"s3://{target.bucket}/{target.prefix}: {plan.summary(done=not args.dry_run)}")
    return OK


def study_schema() -> dict:
    """The JSON Schema of a study file, generated from :class:`generator.read.model.Study`."""
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
    _say(f"wrote {target.as_posix()}")
    return OK
