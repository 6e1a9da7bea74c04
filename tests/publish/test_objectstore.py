"""The deploy to S3-compatible object storage, against moto's stand-in for S3."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from generator.cli import main
from generator.publish.objectstore import (
    IMMUTABLE,
    MANIFEST,
    SHORT,
    DeployError,
    Target,
    cache_control,
    content_type,
    deploy,
    site_objects,
)

from ..conftest import build_site

BUCKET = "rheum-site"
TARGET = Target(BUCKET, "evidence/")
FILES = {
    "index.html": "<h1>Home</h1>",
    "sitemap.xml": "<urlset/>",
    "studies/a/index.html": "<h1>A</h1>",
    "studies/a/card.png": "PNG-A",
    "studies/b/index.html": "<h1>B</h1>",
    "assets/stylesheets/main.57a0d79d.min.css": "body{}",
    "pagefind/pagefind-entry.json": "{}",
    "pagefind/fragment/en_1a2b3c4.pf_fragment": "F",
}


@pytest.fixture
def s3(monkeypatch):
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        client = boto3.client("s3")
        client.create_bucket(Bucket=BUCKET)
        yield client


@pytest.fixture
def site(tmp_path) -> Path:
    root = tmp_path / "site"
    for path, text in FILES.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    (root / ".nojekyll").write_text("")
    return root


def stored(client: Any, prefix: str = "evidence/") -> dict[str, bytes]:
    listing = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    keys = [item["Key"] for item in listing if item["Key"].startswith(prefix)]
    return {key[len(prefix) :]: client.get_object(Bucket=BUCKET, Key=key)["Body"].read() for key in keys}


class Recording:
    """An S3 client that records the calls a deploy makes, and may fail one of them."""

    def __init__(self, client: Any, fail_at: int | None = None):
        self.client, self.fail_at, self.calls = client, fail_at, []
        self.exceptions = client.exceptions

    def put_object(self, **kwargs: Any) -> Any:
        self.calls.append(("put", kwargs["Key"]))
        if len(self.calls) == self.fail_at:
            raise ClientError(
                {"Error": {"Code": "SlowDown", "Message": "Please reduce your request rate."}}, "PutObject"
            )
        return self.client.put_object(**kwargs)

    def delete_objects(self, **kwargs: Any) -> Any:
        self.calls += [("delete", item["Key"]) for item in kwargs["Delete"]["Objects"]]
        return self.client.delete_objects(**kwargs)

    def get_object(self, **kwargs: Any) -> Any:
        return self.client.get_object(**kwargs)


def test_a_first_deploy_uploads_every_file_with_its_type_and_caching(s3, site) -> None:
    plan = deploy(site, TARGET, s3)
    assert plan.summary() == "8 files uploaded, 0 deleted, 0 unchanged"
    objects = stored(s3)
    assert sorted(objects) == sorted([*FILES, MANIFEST]), "hidden files stay behind"
    assert objects["studies/a/index.html"] == b"<h1>A</h1>"
    head = s3.head_object(Bucket=BUCKET, Key="evidence/studies/a/index.html")
    assert (head["ContentType"], head["CacheControl"]) == ("text/html; charset=utf-8", SHORT)
    css = s3.head_object(Bucket=BUCKET, Key="evidence/assets/stylesheets/main.57a0d79d.min.css")
    assert (css["ContentType"], css["CacheControl"]) == ("text/css; charset=utf-8", IMMUTABLE)
    again = deploy(site, TARGET, s3)
    assert again.summary() == "0 files uploaded, 0 deleted, 8 unchanged"


def test_a_deploy_after_an_edit_sends_what_changed_and_deletes_only_what_it_put_there(s3, site) -> None:
    deploy(site, TARGET, s3)
    s3.put_object(Bucket=BUCKET, Key="evidence/googleabc.html", Body=b"site verification")  # not ours
    (site / "studies" / "a" / "index.html").write_text("<h1>A, edited</h1>", encoding="utf-8")
    for path in ("studies/b/index.html",):
        (site / path).unlink()
    client = Recording(s3)
    plan = deploy(site, TARGET, client)
    assert plan.summary() == "1 files uploaded, 1 deleted, 6 unchanged"
    assert client.calls == [
        ("put", "evidence/studies/a/index.html"),
        ("delete", "evidence/studies/b/index.html"),
        ("put", f"evidence/{MANIFEST}"),
    ]
    objects = stored(s3)
    assert objects["studies/a/index.html"] == b"<h1>A, edited</h1>"
    assert "studies/b/index.html" not in objects
    assert objects["googleabc.html"] == b"site verification", "an object no deploy put there is never deleted"


def test_pages_go_up_after_what_they_point_to_and_the_manifest_last(s3, site) -> None:
    client = Recording(s3)
    deploy(site, TARGET, client)
    keys = [key.removeprefix("evidence/") for _, key in client.calls]
    pointing = {"index.html", "studies/a/index.html", "studies/b/index.html", "pagefind/pagefind-entry.json"}
    first = len(FILES) - len(pointing)
    assert set(keys[:first]) == set(FILES) - pointing
    assert set(keys[first:-1]) == pointing
    assert keys[-1] == MANIFEST


def test_a_deploy_that_stopped_half_way_is_finished_by_the_next(s3, site) -> None:
    deploy(site, TARGET, s3)
    before = stored(s3)[MANIFEST]
    for path in ("studies/a/index.html", "studies/a/card.png", "index.html"):
        (site / path).write_text(f"new {path}", encoding="utf-8")
    with pytest.raises(ClientError, match="SlowDown"):
        deploy(site, TARGET, Recording(s3, fail_at=2))
    assert stored(s3)[MANIFEST] == before, "the manifest is written only by a deploy that finished"
    plan = deploy(site, TARGET, s3)
    assert len(plan.first) + len(plan.last) == 3, "whatever the failed deploy did, the changed files go up again"
    objects = stored(s3)
    assert all(objects[path] == f"new {path}".encode() for path in ("studies/a/index.html", "studies/a/card.png"))
    assert deploy(site, TARGET, s3).summary() == "0 files uploaded, 0 deleted, 8 unchanged"


def test_a_changed_header_sends_the_file_again(s3, site, monkeypatch) -> None:
    deploy(site, TARGET, s3)
    from generator.publish import objectstore

    monkeypatch.setattr(objectstore, "SHORT", "public, max-age=60")
    assert deploy(site, TARGET, s3).summary() == "6 files uploaded, 0 deleted, 2 unchanged"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("rheum-site", "the target must be written s3://bucket or s3://bucket/prefix, not 'rheum-site'"),
        (
            "https://rheum-site/x",
            "the target must be written s3://bucket or s3://bucket/prefix, not 'https://rheum-site/x'",
        ),
        ("s3:///x", "the target must be written s3://bucket or s3://bucket/prefix, not 's3:///x'"),
        ("s3://rheum-site/a/../b", "the prefix of 's3://rheum-site/a/../b' may not have empty, '.' or '..' parts"),
        ("s3://rheum-site/a//b", "the prefix of 's3://rheum-site/a//b' may not have empty, '.' or '..' parts"),
    ],
)
def test_a_wrong_target_is_refused_in_one_line(url: str, expected: str) -> None:
    with pytest.raises(DeployError) as error:
        Target.parse(url)
    assert str(error.value) == expected


def test_targets_with_and_without_a_prefix() -> None:
    assert Target.parse("s3://rheum-site") == Target("rheum-site", "")
    assert Target.parse("s3://rheum-site/evidence/") == Target("rheum-site", "evidence/")
    assert Target.parse("s3://rheum-site/a/b").key("index.html") == "a/b/index.html"


def test_a_folder_that_is_no_finished_build_is_refused(s3, site) -> None:
    (site / "sitemap.xml").unlink()
    with pytest.raises(DeployError) as error:
        deploy(site, TARGET, s3)
    assert str(error.value) == f"{site} is not a finished build: it has no sitemap.xml; run make site"
    with pytest.raises(DeployError) as error:
        deploy(site / "missing", TARGET, s3)
    assert str(error.value) == f"{site / 'missing'} is not a folder; build the site first (make site)"
    assert stored(s3) == {}, "nothing was uploaded"


@pytest.mark.parametrize("kind", ["file", "folder"])
def test_a_link_in_the_site_is_refused_and_nothing_is_uploaded(s3, site, tmp_path, kind: str) -> None:
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "id_rsa").write_text("PRIVATE KEY")
    link = site / "studies" / "leak"
    os.symlink(secret / "id_rsa" if kind == "file" else secret, link)
    with pytest.raises(DeployError) as error:
        deploy(site, TARGET, s3)
    assert str(error.value) == "studies/leak is a link; a deploy uploads only the files a build wrote"
    assert stored(s3) == {}


@pytest.mark.parametrize(
    "body",
    [
        b"[1, 2]",
        b'{"objects": {"index.html": 1}}',
        b'{"objects": {"../victim.html": "x"}}',
        b'{"objects": {"/victim.html": "x"}}',
        b'{"objects": {"a//b.html": "x"}}',
        b'{"objects": {"a\\\\..\\\\victim.html": "x"}}',
    ],
)
def test_a_manifest_the_deploy_did_not_write_stops_it_before_anything_is_deleted(s3, site, body: bytes) -> None:
    s3.put_object(Bucket=BUCKET, Key="victim.html", Body=b"another site")
    s3.put_object(Bucket=BUCKET, Key=f"evidence/{MANIFEST}", Body=body)
    with pytest.raises(DeployError) as error:
        deploy(site, TARGET, s3)
    assert str(error.value) == f"s3://{BUCKET}/evidence/{MANIFEST} is not a deploy manifest; remove it to deploy"
    assert stored(s3, "") == {"victim.html": b"another site", f"evidence/{MANIFEST}": body}


def test_the_command_line_dry_run_changes_nothing_and_the_real_run_deploys(s3, site, capsys) -> None:
    assert main(["deploy", str(site), f"s3://{BUCKET}/evidence", "--dry-run"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "would upload studies/a/index.html" in out
    assert out[-1] == f"s3://{BUCKET}/evidence/: 8 files to upload, 0 to delete, 0 unchanged"
    assert stored(s3) == {}
    assert main(["deploy", str(site), f"s3://{BUCKET}/evidence"]) == 0
    assert (
        capsys.readouterr().out.splitlines()[-1] == f"s3://{BUCKET}/evidence/: 8 files uploaded, 0 deleted, 0 unchanged"
    )
    assert main(["deploy", str(site), "rheum-site"]) == 2
    assert capsys.readouterr().err.strip() == (
        "deploy: the target must be written s3://bucket or s3://bucket/prefix, not 'rheum-site'"
    )


def test_the_command_line_reports_a_storage_error_in_one_line(s3, site, capsys) -> None:
    assert main(["deploy", str(site), "s3://no-such-bucket"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("deploy failed, the bucket may be half-updated (deploy again to finish): ")
    assert "NoSuchBucket" in err and "\n" not in err


def test_every_file_of_a_real_build_gets_a_known_type_and_the_right_caching(site_project) -> None:
    built = build_site(site_project.root)
    objects = site_objects(built)
    unknown = {path for path, item in objects.items() if item.content_type == "application/octet-stream"}
    assert unknown and all(path.startswith("pagefind/") for path in unknown), "only Pagefind's binary chunks"
    assert objects["studies/low-dose-il2-sle/index.html"].cache_control == SHORT
    assert objects["studies/low-dose-il2-sle/citation.ris"].content_type == "application/x-research-info-systems"
    assert objects["feed.xml"].content_type == "application/xml"
    assert any(item.cache_control == IMMUTABLE for path, item in objects.items() if path.startswith("assets/"))
    assert all(cache_control(path) == IMMUTABLE for path in objects if path.startswith("pagefind/fragment/")), (
        "fragment names change with their text"
    )
    assert content_type("x/wasm.en.pagefind") == "application/octet-stream"
