"""Social cards: the 1200×630 PNG a link preview shows for a page.

A study's card shows its headline, condition, design and date and the site's
name; every other page shares the site's card, its name and description.
:func:`card_png` draws a :class:`Card` and nothing else: the same card gives
the same bytes on any machine with the same Pillow (and the FreeType and zlib
its wheels bundle) and font package, because the fonts come from a pinned package (FiraGO, from ``pymupdf-fonts``; no
system font is ever looked up) and text is laid out by FreeType alone
(Pillow's basic layout, not Raqm, which depends on the system's FriBiDi).
FiraGO covers Latin, Greek, Cyrillic, Arabic, Hebrew, Thai, Georgian and
Devanagari letters and the usual symbols (≥, ±, →); a character it lacks (CJK)
is drawn as the font's empty box, so a headline in Chinese or Japanese shows
boxes, but the card is still made.  Right-to-left text is drawn in stored
order (the basic layout does no bidirectional reordering).

The headline is wrapped at spaces, with lines of even length, at the largest
size at which it fits; only a headline too long at the smallest size is
shortened, at a word, with an ellipsis.  A word wider than a whole line is the
one thing split within itself.

:func:`card_files` renders a set of cards through a :class:`CardStore`, keyed
by :func:`card_key` (exactly what the card shows, this module's code and the
versions of Pillow, its libraries and the fonts), so a card made before is
reused, and a change of the drawing draws every card again.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable, Mapping
from dataclasses import astuple, dataclass
from functools import cache, lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Protocol

import pymupdf_fonts
from PIL import Image, ImageDraw, ImageFont, features

from generator.read.content import Content, StudyRecord
from generator.read.vocabulary import DESIGNS
from generator.render.parallel import map_in_processes
from generator.render.templates import format_date
from generator.urls import page_url, study_src

__all__ = [
    "CARD_FILE",
    "CARD_HEIGHT",
    "CARD_WIDTH",
    "SITE_CARD",
    "Card",
    "CardStore",
    "card_alt",
    "card_files",
    "card_key",
    "card_png",
    "headline_lines",
    "site_card",
    "study_card",
    "study_card_path",
]

CARD_WIDTH, CARD_HEIGHT = 1200, 630
"""The size OpenGraph and Twitter's large card show without cropping (1.91:1)."""
CARD_FILE = "card.png"
"""A study's card lies beside its page: ``studies/<slug>/card.png``."""
SITE_CARD = "assets/card.png"
"""The card of every page that is not a study."""

# The site's colours (Material's indigo, as in mkdocs.yml); every text has a contrast of 7:1 or more with its
# background (WCAG AAA), the site's name 6.9:1 (large text).
_WHITE = (255, 255, 255)
_INK = (20, 24, 46)  # the headline: 17:1
_PRIMARY = (64, 81, 181)  # --md-primary-fg-color: the band and the site's name
_PRIMARY_DARK = (48, 63, 161)  # --md-primary-fg-color--dark: the first chip (white on it 8.6:1)
_MUTED = (74, 79, 99)  # the date: 8.1:1
_CHIP = (232, 234, 246)  # indigo 50: the other chips (dark indigo on it 7.6:1)
_RULE = (224, 227, 240)

_Colour = tuple[int, int, int]
_INKS: tuple[tuple[_Colour, _Colour], ...] = (
    (_INK, _WHITE),
    (_PRIMARY, _WHITE),
    (_MUTED, _WHITE),
    (_RULE, _WHITE),
    (_WHITE, _PRIMARY_DARK),
    (_PRIMARY_DARK, _CHIP),
)
"""Every colour drawn, each with the background it is drawn on.

The card is a palette image: each pair has :data:`_SHADES` entries, from the background to the colour, so
anti-aliased text is drawn exactly, and the PNG is half the size and encodes several times faster than one
of full colour.  Eight steps of anti-aliasing look the same as 32 at the card's sizes and make a PNG a third
smaller, which matters when every study has one."""
_SHADES = 8

