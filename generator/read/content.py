"""Load and validate everything editors write, as one consistent site.

:func:`load_content` is the single entry point used by the command line and
the MkDocs plugin: it reads every study, page and vocabulary file, checks each
against the contract and the files against each other, and either returns a
:class:`Content` or raises one :class:`ContentError` listing every problem of
every file, sorted by file and line.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path
from typing import Any

from pydantic import BaseModel, RootModel

from generator.errors import ContentError, Problem
from generator.read.confine import CONTENT, SITE_DATA, link_problem, read_confined, template_problems, unreadable
from generator.read.drugs import vocabulary_problems
from generator.read.loader import Document, parse_yaml
from generator.read.model import (
    REQUIRED_CONDITIONS,
    Author,
    Authors,
    Condition,
    Conditions,
    Drug,
    DrugClass,
    DrugVocabulary,
    Study,
)
from generator.read.pages import page_markdown, page_source
from generator.read.validate import closest, describe, study_problems, study_warnings, validate_model
from generator.urls import SLUG_RULE, is_slug, taken_address

__all__ = [
    "MAX_STUDY_FILES",
    "Content",
    "Page",
    "Spread",
    "StudyCache",
    "StudyRecord",
    "load_content",
    "locate",
    "parse_study",
]

MAX_STUDY_FILES = 200_000
STUDIES_DIR = Path("content/studies")
PAGES_DIR = Path("content/pages")
CONDITIONS_FILE = Path("site_data/conditions.yaml")
AUTHORS_FILE = Path("site_data/authors.yaml")
DRUGS_FILE = Path("site_data/drugs.yaml")
SITE_FOLDER = {STUDIES_DIR: "studies", PAGES_DIR: ""}  # where each folder's files are served


@dataclass(frozen=True)
class StudyRecord:
    """A validated study with its slug and the file it came from."""

    slug: str
    file: str
    study: Study
    warnings: tuple[Problem, ...] = ()
    """What ``check`` warns about in the file (see :func:`~generator.read.validate.study_warnings`)."""

    @property
    def published(self) -> bool:
        """Whether readers see this study (drafts are left out of the site)."""
        return self.study.status == "published"

    @cached_property
    def fingerprint(self) -> str:
        """The study's :func:`model_fingerprint`: what is made from it can be reused (``mkdocs serve``).

        Computed once per record, and a preview keeps the records of unchanged files.
        """
        return model_fingerprint(self.study)


def model_fingerprint(model: BaseModel) -> str:
    """A digest of a model's data, equal for equal data (from its JSON; any text, a lone surrogate too, is escaped)."""
    return hashlib.sha256(json.dumps(model.model_dump(mode="json"), sort_keys=True).encode()).hexdigest()


StudyCache = dict[str, tuple[tuple[int, int], StudyRecord]]
"""Valid studies by file, with the (mtime, size) they were read at."""


@dataclass(frozen=True)
class Page:
    """A hand-written Markdown page from ``content/pages``; ``text`` is what MkDocs is given (checked front matter)."""

    name: str
    file: str
    text: str
    first_line: int = 1
    """The line of the file where the Markdown (after any front matter) starts."""


@dataclass(frozen=True)
class Content:
    """Everything the site is built from, validated."""

    studies: tuple[StudyRecord, ...]
    conditions: dict[str, Condition]
    authors: dict[str, Author]
    pages: tuple[Page, ...]
    drugs: dict[str, Drug] = dataclasses.field(default_factory=dict)
    drug_classes: dict[str, DrugClass] = dataclasses.field(default_factory=dict)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """Every study file's warnings, sorted by file, line and column."""
        return tuple(sorted(warning for record in self.studies for warning in record.warnings))

    @cached_property
    def fingerprints(self) -> dict[str, dict[str, str]]:
        """Each vocabulary entry's :func:`model_fingerprint`, by vocabulary (``conditions``, ``authors``, ``drugs``,
        ``drug_classes``) and key: what a page made from an entry is reused for (``mkdocs serve``)."""
        vocabularies: dict[str, Mapping[str, BaseModel]] = {
            "conditions": self.conditions,
            "authors": self.authors,
            "drugs": self.drugs,
            "drug_classes": self.drug_classes,
        }
        return {
            name: {key: model_fingerprint(entry) for key, entry in entries.items()}
            for name, entries in vocabularies.items()
        }

    def visible(self, *, drafts: bool = False) -> tuple[StudyRecord, ...]:
        """Studies readers see, newest first (ties by slug); drafts only if asked."""
        chosen = [record for record in self.studies if drafts or record.published]
        return tuple(sorted(chosen, key=lambda r: (-r.study.published.toordinal(), r.slug)))


