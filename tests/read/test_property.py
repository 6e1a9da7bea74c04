"""Whatever bytes an editor saves, the loader returns a study or the project's own error."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import ContentError
from generator.read.content import StudyRecord, parse_study

from ..conftest import ROOT

SEED_TEXT = (ROOT / "content" / "studies" / "low-dose-il2-sle.yaml").read_text(encoding="utf-8")
YAML_PIECES = [":", "- ", "\n", "  ", "&a ", "*a", "!!python/object:os.system ", "[", "]", "{", "}", "'", '"',
               "|", ">", "#", "---\n", "...", "? ", "!", "%YAML 1.1\n", "\t", "\x00", "\ufeff", "<<: *a\n"]  # fmt: skip


def outcome(text: str) -> str:
    try:
        return "study" if isinstance(parse_study(text, "x.yaml", "x"), StudyRecord) else "other"
    except ContentError as error:
        assert error.problems and all(str(problem).startswith("x.yaml:") for problem in error.problems)
        return "rejected"


@st.composite
def mutated_seed(draw) -> str:
    text = SEED_TEXT
    for _ in range(draw(st.integers(1, 6))):
        position = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = draw(st.sampled_from(YAML_PIECES) | st.text(max_size=5))
        if action == "insert":
            text = text[:position] + piece + text[position:]
        elif action == "delete":
            text = text[:position] + text[position + draw(st.integers(1, 40)) :]
        else:
            text = text[:position] + piece + text[position + len(piece) :]
    return text


json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=30,
)

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(mutated_seed())
def test_mutated_seed_files(text: str) -> None:
    assert outcome(text) in {"study", "rejected"}


@FAST
@given(st.text(max_size=300))
def test_arbitrary_text(text: str) -> None:
    assert outcome(text) in {"study", "rejected"}


@FAST
@given(st.dictionaries(st.sampled_from(["title", "published", "condition", "summary", "study", "body", "topics",
                                        "source", "related", "status"]), json_like))  # fmt: skip
def test_generated_documents(data: dict) -> None:
    assert outcome(yaml.safe_dump(data, allow_unicode=True)) in {"study", "rejected"}


def test_the_unmutated_seed_is_a_study() -> None:
    assert outcome(SEED_TEXT) == "study"
