"""The search page's vocabulary: what a reader may type, and what to search for instead.

Pagefind knows no synonyms, so the site brings its own: one small JSON file,
written at build time from ``site_data/`` (never from the studies, so it does
not grow with the site) under a name that holds its hash, so browsers may
cache it for good.  The search page (``assets/search-page.js``) looks up what
was typed in ``terms`` by the key :func:`generator.read.drugs.term_key`
gives (the script computes the same key), or, for an abbreviation in
capitals, in ``abbreviations`` as written; an entry says what to show
("rivaroxaban"), the texts to search for instead, and the Pagefind filters
whose pages belong to it (a study tagged with the condition or drug class
even when its text never names it).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from generator.derive.treatments import is_abbreviation
from generator.read.content import Content
from generator.read.drugs import term_key

__all__ = ["FILTER_CLASS", "FILTER_CONDITION", "FILTER_DESIGN", "FILTER_DRUG", "FILTER_YEAR", "search_terms"]

FILTER_CONDITION = "condition"
FILTER_DESIGN = "design"
FILTER_CLASS = "drug class"
FILTER_YEAR = "year"
FILTER_DRUG = "drug"
"""Pagefind filter names; the search page offers the first four as choices (``drug`` only serves expansion)."""


def search_terms(content: Content) -> tuple[str, bytes]:
    """The vocabulary file's path in the site (``assets/search-terms.<hash>.json``) and its bytes."""
    entries: list[dict[str, Any]] = []
    terms: dict[str, int] = {}
    abbreviations: dict[str, int] = {}

    def add(label: str, names: Iterable[str], search: Iterable[str], filters: dict[str, str], note: str = "") -> None:
        index = len(entries)
        entry: dict[str, Any] = {"label": label, "search": list(dict.fromkeys(search)), "filters": filters}
        if note:
            entry["note"] = note
        entries.append(entry)
        for name in names:
            if is_abbreviation(name):
                abbreviations.setdefault(name, index)
            else:
                terms.setdefault(term_key(name), index)

    for drug in content.drugs.values():
        names = (drug.name, *drug.brands, *drug.synonyms)
        add(drug.name, names, names, {FILTER_DRUG: drug.name})
    for key, group in content.drug_classes.items():
        members = [drug for drug in content.drugs.values() if key in drug.classes]
        search = [group.name, *group.synonyms, *(n for d in members for n in (d.name, *d.brands))]
        note = ", ".join(drug.name for drug in members)
        add(group.name, (group.name, *group.synonyms), search, {FILTER_CLASS: group.name}, note)
    for condition in content.conditions.values():
        names = (condition.name, condition.short_name, *condition.synonyms)
        add(condition.name, names, names, {FILTER_CONDITION: condition.name})
    data = {"entries": entries, "terms": terms, "abbreviations": abbreviations}
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return f"assets/search-terms.{hashlib.sha256(text).hexdigest()[:12]}.json", text
