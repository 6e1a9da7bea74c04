"""Social cards kept between builds: in ``.cache/cards/`` under the project, and in memory for `mkdocs serve`.

A card's file is named by its :func:`~generator.render.cards.card_key`, which
changes with anything that could change the image, so a file found is the
card wanted and a later build, or another checkout sharing the folder, reuses
it.  The folder may be deleted at any time: the cards are drawn again.  Each
file is written under a temporary name and then renamed, so a build stopped
halfway leaves no broken card behind; a folder that cannot be written only
costs drawing the cards again next time.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["CARD_CACHE", "CardCache"]

CARD_CACHE = ".cache/cards"
"""Where a project keeps its social cards, from the folder of mkdocs.yml (git ignores it)."""


@dataclass
class CardCache:
    """Drawn cards by key: those of this process in ``memory``, all in ``folder``."""

    folder: Path
    memory: dict[str, bytes] = field(default_factory=dict)

    def get(self, key: str, /) -> bytes | None:
        """The PNG of the card ``key``, or None when it was never drawn (or its file cannot be read)."""
        if (png := self.memory.get(key)) is not None:
            return png
        try:
            png = (self.folder / f"{key}.png").read_bytes()
        except OSError:
            return None
        self.memory[key] = png
        return png

    def __setitem__(self, key: str, png: bytes, /) -> None:
        """Keep the PNG of the card ``key``."""
        self.memory[key] = png
        temporary = self.folder / f".{key}.{os.getpid()}.tmp"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(png)
            temporary.replace(self.folder / f"{key}.png")
        except OSError:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
