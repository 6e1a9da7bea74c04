"""Related studies, "More like this": ranked by shared, explainable signals.

For each published study every other published study can earn points from
eight signals, always added up in this order:

``same_condition``
    both studies have the same primary ``condition``;
``shared_conditions``
    each further condition both studies touch: the declared ``condition`` and
    ``also_conditions``, plus conditions named in the title, summary or
    interventions through the vocabulary's names and synonyms ("lupus" in a
    title means ``sle``);
``topics``
    each shared topic (case and spacing ignored), weighted by its rarity;
``drug_classes``
    each drug class both studies name (a drug brings its classes, see
    :mod:`generator.derive.treatments`), weighted by its rarity;
``design``
    both studies belong to the same design family (both trials, both
    observational, both reviews; the family ``other`` never matches);
``interventions``
    each shared term of the interventions text (arm labels and interventions,
    comparator), weighted by rarity;
``terms``
    each shared term of the title and summary, weighted by rarity;
``recency``
    a mild bonus for the candidate's freshness, halving every
    ``recency_half_life_days`` before the newest study of the corpus.

Rarity is IDF-like and bounded: a feature found in ``df`` studies weighs
``log(D / df) / log(D)``, where ``D`` is the document-frequency cut-off
``max(rarity_cutoff_min, rarity_cutoff_share * N)``.  A topic on 2 studies thus
says far more than one on 500, and a feature found in ``D`` or more studies says
nothing at all: it is as good as a stop word, which is what lets the inverted
index skip it.

Candidates are never all pairs.  They come from an inverted index (a sparse
study-by-feature matrix, so that a study meets exactly the studies that share a
weighted feature with it) and from condition buckets (the latest studies of
each of its conditions, overall and within its design family).  A candidate
reached only through a bucket shares no feature, so its score depends only on
the conditions and design it shares and on its date: within a bucket the latest
are the best (a study sharing several conditions and nothing else could, rarely,
be passed over for a newer one sharing fewer).  The score of every candidate is
exact, and recency is only ever computed for candidates.

Editors steer the list: ``pin`` slugs come first in their order, ``exclude``
slugs never appear (exclusion wins over pinning), and a study never lists
itself or a draft.  Pins count towards ``count`` (and are all shown, even past
it).  When fewer than ``count`` studies reach ``min_score``, the list is filled
with the latest studies of the same condition, then the latest overall, and
those items say so.  Every item carries the reason line a reader sees, made of
its strongest signals; :func:`explain` prints every signal's points.

The result is deterministic: studies are put in a canonical order (newest
first, then slug) before anything is computed, contributions are added in a
fixed order and scores are rounded to 1e-9, so the same content gives the same
lists whatever the order of the input.  Ties go to the newer study, then to
the smaller slug.

The module is pure: no MkDocs, no files, no clock.
"""

# Hand-written on purpose: text-similarity libraries rank by one opaque
# similarity; none combines weighted, editor-facing signals with a per-signal
# breakdown, pins, exclusions and labelled fills.

from __future__ import annotations

import itertools
import math
import operator
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from functools import lru_cache
from typing import Any, Literal, NamedTuple

import numpy as np
from scipy import sparse

from generator.derive.collector import collector_paused

__all__ = [
    "ConditionTerms",
    "RelatedConfig",
    "RelatedInput",
    "RelatedItem",
    "SIGNALS",
    "compute_related",
    "explain",
]

SIGNALS: tuple[str, ...] = (
    "same_condition",
    "shared_conditions",
    "topics",
    "drug_classes",
    "design",
    "interventions",
    "terms",
    "recency",
)
"""The signals, in the fixed order in which their contributions are added."""

_DESIGN_FAMILIES = ("trial", "observational", "review", "other")
_FAMILY_PHRASES = {
    "trial": "Both trials",
    "observational": "Both observational studies",
    "review": "Both reviews",
}


@dataclass(frozen=True)
class ConditionTerms:
    """How the vocabulary names one condition.

    ``short_name`` is what readers see ("SLE"); ``names`` are the full name and
    synonyms ("Systemic lupus erythematosus", "lupus", ...).  Both are matched
    in free text.  An acronym, a word with two or more capitals and no
    lower-case word inside ("SLE", "AS", "SSc", "PM/DM"), matches only with the
    same capitals, so "as" is never ankylosing spondylitis; other words
    ("ANCA-associated", "lupus") match in any case.
    """

    short_name: str
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class RelatedInput:
    """What the engine needs to know about one study."""

    slug: str
    title: str
    summary: str
    published: date
    condition: str
    also_conditions: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    design_family: str = "other"
    interventions: str = ""
    drug_classes: tuple[str, ...] = ()
    """The names of the drug classes the study names ("JAK inhibitors")."""
    pin: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    draft: bool = False


