"""Social cards in a built site: drawn once per content, kept in the project's .cache/cards/ between builds."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from PIL import Image

from generator.publish.cardcache import CARD_CACHE, CardCache

from ..conftest import Project, build_site

IL2_CARD = "studies/low-dose-il2-sle/card.png"


def cached(root: Path) -> dict[str, bytes]:
    """The project's cached cards by file name (temporary files included, so a leftover shows)."""
    return {path.name: path.read_bytes() for path in sorted((root / CARD_CACHE).iterdir())}


def other_png() -> bytes:
    """A valid PNG no card is: what a card drawn again would not be."""
    out = io.BytesIO()
    Image.new("RGB", (1200, 630), (1, 2, 3)).save(out, "PNG")
    return out.getvalue()


def test_a_later_build_takes_the_cards_from_the_project_cache_and_draws_only_a_changed_one(
    site_project: Project,
) -> None:
    root = site_project.root
    site = build_site(root)
    first = cached(root)
    assert len(first) == 7  # six studies and the site's card, no temporary file left
    assert sorted(first.values()) == sorted((site / path).read_bytes() for path in [IL2_CARD, *_others(site)])
    assert not (site / ".cache").exists()
    # A card in the cache is taken as it is: the build does not draw it again.
    [name] = [name for name, png in first.items() if png == (site / IL2_CARD).read_bytes()]
    (root / CARD_CACHE / name).write_bytes(other_png())
    site = build_site(root)
    assert (site / IL2_CARD).read_bytes() == other_png()
    # A new title is a new card; the others are still the ones in the cache.
    study = root / "content" / "studies" / "low-dose-il2-sle.yaml"
    study.write_text(study.read_text(encoding="utf-8").replace("Effective in Lupus", "Works in Lupus"), "utf-8")
    site = build_site(root)
    after = cached(root)
    assert after.keys() - first.keys() == {n for n, png in after.items() if png == (site / IL2_CARD).read_bytes()}
    assert len(after) == 8


def _others(site: Path) -> list[str]:
    cards = sorted(path.relative_to(site).as_posix() for path in site.rglob("card.png"))
    return [path for path in cards if path != IL2_CARD]


def test_a_preview_keeps_its_cards_in_memory_between_rebuilds(site_project: Project, tmp_path: Path) -> None:
    root = site_project.root
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "preview"))
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        config.plugins.on_config(config)
        assert len(cached(root)) == 7
        shutil.rmtree(root / CARD_CACHE)
        again = load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "preview"))
        again = again.plugins.on_config(again)
        files = again.plugins.on_files(get_files(again), config=again)
    finally:
        config.plugins.on_shutdown()
    assert not (root / CARD_CACHE).exists()  # nothing drawn, so nothing written
    assert files.get_file_from_path(IL2_CARD).content_bytes.startswith(b"\x89PNG")


def test_the_cache_reads_back_what_another_build_wrote(tmp_path: Path) -> None:
    folder = tmp_path / "cards"
    CardCache(folder)["abc"] = b"png"
    assert CardCache(folder).get("abc") == b"png"
    assert CardCache(folder).get("missing") is None
    assert sorted(path.name for path in folder.iterdir()) == ["abc.png"]


def test_a_cache_folder_that_cannot_be_written_only_keeps_the_cards_in_memory(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    cache = CardCache(blocked / "cards")
    cache["abc"] = b"png"
    assert cache.get("abc") == b"png"
    assert CardCache(blocked / "cards").get("abc") is None
