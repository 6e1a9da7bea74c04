"""The command line: check, new and schema, with their exit codes and output."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
import yaml

from generator.cli import SCHEMA_FILE, main, study_schema
from generator.read.skeleton import PLACEHOLDERS

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


def test_new_says_how_to_check_the_file_with_a_command_that_works_from_the_project_folder(project, capsys) -> None:
    code, out, _ = run(capsys, "--root", str(project.root), "new", "my-study", "--condition", "gout")
    path = (project.root / "content/studies/my-study.yaml").as_posix()
    assert (code, out) == (
        0,
        f"wrote {path}; fill it in, then check it from the project folder: "
        ".venv/bin/python -m generator check content/studies/my-study.yaml\n",
    )
    assert (project.root / "content/studies/my-study.yaml").read_text().endswith("disclose.\n")


STILL = (
    "is still the skeleton's placeholder text; write the study's own text, or keep `status: draft` until it is written"
)


def test_the_skeleton_switched_to_published_fails_the_check_field_by_field(project, capsys) -> None:
    run(capsys, "--root", str(project.root), "new", "my-study", "--condition", "sle")
    path = project.root / "content/studies/my-study.yaml"
    path.write_text(path.read_text().replace("status: draft", "status: published"))
    code, out, err = run(capsys, "--root", str(project.root), "check")
    assert (code, err) == (1, "3 problems in 1 file\n")
    assert out.splitlines() == [
        f"content/studies/my-study.yaml:6:8: title: {STILL}",
        f"content/studies/my-study.yaml:11:10: summary: {STILL}",
        f"content/studies/my-study.yaml:28:7: body: {STILL}",
    ]


def test_every_placeholder_of_the_skeleton_is_refused_once_uncommented_and_published(project, capsys) -> None:
    run(capsys, "--root", str(project.root), "new", "my-study", "--condition", "sle")
    path = project.root / "content/studies/my-study.yaml"
    header, _, fields = path.read_text().partition("title:")
    fields = re.sub(r"(?m)^( *)# ", r"\1", "title:" + fields).replace("status: draft", "status: published")
    path.write_text(header + fields)
    code, out, _ = run(capsys, "--root", str(project.root), "check")
    assert code == 1
    refused = [line.split(": ")[1] for line in out.splitlines()]
    assert refused == ["title", "summary", "study.outcomes[0].name", "key_findings[0]", "body", "source.title"]
    assert all(line.endswith(STILL) for line in out.splitlines())
    assert len(refused) == len(PLACEHOLDERS)


def test_through_the_real_command_line_a_new_study_published_as_written_fails_and_a_draft_passes(project) -> None:
    def command(*args: str) -> subprocess.CompletedProcess[str]:
        environment = {**os.environ, "PYTHONPATH": str(ROOT)}
        return subprocess.run(
            [sys.executable, "-m", "generator", *args],
            cwd=project.root,
            env=environment,
            capture_output=True,
            text=True,
        )

    assert command("new", "zentra-lupus", "--condition", "sle").returncode == 0
    checked = command("check")
    assert (checked.returncode, checked.stderr) == (0, "OK: 1 study file(s) checked\n")
    path = project.root / "content/studies/zentra-lupus.yaml"
    path.write_text(path.read_text().replace("status: draft", "status: published"))
    checked = command("check", "content/studies/zentra-lupus.yaml")
    assert (checked.returncode, checked.stderr) == (1, "3 problems in 1 file\n")
    assert checked.stdout.splitlines()[0] == f"content/studies/zentra-lupus.yaml:6:8: title: {STILL}"
    path.write_text(path.read_text().replace("title: Replace with", "title: Zentra: replace with"))
    checked = command("check")
    assert (checked.returncode, checked.stderr) == (1, "1 problem in 1 file\n")
    assert checked.stdout == (
        "content/studies/zentra-lupus.yaml:6:14: put the value of `title` in quotes: it contains a colon followed by "
        "a space, which YAML reads as the start of another key\n"
    )


def test_the_placeholder_texts_have_one_home() -> None:
    template = (ROOT / "templates/new-study.yaml.j2").read_text()
    assert "Replace with" not in template
    assert all(f"placeholders.{name}" in template for name in PLACEHOLDERS)


def test_usage_shows_the_command_as_it_runs_from_the_project_folder(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["check", "--format", "xml"])
    assert capsys.readouterr().err.startswith("usage: .venv/bin/python -m generator check ")


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
    assert header.split() == ["#", "kind", "score", "same_condition", "shared_conditions", "topics",
                              "drug_classes", "design", "interventions", "terms", "recency", "study"]  # fmt: skip
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
        "content/studies/s.yaml:8:1: source: warning: no title, authors or year; the citation downloads (BibTeX, RIS) give "
        "what the source has, but a reference manager needs title, authors, journal and year\n"
    )
    assert err == "OK: 2 study file(s) checked, 1 warning\n"


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
        "content/studies/b.yaml:8:1: source: warning: no authors, journal or year; the citation downloads (BibTeX, RIS) "
        "give what the source has, but a reference manager needs title, authors, journal and year\n"
    )


CITATION_NEEDS = (
    "; the citation downloads (BibTeX, RIS) give what the source has, but a reference manager needs title, authors,"
    " journal and year"
)
SEED_WARNINGS = [
    "content/studies/aav-mortality-usa.yaml:58:1: source: warning: no title" + CITATION_NEEDS,
    "content/studies/aspirin-vasodilators-ssc.yaml:69:1: source: warning: no title or authors" + CITATION_NEEDS,
    "content/studies/low-dose-il2-sle.yaml:2:8: title: warning: the headline claims an effect (`Effective`) that the"
    " primary outcome does not show (SRI-4 response at week 12: p = 0.052); reword the title, or keep it by adding"
    " `headline_checked: <why the headline stands>` to the file",
    "content/studies/rivaroxaban-vs-warfarin-aps.yaml:2:8: title: warning: the headline claims an effect (`Superior`)"
    " that the primary outcome does not show (Recurrent thrombosis: RR 1.83 (95% CI 0.71 to 4.76), an interval that"
    " includes no effect); reword the title, or keep it by adding `headline_checked: <why the headline stands>`"
    " to the file",
]


def test_check_warns_about_the_seed_headlines_and_still_exits_zero(capsys) -> None:
    code, out, err = run(capsys, "--root", str(ROOT), "check")
    assert (code, out.splitlines(), err) == (0, SEED_WARNINGS, "OK: 6 study file(s) checked, 4 warnings\n")


def test_check_of_one_file_warns_only_about_it_and_as_an_annotation_on_github(capsys, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    code, out, err = run(capsys, "check", "--format", "github", "content/studies/low-dose-il2-sle.yaml")
    assert (code, err) == (0, "OK: 1 study file(s) checked, 1 warning\n")
    assert out == (
        "::warning file=content/studies/low-dose-il2-sle.yaml,line=2,col=8::title: the headline claims an"
        " effect (`Effective`) that the primary outcome does not show (SRI-4 response at week 12: p = 0.052);"
        " reword the title, or keep it by adding `headline_checked: <why the headline stands>` to the file\n"
    )
    assert run(capsys, "check", "content/studies/opportunistic-infections-myositis.yaml") == (
        0, "", "OK: 1 study file(s) checked\n"
    )  # fmt: skip


def test_headline_checked_silences_the_warning(project, capsys) -> None:
    study = MINIMAL_STUDY.replace("A minimal valid study", "Drug X Improves Lupus").replace(
        "  design: cohort\n", "  design: cohort\n  outcomes: [{name: Response, primary: true, p_value: 0.3}]\n"
    )
    project.study("s", study)
    code, out, err = run(capsys, "--root", str(project.root), "check")
    assert (code, out.startswith("content/studies/s.yaml:1:8: title: warning: "), err) == (
        0, True, "OK: 1 study file(s) checked, 1 warning\n"
    )  # fmt: skip
    project.study("s", study + "headline_checked: The week-24 result, prespecified, supports it.\n")
    assert run(capsys, "--root", str(project.root), "check") == (0, "", "OK: 1 study file(s) checked\n")
