"""The JSON Schema and the validator come from one source and agree on every sample."""

from __future__ import annotations

import jsonschema
import pytest
import yaml

from generator.cli import study_schema
from generator.read.loader import parse_yaml
from generator.read.model import Study
from generator.read.validate import validate_model

from ..conftest import MINIMAL_STUDY, ROOT

SAMPLES = {
    "minimal": MINIMAL_STUDY,
    "unknown key": MINIMAL_STUDY + "summery: x\n",
    "missing body": MINIMAL_STUDY.replace("body: Some text.\n", ""),
    "short title": MINIMAL_STUDY.replace("A minimal valid study", "Tiny"),
    "bad design": MINIMAL_STUDY.replace("cohort", "cohrot"),
    "bad slug in pin": MINIMAL_STUDY + "related: {pin: [Not-A-Slug]}\n",
    "bad date": MINIMAL_STUDY.replace("2020-01-02", "2020/01/02"),
    "results forms": MINIMAL_STUDY.replace(
        "  design: cohort\n",
        "  design: cohort\n  arms: [{key: a, label: A}]\n  outcomes:\n"
        "    - {name: X, results: {a: 16/29}, p_value: 0.052}\n    - {name: Y, results: {a: 55.2%}, p_value: '<0.001'}\n"
        "    - {name: Z, results: {a: 9}}\n",
    ),
    "bad result form": MINIMAL_STUDY.replace(
        "  design: cohort\n",
        "  design: cohort\n  arms: [{key: a, label: A}]\n  outcomes: [{name: X, results: {a: lots}}]\n",
    ),
    "p above one": MINIMAL_STUDY.replace(
        "  design: cohort\n", "  design: cohort\n  outcomes: [{name: X, p_value: 2}]\n"
    ),
    "bad doi": MINIMAL_STUDY + "source: {doi: doi.org/10.1/x}\n",
    "year out of range": MINIMAL_STUDY + "source: {year: 3020}\n",
    "topics as text": MINIMAL_STUDY + "topics: lupus\n",
    "registration list": MINIMAL_STUDY + "source: {registration: [NCT02465580, NCT02932137]}\n",
    "blinding": MINIMAL_STUDY.replace("  design: cohort\n", "  design: cohort\n  blinding: triple-blind\n"),
}
VALID = {"minimal", "results forms", "registration list"}
"""The samples the contract accepts; every other one breaks a rule (triple-blind is no blinding it names)."""


def _yaml_12(text: str):
    """What an editor's YAML 1.2 tool sees: dates stay strings."""
    return yaml.load(text, Loader=_NoDates)


class _NoDates(yaml.SafeLoader):
    pass


_NoDates.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@pytest.mark.parametrize("name, text", SAMPLES.items(), ids=SAMPLES.keys())
def test_schema_and_validator_agree(name: str, text: str) -> None:
    schema_ok = jsonschema.Draft202012Validator(study_schema()).is_valid(_yaml_12(text))
    _, problems = validate_model(parse_yaml(text, "x.yaml"), Study)
    assert (schema_ok, not problems) == (name in VALID, name in VALID)


@pytest.mark.parametrize("path", sorted((ROOT / "content" / "studies").glob("*.yaml")), ids=lambda p: p.stem)
def test_seed_studies_pass_the_schema(path) -> None:
    jsonschema.Draft202012Validator(study_schema()).validate(_yaml_12(path.read_text(encoding="utf-8")))
