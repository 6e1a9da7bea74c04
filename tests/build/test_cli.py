"""The command line: check, new and schema, with their exit codes and output."""

from __future__ import annotations

import json

import pytest
import yaml

from generator.cli import SCHEMA_FILE, main, study_schema

from ..conftest import MINIMAL_STUDY, ROOT


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_clean_content_exits_zero(project, capsys) -> None:
    project.study("s", MINIMAL_STUDY)
    assert run(capsys, "--root", str(project.root), "check") == (0, "", "OK: 1 study file(s) checked\n")


def test_check_reports_each_problem_and_exits_one(project, capsys) -> None:
    project.study("s", MINIMAL_STUDY + "summery: x\n")
    code, out, err = run(capsys, "--root", str(project.root), "check")
    assert code == 1
    assert out == "content/studies/s.yaml:8:1: summery: unknown key `summery`; did you mean `summary`?\n"
    assert err == "1 problem in 1 file\n"


def test_check_github_format_prints_annotations(project, capsys) -> None:
    project.study("s", MINIMAL_STUDY + "summery: x\n")
    code, out, _ = run(capsys, "--root", str(project.root), "check", "--format", "github")
    assert code == 1
    assert out == (
        "::error file=content/studies/s.yaml,line=8,col=1::summery: unknown key `summery`; did you mean `summary`?\n"
    )


def test_check_named_files_reports_only_those(project, capsys, monkeypatch) -> None:
    good = project.study("good", MINIMAL_STUDY)
    project.study("bad", MINIMAL_STUDY + "oops: 1\n")
    monkeypatch.chdir(project.root)
    assert run(capsys, "check", str(good.relative_to(project.root)))[0] == 0
    assert run(capsys, "check", "content/studies/bad.yaml")[0] == 1


def test_check_missing_file_is_a_usage_error(project, capsys) -> None:
    code, _, err = run(capsys, "--root", str(project.root), "check", "nope.yaml")
    assert (code, err) == (2, "no such file: nope.yaml\n")


def test_unknown_command_is_a_usage_error(capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["frobnicate"])
    assert caught.value.code == 2


def test_new_writes_a_valid_draft_skeleton(project, capsys) -> None:
    code, out, _ = run(capsys, "--root", str(project.root), "new", "my-study", "--condition", "gout")
    assert code == 0
    path = project.root / "content" / "studies" / "my-study.yaml"
    assert out.startswith("wrote ")
    text = path.read_text()
    assert text.startswith("# yaml-language-server: $schema=../../schema/study.schema.json\n")
    data = yaml.safe_load(text)
    assert (data["condition"], data["status"]) == ("gout", "draft")
    assert run(capsys, "--root", str(project.root), "check")[0] == 0


def test_new_refuses_bad_slug_existing_file_and_unknown_condition(project, capsys) -> None:
    assert run(capsys, "--root", str(project.root), "new", "Bad Slug", "--condition", "sle")[0] == 2
    project.study("taken", MINIMAL_STUDY)
    assert run(capsys, "--root", str(project.root), "new", "taken", "--condition", "sle")[0] == 2
    code, _, err = run(capsys, "--root", str(project.root), "new", "x", "--condition", "lupus")
    assert code == 2 and err.startswith("unknown condition `lupus`; choose one of: sle, lupus-nephritis")


@pytest.mark.parametrize("slug", ["trial\n", "index"])
def test_new_refuses_a_slug_the_check_would_refuse(project, capsys, slug: str) -> None:
    code, _, err = run(capsys, "--root", str(project.root), "new", slug, "--condition", "sle")
    assert code == 2 and not list((project.root / "content/studies").iterdir())
    if slug == "trial\n":
        assert err.startswith("`trial\\n` is not a valid slug: lowercase letters")
    else:
        expected = (
            f"`{slug}` would take the address of the folder of study pages itself (/studies/); choose another slug"
        )
        assert err.strip() == expected


def test_schema_file_in_the_repository_is_up_to_date() -> None:
    committed = json.loads((ROOT / SCHEMA_FILE).read_text(encoding="utf-8"))
    assert committed == study_schema(), "run `make schema` and commit schema/study.schema.json"


def test_schema_command_writes_the_file(project, capsys) -> None:
    assert run(capsys, "--root", str(project.root), "schema")[0] == 0
    assert json.loads((project.root / SCHEMA_FILE).read_text()) == study_schema()