_MARGIN = 80
_BAND = 16  # the indigo band down the left edge
_TEXT_WIDTH = CARD_WIDTH - 2 * _MARGIN
_TOP = 64  # the site name's row
_HEADLINE_TOP = 150
_HEADLINE_BOTTOM = 460
_CHIPS_TOP = 516
_CHIP_HEIGHT = 56
_CHIP_PADDING = 24
_CHIP_GAP = 16
_HEADLINE_SIZES = (72, 66, 60, 56, 52, 48, 44, 40)
_LINE_HEIGHT = 1.2
_ELLIPSIS = "…"

_BOLD, _REGULAR = "figbo", "figo"
"""FiraGO Bold and Regular, by their names in ``pymupdf_fonts``."""


@dataclass(frozen=True)
class Card:
    """What a card shows, all plain text: the site's name, a headline, tags (the chips) and a date."""

    site_name: str
    headline: str
    tags: tuple[str, ...] = ()
    date: str = ""


class CardStore(Protocol):
    """Where drawn cards are kept by :func:`card_key` (a ``dict`` will do)."""

    def get(self, key: str, /) -> bytes | None: ...
    def __setitem__(self, key: str, png: bytes, /) -> None: ...


def study_card(record: StudyRecord, content: Content, site_name: str) -> Card:
    """A study's card: its headline, condition and design as tags, its date of publication."""
    study = record.study
    tags = (content.conditions[study.condition].name, DESIGNS[study.study.design].name)
    return Card(site_name, study.title, tags, format_date(study.published))


def site_card(site_name: str, description: str) -> Card:
    """The card of the pages that are not studies: the site's description under its name."""
    return Card(site_name, description or site_name)


def study_card_path(slug: str) -> str:
    """Where a study's card is in the site: ``studies/<slug>/card.png``."""
    return page_url(study_src(slug)) + CARD_FILE


def card_alt(card: Card) -> str:
    """The card in words, for the image's alternative text."""
    parts = [f"{_plain(card.site_name)}: “{_plain(card.headline)}”"]
    if card.tags:
        parts.append(", ".join(map(_plain, card.tags)))
    if card.date:
        parts.append(_plain(card.date))
    return "; ".join(parts)


