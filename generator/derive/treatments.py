"""Which drugs and drug classes a study is about, from the names its own text uses.

A study names a drug in its title, topics, comparator or arms (label and
intervention) by the generic name, a brand or a synonym of
``site_data/drugs.yaml``, compared as :func:`generator.read.drugs.term_key`
compares names.  A drug brings its classes; a class is also named directly
("calcium channel blockers").  An abbreviation written in capitals (MTX,
CNI, ERA) counts only when the study writes it in capitals as a word, so the
English "era" or "as" never makes a match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from generator.read.content import StudyRecord
from generator.read.drugs import term_key
from generator.read.model import Drug, DrugClass

__all__ = ["Treatments", "is_abbreviation", "study_text", "treatments"]


@dataclass(frozen=True)
class Treatments:
    """The drug keys and class keys a study names, in vocabulary order."""

    drugs: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()


def is_abbreviation(name: str) -> bool:
    """Whether ``name`` is an abbreviation in capitals (MTX, HCQ, JAKi), matched only as written."""
    letters = [c for c in name if c.isalpha()]
    return len(name) <= 6 and sum(c.isupper() for c in letters) >= max(2, len(letters) - 1)


def study_text(record: StudyRecord) -> str:
    """The parts of a study that say what was given: title, topics, comparator and arms."""
    study = record.study
    parts = [study.title, *study.topics, study.study.comparator or ""]
    parts += [text for arm in study.study.arms for text in (arm.label, arm.intervention or "")]
    return "\n".join(parts)


def treatments(record: StudyRecord, drugs: Mapping[str, Drug], classes: Mapping[str, DrugClass]) -> Treatments:
    """The drugs and classes ``record`` names."""
    text = study_text(record)
    keyed = f" {term_key(text)} "
    named = [key for key, drug in drugs.items() if _names(text, keyed, (drug.name, *drug.brands, *drug.synonyms))]
    found = {class_key for key in named for class_key in drugs[key].classes}
    found |= {key for key, entry in classes.items() if _names(text, keyed, (entry.name, *entry.synonyms))}
    return Treatments(tuple(named), tuple(key for key in classes if key in found))


def _names(text: str, keyed: str, names: Iterable[str]) -> bool:
    for name in names:
        pattern, key = _matcher(name)
        if pattern is not None:
            if pattern.search(text):
                return True
        elif key and key in keyed:
            return True
    return False


@lru_cache(maxsize=8192)
def _matcher(name: str) -> tuple[re.Pattern[str] | None, str]:
    """How ``name`` is found: as written (an abbreviation), else by its padded :func:`term_key`.

    Cached: every study is matched against the whole vocabulary, and keying the same names again for each
    study was most of the generator's time on a large site.
    """
    if is_abbreviation(name):
        return re.compile(rf"(?<![\w-]){re.escape(name)}s?(?![\w-])"), ""
    key = term_key(name)
    return None, f" {key} " if key else ""
