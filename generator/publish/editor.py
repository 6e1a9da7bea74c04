"""The editor's commands: ``python -m generator cms-config`` and ``python -m generator edit`` (``make edit``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.errors import ContentError, printable
from generator.publish.admin import AdminError, cms_settings
from generator.publish.studio import _mkdocs_extra, serve
from generator.read.content import load_content
from generator.render.cms import config_file

__all__ = ["add_commands"]

OK, CONTENT_ERRORS, USAGE_ERROR = 0, 1, 2
DEFAULT_PORT = 8001


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Add ``cms-config`` and ``edit`` to the command line's subcommands."""
    config = commands.add_parser("cms-config", help="print the browser editor's config.yml, made from the models")
    config.add_argument("--out", type=Path, metavar="FILE", help="write it to FILE instead")
    config.set_defaults(run=_cms_config)

    edit = commands.add_parser("edit", help="edit the study files in the browser (http://127.0.0.1:PORT/admin/)")
    edit.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"the port (default {DEFAULT_PORT}; 0: any free)")
    edit.set_defaults(run=_edit)


def _say(line: str) -> None:
    print(printable(line), file=sys.stderr)


def _cms_config(args: argparse.Namespace) -> int:
    try:
        content = load_content(args.root, only=[])
        settings = cms_settings(_mkdocs_extra(args.root))
    except ContentError as error:
        _say(str(error))
        return CONTENT_ERRORS
    except AdminError as error:
        _say(str(error))
        return USAGE_ERROR
    conditions = {key: condition.name for key, condition in content.conditions.items()}
    authors = {key: author.name for key, author in content.authors.items()}
    text = config_file(conditions, authors, settings)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        _say(f"wrote {args.out.as_posix()}")
    else:
        sys.stdout.write(text)
    return OK


def _edit(args: argparse.Namespace) -> int:
    try:
        serve(args.root, args.port)
    except ContentError as error:
        _say(f"the vocabularies in site_data/ have problems; fix them first:\n{error}")
        return CONTENT_ERRORS
    except AdminError as error:
        _say(str(error))
        return USAGE_ERROR
    except OSError as error:
        _say(f"cannot serve the editor on 127.0.0.1:{args.port}: {error.strerror or error}; try --port 0")
        return USAGE_ERROR
    return OK