def test_export_writes_the_markdown_tree_mkdocs_builds(project, capsys, tmp_path) -> None:
    project.copy_seed()
    out = tmp_path / "export"
    code, _, err = run(capsys, "--root", str(project.root), "export", str(out))
    assert code == 0 and err.startswith("wrote ")
    page = (out / "studies" / "low-dose-il2-sle.md").read_text(encoding="utf-8")
    assert page.startswith("---\ntitle: Low-Dose IL-2 Effective in Lupus\n")
    assert (out / "about.md").exists() and (out / "feed.xml").exists() and (out / "index.md").exists()


def test_export_stops_on_content_errors(project, capsys, tmp_path) -> None:
    project.study("s", MINIMAL_STUDY + "summery: x\n")
    code, out, _ = run(capsys, "--root", str(project.root), "export", str(tmp_path / "out"))
    assert code == 1 and out.startswith("content/studies/s.yaml:8:1: summery:")


def test_related_prints_each_signals_contribution(capsys) -> None:
    code, out, _ = run(capsys, "--root", str(ROOT), "related", "low-dose-il2-sle")
    assert code == 0
    header = next(line for line in out.splitlines() if line.startswith("#"))
    assert header.split() == ["#", "kind", "score", "same_condition", "shared_conditions", "topics", "design",
                              "interventions", "terms", "recency", "study"]  # fmt: skip
    first = next(line for line in out.splitlines() if line.startswith("1 "))
    assert first.split()[1:4] == ["scored", "3.400", "3.000"] and first.endswith(
        "serum-interferon-predicts-lupus-flares"
    )
    assert "reason: Same condition: SLE" in out


def test_related_unknown_slug_is_a_usage_error(capsys) -> None:
    code, _, err = run(capsys, "--root", str(ROOT), "related", "no-such-study")
    assert (code, err) == (2, "no published study `no-such-study` in content/studies\n")


INCOMPLETE_SOURCE = MINIMAL_STUDY + "source:\n  journal: Lupus\n  doi: 10.1177/0961203319000000\n"


def test_check_warns_of_a_source_a_reference_manager_cannot_use_and_still_exits_zero(project, capsys) -> None:
    project.study("s", INCOMPLETE_SOURCE)
    project.study("t", MINIMAL_STUDY + "source:\n  title: A title\n  authors: He J\n  journal: Lupus\n  year: 2020\n")
    code, out, err = run(capsys, "--root", str(project.root), "check")
    assert code == 0
    assert out == (
        "content/studies/s.yaml:8:1: source: no title, authors or year; the citation downloads (BibTeX, RIS) give "
        "what the source has, but a reference manager needs title, authors, journal and year\n"
    )
    assert err == "1 warning in 1 file\nOK: 2 study file(s) checked\n"


def test_check_warnings_as_github_annotations_and_after_the_problems(project, capsys) -> None:
    project.study("a", INCOMPLETE_SOURCE)
    project.study("b", MINIMAL_STUDY + "summery: x\n")
    code, out, err = run(capsys, "--root", str(project.root), "check", "--format", "github")
    assert code == 1  # the problem in b.yaml decides; the warning does not change it
    assert out.splitlines() == [
        "::error file=content/studies/b.yaml,line=8,col=1::summery: unknown key `summery`; did you mean `summary`?",
        "::warning file=content/studies/a.yaml,line=8,col=1::source: no title, authors or year; the citation "
        "downloads (BibTeX, RIS) give what the source has, but a reference manager needs title, authors, journal "
        "and year",
    ]
    assert err == "1 warning in 1 file\n1 problem in 1 file\n"


def test_check_named_files_warns_of_those_only(project, capsys, monkeypatch) -> None:
    project.study("a", INCOMPLETE_SOURCE)
    project.study("b", MINIMAL_STUDY + "source:\n  title: Only a title\n")
    monkeypatch.chdir(project.root)
    code, out, _ = run(capsys, "check", "content/studies/b.yaml")
    assert code == 0
    assert out == (
        "content/studies/b.yaml:8:1: source: no authors, journal or year; the citation downloads (BibTeX, RIS) "
        "give what the source has, but a reference manager needs title, authors, journal and year\n"
    )