def load_content(
    root: Path,
    *,
    only: Iterable[Path] | None = None,
    cache: StudyCache | None = None,
    spread: Spread | None = None,
) -> Content:
    """Load and validate the content under ``root`` (the project folder).

    With ``only``, every file is still read (cross-references need them all)
    but only problems in the given files are reported.  A ``cache`` kept
    between calls (``mkdocs serve``) skips re-reading study files whose size
    and modification time are unchanged; cross-file checks always run.
    Without a cache, ``spread`` may read the study files on several cores
    (the same results, in the same order, as reading them one by one).
    """
    root = root.resolve()
    problems: list[Problem] = []
    conditions = _vocabulary(root, CONDITIONS_FILE, Conditions, problems)
    authors = _vocabulary(root, AUTHORS_FILE, Authors, problems)
    drugs = _drug_vocabulary(root, problems)
    if conditions:
        problems += _missing_conditions(conditions)
    study_files = _listing(root, STUDIES_DIR, ".yaml", problems)
    studies: list[StudyRecord] = []
    failed: list[_Names] = []
    read = partial(_study, root, cache=cache)
    loaded = list(map(read, study_files)) if cache is not None or spread is None else spread(read, study_files)
    for record, found, names in loaded:  # a cache is filled in this process, so it is read here
        problems += found
        studies += [record] if record is not None else []
        failed += [names] if names is not None else []
    studies.sort(key=lambda record: record.slug)
    slugs = {record.slug: record for record in studies}
    known_slugs = {path.stem for path in study_files}
    for names in [_names_of(record) for record in studies] + failed:
        problems += _references(root, names, conditions, authors, slugs, known_slugs)
    pages = tuple(_page(root, path, problems) for path in _listing(root, PAGES_DIR, ".md", problems))
    problems += template_problems(root)
    if only is not None:
        wanted = {_display(root, Path(path).resolve()) for path in only}
        problems = [problem for problem in problems if problem.file in wanted]
    if problems:
        raise ContentError(problems)
    pages_read = tuple(p for p in pages if p)
    if drugs is None:
        return Content(tuple(studies), conditions or {}, authors or {}, pages_read)
    return Content(tuple(studies), conditions or {}, authors or {}, pages_read, drugs.drugs, drugs.classes)


