"""The whole pipeline in one call: content in, pages and files out.

Both the MkDocs plugin and ``python -m generator export`` use :func:`generate`,
so the site MkDocs builds and the exported Markdown tree are the same.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from .content import PAGES_DIR, Content, load_content
from .pages import GeneratedPage, SiteOptions, build_files, build_pages

__all__ = ["Generated", "export", "generate"]


@dataclass(frozen=True)
class Generated:
    """Everything generated from the content of one project."""

    content: Content
    pages: list[GeneratedPage]
    files: dict[str, str | bytes]


def generate(root: Path, options: SiteOptions) -> Generated:
    """Load and validate the content under ``root`` and generate every page and file.

    Raises :class:`~generator.errors.ContentError` when the content breaks
    the contract; nothing is generated then.
    """
    content = load_content(root)
    related: dict = {}
    return Generated(content, build_pages(content, options, related), build_files(content, options, related))


def export(generated: Generated, root: Path, target: Path) -> int:
    """Write the generated Markdown tree and files, plus the hand-written pages, under ``target``.

    The tree is what MkDocs builds, so it can be built by another Markdown
    site generator.  Returns the number of files written.
    """
    count = 0
    for relative, text in [(page.src, page.text) for page in generated.pages] + list(generated.files.items()):
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        count += 1
    for page in (root / PAGES_DIR).glob("*.md"):
        shutil.copyfile(page, target / page.name)
        count += 1
    return count
