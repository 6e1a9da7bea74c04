"""Typed models of the study file and of ``site_data/`` (the contract, v1).

These models are the single source of truth for the shape of a study file:
the validator checks files with them and ``python -m generator schema`` turns
them into the JSON Schema editors' tools use.  Values arrive from the loader
as the text the editor wrote; the field types decide what the text means.
Rules that span several fields or files (arm keys, confidence intervals,
cross-references) live in :mod:`generator.read.validate`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import KW_ONLY, dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal

from annotated_types import GroupedMetadata
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, RootModel, WithJsonSchema

from generator.read.markdown import check_body
from generator.read.values import RESULT_PATTERN, VALUE_FORMS, parse_result_value
from generator.read.vocabulary import BLINDING_KEYS, CERTAINTY_KEYS, DESIGN_KEYS, DOWNGRADE_KEYS, MEASURE_KEYS
from generator.text import NOT_PLAIN_TEXT
from generator.urls import SLUG_MAX_LENGTH, SLUG_PATTERN, taken_address

__all__ = [
    "Arm",
    "AdverseEvent",
    "Author",
    "Certainty",
    "Condition",
    "Conditions",
    "Drug",
    "DrugClass",
    "DrugVocabulary",
    "Authors",
    "Effect",
    "Outcome",
    "Related",
    "Source",
    "Study",
    "StudyDetails",
    "REQUIRED_CONDITIONS",
    "matches_whole",
]

# Patterns are written ^...$ for the JSON Schema (ECMA-262) and checked here with matches_whole, because
# Python's $ also matches before a final newline ("sle\n").  Digits are [0-9]: Python's \d takes every
# script's digits, ECMA-262's only ASCII ones.  The slug pattern is the addresses' (generator.urls).
ARM_KEY_PATTERN = r"^[a-z0-9_]+$"
DOI_PATTERN = r"^10\.[0-9]{4,9}/\S+$"
PMID_PATTERN = r"^[0-9]{1,9}$"
URL_PATTERN = r"^https?://[^\s<>\"]+$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
P_TEXT_PATTERN = r"^[<>≤]=? ?(0?\.[0-9]+|1(\.0+)?)$"
REGISTRATION_PATTERN = r"^[A-Za-z][A-Za-z0-9 ._/-]{3,60}$"
# A number as written in a file: ASCII digits only (Python's float() would also take "1_000", " 1" and
# other scripts' digits, which then print as written), an optional sign, decimals and exponent.
DECIMAL_PATTERN = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$"
MAX_NUMBER = 1_000_000_000
MAX_COUNT = 100_000_000

REQUIRED_CONDITIONS = (
    "sle", "lupus-nephritis", "ssc", "myositis", "aps", "aav", "ra", "psa", "axspa", "gout",
    "sjogrens", "gca", "pmr", "oa", "osteoporosis", "fibromyalgia", "still-disease", "behcet",
    "jia", "other-rheumatic",
)  # fmt: skip


def _visible(value: str) -> str:
    if match := NOT_PLAIN_TEXT.search(value):
        code = f"U+{ord(match.group()):04X}"
        if name := unicodedata.name(match.group(), ""):
            raise ValueError(f"contains the invisible character {name} ({code}); remove it")
        raise ValueError(f"contains the control character {code}; remove it")
    return value


def _plain_text(value: str) -> str:
    _visible(value)
    if not value.strip():
        raise ValueError("is blank; write some text or remove the line")
    return value


def _one_line(value: str) -> str:
    if "\n" in value.strip():
        raise ValueError("must fit on one line")
    return value


def matches_whole(pattern: str, value: str) -> bool:
    """Whether ``pattern`` matches all of ``value``: a trailing newline is not "the end" here."""
    return re.fullmatch(pattern, value) is not None


def _pattern(pattern: str, rule: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        if not matches_whole(pattern, value):
            raise ValueError(f"{rule}; got {value!r}")
        return value

    return check


def _free_in(folder: str, what: str) -> Callable[[str], str]:
    """A check that a name does not take an address the site keeps for itself in ``folder``."""

    def check(name: str) -> str:
        if problem := taken_address(folder, name, what):
            raise ValueError(problem)
        return name

    return check


def _iso_date(value: Any) -> Any:
    if isinstance(value, str):
        if not matches_whole(DATE_PATTERN, value):
            raise ValueError(f"must be a date written YYYY-MM-DD, e.g. 2019-10-18; got {value!r}")
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"is not a real calendar date: {value!r}") from None
    return value


def _result_value(value: str) -> str:
    if not value.isascii():
        raise ValueError(f"expected {VALUE_FORMS}, got {value!r}")
    parsed = parse_result_value(value)
    if parsed.denominator is not None and parsed.denominator > MAX_COUNT:
        raise ValueError(f"a count's denominator must be at most {MAX_COUNT:,} (got {value!r})")
    if parsed.number is not None and abs(parsed.number) > MAX_NUMBER:
        raise ValueError(f"must be between -{MAX_NUMBER:,} and {MAX_NUMBER:,} (got {value!r})")
    return value


def _p_value(value: str) -> str:
    if matches_whole(P_TEXT_PATTERN, value):
        return value
    number = float(value) if matches_whole(DECIMAL_PATTERN, value) else None
    if number is None or not 0 <= number <= 1:
        raise ValueError(f'must be a number from 0 to 1 (0.052) or a bound such as "<0.001"; got {value!r}')
    return value


def _number_text(value: str) -> str:
    if not matches_whole(DECIMAL_PATTERN, value):
        raise ValueError(f"expected a number, got {value!r}")
    if not -MAX_NUMBER <= float(value) <= MAX_NUMBER:
        raise ValueError(f"must be between -{MAX_NUMBER:,} and {MAX_NUMBER:,} (got {value!r})")
    return value


def _fraction(value: Any) -> Any:
    """A level written as a percentage (95) gets a message that says how to write it."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    if 1 < number <= 100:
        raise ValueError(f"is a fraction, not a percentage: write {number / 100:g} for {number:g}%")
    return value


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