def _display(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _listing(root: Path, folder: Path, suffix: str, problems: list[Problem]) -> list[Path]:
    """The content files of ``folder``, refusing names that are not slugs and links leaving ``root``."""
    directory = root / folder
    if link := link_problem(root, directory, CONTENT):
        problems.append(Problem(folder.as_posix(), 1, 1, "", link))
        return []
    if not directory.is_dir():
        problems.append(Problem(folder.as_posix(), 1, 1, "", "folder is missing"))
        return []
    try:
        with os.scandir(directory) as listed:
            entries = sorted((entry for entry in listed if not entry.name.startswith(".")), key=lambda e: e.name)
    except OSError as error:
        problems.append(Problem(folder.as_posix(), 1, 1, "", unreadable(error)))
        return []
    if len(entries) > MAX_STUDY_FILES:
        problems.append(Problem(folder.as_posix(), 1, 1, "", f"more than {MAX_STUDY_FILES:,} files"))
        return []
    chosen: list[Path] = []
    seen: dict[str, str] = {}
    shown = folder.as_posix()
    for entry in entries:
        path = directory / entry.name
        display = f"{shown}/{entry.name}"
        stem = entry.name[: -len(suffix)] if entry.name.endswith(suffix) else None
        # The folder itself resolves inside content/ (checked above), so only a link in it can lead out.
        if entry.is_symlink() and (link := link_problem(root, path, CONTENT)):
            problems.append(Problem(display, 1, 1, "", link))
        elif not entry.is_file():
            problems.append(Problem(display, 1, 1, "", f"is not a file; {shown} holds only *{suffix} files"))
        elif stem is None:
            problems.append(Problem(display, 1, 1, "", f"file name must end in {suffix}"))
        elif not is_slug(stem):
            problems.append(Problem(display, 1, 1, "", f"file name `{stem}` must be a slug: {SLUG_RULE}"))
        elif taken := taken_address(SITE_FOLDER[folder], stem, "name"):
            problems.append(Problem(display, 1, 1, "", f"file name {taken}"))
        elif stem.casefold() in seen:
            problems.append(Problem(display, 1, 1, "", f"same name as {seen[stem.casefold()]}, ignoring case"))
        else:
            seen[stem.casefold()] = display
            chosen.append(path)
    return chosen


def _study(root: Path, path: Path, *, cache: StudyCache | None) -> _Loaded:
    """One study file: its record, or its problems and what it still names in other files."""
    display = _display(root, path)
    try:
        stat = path.stat()
    except OSError as error:
        return None, [Problem(display, 1, 1, "", unreadable(error))], None
    stamp = (stat.st_mtime_ns, stat.st_size)
    if cache is not None and display in cache and cache[display][0] == stamp:
        return cache[display][1], [], None
    try:
        text = read_confined(root, path, CONTENT)
    except ContentError as error:
        return None, list(error.problems), None
    try:
        record = parse_study(text, display, path.stem)
    except ContentError as error:
        return None, list(error.problems), _names_in_broken_file(path.stem, display, text, error.problems)
    if cache is not None:
        cache[display] = (stamp, record)
    return record, [], None


_Loaded = tuple["StudyRecord | None", list[Problem], "_Names | None"]
"""What reading one study file gives: its record, or its problems and the names it gives (see :func:`_study`)."""

Spread = Callable[[Callable[[Path], _Loaded], Sequence[Path]], list[_Loaded]]
"""Reads study files (``function`` applied to each path, results in order), such as on several cores."""


@dataclass(frozen=True)
class _Names:
    """What a study file names in other files: the part cross-file checks need."""

    slug: str
    file: str
    conditions: tuple[tuple[tuple[str | int, ...], str], ...]  # (field path, key)
    authors: tuple[str, ...] = ()
    pin: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


def _names_of(record: StudyRecord) -> _Names:
    study = record.study
    conditions = ((("condition",), study.condition),) + tuple(
        (("also_conditions", index), key) for index, key in enumerate(study.also_conditions)
    )
    return _Names(
        record.slug, record.file, conditions, tuple(study.authors), tuple(study.related.pin),
        tuple(study.related.exclude),
    )  # fmt: skip


def _names_in_broken_file(slug: str, file: str, text: str, reported: Iterable[Problem]) -> _Names | None:
    """The names a file that failed its own checks still gives, so its cross-file problems show in the same run.

    Only well-formed values are taken, and none whose field already has a problem.
    """
    try:
        data = parse_yaml(text, file).data
    except ContentError:
        return None
    if not isinstance(data, dict):
        return None
    taken = {problem.field for problem in reported}

    def texts(value: Any, path: str) -> list[tuple[int, str]]:
        items = value if isinstance(value, list) else []
        return [(i, item) for i, item in enumerate(items) if isinstance(item, str) and f"{path}[{i}]" not in taken
                and path not in taken]  # fmt: skip

    conditions: list[tuple[tuple[str | int, ...], str]] = []
    if isinstance(data.get("condition"), str) and "condition" not in taken:
        conditions.append((("condition",), data["condition"]))
    conditions += [(("also_conditions", i), key) for i, key in texts(data.get("also_conditions"), "also_conditions")]
    related = found if isinstance(found := data.get("related"), dict) else {}
    return _Names(
        slug,
        file,
        tuple(conditions),
        tuple(key for _, key in texts(data.get("authors"), "authors")),
        tuple(key for _, key in texts(related.get("pin"), "related.pin")),
        tuple(key for _, key in texts(related.get("exclude"), "related.exclude")),
    )


def parse_study(text: str, display: str, slug: str) -> StudyRecord:
    """Parse and check one study file's text (rules within the file only).

    Returns the study or raises :class:`ContentError`; nothing else escapes
    for any text whatsoever.
    """
    document = parse_yaml(text, display)
    if not isinstance(document.data, dict):
        need = "a study needs at least title, published, condition, summary, study.design and body"
        raise ContentError([_not_a_mapping(document, need)])
    study, problems = validate_model(document, Study)
    if study is not None:
        problems += study_problems(document, study)
    if problems:
        raise ContentError(problems)
    return StudyRecord(slug, display, study, tuple(study_warnings(document, study)))


def _document(root: Path, path: Path, problems: list[Problem]) -> Document | None:
    try:
        return parse_yaml(read_confined(root, path, SITE_DATA), _display(root, path))
    except ContentError as error:
        problems.extend(error.problems)
        return None


def _not_a_mapping(document: Document, need: str) -> Problem:
    if document.data is None:
        return Problem(document.file, 1, 1, "", f"file is empty; {need}")
    return Problem(document.file, 1, 1, "", f"must be a mapping of `key: value` lines, not {describe(document.data)}")


def _vocabulary(root: Path, file: Path, model: type[RootModel], problems: list[Problem]) -> dict | None:
    """Read a ``site_data`` file: a mapping of key → entry validated by ``model``."""
    path = root / file
    if not os.path.lexists(path):
        problems.append(Problem(file.as_posix(), 1, 1, "", "file is missing"))
        return None
    document = _document(root, path, problems)
    if document is None:
        return None
    if not isinstance(document.data, dict):
        problems.append(_not_a_mapping(document, "it maps each key to its entry"))
        return None
    entries, found = validate_model(document, model)
    problems += found
    return None if entries is None else entries.root


def _drug_vocabulary(root: Path, problems: list[Problem]) -> DrugVocabulary | None:
    """Read ``site_data/drugs.yaml``: its classes and drugs, checked against each other."""
    path = root / DRUGS_FILE
    if not os.path.lexists(path):
        problems.append(Problem(DRUGS_FILE.as_posix(), 1, 1, "", "file is missing"))
        return None
    document = _document(root, path, problems)
    if document is None:
        return None
    if not isinstance(document.data, dict):
        problems.append(_not_a_mapping(document, "it holds `classes:` and `drugs:`"))
        return None
    found: list[Problem]
    vocabulary: DrugVocabulary | None
    vocabulary, found = validate_model(document, DrugVocabulary)
    problems += found
    if vocabulary is None:
        return None
    problems += vocabulary_problems(document, vocabulary)
    return vocabulary


def _missing_conditions(conditions: dict[str, Condition]) -> list[Problem]:
    missing = [key for key in REQUIRED_CONDITIONS if key not in conditions]
    if not missing:
        return []
    return [Problem(CONDITIONS_FILE.as_posix(), 1, 1, "", f"required conditions missing: {', '.join(missing)}")]


def _references(
    root: Path,
    names: _Names,
    conditions: dict[str, Condition] | None,
    authors: dict[str, Author] | None,
    slugs: dict[str, StudyRecord],
    known_slugs: set[str],
) -> list[Problem]:
    """Problems with what a study names in other files."""
    problems = []
    at = _Locator(root, names.file)
    if conditions is not None:
        for path, key in names.conditions:
            if key not in conditions:
                synonyms = {s.casefold(): k for k, c in conditions.items() for s in (c.name, c.short_name, *c.synonyms)}
                hint = synonyms.get(key.casefold().replace("-", " ")) or synonyms.get(key.casefold())
                hint = hint or closest(key, conditions)
                tail = f"; did you mean `{hint}`?" if hint else "; see site_data/conditions.yaml"
                problems.append(at(path, f"unknown condition `{key}`{tail}"))
    if authors is not None:
        for index, key in enumerate(names.authors):
            if key not in authors:
                hint = closest(key, authors)
                tail = f"; did you mean `{hint}`?" if hint else "; add it to site_data/authors.yaml"
                problems.append(at(("authors", index), f"unknown author `{key}`{tail}"))
    for field in ("pin", "exclude"):
        for index, slug in enumerate(getattr(names, field)):
            path = ("related", field, index)
            if slug == names.slug:
                problems.append(at(path, "a study cannot list itself"))
            elif slug not in known_slugs:
                hint = closest(slug, known_slugs)
                tail = f"; did you mean `{hint}`?" if hint else ""
                problems.append(at(path, f"no study `{slug}` in content/studies{tail}"))
            elif field == "pin" and slug in slugs and not slugs[slug].published:
                problems.append(at(path, f"`{slug}` is a draft; a draft cannot be pinned"))
    return problems


def locate(root: Path, file: str, path: tuple[str | int, ...], message: str) -> Problem:
    """A problem at ``path`` of the study file ``file`` (as :class:`StudyRecord` names it), with its position."""
    return _Locator(root.resolve(), file)(path, message)


class _Locator:
    """Reopens a study's positions lazily: cross-file problems are rare, positions are cheap to recompute."""

    def __init__(self, root: Path, file: str):
        self.root = root
        self.file = file
        self.document: Document | None = None

    def __call__(self, path: tuple, message: str) -> Problem:
        if self.document is None:
            try:
                self.document = parse_yaml(read_confined(self.root, self.root / self.file, CONTENT), self.file)
            except ContentError:  # changed or gone since it was checked: the problem stands, without a position
                self.document = Document(self.file, None)
        return self.document.problem(path, message)


def _page(root: Path, path: Path, problems: list[Problem]) -> Page | None:
    display = _display(root, path)
    try:
        text = read_confined(root, path, CONTENT)
        source = page_source(text, display)
        markdown = page_markdown(source)
        return Page(path.stem, display, source, text.count("\n", 0, len(text) - len(markdown)) + 1)
    except ContentError as error:
        problems.extend(error.problems)
        return None
