"""The pipeline's adapters: what "More like this" is given of each study file and of the condition vocabulary.

The expectations are written out by hand from the files below (and site_data/conditions.yaml), not
rebuilt the way generator.pipeline builds them, so a field left out, swapped or joined wrongly fails here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from generator import pipeline
from generator.derive.related import ConditionTerms, RelatedConfig, RelatedInput
from generator.pipeline import condition_terms, related_inputs, related_lists
from generator.read.content import load_content
from generator.render.memo import Memo, RenderCache

from ..conftest import MINIMAL_STUDY, Project

TRIAL = """\
title: Abatacept in early arthritis
published: 2021-06-07
condition: ra
also_conditions: [psa, sjogrens]
topics: [abatacept, T-cell costimulation]
summary: >-
  Abatacept with methotrexate kept more patients
  in remission than methotrexate alone.
study:
  design: randomized-controlled-trial
  comparator: methotrexate alone
  arms:
    - {key: aba, label: Abatacept, intervention: abatacept 125 mg weekly}
    - {key: mtx, label: Methotrexate}
body: Text.
related:
  pin: [registry]
  exclude: [draft-one]
"""
REGISTRY = MINIMAL_STUDY.replace("design: cohort", "design: registry-analysis").replace(
    "title: A minimal valid study", "title: A national registry"
)


def _project(project: Project) -> Project:
    project.study("trial", TRIAL)
    project.study("registry", REGISTRY)
    project.study("draft-one", MINIMAL_STUDY + "status: draft\n")
    return project


def test_each_study_file_becomes_the_input_its_fields_say(project: Project) -> None:
    content = load_content(_project(project).root)
    # The engine reads words, so how the comparator and arms are spaced out is not part of the contract.
    inputs = {
        item.slug: dataclasses.replace(item, interventions=" ".join(item.interventions.split()))
        for item in related_inputs(content, content.studies)
    }
    assert inputs["trial"] == RelatedInput(
        slug="trial",
        title="Abatacept in early arthritis",
        summary="Abatacept with methotrexate kept more patients in remission than methotrexate alone.",
        published=dt.date(2021, 6, 7),
        condition="ra",
        also_conditions=("psa", "sjogrens"),
        topics=("abatacept", "T-cell costimulation"),
        design_family="trial",
        interventions="methotrexate alone Abatacept abatacept 125 mg weekly Methotrexate",
        drug_classes=("Conventional synthetic DMARDs", "Biologic DMARDs", "T-cell co-stimulation modulators"),
        pin=("registry",),
        exclude=("draft-one",),
    )
    assert inputs["registry"] == RelatedInput(
        slug="registry",
        title="A national registry",
        summary="Twenty characters or more of summary text.",
        published=dt.date(2020, 1, 2),
        condition="sle",
        design_family="observational",
    )


def test_drafts_take_part_only_in_a_drafts_preview(project: Project) -> None:
    content = load_content(_project(project).root)
    assert sorted(related_lists(content)) == ["registry", "trial"]
    assert sorted(related_lists(content, drafts=True)) == ["draft-one", "registry", "trial"]
    assert [item.slug for item in related_lists(content)["trial"]][0] == "registry"  # the pin


def test_a_rebuild_reuses_the_lists_only_while_every_input_and_setting_is_the_same(
    project: Project, monkeypatch
) -> None:
    calls: list[int] = []
    real = pipeline.compute_related
    monkeypatch.setattr(pipeline, "compute_related", lambda *args: calls.append(1) or real(*args))
    memo = Memo(RenderCache())
    first = related_lists(load_content(_project(project).root), memo=memo)
    project.study("registry", REGISTRY)  # saved again, unchanged
    assert related_lists(load_content(project.root), memo=memo) == first and len(calls) == 1
    assert related_lists(load_content(project.root), memo=Memo()) == first and len(calls) == 2, "no cache, no reuse"
    project.study("registry", REGISTRY.replace("title: A national registry", "title: A Danish registry"))
    related_lists(load_content(project.root), memo=memo)
    assert len(calls) == 3, "a title is an input"
    related_lists(load_content(project.root), RelatedConfig(count=1), memo=memo)
    assert len(calls) == 4, "so are the settings"
    related_lists(load_content(project.root), drafts=True, memo=memo)
    assert len(calls) == 5, "and which studies take part"


def test_the_condition_vocabulary_becomes_each_condition_s_short_name_and_names(project: Project) -> None:
    terms = condition_terms(load_content(project.root))
    assert terms["sle"] == ConditionTerms("SLE", ("Systemic lupus erythematosus", "lupus", "systemic lupus",
                                                  "lupus erythematosus"))  # fmt: skip
    assert terms["lupus-nephritis"] == ConditionTerms(
        "Lupus nephritis", ("Lupus nephritis", "LN", "renal lupus", "lupus kidney disease")
    )
    assert terms["myositis"].short_name == "Myositis"
    assert terms["myositis"].names[0] == "Idiopathic inflammatory myopathies"
    assert len(terms) == 20
