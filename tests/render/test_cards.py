"""Tests for generator.render.cards: the social card of a study or of the site, as a PNG."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap

import pytest
from PIL import Image

from generator.render.cards import (
    CARD_HEIGHT,
    CARD_WIDTH,
    Card,
    card_alt,
    card_files,
    card_key,
    card_png,
    headline_lines,
    site_card,
    study_card,
    study_card_path,
)
from tests.conftest import ROOT
from tests.factories import SEED, SITE_NAME, seed_record

CARD = Card(SITE_NAME, "Low-Dose IL-2 Effective in Lupus", ("Systemic lupus erythematosus", "Cohort"), "18 Oct 2019")


def opened(png: bytes) -> Image.Image:
    """The PNG as Pillow reads it, after checking the file is whole."""
    Image.open(io.BytesIO(png)).verify()  # checksums and structure; the image cannot be used after
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


def words(lines: list[str]) -> list[str]:
    return " ".join(lines).split()


# --------------------------------------------------------------------------- the image


def test_a_card_is_a_valid_1200_by_630_png() -> None:
    image = opened(card_png(CARD))
    assert image.format == "PNG" and image.size == (CARD_WIDTH, CARD_HEIGHT) == (1200, 630)
    colours = image.convert("RGB").getcolors(maxcolors=256)
    assert colours is not None and len(colours) > 10  # text is anti-aliased
    assert max(colours)[1] == (255, 255, 255)  # mostly white: the background


def test_a_card_with_the_longest_headline_stays_small() -> None:
    """Every study has a card, so its bytes count once per study in the published site."""
    longest = Card(SITE_NAME, "Word " * 40, ("Antineutrophil cytoplasmic antibody vasculitis", "Cohort"), CARD.date)
    assert len(card_png(longest)) <= 16_000
    assert len(card_png(CARD)) <= 14_000


def test_the_same_card_gives_the_same_bytes_even_in_another_process() -> None:
    here = card_png(CARD)
    assert card_png(CARD) == here
    script = textwrap.dedent(
        f"""
        import sys
        from generator.render.cards import Card, card_png
        sys.stdout.buffer.write(card_png(Card(*{(CARD.site_name, CARD.headline, CARD.tags, CARD.date)!r})))
        """
    )
    there = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, check=True).stdout
    assert there == here


@pytest.mark.parametrize(
    "other",
    [
        Card(SITE_NAME, "Low-Dose IL-2 Effective in Lupus Nephritis", CARD.tags, CARD.date),
        Card(SITE_NAME, CARD.headline, ("Gout", "Cohort"), CARD.date),
        Card(SITE_NAME, CARD.headline, CARD.tags, "19 Oct 2019"),
        Card("Another Site", CARD.headline, CARD.tags, CARD.date),
    ],
    ids=["title", "condition", "date", "site name"],
)
def test_anything_the_card_shows_changes_the_image_and_its_key(other: Card) -> None:
    assert card_png(other) != card_png(CARD)
    assert card_key(other) != card_key(CARD)
    assert card_key(Card(*(CARD.site_name, CARD.headline, CARD.tags, CARD.date))) == card_key(CARD)


def test_greek_letters_and_accents_are_drawn_and_cjk_characters_are_the_fonts_empty_box() -> None:
    def headline(text: str) -> bytes:
        return card_png(Card(SITE_NAME, text, CARD.tags, CARD.date))

    assert headline("Sjögren's disease and TNF-α") != headline("Sjogren's disease and TNF-a")
    assert headline("TNF-α blockers ≥ 50%") != headline("TNF-β blockers ≥ 50%")
    # FiraGO has no Chinese or Japanese: every such character is the same box, so any two give one image.
    assert headline("Lupus in 日本の患者") == headline("Lupus in 患者の日本")
    opened(headline("シェーグレン症候群の患者における研究" * 4))


# --------------------------------------------------------------------------- the headline


def test_a_short_headline_is_drawn_large_and_whole() -> None:
    size, lines = headline_lines(CARD)
    assert size >= 60 and words(lines) == CARD.headline.split() and not lines[-1].endswith("…")


def test_the_longest_title_a_study_may_have_is_never_shortened() -> None:
    title = ("Rituximab versus cyclophosphamide induction in ANCA-associated vasculitis with severe renal "
             "involvement: a multicentre registry analysis of 1,024 adults")  # fmt: skip
    title = (title + " over ten years of follow-up")[:150].rsplit(" ", 1)[0]
    size, lines = headline_lines(Card(SITE_NAME, title, CARD.tags, CARD.date))
    assert words(lines) == title.split()  # every word, none cut
    assert 40 <= size < 72 and 1 < len(lines) <= 6


def test_a_300_character_headline_ends_at_a_word_with_an_ellipsis() -> None:
    title = " ".join(["Sjögren's disease and TNF-α ≥ 50% improvement"] * 7)[:300]
    card = Card(SITE_NAME, title, ("Idiopathic inflammatory myopathies", "Mortality trend analysis"), "30 Dec 2025")
    size, lines = headline_lines(card)
    assert size == 40 and lines[-1].endswith("…")
    shown = words(lines)
    shown[-1] = shown[-1].removesuffix("…")
    assert shown == title.split()[: len(shown)]  # the first words, each whole
    assert len(shown) < len(title.split())
    opened(card_png(card))


def test_lines_are_even_rather_than_full_lines_and_a_lone_word() -> None:
    # Filling each line would leave "Lupus" alone on the third.
    title = "Anifrolumab Reduces Disease Activity in Moderate to Severe Lupus"
    _, lines = headline_lines(Card(SITE_NAME, title, CARD.tags, CARD.date))
    assert lines == ["Anifrolumab Reduces", "Disease Activity in", "Moderate to Severe Lupus"]


def test_a_word_wider_than_a_line_is_split_rather_than_lost() -> None:
    word = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 3
    _, lines = headline_lines(Card(SITE_NAME, word, CARD.tags, CARD.date))
    assert "".join(lines) == word and len(lines) > 1
    opened(card_png(Card(SITE_NAME, word, (word, word), CARD.date)))  # chips too long as well


def test_control_characters_and_lone_surrogates_are_left_out() -> None:
    card = Card(SITE_NAME, "Line\nbreak\x00 and \u202e bidi \ud800 text", CARD.tags, CARD.date)
    _, lines = headline_lines(card)
    assert words(lines) == ["Line", "break", "and", "bidi", "text"]
    opened(card_png(card))


# --------------------------------------------------------------------------- a study's card and the site's


def test_a_study_card_shows_the_title_condition_design_and_date() -> None:
    card = study_card(seed_record("low-dose-il2-sle"), SEED, SITE_NAME)
    assert card == Card(
        SITE_NAME,
        "Low-Dose IL-2 Effective in Lupus",
        ("Systemic lupus erythematosus", "Randomized controlled trial"),
        "18 Oct 2019",
    )
    assert study_card_path("low-dose-il2-sle") == "studies/low-dose-il2-sle/card.png"


def test_the_site_card_shows_the_description_or_else_the_name() -> None:
    assert site_card(SITE_NAME, "Research in brief.") == Card(SITE_NAME, "Research in brief.")
    assert site_card(SITE_NAME, "") == Card(SITE_NAME, SITE_NAME)
    assert opened(card_png(site_card(SITE_NAME, "Research in brief."))).size == (1200, 630)


def test_the_alternative_text_says_what_the_card_shows() -> None:
    assert card_alt(CARD) == (
        "Rheum Evidence: “Low-Dose IL-2 Effective in Lupus”; Systemic lupus erythematosus, Cohort; 18 Oct 2019"
    )
    assert card_alt(site_card(SITE_NAME, "Research\nin brief.")) == "Rheum Evidence: “Research in brief.”"


# --------------------------------------------------------------------------- drawing once


def test_cards_in_the_store_are_not_drawn_again() -> None:
    store: dict[str, bytes] = {}
    other = Card(SITE_NAME, "Another headline", CARD.tags, CARD.date)
    files = card_files({"a/card.png": CARD, "b/card.png": CARD, "c/card.png": other}, store)
    assert files == {"a/card.png": card_png(CARD), "b/card.png": card_png(CARD), "c/card.png": card_png(other)}
    assert store == {card_key(CARD): card_png(CARD), card_key(other): card_png(other)}  # each card once
    store[card_key(CARD)] = b"kept"
    again = card_files({"a/card.png": CARD, "c/card.png": other}, store)
    assert again == {"a/card.png": b"kept", "c/card.png": card_png(other)}


def test_without_a_store_every_card_is_drawn() -> None:
    assert card_files({"x.png": CARD}) == {"x.png": card_png(CARD)}
