"""The render cache of `mkdocs serve`: an entry per distinct input, kept while builds still ask for it."""

from __future__ import annotations

from generator.render.memo import Memo, RenderCache


def test_equal_inputs_give_the_entry_made_first_and_other_inputs_a_new_one() -> None:
    cache, made = RenderCache(), []

    def make(value: str):
        return lambda: made.append(value) or value.upper()

    memo = Memo(cache, "templates-1")
    assert memo.get(["page", {"b": 1, "a": 2}], make("x")) == "X"
    assert memo.get(["page", {"a": 2, "b": 1}], make("y")) == "X"  # the same data, keys in another order
    assert memo.get(["page", {"a": 2, "b": 2}], make("z")) == "Z"
    assert Memo(cache, "templates-2").get(["page", {"a": 2, "b": 1}], make("w")) == "W"  # templates changed
    assert made == ["x", "z", "w"]


def test_a_build_keeps_only_the_entries_it_asked_for() -> None:
    cache = RenderCache()
    memo = Memo(cache)
    memo.get(["a"], lambda: "A")
    memo.get(["b"], lambda: "B")
    cache.keep_used()
    memo.get(["a"], lambda: "not made: kept")
    cache.keep_used()
    assert list(cache.entries.values()) == ["A"]
    assert memo.get(["b"], lambda: "B again") == "B again"


def test_without_a_cache_everything_is_made_afresh() -> None:
    made = []
    for _ in range(2):
        Memo().get(["a"], lambda: made.append(1))
    assert made == [1, 1]


def test_inputs_given_as_a_function_are_worked_out_only_when_there_is_a_cache() -> None:
    asked = []

    def inputs():
        asked.append(1)
        return ["page", 1]

    assert Memo().get(inputs, lambda: "made") == "made"
    assert asked == []
    cache = RenderCache()
    assert Memo(cache).get(inputs, lambda: "first") == "first"
    assert Memo(cache).get(["page", 1], lambda: "second") == "first"  # the same key as the list itself
    assert asked == [1]