@dataclass(frozen=True)
class OneOrMany(GroupedMetadata):
    """A list that an editor may also write as a single value: ``Annotated[list[item], OneOrMany(...)]``."""

    item_schema: dict[str, Any]
    max_length: int

    def __iter__(self) -> Iterator[object]:
        items = {"type": "array", "items": self.item_schema, "maxItems": self.max_length}
        schema = {"anyOf": [self.item_schema, items]}
        yield BeforeValidator(_as_list)
        yield Field(max_length=self.max_length)
        yield WithJsonSchema(schema)


@dataclass(frozen=True)
class Text(GroupedMetadata):
    """Plain text of bounded length, ``Annotated[str, Text(...)]``; no markup is ever interpreted in it."""

    min_length: int = 1
    max_length: int = 2000
    _: KW_ONLY
    one_line: bool = False

    def __iter__(self) -> Iterator[object]:
        yield Field(min_length=self.min_length, max_length=self.max_length)
        yield AfterValidator(_plain_text)
        if self.one_line:
            yield AfterValidator(_one_line)


@dataclass(frozen=True)
class Pattern(GroupedMetadata):
    """Text matching ``pattern``, ``Annotated[str, Pattern(...)]``; ``rule`` tells the editor what is expected."""

    pattern: str
    rule: str
    max_length: int = 200

    def __iter__(self) -> Iterator[object]:
        yield Field(max_length=self.max_length, json_schema_extra={"pattern": self.pattern})
        yield AfterValidator(_visible)  # first, so the message names an invisible character (`\S` takes ESC)
        yield AfterValidator(_pattern(self.pattern, self.rule))


Slug = Annotated[
    str,
    Pattern(
        SLUG_PATTERN, "must be lowercase letters, digits and single hyphens (like `low-dose-il2`)", SLUG_MAX_LENGTH
    ),
]
# Condition and author keys are slugs too: conditions/<key>/ is a page's address.
Key = Annotated[
    str, Pattern(SLUG_PATTERN, "must be a key in lowercase letters, digits and hyphens (like `sle`)", SLUG_MAX_LENGTH)
]
ConditionKey = Annotated[Key, AfterValidator(_free_in("conditions", "key"))]  # conditions/<key>/ is its page
DrugKey = Annotated[Key, AfterValidator(_free_in("drugs", "key"))]  # drugs/<key>/ is its page
DrugClassKey = Annotated[Key, AfterValidator(_free_in("drug-classes", "key"))]  # drug-classes/<key>/ is its page
ArmKey = Annotated[str, Pattern(ARM_KEY_PATTERN, "must be lowercase letters, digits and underscores (like `il2`)", 40)]
IsoDate = Annotated[
    dt.date,
    BeforeValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN}),
]
Count = Annotated[int, Field(ge=1, le=MAX_COUNT)]
# A number kept as the editor wrote it ("0.30", "19.00"), so it is shown with the precision reported.
NumberText = Annotated[str, Field(max_length=30), AfterValidator(_number_text), WithJsonSchema({"type": "number"})]
ResultText = Annotated[
    str,
    Field(max_length=40),
    AfterValidator(_result_value),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number"},
                {"type": "string", "pattern": RESULT_PATTERN},
            ],
            "description": f"{VALUE_FORMS}",
        }
    ),
]
PValue = Annotated[
    str,
    Field(max_length=20),
    AfterValidator(_p_value),
    WithJsonSchema(
        {"anyOf": [{"type": "number", "minimum": 0, "maximum": 1}, {"type": "string", "pattern": P_TEXT_PATTERN}]}
    ),
]

