"""Which drugs and drug classes a study is about, from the names its own text uses.

A study names a drug in its title, topics, comparator or arms (label and
intervention) by the generic name, a brand or a synonym of
``site_data/drugs.yaml``, compared as :func:`generator.read.drugs.term_key`
compares names.  A drug brings its classes; a class is also named directly
("calcium channel blockers").  An abbreviation written in capitals (MTX,
CNI, ERA) counts only when the study writes it in capitals as a word, so the
English "era" or "as" never makes a match.

What a study *compares* is narrower: a drug given in every arm is
background therapy (cyclophosphamide under both arms of a steroid-sparing
trial) and says little about which studies are like it, so "More like this"
counts only the classes of :attr:`Treatments.compared`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from generator.read.content import Content, StudyRecord
from generator.read.drugs import term_key
from generator.read.model import Drug, DrugClass

__all__ = [
    "TreatmentMatcher",
    "Treatments",
    "content_treatments",
    "is_abbreviation",
    "study_text",
    "unplaced_drug_names",
]

# Endings the WHO gives International Nonproprietary Names of a kind ("The use of stems in the selection of
# INN", WHO): a word ending so is a drug name, whatever the vocabulary knows.  Only stems no English word of
# a study's arms ends with are used (not -pril: April; not -cept alone: concept, except, intercept).
_INN_STEM = re.compile(
    r"\b([a-z]{3,}(mab|nib|kinra|xaban|gatran|sartan|opril|april|dipine|limus|lisib|coxib|dronate|vastatin|parin|"
    r"siran|tacept|nercept|bercept|nacept|cicept))\b"
)


@dataclass(frozen=True)
class Treatments:
    """The drug keys and class keys a study names, in vocabulary order."""

    drugs: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    compared: tuple[str, ...] = ()
    """The classes of what the study compares: named in its title or comparator, or in some of its arms but
    not in all of them (with fewer than two arms, in any).  Topics often name the background therapy."""


def is_abbreviation(name: str) -> bool:
    """Whether ``name`` is an abbreviation in capitals (MTX, HCQ, JAKi), matched only as written."""
    letters = [c for c in name if c.isalpha()]
    return len(name) <= 6 and sum(c.isupper() for c in letters) >= max(2, len(letters) - 1)


def study_text(record: StudyRecord) -> tuple[str, list[str], list[str]]:
    """What a study says was given: its title and comparator; its topics; the text of each arm."""
    study = record.study
    arms = [f"{arm.label}\n{arm.intervention or ''}" for arm in study.study.arms]
    return f"{study.title}\n{study.study.comparator or ''}", list(study.topics), arms


def unplaced_drug_names(record: StudyRecord, matcher: TreatmentMatcher) -> list[tuple[tuple[str | int, ...], str]]:
    """Drug names (by their INN stem) in the title, comparator, topics or arms that the vocabulary does not know.

    Each comes once, with the path of the first field that writes it: ``(("study", "arms", 0, "label"), "x")``.
    """
    study = record.study
    fields: list[tuple[tuple[str | int, ...], str]] = [(("title",), study.title)]
    fields += [(("study", "comparator"), study.study.comparator or "")]
    fields += [(("topics", index), topic) for index, topic in enumerate(study.topics)]
    for index, arm in enumerate(study.study.arms):
        fields += [(("study", "arms", index, "label"), arm.label)]
        fields += [(("study", "arms", index, "intervention"), arm.intervention or "")]
    found: dict[str, tuple[str | int, ...]] = {}
    for path, text in fields:
        for match in _INN_STEM.finditer(text.lower()):
            if not matcher.knows(match[1]):
                found.setdefault(match[1], path)
    return [(path, name) for name, path in found.items()]


def content_treatments(content: Content) -> dict[str, Treatments]:
    """The drugs and classes each study of ``content`` (drafts included) names, by slug: a build computes it once.

    Memoised between builds (`mkdocs serve`): while the vocabulary is the same, a study whose text is
    the same is not matched again.
    """
    fingerprints = content.fingerprints
    vocabulary = _Vocabulary(
        (tuple(fingerprints["drugs"].items()), tuple(fingerprints["drug_classes"].items())),
        content.drugs,
        content.drug_classes,
    )
    matcher = _matcher(vocabulary)
    return {record.slug: _treatments(matcher, *_hashable(study_text(record))) for record in content.studies}


@dataclass(frozen=True)
class _Vocabulary:
    """The drug vocabulary, equal to another while their entries' fingerprints are: a memo's key."""

    key: tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]
    drugs: Mapping[str, Drug] = field(compare=False)
    classes: Mapping[str, DrugClass] = field(compare=False)


@lru_cache(maxsize=2)
def _matcher(vocabulary: _Vocabulary) -> TreatmentMatcher:
    """The matcher of a vocabulary: the same one while the vocabulary is."""
    return TreatmentMatcher(vocabulary.drugs, vocabulary.classes)


@lru_cache(maxsize=1 << 16)
def _treatments(matcher: TreatmentMatcher, about: str, topics: tuple[str, ...], arms: tuple[str, ...]) -> Treatments:
    return matcher.treatments(about, list(topics), list(arms))


def _hashable(text: tuple[str, list[str], list[str]]) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    about, topics, arms = text
    return about, tuple(topics), tuple(arms)


_Entry = tuple[str, str]  # ("drug" or "class", key)


class TreatmentMatcher:
    """Every name of the vocabulary, read once: word keys looked up by n-gram, abbreviations by one pattern.

    Looking each run of up to the longest name's number of words up in a dict gives the same answer as
    searching the study's text for every name, in time that does not grow with the vocabulary.
    """

    def __init__(self, drugs: Mapping[str, Drug], classes: Mapping[str, DrugClass]) -> None:
        self._drugs, self._classes = drugs, classes
        self._keys: dict[str, _Entry] = {}
        written: dict[str, _Entry] = {}
        named = [(("drug", key), (drug.name, *drug.brands, *drug.synonyms)) for key, drug in drugs.items()]
        named += [(("class", key), (entry.name, *entry.synonyms)) for key, entry in classes.items()]
        for owner, names in named:
            for name in names:
                if is_abbreviation(name):
                    written[name] = owner
                elif key := term_key(name):
                    self._keys.setdefault(key, owner)
        self._longest = max((key.count(" ") + 1 for key in self._keys), default=0)
        self._written = written
        alternatives = "|".join(map(re.escape, sorted(written, key=lambda name: (-len(name), name))))
        self._pattern = re.compile(rf"(?<![\w-])({alternatives})s?(?![\w-])") if written else None

    def knows(self, name: str) -> bool:
        """Whether ``name`` is a name of the vocabulary."""
        return term_key(name) in self._keys

    def class_name(self, key: str) -> str:
        """The name of the class ``key`` ("JAK inhibitors")."""
        return self._classes[key].name

    def treatments(self, about: str, topics: list[str], arms: list[str]) -> Treatments:
        """What a study names whose title and comparator say ``about``, and its ``topics`` and ``arms``."""
        named = self._found(about)
        in_arms = [self._found(arm) for arm in arms]
        everywhere = set.intersection(*in_arms) if len(in_arms) > 1 else set()
        found = named.union(*in_arms, *map(self._found, topics))
        compared = named.union(*(arm - everywhere for arm in in_arms))
        drugs, classes = self._ordered(found)
        return Treatments(drugs, classes, self._ordered(compared)[1])

    def _ordered(self, found: set[_Entry]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(drugs, classes) of ``found`` in vocabulary order; a drug brings its classes."""
        drugs = [key for key in self._drugs if ("drug", key) in found]
        in_classes = {class_key for key in drugs for class_key in self._drugs[key].classes}
        in_classes.update(key for kind, key in found if kind == "class")
        return tuple(drugs), tuple(key for key in self._classes if key in in_classes)

    def _found(self, text: str) -> set[_Entry]:
        """The entries ``text`` names."""
        found: set[_Entry] = set()
        words = term_key(text).split(" ")
        for start in range(len(words)):
            for end in range(start + 1, min(start + self._longest, len(words)) + 1):
                if owner := self._keys.get(" ".join(words[start:end])):
                    found.add(owner)
        if self._pattern is not None:
            found.update(self._written[match[1]] for match in self._pattern.finditer(text))
        return found