@lru_cache(maxsize=1 << 16)
def card_key(card: Card) -> str:
    """A name for the card's image that changes whenever any pixel of it could (memoised: cards are values)."""
    text = json.dumps([astuple(card), _tools()], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def card_files(cards: Mapping[str, Card], store: CardStore | None = None) -> dict[str, bytes]:
    """Each card's PNG by its path in the site, taken from ``store`` where it was drawn before.

    Cards the store lacks are drawn on every core and put in it.
    """
    keys = {path: card_key(card) for path, card in cards.items()}
    found = {key: png for key in set(keys.values()) if store is not None and (png := store.get(key)) is not None}
    missing = {keys[path]: card for path, card in cards.items() if keys[path] not in found}
    drawn = dict(zip(missing, map_in_processes(card_png, list(missing.values())), strict=True))
    if store is not None:
        for key, png in drawn.items():
            store[key] = png
    images = found | drawn
    return {path: images[key] for path, key in keys.items()}


def card_png(card: Card) -> bytes:
    """The card as a 1200×630 PNG."""
    canvas = Image.new("L", (CARD_WIDTH, CARD_HEIGHT), _solid(_WHITE))  # palette numbers until the end
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((0, 0, _BAND - 1, CARD_HEIGHT - 1), fill=_solid(_PRIMARY))
    _draw_top_row(canvas, card)
    size, lines = headline_lines(card)
    step = round(size * _LINE_HEIGHT)
    top = _HEADLINE_TOP + (_headline_bottom(card) - _HEADLINE_TOP - step * len(lines)) // 2  # centred in its space
    for number, line in enumerate(lines):
        _text(canvas, (_MARGIN, top + number * step), line, _font(_BOLD, size), (_INK, _WHITE))
    if card.tags:
        draw.line((_MARGIN, _CHIPS_TOP - 24, CARD_WIDTH - _MARGIN, _CHIPS_TOP - 24), fill=_solid(_RULE), width=2)
        _draw_chips(canvas, [_plain(tag) for tag in card.tags])
    canvas.putpalette(_palette())  # now a palette image
    out = io.BytesIO()
    canvas.save(out, "PNG", compress_level=6)  # 9 saves a tenth more at five times the time
    return out.getvalue()


# --------------------------------------------------------------------------- drawing


def _draw_top_row(canvas: Image.Image, card: Card) -> None:
    """The site's name at the top left, the date at the top right."""
    name_font, date_font = _font(_BOLD, 32), _font(_REGULAR, 30)
    date = _plain(card.date)
    room = _TEXT_WIDTH - (date_font.getlength(date) + 40 if date else 0)
    name = _shortened(_plain(card.site_name), name_font, room)
    _text(canvas, (_MARGIN, _TOP), name, name_font, (_PRIMARY, _WHITE), anchor="lt")
    if date:
        _text(canvas, (CARD_WIDTH - _MARGIN, _TOP + 2), date, date_font, (_MUTED, _WHITE), anchor="rt")


def _draw_chips(canvas: Image.Image, tags: list[str]) -> None:
    """The tags as rounded chips in a row, the first in the site's colour; a tag that does not fit is shortened."""
    draw = ImageDraw.Draw(canvas)
    font = _font(_BOLD, 26)
    x = _MARGIN
    for number, tag in enumerate(tags):
        room = CARD_WIDTH - _MARGIN - x - 2 * _CHIP_PADDING
        if room < font.getlength("M" + _ELLIPSIS):
            break
        text = _shortened(tag, font, room)
        width = round(font.getlength(text)) + 2 * _CHIP_PADDING
        ink = (_WHITE, _PRIMARY_DARK) if number == 0 else (_PRIMARY_DARK, _CHIP)
        box = (x, _CHIPS_TOP, x + width, _CHIPS_TOP + _CHIP_HEIGHT)
        draw.rounded_rectangle(box, radius=_CHIP_HEIGHT // 2, fill=_solid(ink[1]))
        _text(canvas, (x + width // 2, _CHIPS_TOP + _CHIP_HEIGHT // 2), text, font, ink, anchor="mm")
        x += width + _CHIP_GAP


def _text(
    canvas: Image.Image,
    xy: tuple[int, int],
    text: str,
    font: ImageFont.FreeTypeFont,
    ink: tuple[_Colour, _Colour],
    anchor: str = "la",
) -> None:
    """Draw ``text`` in the ink's colour, anti-aliased over the ink's background, which must be under it.

    An ink's shades are consecutive palette numbers from its background to its colour, so blending the
    background's number with the colour's, as Pillow blends grey levels, gives the number of each shade.
    """
    draw = ImageDraw.Draw(canvas)
    first = _INKS.index(ink) * _SHADES
    if first != _solid(ink[1]):  # the background is another ink's number of the same colour: take this ink's
        draw.rectangle(draw.textbbox(xy, text, font=font, anchor=anchor), fill=first)
    draw.text(xy, text, font=font, fill=first + _SHADES - 1, anchor=anchor)


def _solid(colour: _Colour) -> int:
    """The palette number of a colour drawn without blending (a background, or an ink's full strength)."""
    for number, (ink, background) in enumerate(_INKS):
        if background == colour:
            return number * _SHADES
        if ink == colour:
            return number * _SHADES + _SHADES - 1
    raise ValueError(f"{colour} is not one of the card's colours")


@cache
def _palette() -> list[int]:
    """The palette of :data:`_INKS`: each background blended into its ink in :data:`_SHADES` steps."""
    palette: list[int] = []
    for ink, background in _INKS:
        for step in range(_SHADES):
            share = step / (_SHADES - 1)
            palette += [round(back + (front - back) * share) for front, back in zip(ink, background, strict=True)]
    return palette


# --------------------------------------------------------------------------- the headline


def headline_lines(card: Card) -> tuple[int, list[str]]:
    """The size in pixels and the lines of the card's headline, as drawn.

    The largest size at which the whole headline fits; shortened, at a word, only at the smallest.
    """
    text = _plain(card.headline)
    height = _headline_bottom(card) - _HEADLINE_TOP
    for size in _HEADLINE_SIZES:
        font = _font(_BOLD, size)
        width = lru_cache(maxsize=None)(font.getlength)  # wrapping measures the same words again and again
        most = height // round(size * _LINE_HEIGHT)
        lines = _wrapped(text, width, _TEXT_WIDTH)
        if len(lines) <= most:
            return size, _balanced(text, width, len(lines))
    return size, _cut(lines, most, font)


def _headline_bottom(card: Card) -> int:
    """Where the headline's space ends: above the tags' row, or at the bottom margin of a card without tags."""
    return _HEADLINE_BOTTOM if card.tags else CARD_HEIGHT - _MARGIN


def _wrapped(text: str, width: Callable[[str], float], room: float) -> list[str]:
    """``text`` in lines no wider than ``room``, broken at spaces (a word wider than a line is split)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if width(candidate) <= room:
            line = candidate
            continue
        if line:
            lines.append(line)
        pieces = _split_word(word, width, room) if width(word) > room else [word]
        lines += pieces[:-1]
        line = pieces[-1]
    return [*lines, line] if line else lines


def _split_word(word: str, width: Callable[[str], float], room: float) -> list[str]:
    """A word too wide for a line in pieces no wider than ``room``."""
    pieces = [""]
    for char in word:
        if pieces[-1] and width(pieces[-1] + char) > room:
            pieces.append("")
        pieces[-1] += char
    return pieces


def _balanced(text: str, width: Callable[[str], float], count: int) -> list[str]:
    """``text`` in ``count`` lines of lengths as even as they can be (no lone word on the last line)."""
    low = max(map(width, text.split()), default=0.0)  # no narrower than its widest word
    high = float(_TEXT_WIDTH)
    if low >= high:
        return _wrapped(text, width, high)
    while high - low > 4:
        middle = (low + high) / 2
        if len(_wrapped(text, width, middle)) <= count:
            high = middle
        else:
            low = middle
    return _wrapped(text, width, high)


def _cut(lines: list[str], count: int, font: ImageFont.FreeTypeFont) -> list[str]:
    """The first ``count`` lines, the last ending at a word with an ellipsis, since the rest does not fit."""
    return [*lines[: count - 1], _ended(lines[count - 1], font, _TEXT_WIDTH)]


def _shortened(text: str, font: ImageFont.FreeTypeFont, room: float) -> str:
    """``text`` if it fits in ``room``, else shortened with an ellipsis."""
    return text if font.getlength(text) <= room else _ended(text, font, room)


def _ended(text: str, font: ImageFont.FreeTypeFont, room: float) -> str:
    """As many of the words of ``text`` as fit in ``room`` with "…" after them (a single word loses characters)."""
    words = text.split()
    while len(words) > 1 and font.getlength(" ".join(words) + _ELLIPSIS) > room:
        words.pop()
    shown = " ".join(words)
    while shown and font.getlength(shown + _ELLIPSIS) > room:
        shown = shown[:-1]
    return shown.rstrip(",;:–—- ") + _ELLIPSIS


def _plain(text: str) -> str:
    """Text on one line with single spaces; characters without a drawing of their own (controls) left out."""
    return " ".join("".join(char for char in text if char.isprintable() or char.isspace()).split())


@cache
def _tools() -> list[str | None]:
    """What draws the cards: this module's code, Pillow, the fonts, and the libraries Pillow draws and packs with."""
    code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    return [code, version("pillow"), version("pymupdf-fonts"), *map(features.version, ("freetype2", "zlib"))]


@cache
def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(io.BytesIO(_font_data(name)), size, layout_engine=ImageFont.Layout.BASIC)


@cache
def _font_data(name: str) -> bytes:
    data: bytes = pymupdf_fonts.myfont(name)
    return data
