"""The GitHub workflow: the runner image's own Chromium, pip and npm each installed once with a cache, ProperDocs too; social cards kept between deploys."""

from __future__ import annotations

import yaml

from generator.publish.cardcache import CARD_CACHE
from tests.conftest import ROOT

WORKFLOW = yaml.safe_load((ROOT / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8"))
JOBS = WORKFLOW["jobs"]


def steps(job: str) -> list[dict]:
    return JOBS[job]["steps"]


def runs(job: str) -> str:
    return "\n".join(step.get("run", "") for step in steps(job))


def uses(job: str, action: str) -> list[dict]:
    return [step for step in steps(job) if step.get("uses", "").startswith(action + "@")]


def test_no_job_installs_a_browser_the_image_already_has() -> None:
    # `apt-get install chromium` on ubuntu-latest puts a snap shim first on PATH, which cannot run in CI.
    for job in JOBS:
        assert "apt-get" not in runs(job), job
    [browser] = [step for step in steps("check") if "RHEUM_CHROMIUM" in step.get("run", "")]
    assert 'echo "RHEUM_CHROMIUM=$browser" >> "$GITHUB_ENV"' in browser["run"]
    assert "command -v chromium" in browser["run"] and "CHROME_BIN" in browser["run"]
    assert steps("check").index(browser) < next(i for i, s in enumerate(steps("check")) if s.get("name") == "Tests")


def test_python_packages_are_installed_once_per_job_from_the_pip_cache() -> None:
    for job in JOBS:
        [setup] = uses(job, "actions/setup-python")
        assert setup["with"]["python-version"] == "3.11"
        assert setup["with"]["cache"] == "pip"
        assert "requirements.lock" in setup["with"]["cache-dependency-path"].split()
        # .venv is made by make's own rule (the same one `make test` and `make site` rely on), never by hand
        assert runs(job).count("-r requirements.lock") == (1 if job == "continuity" else 0), job
    assert "make .venv/.installed" in runs("check") and runs("check").index("make .venv") < runs("check").index(
        "generator check"
    )
    assert "bash .ci/run" in runs("check")


def test_every_job_installs_the_editor_s_npm_package_once_from_the_npm_cache() -> None:
    # Every job builds the site, and the build copies the browser editor from node_modules into admin/.
    for job in JOBS:
        [node] = uses(job, "actions/setup-node")
        assert node["with"]["cache"] == "npm", job
        assert runs(job).count("make node_modules/.installed") == 1, job  # make's own rule, as for .venv
        assert "npm ci" not in runs(job), job


def test_the_site_must_build_the_same_with_properdocs_before_it_deploys() -> None:
    assert (
        "benchmarks/properdocs.lock" in uses("continuity", "actions/setup-python")[0]["with"]["cache-dependency-path"]
    )
    text = runs("continuity")
    assert "python -m venv .venv-properdocs" in text  # never in .venv: ProperDocs is not in the main lock
    assert "-r requirements.lock -r benchmarks/properdocs.lock" in text
    assert "benchmarks.properdocs_same --properdocs .venv-properdocs/bin/properdocs" in text
    assert set(JOBS["deploy"]["needs"]) == {"check", "continuity"}
    assert "properdocs" not in (ROOT / "requirements.lock").read_text(encoding="utf-8")


def test_a_deploy_reuses_the_social_cards_earlier_deploys_drew() -> None:
    [cache] = uses("deploy", "actions/cache")
    assert cache["with"]["path"] == CARD_CACHE
    assert cache["with"]["key"] == "social-cards-${{ github.sha }}"  # saved anew by every deploy
    assert cache["with"]["restore-keys"] == "social-cards-"  # the newest earlier one is restored
    build = next(step for step in steps("deploy") if step.get("name") == "Build")
    assert steps("deploy").index(cache) < steps("deploy").index(build)


def test_the_site_deploys_to_pages_or_to_object_storage_never_both() -> None:
    pages, storage = JOBS["deploy"]["if"], JOBS["deploy-object-storage"]["if"]
    assert pages.endswith("&& vars.OBJECT_STORAGE_URL == ''") and storage.endswith("&& vars.OBJECT_STORAGE_URL != ''")
    assert pages.removesuffix("== ''") + "!= ''" == storage, "the same pushes, split by the one variable"
    assert JOBS["deploy-object-storage"]["needs"] == ["check", "continuity"]
    commands = runs("deploy-object-storage")
    assert commands.index("make site") < commands.index('generator deploy site "$OBJECT_STORAGE_URL"')
    [deploy] = [step for step in steps("deploy-object-storage") if "generator deploy" in step.get("run", "")]
    assert deploy["env"]["AWS_SECRET_ACCESS_KEY"] == "${{ secrets.AWS_SECRET_ACCESS_KEY }}", "keys only from secrets"
    assert uses("deploy-object-storage", "actions/cache")[0]["with"]["path"] == CARD_CACHE