if TYPE_CHECKING:
    # Keys of the vocabulary's tables, which a type checker cannot turn into Literals.
    DesignKey = str
    BlindingKey = str
    EffectMeasure = str
    CertaintyLevel = str
    Downgrade = str
else:
    DesignKey = Literal[DESIGN_KEYS]
    BlindingKey = Literal[BLINDING_KEYS]
    EffectMeasure = Literal[MEASURE_KEYS]
    CertaintyLevel = Literal[CERTAINTY_KEYS]
    Downgrade = Literal[DOWNGRADE_KEYS]


class _Strict(BaseModel):
    """Base of every model: unknown keys are errors, nothing is coerced silently."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Arm(_Strict):
    """One arm (group) of a study."""

    key: ArmKey
    label: Annotated[str, Text(1, 120, one_line=True)]
    participants: Count | None = None
    intervention: Annotated[str, Text(1, 1000)] | None = None


class Effect(_Strict):
    """An effect estimate reported instead of per-arm results."""

    measure: EffectMeasure
    estimate: NumberText
    ci: Annotated[list[NumberText], Field(min_length=2, max_length=2)] | None = None
    ci_level: Annotated[float, Field(gt=0, lt=1), BeforeValidator(_fraction)] = 0.95


class Certainty(_Strict):
    """The certainty of the evidence for one outcome, as GRADE rates it, and why it was rated down."""

    level: CertaintyLevel
    downgraded_for: Annotated[list[Downgrade], Field(max_length=5)] = []


class Outcome(_Strict):
    """One outcome: per-arm results, an effect estimate, or both."""

    name: Annotated[str, Text(1, 200, one_line=True)]
    primary: bool = False
    direction: Literal["higher-is-better", "lower-is-better"] | None = None
    results: Annotated[dict[str, ResultText], Field(max_length=12)] | None = None
    p_value: PValue | None = None
    effect: Effect | None = None
    certainty: Certainty | None = None


class AdverseEvent(_Strict):
    """One adverse event with per-arm results."""

    name: Annotated[str, Text(1, 200, one_line=True)]
    results: Annotated[dict[str, ResultText], Field(max_length=12)] | None = None


class StudyDetails(_Strict):
    """The ``study:`` block: design, population, arms and results."""

    design: DesignKey
    blinding: BlindingKey | None = None
    comparator: Annotated[str, Text(1, 200)] | None = None
    setting: Annotated[str, Text(1, 200)] | None = None
    country: Annotated[
        list[Annotated[str, Text(1, 80, one_line=True)]],
        OneOrMany({"type": "string", "minLength": 1, "maxLength": 80}, 60),
    ] = []
    participants: Count | None = None
    population: Annotated[str, Text(1, 300)] | None = None
    follow_up: Annotated[str, Text(1, 100, one_line=True)] | None = None
    arms: Annotated[list[Arm], Field(max_length=12)] = []
    outcomes: Annotated[list[Outcome], Field(max_length=60)] = []
    adverse_events: Annotated[list[AdverseEvent], Field(max_length=60)] = []


class Source(_Strict):
    """The publication the study summary is about."""

    title: Annotated[str, Text(1, 400)] | None = None
    authors: Annotated[str, Text(1, 500, one_line=True)] | None = None
    journal: Annotated[str, Text(1, 200, one_line=True)] | None = None
    year: Annotated[int, Field(ge=1800, le=2100)] | None = None
    volume: Annotated[str, Text(1, 20, one_line=True)] | None = None
    issue: Annotated[str, Text(1, 20, one_line=True)] | None = None
    pages: Annotated[str, Text(1, 30, one_line=True)] | None = None
    doi: (
        Annotated[
            str,
            Pattern(DOI_PATTERN, "must be a DOI such as 10.1136/annrheumdis-2019-215396 (without https://doi.org/)"),
        ]
        | None
    ) = None
    pmid: Annotated[str, Pattern(PMID_PATTERN, "must be the PubMed ID digits only, such as 31537547", 20)] | None = None
    registration: Annotated[
        list[Annotated[str, Pattern(REGISTRATION_PATTERN, "must be a trial registry number such as NCT02465580", 64)]],
        OneOrMany({"type": "string", "pattern": REGISTRATION_PATTERN, "maxLength": 64}, 10),
    ] = []
    url: (
        Annotated[str, Pattern(URL_PATTERN, "must be a web address starting with https:// or http://", 2000)] | None
    ) = None


class Related(_Strict):
    """Editors' overrides of "More like this"."""

    pin: Annotated[list[Slug], Field(max_length=10)] = []
    exclude: Annotated[list[Slug], Field(max_length=100)] = []