@dataclass(frozen=True)
class Limit:
    """The range a numeric setting accepts: at least ``minimum`` (or above it, with ``above``)."""

    minimum: float
    above: bool = False
    whole: bool = False

    def problem(self, value: object) -> str | None:
        """Why ``value`` is out of range, or None when it is acceptable."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"must be a {'whole number' if self.whole else 'number'}, got {value!r}"
        if self.whole and not isinstance(value, int):
            return f"must be a whole number, got {value!r}"
        if not math.isfinite(value):
            return f"must be a finite number, got {value!r}"
        bound = int(self.minimum) if self.whole else self.minimum
        if value < self.minimum or (self.above and value == self.minimum):
            return f"must be {'greater than' if self.above else 'at least'} {bound}, got {value!r}"
        return None


def _setting(default: float, minimum: float, *, above: bool = False) -> Any:
    limit = Limit(minimum, above, whole=isinstance(default, int))
    return field(default=default, metadata={"limit": limit})


@dataclass(frozen=True)
class RelatedConfig:
    """Weights and limits of "More like this" (the plugin options of the same names).

    Weights are points; rarity-weighted signals give at most their weight per
    shared feature (a feature on two studies of a small corpus gives ~80% of it).
    Each field's :class:`Limit` (``limit`` in its metadata) is its accepted range.
    """

    count: int = _setting(5, 1)
    """How many related studies a page lists."""
    min_score: float = _setting(1.5, 0)
    """Points a candidate needs to be listed on merit; below it, fills are used."""
    same_condition: float = _setting(3.0, 0)
    """Points when both studies have the same primary condition."""
    shared_condition: float = _setting(1.0, 0)
    """Points for each further condition both studies touch."""
    shared_topic: float = _setting(2.0, 0)
    """Points for a shared topic, times its rarity."""
    shared_drug_class: float = _setting(1.5, 0)
    """Points for a drug class both studies name, times its rarity."""
    same_design_family: float = _setting(1.0, 0)
    """Points when both designs are trials, or observational, or reviews."""
    shared_intervention: float = _setting(1.0, 0)
    """Points for a shared term of the interventions text, times its rarity."""
    shared_term: float = _setting(0.5, 0)
    """Points for a shared term of the title and summary, times its rarity."""
    recency: float = _setting(0.4, 0)
    """Points for a candidate as new as the newest study; halves every half-life."""
    recency_half_life_days: float = _setting(730.0, 0, above=True)
    """Days over which the recency bonus halves."""
    rarity_cutoff_share: float = _setting(0.0005, 0)
    """Share of the corpus from which a topic or term counts for nothing."""
    rarity_cutoff_min: int = _setting(50, 2)
    """Document frequency from which a topic or term counts for nothing, at least."""
    reason_signals: int = _setting(2, 1)
    """How many signals the reason line names."""

    def __post_init__(self) -> None:
        for item in fields(self):
            if problem := item.metadata["limit"].problem(getattr(self, item.name)):
                raise ValueError(f"related.{item.name} {problem}")


@dataclass(frozen=True, slots=True)
class RelatedItem:
    """One entry of a "More like this" list.

    ``kind`` is ``pinned`` (an editor's pick), ``scored`` (reached the minimum
    score) or ``fill`` (the latest of the condition, or overall).
    """

    slug: str
    score: float
    reason: str
    kind: Literal["pinned", "scored", "fill"]


# -- Text -------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+(?:['’/-][^\W_]+)*")
_GREEK = str.maketrans({"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "κ": "kappa", "λ": "lambda", "’": "'"})
_STOP_WORDS = frozenset(
    """
    a about above after again against all also although among an and any are as at be because been
    before being below between both but by can could did do does doing down during each either few for
    from further had has have having he her here hers him his how however i if in into is it its itself
    just less many may might more most much must my neither no nor not now of off on once only or other
    our out over own per same several she should since so some such than that the their them then there
    these they this those though through thus to too under until up upon very via was we were what when
    where whether which while who whom whose why will with within without would yet you your vs versus
    study trial patient people participant subject adult individual group cohort analysis result
    finding data evidence effect effective efficacy safety safe outcome endpoint primary secondary
    clinical randomised randomized randomly controlled double single blind open label placebo
    multicentre multicenter phase investigator researcher author report reported
    show showed shown find found suggest suggested use used using compared comparison associated
    association related increase increased decrease decreased reduce reduced reduction improve improved
    higher lower high low significant significantly better worse greater large larger small new first
    risk rate ratio mean median total number year month week day daily time dose level levels
    disease treatment therapy treated standard care condition manifestation measure measured
    superior superiority inferior noninferior noninferiority non
    event response responder factor older younger aged age major minor type overall proportion
    percent difference assigned enrolled follow followed baseline composite hazard odds
    confidence interval ci mg g kg µg mcg iu ml twice once every weekly monthly intravenous
    intravenously subcutaneous subcutaneously oral orally mouth infusion injection tablet regimen
    schedule course given receiving received one two three four five six seven eight nine ten
    hundred thousand million half quarter
    """.split()
)


def _fold_word(word: str) -> str:
    """Lower-case, strip accents and fold plurals: ``Flares`` -> ``flare``."""
    decomposed = unicodedata.normalize("NFKD", word)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    if len(folded) > 4 and folded[-1] == "s" and folded[-2] not in "siu'":
        folded = folded[:-3] + "y" if folded.endswith("ies") else folded[:-1]
    return folded


def _is_acronym(word: str) -> bool:
    """Whether a word is an acronym: two capitals or more and no lower-case word inside ("SSc", "PM/DM")."""
    return sum(c.isupper() for c in word) >= 2 and not re.search(r"[^\W\d_A-Z]{3}", word)


def _is_term(folded: str) -> bool:
    """Whether a folded word can be a term: two characters or more, not only numbers and stop words."""
    parts = [part for part in re.split(r"[-/']", folded) if part]
    return len(folded) > 1 and not all(part.isdigit() or part in _STOP_WORDS for part in parts)


def _words(text: str) -> list[str]:
    """The words of ``text`` as written: "IFN-α (n=30)" -> ["IFN-alpha", "n", "30"]."""
    return _WORD.findall(text.translate(_GREEK))


class _TextReader:
    """Reads terms and condition mentions in free text.

    Condition names are matched longest first, acronyms with their capitals
    (see :class:`ConditionTerms`).  Words matched as a condition name are not
    terms.  The reader remembers how it read each
    whitespace-separated chunk of text, which makes reading a large corpus
    several times faster than tokenising every text with a regular expression.
    """

    def __init__(self, conditions: Mapping[str, ConditionTerms]) -> None:
        self._folded: dict[str, str] = {}
        self._chunks: dict[str, tuple[str, ...]] = {}
        self._not_terms: set[str] = set()
        self._topic_keys: dict[str, str] = {}
        names: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for key in sorted(conditions):
            terms = conditions[key]
            for name in sorted({terms.short_name, *terms.names}):
                pattern = tuple(word if _is_acronym(word) else self._fold(word) for word in _words(name))
                if pattern and not (len(pattern) == 1 and pattern[0] in _STOP_WORDS):
                    names.setdefault(self._fold(pattern[0]), []).append((pattern, key))
        self._names = {first: sorted(found, key=lambda n: (-len(n[0]), n)) for first, found in names.items()}

    def _fold(self, word: str) -> str:
        folded = self._folded.get(word)
        if folded is None:
            folded = self._folded[word] = _fold_word(word)
            if not _is_term(folded):
                self._not_terms.add(folded)
        return folded

    def _learn(self, chunk: str) -> None:
        self._chunks[chunk] = tuple(self._fold(word) for word in _words(chunk))

    def read(self, text: str) -> tuple[frozenset[str], frozenset[str]]:
        """(terms, mentioned condition keys) of ``text``."""
        chunks = set(text.lower().split())
        for chunk in chunks.difference(self._chunks):
            self._learn(chunk)
        folded = set(itertools.chain.from_iterable(map(self._chunks.__getitem__, chunks)))
        if self._names.keys().isdisjoint(folded):
            return frozenset(folded.difference(self._not_terms)), frozenset()
        return self._read_with_condition_names(_words(text))

    def _read_with_condition_names(self, written: list[str]) -> tuple[frozenset[str], frozenset[str]]:
        folded = [self._fold(word) for word in written]
        kept: list[str] = []
        mentioned: set[str] = set()
        position = 0
        while position < len(written):
            match = self._condition_at(written, folded, position)
            if match:
                length, key = match
                mentioned.add(key)
                position += length
            else:
                kept.append(folded[position])
                position += 1
        return frozenset(kept).difference(self._not_terms), frozenset(mentioned)

    def _condition_at(self, written: list[str], folded: list[str], position: int) -> tuple[int, str] | None:
        for pattern, key in self._names.get(folded[position], ()):
            end = position + len(pattern)
            if end <= len(written) and all(
                expected in (as_written, as_folded)
                for expected, as_written, as_folded in zip(
                    pattern, written[position:end], folded[position:end], strict=True
                )
            ):
                return len(pattern), key
        return None

    def topic_key(self, topic: str) -> str:
        """The matching key of a topic: case, accents, plurals and spacing ignored."""
        key = self._topic_keys.get(topic)
        if key is None:
            key = self._topic_keys[topic] = " ".join(map(self._fold, _words(topic)))
        return key


# -- The corpus ---------------------------------------------------------------


class _Contribution(NamedTuple):
    """The points one signal gives a pair, and what earned them (best first)."""

    signal: str
    points: float
    labels: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Study:
    """A study prepared for matching."""

    source: RelatedInput
    conditions: frozenset[str]
    """Declared conditions and those named in its text."""
    topic_names: Mapping[str, str]
    """Topic key -> the topic as this study writes it."""
    features: tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]
    """Topic keys, drug class names, intervention terms, title and summary terms (the order of ``_FEATURE_SIGNALS``)."""


_FEATURE_SIGNALS = ("topics", "drug_classes", "interventions", "terms")


@dataclass(frozen=True, slots=True)
class _Corpus:
    """The published studies in canonical order (newest first, then slug), with their indexes."""

    studies: tuple[_Study, ...]
    position: Mapping[str, int]
    short_names: Mapping[str, str]
    config: RelatedConfig
    feature_points: tuple[Mapping[str, float], ...]
    """For each kind of feature, those that count -> the points they give when shared."""
    counted: tuple[tuple[frozenset[str], ...], ...]
    """For each study, its features that count, by kind."""
    weighted: sparse.csr_matrix
    """Study x feature: the points of each feature that counts."""
    incidence_t: sparse.csr_matrix
    """Feature x study: 1 where the study has the feature (the inverted index)."""
    primary: np.ndarray
    family: np.ndarray
    condition_bits: np.ndarray
    recency: np.ndarray
    fixed_contributions: Mapping[tuple[str, str], _Contribution]
    """("same_condition", key), ("design", family) -> its contribution, built once."""
    recency_contributions: tuple[_Contribution, ...]
    by_condition: Mapping[str, tuple[int, ...]]
    """Condition -> the studies touching it, newest first."""
    by_condition_family: Mapping[tuple[str, str], tuple[int, ...]]
    by_primary: Mapping[str, tuple[int, ...]]


@lru_cache(maxsize=2)
def _reader(conditions: tuple[tuple[str, ConditionTerms], ...]) -> _TextReader:
    """The reader of a condition vocabulary: the same one while the vocabulary is, with what it has read."""
    return _TextReader(dict(conditions))


@lru_cache(maxsize=1 << 16)
def _prepare(study: RelatedInput, reader: _TextReader) -> _Study:
    """How the engine sees one study (memoised: `mkdocs serve` reads only the studies an edit changed again)."""
    terms, named_in_text = reader.read(f"{study.title}\n{study.summary}")
    interventions, named_in_interventions = reader.read(study.interventions)
    topic_names: dict[str, str] = {}
    for topic in study.topics:
        if key := reader.topic_key(topic):
            topic_names.setdefault(key, " ".join(topic.split()))
    return _Study(
        source=study,
        conditions=frozenset({study.condition, *study.also_conditions}).union(named_in_text, named_in_interventions),
        topic_names=topic_names,
        features=(frozenset(topic_names), frozenset(study.drug_classes), interventions, terms),
    )


def _rarity(document_frequency: int, cutoff: float) -> float:
    """IDF-like weight in [0, 1]: 1 for a feature of one study, 0 from ``cutoff`` studies on."""
    if document_frequency >= cutoff:
        return 0.0
    return math.log(cutoff / document_frequency) / math.log(cutoff)


def _feature_points(studies: Sequence[_Study], config: RelatedConfig) -> tuple[dict[str, float], ...]:
    """For each kind of feature, the points of those shared by two studies and rare enough to count."""
    cutoff = max(config.rarity_cutoff_min, config.rarity_cutoff_share * len(studies))
    weights = (config.shared_topic, config.shared_drug_class, config.shared_intervention, config.shared_term)
    points = []
    for kind, weight in enumerate(weights):
        frequency = Counter(itertools.chain.from_iterable(study.features[kind] for study in studies))
        counted = sorted(feature for feature, df in frequency.items() if 2 <= df < cutoff)
        points.append({feature: weight * _rarity(frequency[feature], cutoff) for feature in counted if weight})
    return tuple(points)


def _counted_features(
    studies: Sequence[_Study], feature_points: Sequence[Mapping[str, float]]
) -> tuple[tuple[frozenset[str], ...], ...]:
    """For each study, its features that count, by kind."""
    by_kind = []
    for kind, points in enumerate(feature_points):
        kept = frozenset(points)
        by_kind.append([study.features[kind] & kept for study in studies])
    return tuple(zip(*by_kind, strict=True)) if studies else ()


def _feature_matrices(
    counted: Sequence[Sequence[frozenset[str]]], feature_points: Sequence[Mapping[str, float]]
) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """(study x feature points, feature x study incidence): the inverted index, in canonical order."""
    rows, columns, values = [], [], []
    offset = 0
    for kind, points in enumerate(feature_points):
        column = {feature: offset + index for index, feature in enumerate(points)}
        features = [study[kind] for study in counted]
        lengths = np.fromiter(map(len, features), dtype=np.int64, count=len(features))
        rows.append(np.repeat(np.arange(len(features)), lengths))
        columns.append(np.fromiter(map(column.__getitem__, itertools.chain.from_iterable(features)), np.int64))
        values.append(np.fromiter(points.values(), np.float64, count=len(points)))
        offset += len(points)
    column_points = np.concatenate(values)
    row_of, column_of = np.concatenate(rows), np.concatenate(columns)
    shape = (len(counted), offset)
    weighted = sparse.csr_matrix((column_points[column_of], (row_of, column_of)), shape=shape)
    incidence = sparse.csr_matrix((np.ones(len(column_of)), (column_of, row_of)), shape=shape[::-1])
    weighted.sort_indices()
    incidence.sort_indices()
    return weighted, incidence


def _newest_first_buckets(keys_per_study: Iterable[Iterable]) -> dict:
    """Key -> the positions of the studies having it; studies come newest first, and so do buckets."""
    buckets: dict = {}
    for index, keys in enumerate(keys_per_study):
        for key in keys:
            buckets.setdefault(key, []).append(index)
    return {key: tuple(members) for key, members in buckets.items()}


def _condition_bits(studies: Sequence[_Study], keys: Sequence[str]) -> np.ndarray:
    """One row of bits per study: which conditions it touches."""
    bit = {key: index for index, key in enumerate(keys)}
    bits = np.zeros((len(studies), max(1, -(-len(keys) // 64))), dtype=np.uint64)
    for row, study in enumerate(studies):
        for key in study.conditions:
            bits[row, bit[key] // 64] |= np.uint64(1 << (bit[key] % 64))
    return bits


def _fixed_contributions(
    conditions: Mapping[str, ConditionTerms], condition_keys: Iterable[str], config: RelatedConfig
) -> dict[tuple[str, str], _Contribution]:
    """The contributions that depend on a condition or a design family only."""
    fixed = {
        ("same_condition", key): _Contribution(
            "same_condition",
            config.same_condition,
            (conditions[key].short_name if key in conditions else key,),
        )
        for key in condition_keys
    }
    for family in _FAMILY_PHRASES:
        fixed["design", family] = _Contribution("design", config.same_design_family, (family,))
    return fixed


def _build_corpus(
    studies: Iterable[RelatedInput], conditions: Mapping[str, ConditionTerms], config: RelatedConfig
) -> _Corpus:
    """Read the published studies and index them; drafts are left out."""
    published = sorted((s for s in studies if not s.draft), key=lambda s: (-s.published.toordinal(), s.slug))
    position = {study.slug: index for index, study in enumerate(published)}
    if len(position) != len(published):
        duplicates = sorted(slug for slug, n in Counter(s.slug for s in published).items() if n > 1)
        raise ValueError(f"duplicate study slugs: {', '.join(duplicates)}")
    reader = _reader(tuple(sorted(conditions.items())))
    prepared = tuple(_prepare(study, reader) for study in published)
    feature_points = _feature_points(prepared, config)
    counted = _counted_features(prepared, feature_points)
    weighted, incidence_t = _feature_matrices(counted, feature_points)
    condition_keys = sorted({key for study in prepared for key in study.conditions} | set(conditions))
    family_code = {family: code for code, family in enumerate(_DESIGN_FAMILIES) if family != "other"}
    newest = published[0].published.toordinal() if published else 0
    age_days = np.array([newest - s.published.toordinal() for s in published], dtype=np.float64)
    recency = config.recency * np.exp2(-age_days / config.recency_half_life_days)
    return _Corpus(
        studies=prepared,
        position=position,
        short_names={key: terms.short_name for key, terms in conditions.items()},
        config=config,
        feature_points=feature_points,
        counted=counted,
        weighted=weighted,
        incidence_t=incidence_t,
        primary=np.searchsorted(condition_keys, [s.condition for s in published]).astype(np.int32),
        family=np.array([family_code.get(s.design_family, -1) for s in published], dtype=np.int8),
        condition_bits=_condition_bits(prepared, condition_keys),
        recency=recency,
        fixed_contributions=_fixed_contributions(conditions, condition_keys, config),
        recency_contributions=tuple(_Contribution("recency", points, ()) for points in recency.tolist()),
        by_condition=_newest_first_buckets(study.conditions for study in prepared),
        by_condition_family=_newest_first_buckets(
            ((key, s.source.design_family) for key in s.conditions) for s in prepared
        ),
        by_primary=_newest_first_buckets((s.condition,) for s in published),
    )


# -- Scoring ------------------------------------------------------------------


def _rounded(score: float) -> float:
    return round(score, 9) + 0.0


def _bucket_candidates(corpus: _Corpus, conditions: frozenset[str], family: str, depth: int) -> list[int]:
    """The ``depth`` latest studies of each of ``conditions``, overall and in the design ``family``."""
    candidates: dict[int, None] = {}
    for key in sorted(conditions):
        candidates.update(dict.fromkeys(corpus.by_condition[key][:depth]))
        if family != "other":
            candidates.update(dict.fromkeys(corpus.by_condition_family[key, family][:depth]))
    return list(candidates)


def _scored_rankings(corpus: _Corpus, rows: range) -> list[list[int]]:
    """For each row, the candidates reaching ``min_score``, best first (a candidate may repeat)."""
    config = corpus.config
    shared = corpus.weighted[rows.start : rows.stop] @ corpus.incidence_t
    feature_rows = np.repeat(np.arange(len(rows)), np.diff(shared.indptr))

    bucket_rows: list[int] = []
    bucket_columns: list[int] = []
    buckets: dict[tuple[frozenset[str], str, int], list[int]] = {}
    for offset, row in enumerate(rows):
        study = corpus.studies[row]
        source = study.source
        depth = config.count + len(source.pin) + len(source.exclude) + 1
        key = (study.conditions, source.design_family, depth)
        found = buckets.get(key)
        if found is None:
            found = buckets[key] = _bucket_candidates(corpus, *key)
        bucket_rows.extend([offset] * len(found))
        bucket_columns.extend(found)
    bucket_shared = np.asarray(shared[bucket_rows, bucket_columns]).ravel() if bucket_rows else np.zeros(0)

    local = np.concatenate([feature_rows, np.asarray(bucket_rows, dtype=np.int64)])
    other = np.concatenate([shared.indices.astype(np.int64), np.asarray(bucket_columns, dtype=np.int64)])
    this = local + rows.start

    # The signals in their fixed order; the feature signals come summed by the index.
    same = corpus.primary[this] == corpus.primary[other]
    bits = corpus.condition_bits
    overlap = np.bitwise_count(bits[this] & bits[other]).sum(axis=1, dtype=np.int64) - same
    family = corpus.family[this]
    score = same * config.same_condition
    score += overlap * config.shared_condition
    score += ((family == corpus.family[other]) & (family >= 0)) * config.same_design_family
    score += np.concatenate([shared.data, bucket_shared])
    score += corpus.recency[other]

    minimum = _rounded(config.min_score)
    near = (score >= minimum - 1e-6) & (this != other)
    local, other, score = local[near], other[near], np.round(score[near], 9)
    keep = score >= minimum
    local, other, score = local[keep], other[keep], score[keep]
    order = np.lexsort((other, -score, local))  # row, best score, then newest and smaller slug
    bounds = np.searchsorted(local[order], np.arange(len(rows) + 1))
    ranked = other[order].tolist()
    return [ranked[bounds[i] : bounds[i + 1]] for i in range(len(rows))]


def _shared_features(corpus: _Corpus, row: int, kind: int, shared: frozenset[str]) -> _Contribution:
    points = corpus.feature_points[kind]
    best_first = sorted(shared, key=lambda feature: (-points[feature], feature))
    labels = tuple(map(corpus.studies[row].topic_names.__getitem__, best_first)) if kind == 0 else best_first
    return _Contribution(_FEATURE_SIGNALS[kind], math.fsum(map(points.__getitem__, best_first)), tuple(labels))


def _breakdown(corpus: _Corpus, row: int, other: int) -> list[_Contribution]:
    """The signals that earn ``other`` points on the page of ``row``, in the order of ``SIGNALS``."""
    config, short = corpus.config, corpus.short_names
    a, b = corpus.studies[row], corpus.studies[other]
    mine, theirs = corpus.counted[row], corpus.counted[other]
    condition, family = a.source.condition, a.source.design_family
    earned = []
    also = a.conditions & b.conditions
    if condition == b.source.condition:
        earned.append(corpus.fixed_contributions["same_condition", condition])
        also = also - {condition}
    if also:
        labels = tuple(short.get(key, key) for key in sorted(also))
        earned.append(_Contribution("shared_conditions", config.shared_condition * len(also), labels))
    for kind in (0, 1):  # topics, drug classes
        if shared := mine[kind] & theirs[kind]:
            earned.append(_shared_features(corpus, row, kind, shared))
    if family == b.source.design_family and family in _FAMILY_PHRASES:
        earned.append(corpus.fixed_contributions["design", family])
    for kind in (2, 3):  # interventions, terms
        if shared := mine[kind] & theirs[kind]:
            earned.append(_shared_features(corpus, row, kind, shared))
    earned.append(corpus.recency_contributions[other])
    return [contribution for contribution in earned if contribution.points > 0]


def _total(contributions: Sequence[_Contribution]) -> float:
    return _rounded(math.fsum([contribution.points for contribution in contributions]))


def _phrase(contribution: _Contribution) -> str:
    """How a reader sees one signal: "Shared topics: interferon-alpha, flares"."""
    labels = contribution.labels
    listed = ", ".join(labels[:3])
    plural = "s" if len(labels) > 1 else ""
    match contribution.signal:
        case "same_condition":
            return f"Same condition: {listed}"
        case "shared_conditions":
            return f"Also about {listed}"
        case "topics":
            return f"Shared topic{plural}: {listed}"
        case "drug_classes":
            return f"Same drug class{'es' if plural else ''}: {listed}"
        case "design":
            return _FAMILY_PHRASES[labels[0]]
        case "interventions":
            return f"Similar intervention{plural}: {listed}"
        case "terms":
            return f"Shared term{plural}: {listed}"
        case _:  # recency
            return "Recent"


_points = operator.attrgetter("points")


def _reason(contributions: Sequence[_Contribution], limit: int) -> str:
    """The ``limit`` signals that give most points, named in the order of ``SIGNALS``.

    Recency is named only when nothing else counts.
    """
    earned = [c for c in contributions if c.signal != "recency"] or contributions
    top = sorted(earned, key=_points, reverse=True)[:limit]  # stable: ties keep the order of SIGNALS
    return " · ".join(_phrase(c) for c in earned if c in top)


# -- Lists --------------------------------------------------------------------


def _editor_choices(corpus: _Corpus, row: int) -> tuple[list[int], set[int]]:
    """(pinned rows in order, excluded rows) for the page of ``row``; unknown slugs are ignored."""
    source = corpus.studies[row].source
    if not source.pin and not source.exclude:
        return [], {row}
    excluded = {corpus.position[slug] for slug in source.exclude if slug in corpus.position} | {row}
    pinned = [corpus.position[slug] for slug in dict.fromkeys(source.pin) if slug in corpus.position]
    return [p for p in pinned if p not in excluded], excluded


def _fills(corpus: _Corpus, row: int, taken: set[int], wanted: int) -> list[tuple[int, str]]:
    """The latest studies of the same condition, then the latest overall, with their reasons."""
    condition = corpus.studies[row].source.condition
    same_condition = f"Latest in {corpus.short_names.get(condition, condition)}"
    fills: list[tuple[int, str]] = []
    for pool, reason in (
        (corpus.by_primary[condition], same_condition),
        (range(len(corpus.studies)), "Latest study"),
    ):
        for other in pool:
            if len(fills) == wanted:
                return fills
            if other not in taken:
                taken.add(other)
                fills.append((other, reason))
    return fills


def _item(
    corpus: _Corpus, row: int, other: int, kind: Literal["pinned", "scored", "fill"], fill_reason: str = ""
) -> RelatedItem:
    contributions = _breakdown(corpus, row, other)
    limit = corpus.config.reason_signals
    if kind == "pinned":
        signals = [c for c in contributions if c.signal != "recency"]
        reason = " · ".join(filter(None, ("Editors' pick", _reason(signals, limit - 1) if limit > 1 else "")))
    elif kind == "fill":
        reason = fill_reason
    else:
        reason = _reason(contributions, limit)
    return RelatedItem(corpus.studies[other].source.slug, _total(contributions), reason, kind)


def _related_list(corpus: _Corpus, row: int, ranked: Sequence[int]) -> tuple[RelatedItem, ...]:
    count = corpus.config.count
    pinned, excluded = _editor_choices(corpus, row)
    taken = excluded | set(pinned)
    items = [_item(corpus, row, other, "pinned") for other in pinned]
    for other in ranked:
        if len(items) >= count:
            break
        if other not in taken:
            taken.add(other)
            items.append(_item(corpus, row, other, "scored"))
    if len(items) < count:
        for other, reason in _fills(corpus, row, taken, count - len(items)):
            items.append(_item(corpus, row, other, "fill", reason))
    return tuple(items)


_CHUNK_ROWS = 2048
"""Studies ranked at once: bounds the memory of the sparse products."""


def compute_related(
    studies: Iterable[RelatedInput],
    conditions: Mapping[str, ConditionTerms],
    config: RelatedConfig | None = None,
) -> dict[str, tuple[RelatedItem, ...]]:
    """The "More like this" list of every published study, keyed by slug (in slug order)."""
    with collector_paused():
        corpus = _build_corpus(studies, conditions, config or RelatedConfig())
        lists: dict[str, tuple[RelatedItem, ...]] = {}
        for start in range(0, len(corpus.studies), _CHUNK_ROWS):
            rows = range(start, min(start + _CHUNK_ROWS, len(corpus.studies)))
            for row, ranked in zip(rows, _scored_rankings(corpus, rows), strict=True):
                lists[corpus.studies[row].source.slug] = _related_list(corpus, row, ranked)
        return dict(sorted(lists.items()))


def explain(
    studies: Iterable[RelatedInput],
    conditions: Mapping[str, ConditionTerms],
    slug: str,
    config: RelatedConfig | None = None,
) -> str:
    """A text table of the list of ``slug``: every item, every signal's points, and why."""
    with collector_paused():
        corpus = _build_corpus(studies, conditions, config or RelatedConfig())
    if slug not in corpus.position:
        raise KeyError(f"no published study with the slug {slug!r}")
    row = corpus.position[slug]
    items = _related_list(corpus, row, _scored_rankings(corpus, range(row, row + 1))[0])
    settings = corpus.config
    header = ("#", "kind", "score", *SIGNALS, "study")
    table = [header]
    details = []
    for rank, item in enumerate(items, start=1):
        contributions = {c.signal: c for c in _breakdown(corpus, row, corpus.position[item.slug])}
        points = (f"{contributions[s].points:.3f}" if s in contributions else "-" for s in SIGNALS)
        table.append((str(rank), item.kind, f"{item.score:.3f}", *points, item.slug))
        published = corpus.studies[corpus.position[item.slug]].source.published.isoformat()
        labels = {
            **{signal: ", ".join(c.labels) for signal, c in contributions.items()},
            "recency": published,
        }
        earned = "; ".join(f"{signal}: {labels[signal]}" for signal in contributions)
        details.append(f"{rank}. {item.slug}\n   reason: {item.reason}\n   signals: {earned or 'none'}")
    widths = [max(len(line[column]) for line in table) for column in range(len(header))]
    lines = [
        f"More like this for {slug} (count {settings.count}, min score {settings.min_score:g})",
        "",
        *(
            "  ".join(
                cell.ljust(width) if column in (1, len(header) - 1) else cell.rjust(width)
                for column, (cell, width) in enumerate(zip(line, widths, strict=True))
            ).rstrip()
            for line in table
        ),
        "",
        *details,
    ]
    return "\n".join(lines) + "\n"
