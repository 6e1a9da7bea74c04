"""The drug vocabulary's rules across entries, and the one way names are compared.

``site_data/drugs.yaml`` is validated field by field by
:class:`generator.read.model.DrugVocabulary`; this module adds what the model
cannot see: every class a drug names exists, and no name (generic, brand,
synonym, class name) stands for two entries, since search and the study
links would not know which one is meant.  :func:`term_key` is how every
name is compared, here, in the study links and (written again in
JavaScript, tested against this) on the search page.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from generator.errors import Problem
from generator.read.loader import Document
from generator.read.model import DrugVocabulary

__all__ = ["term_key", "vocabulary_problems"]

# Each step is one the search page's JavaScript does the same way (tests/render/test_search_key.py runs both):
# lower case, compatibility decomposition, marks dropped, a possessive 's before anything but a letter, digit
# or underscore dropped, then words split at white space (Python's and JavaScript's together) and punctuation.
_POSSESSIVE = re.compile(r"['’]s(?!\w)")
_SEPARATORS = re.compile(r"[\s\ufeff\-‐‑–—_/'’.,;:()]+")
_NOT_PLURAL = ("ss", "is", "us")


@lru_cache(maxsize=1 << 16)  # pure; a rebuild while serving, and every "Placebo" arm, asks again
def term_key(text: str) -> str:
    """``text`` as names are compared: case, accents, hyphens, apostrophes and a plural ``s`` of each word ignored.

    ``"JAK inhibitors"``, ``"jak-inhibitor"`` and ``"Jak Inhibitor"`` have one key; so have
    ``"Sjögren's"`` and ``"sjogren"``.
    """
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))
    words = [word for word in _SEPARATORS.split(_POSSESSIVE.sub("", plain)) if word]
    return " ".join(word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith(_NOT_PLURAL) else word
                    for word in words)  # fmt: skip


def vocabulary_problems(document: Document, vocabulary: DrugVocabulary) -> list[Problem]:
    """Unknown class keys and names given to two entries, each at its line."""
    problems = []
    owners: dict[str, str] = {}

    def claim(key: str, owner: str, path: tuple[str | int, ...], name: str) -> None:
        if not key:
            return
        if key in owners and owners[key] != owner:
            problems.append(document.problem(path, f"`{name}` is already a name of `{owners[key]}`; give it to one"))
        else:
            owners[key] = owner

    for key, entry in vocabulary.classes.items():
        claim(term_key(entry.name), key, ("classes", key, "name"), entry.name)
        for index, name in enumerate(entry.synonyms):
            claim(term_key(name), key, ("classes", key, "synonyms", index), name)
    for key, drug in vocabulary.drugs.items():
        for index, class_key in enumerate(drug.classes):
            if class_key not in vocabulary.classes:
                message = f"unknown class `{class_key}`; add it under `classes:`"
                problems.append(document.problem(("drugs", key, "classes", index), message))
        claim(term_key(drug.name), key, ("drugs", key, "name"), drug.name)
        for field in ("brands", "synonyms"):
            for index, name in enumerate(getattr(drug, field)):
                claim(term_key(name), key, ("drugs", key, field, index), name)
    return problems