class Study(_Strict):
    """One study file, ``content/studies/<slug>.yaml``."""

    title: Annotated[str, Text(5, 150, one_line=True)]
    published: IsoDate
    updated: IsoDate | None = None
    status: Literal["published", "draft"] = "published"
    authors: Annotated[list[Key], Field(max_length=20)] = []
    condition: Key
    also_conditions: Annotated[list[Key], Field(max_length=10)] = []
    topics: Annotated[list[Annotated[str, Text(1, 60, one_line=True)]], Field(max_length=12)] = []
    summary: Annotated[str, Text(20, 400)]
    study: StudyDetails
    key_findings: Annotated[list[Annotated[str, Text(1, 300)]], Field(max_length=20)] = []
    body: Annotated[str, Field(min_length=1, max_length=200_000), AfterValidator(check_body)]
    source: Source | None = None
    disclosures: Annotated[str, Text(1, 2000)] | None = None
    related: Related = Related()
    headline_checked: Annotated[str, Text(5, 300, one_line=True)] | None = None
    """The editor's reason to keep a headline that claims more than the primary outcome shows."""


class Condition(_Strict):
    """One entry of ``site_data/conditions.yaml``."""

    name: Annotated[str, Text(2, 120, one_line=True)]
    short_name: Annotated[str, Text(1, 40, one_line=True)]
    synonyms: Annotated[list[Annotated[str, Text(1, 120, one_line=True)]], Field(max_length=40)] = []
    description: Annotated[str, Text(1, 2000)]


class Author(_Strict):
    """One entry of ``site_data/authors.yaml``: a person, or an organisation such as an editorial team."""

    name: Annotated[str, Text(2, 120, one_line=True)]
    type: Literal["person", "organization"] = "person"
    """What schema.org calls the author: ``Person`` (a byline's usual reading, so the default) or ``Organization``."""
    affiliation: Annotated[str, Text(1, 300)] | None = None
    url: (
        Annotated[str, Pattern(URL_PATTERN, "must be a web address starting with https:// or http://", 2000)] | None
    ) = None


Name = Annotated[str, Text(1, 120, one_line=True)]
Url = Annotated[str, Pattern(URL_PATTERN, "must be a web address starting with https:// or http://", 2000)]


class DrugClass(_Strict):
    """One drug class of ``site_data/drugs.yaml`` (``classes:``), such as JAK inhibitors."""

    name: Name
    """The class as a heading names it, in the plural: "JAK inhibitors"."""
    synonyms: Annotated[list[Name], Field(max_length=20)] = []


class Drug(_Strict):
    """One drug of ``site_data/drugs.yaml`` (``drugs:``), with the label or classification its facts come from."""

    name: Name
    """The generic (international non-proprietary) name: "rivaroxaban"."""
    brands: Annotated[list[Name], Field(max_length=20)] = []
    synonyms: Annotated[list[Name], Field(max_length=20)] = []
    """Abbreviations and other spellings: MTX, HCQ, ciclosporin."""
    classes: Annotated[list[Key], Field(min_length=1, max_length=4)]
    target: Annotated[str, Text(2, 200, one_line=True)]
    """What the drug acts on, or how: "factor Xa", "JAK1 and JAK3"."""
    source: Url
    """Where the brand names and class were checked: the FDA label (DailyMed), the EMA's EPAR."""


class DrugVocabulary(_Strict):
    """``site_data/drugs.yaml``: drug classes and drugs, each by key."""

    classes: Annotated[dict[DrugClassKey, DrugClass], Field(min_length=1)]
    drugs: Annotated[dict[DrugKey, Drug], Field(min_length=1)]


Conditions = RootModel[Annotated[dict[ConditionKey, Condition], Field(min_length=1)]]
Authors = RootModel[Annotated[dict[Key, Author], Field(min_length=1)]]
