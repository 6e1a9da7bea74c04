"""The loader: safe YAML with positions, traps defused, limits enforced."""

from __future__ import annotations

import pytest

from generator.errors import ContentError
from generator.read.loader import MAX_FILE_BYTES, Position, parse_yaml


def problems(text: str) -> list[str]:
    with pytest.raises(ContentError) as caught:
        parse_yaml(text, "x.yaml")
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize(
    "written",
    ["no", "yes", "on", "off", "1:30", "1e3", "0777", "0x1F", "2019-10-18", "~1", "1_000", ".inf", "true"],
)
def test_yaml_11_traps_arrive_as_the_text_written(written: str) -> None:
    assert parse_yaml(f"title: {written}\n", "x.yaml").data == {"title": written}


def test_only_an_empty_value_tilde_or_null_is_nothing() -> None:
    data = parse_yaml("a:\nb: ~\nc: null\nd: 'null'\ne: ''\n", "x.yaml").data
    assert data == {"a": None, "b": None, "c": None, "d": "null", "e": ""}


def test_positions_of_keys_and_values_are_kept() -> None:
    document = parse_yaml("title: x\nstudy:\n  arms:\n    - key: a\n", "x.yaml")
    assert document.locate(("study", "arms", 0, "key")) == Position(4, 12)
    assert document.locate(("study", "arms", 0, "key"), key=True) == Position(4, 7)
    assert document.locate(("study", "missing")) == Position(3, 3)  # the mapping that should hold it


def test_duplicate_keys_are_rejected_with_both_lines() -> None:
    assert problems("title: a\nbody: b\ntitle: c\n") == [
        "x.yaml:3:1: title: duplicate key `title` (first given on line 1); keep one"
    ]


def test_duplicate_nested_key() -> None:
    assert problems("study:\n  design: cohort\n  design: other\n") == [
        "x.yaml:3:3: study.design: duplicate key `design` (first given on line 2); keep one"
    ]


def test_python_tags_are_rejected_and_never_executed(tmp_path) -> None:
    marker = tmp_path / "pwned"
    text = f"title: !!python/object/apply:os.system ['touch {marker}']\n"
    assert problems(text) == ["x.yaml:1:8: title: the tag `!!python/object/apply:os.system` is not allowed; remove it"]
    assert not marker.exists()


@pytest.mark.parametrize("tag", ["!custom x", "!!binary aGVsbG8=", "!!set {a, b}"])
def test_any_non_core_tag_is_rejected(tag: str) -> None:
    assert "is not allowed; remove it" in problems(f"title: {tag}\n")[0]


def test_alias_bomb_is_rejected_quickly() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [" + ", ".join([f"*{previous}"] * 9) + "]")
    # 9**9 values if expanded: stopping at the limit is what keeps this from hanging (its time is in make bench).
    found = problems("\n".join(lines) + "\n")
    assert len(found) == 1
    assert found[0].endswith("more than 50,000 values (aliases expanding too far?); simplify the file")


def test_small_aliases_are_fine() -> None:
    assert parse_yaml("a: &x [1, 2]\nb: *x\n", "x.yaml").data == {"a": ["1", "2"], "b": ["1", "2"]}


def test_merge_keys_are_not_supported() -> None:
    assert problems("base: &b {x: 1}\nother:\n  <<: *b\n") == [
        "x.yaml:3:3: other: merge keys (<<) is not supported here"
    ]


def test_absurd_nesting_is_rejected() -> None:
    assert problems("a: " + "[" * 30 + "]" * 30 + "\n") == ["x.yaml:1:28: a[0][0][0][0][0][0][0][0][0][0][0][0]"
                                                              "[0][0][0][0][0][0][0][0][0][0][0][0]: nested too "
                                                              "deeply; the limit is 24 levels"]  # fmt: skip


def test_very_deep_nesting_does_not_crash() -> None:
    assert problems("a: " + "[" * 5000 + "]" * 5000 + "\n") == ["x.yaml:1:1: nested too deeply; the limit is 24 levels"]


def test_syntax_error_points_at_the_place_in_plain_words() -> None:
    # Each slip's wording is tested in test_syntax.py.
    assert problems("title: x: y\n") == [
        "x.yaml:1:9: put the value of `title` in quotes: it contains a colon followed by a space, which YAML reads "
        "as the start of another key"
    ]


def test_two_documents_in_one_file() -> None:
    assert problems("a: 1\n---\nb: 2\n") == [
        "x.yaml:2:1: `---` at the start of a line ends the study, and a file holds one study; remove the line, or "
        "indent it if it belongs to the text above"
    ]


def test_control_character_is_rejected_with_position() -> None:
    assert problems("title: a\x07b\n") == ["x.yaml:1:9: the character U+0007 is not allowed in a YAML file"]


def test_bom_is_accepted(project) -> None:
    from generator.read.loader import load_yaml

    path = project.study_bytes("bom", "\ufefftitle: Sjögren\n".encode())
    assert load_yaml(path, "bom.yaml").data == {"title": "Sjögren"}


def test_invalid_utf8_names_the_byte(project) -> None:
    from generator.read.loader import load_yaml

    path = project.study_bytes("bad", b"title: ok\nbody: caf\xe9\n")
    with pytest.raises(ContentError) as caught:
        load_yaml(path, "bad.yaml")
    assert str(caught.value) == "bad.yaml:2:10: not valid UTF-8 (byte 19 is 0xe9); save the file as UTF-8"


def test_oversized_file_is_refused_before_reading(project) -> None:
    from generator.read.loader import load_yaml

    path = project.study_bytes("big", b"a: " + b"x" * MAX_FILE_BYTES)
    with pytest.raises(ContentError) as caught:
        load_yaml(path, "big.yaml")
    assert str(caught.value) == "big.yaml:1:1: file is 1,000,003 bytes; the limit is 1,000,000 (1 MB)"
