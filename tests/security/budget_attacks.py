"""Adversarial study files and bodies, built from a seed, for tests/security/test_budgets.py.

Run as ``python -m tests.security.budget_attacks FAMILY SEED`` in a child process: the address space is capped at
2 GB first, then every case of the family goes through what ``check`` and the build do with editor text,
and one line per case is printed (``refused`` or ``rendered``).  Any traceback, MemoryError or hang is the
failure the parent test reports.
"""

from __future__ import annotations

import random
import resource
import string
import sys
from collections.abc import Iterator

import markdown
import yaml

from generator.errors import ContentError
from generator.read.content import parse_study
from generator.read.loader import MAX_FILE_BYTES
from generator.read.markdown import check_body
from generator.render.sanitise import markdown_to_safe_html

MEMORY_CAP = 2 * 1024**3
BODY_CHARS = 200_000
# Units an attacker repeats: every ASCII punctuation character, and pairs and openers that start constructs.
UNITS = [*string.punctuation, "[[", "![", "*a", "_a", "`a", "&#", "&amp;", "\\*", "|a", "a|\n", "|\n", "> ",
         "- ", "1. ", "<a", "<b>", "</b>", "<div>", "<!--", "=\n", "-\n", "`\n", "\\\n", "a  \n", "[a](", "](",
         "[](", "[a][b]", "[a]: b\n", "[a", "a]", "*a**", "**a", "*_", "<http://a", "a*", "- a\n  ", "> - ",
         "    ", "\t", "\n", " \n", "~", "^", "{", "}"]  # fmt: skip
OPENERS = ["- ", "1. ", "> ", "* ", "  - ", "<div>", "<blockquote>", "<ul><li>", "<b>", "<em>", "<a href=x>",
           "*", "**", "_", "[", "![", "`", "<p>", "</span>", "<table><tr><td>"]  # fmt: skip


def runs(rng: random.Random) -> Iterator[tuple[str, str]]:
    """A body of one unit repeated to the size limit, for every unit."""
    for unit in UNITS:
        yield f"run {unit!r}", unit * (BODY_CHARS // len(unit))


def nests(rng: random.Random) -> Iterator[tuple[str, str]]:
    """Bodies nesting random openers (lists, quotes, emphasis, brackets, raw tags) from 2 to thousands deep."""
    for _ in range(40):
        depth = rng.choice([2, 5, 11, 12, 13, 40, 200, 3_000, 20_000])
        kinds = rng.sample(OPENERS, rng.randint(1, 3))
        lines = []
        for level in range(depth):
            opener = rng.choice(kinds)
            indent = "  " * level if opener in {"- ", "1. ", "* "} and rng.random() < 0.7 else ""
            lines.append(indent + opener * (1 if indent else rng.randint(1, 3)) + rng.choice(["x", "", "a b"]))
        body = ("\n" if rng.random() < 0.5 else "").join(lines)[:BODY_CHARS] or "x"
        yield f"nest {depth} of {kinds}", body


def mixtures(rng: random.Random) -> Iterator[tuple[str, str]]:
    """Random concatenations of units, openers and words up to the size limit."""
    pieces = UNITS + OPENERS + ["word ", "lupus ", "\n\n", "| a | b |\n|---|---|\n"]
    for _ in range(20):
        size = rng.choice([1_000, 50_000, BODY_CHARS])
        chosen = rng.sample(pieces, rng.randint(1, 6))
        body = ""
        while len(body) < size:
            body += rng.choice(chosen) * rng.randint(1, 200)
        yield f"mix {size} of {chosen}", body[:size]


def yaml_files(rng: random.Random) -> Iterator[tuple[str, str]]:
    """Study files under the size limit that expand through aliases, repeat keys or nest deeply."""
    budget = MAX_FILE_BYTES - 1_000
    for _ in range(12):
        width = rng.choice([10, 100, 10_000, 60_000])
        key = rng.choice(["k", "title", "body", "a b"])
        value = rng.choice(["1", "x" * 1_000, "[1, 2]", "{a: 1}", "!!python/object x"])
        mapping = "{" + ", ".join([f"{key}: {value}"] * width) + "}"
        mapping = mapping[: budget // 2] if len(mapping) > budget // 2 else mapping
        aliases = ", ".join(["*d"] * ((budget - len(mapping)) // 4))
        yield f"aliased duplicates {width} × {key!r}", f"d: &d {mapping}\nl: [{aliases}]\n"
    for levels in (10, 25, 2_000, 100_000):
        opener = rng.choice(["[", "{a: ", "- "])
        yield f"nested {levels} × {opener!r}", "body: " + opener * min(levels, budget // len(opener)) + "x\n"
    laughs = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10)
    )
    yield "billion laughs", laughs
    body = "\n".join(["- x"] * 30_000)
    yield (
        "every key repeated, huge body",
        "".join(f"{key}: x\n" * 2_000 for key in ("title", "summary", "condition"))
        + "body: |\n  "
        + body.replace("\n", "\n  "),
    )


def _study_file(body: str) -> str:
    fields = {"title": "A study title", "published": "2020-01-02", "condition": "sle",
              "summary": "A summary that is long enough.", "study": {"design": "cohort"}, "body": body}  # fmt: skip
    return yaml.dump(fields, Dumper=_Dumper, allow_unicode=True, width=1_000_000)


_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_PAGE = markdown.Markdown(extensions=["tables", "attr_list"])  # what MkDocs does with the study page (mkdocs.yml)


def _through_the_build(text: str) -> str:
    """``check`` on the file, then for an accepted study its body rendered and put in a page as the build does."""
    try:
        record = parse_study(text, "content/studies/x.yaml", "x")
    except ContentError as error:
        assert len(error.problems) <= 30, f"{len(error.problems)} problems for one file"
        return f"refused: {error.problems[0].message[:80]}"
    html = markdown_to_safe_html(record.study.body)
    _PAGE.reset().convert(f'<div class="re-page">\n<section class="re-body">\n{html}\n</section>\n</div>\n')
    return f"rendered {len(html):,} characters"


def _body_through_render(body: str) -> str:
    """The model's check of a body, then its rendering (runs are many and large: the YAML around them is skipped)."""
    try:
        check_body(body)
    except ValueError as error:
        return f"refused: {str(error)[:80]}"
    return f"rendered {len(markdown_to_safe_html(body)):,} characters"


FAMILIES = {"nests": nests, "mixtures": mixtures}


def main(family: str, seed: int) -> None:
    """Cap memory, then push every case of ``family`` through check and render."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))
    rng = random.Random(seed)
    if family == "runs":
        outcomes = ((name, _body_through_render(body)) for name, body in runs(rng))
    else:
        cases = yaml_files(rng) if family == "yaml" else ((n, _study_file(b)) for n, b in FAMILIES[family](rng))
        outcomes = ((name, _through_the_build(text)) for name, text in cases)
    for name, outcome in outcomes:
        print(f"{name[:60]}: {outcome}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
