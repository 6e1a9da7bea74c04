"""The `make edit` server: the editor's page, and the study files only, for requests with the page's token."""

from __future__ import annotations

import http.client
import http.server
import json
import os
import threading
from collections.abc import Iterator

import pytest

from generator.publish import admin, studio
from generator.publish.studio import TOKEN_HEADER, Studio

from ..conftest import MINIMAL_STUDY, ROOT, Project

pytestmark = pytest.mark.skipif(
    not (ROOT / admin.VENDOR_DIR).is_dir(), reason="the editor's package is not installed: npm ci"
)


class Running:
    def __init__(self, studio_: Studio, port: int):
        self.studio, self.port, self.said = studio_, port, []

    def request(self, method: str, path: str, body: bytes | None = None, *, token: bool = True, **headers: str):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        headers = {"Host": f"127.0.0.1:{self.port}", **headers}
        if token:
            headers[TOKEN_HEADER] = self.studio.token
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        connection.close()
        return response.status, data


@pytest.fixture
def server(project: Project) -> Iterator[Running]:
    project.study("first-study", MINIMAL_STUDY)
    said: list[str] = []
    instance = Studio(project.root, say=said.append)
    handler = type("Handler", (studio._Handler,), {"studio": instance})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    running = Running(instance, httpd.server_address[1])
    running.said = said
    try:
        yield running
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_the_page_carries_the_token_and_the_local_folder(server: Running) -> None:
    status, page = server.request("GET", "/admin/", token=False)
    assert status == 200
    assert server.studio.token.encode() in page and b'src="local-folder.js"' in page
    assert server.request("GET", "/admin/config.yml", token=False)[0] == 200
    assert server.request("GET", "/admin/local-folder.js", token=False)[0] == 200
    assert server.request("GET", "/", token=False)[0] == 302


def test_listings_show_only_the_study_files(server: Running, project: Project) -> None:
    (project.root / "content" / "studies" / "notes.txt").write_text("x")
    os.symlink(project.root / "site_data" / "conditions.yaml", project.root / "content" / "studies" / "linked.yaml")
    assert json.loads(server.request("GET", "/_studio/files/")[1]) == [
        {"name": ".git", "kind": "directory"},
        {"name": "content", "kind": "directory"},
    ]
    listing = json.loads(server.request("GET", "/_studio/files/content/studies/")[1])
    assert listing == [{"name": "first-study.yaml", "kind": "file"}]
    assert server.request("GET", "/_studio/files/site_data/")[0] == 404
    assert server.request("GET", "/_studio/files/content/studies/linked.yaml")[0] == 404


def test_saving_writes_the_file_and_says_what_check_says(server: Running, project: Project) -> None:
    status, _ = server.request("PUT", "/_studio/files/content/studies/new-study.yaml", MINIMAL_STUDY.encode())
    assert status == 204
    assert (project.root / "content" / "studies" / "new-study.yaml").read_text() == MINIMAL_STUDY
    assert server.said[-1] == "saved content/studies/new-study.yaml: OK"
    server.request("PUT", "/_studio/files/content/studies/new-study.yaml", b"title: x\n")
    said = server.said[server.said.index("saved content/studies/new-study.yaml: OK") + 1 :]
    assert said[0] == "saved content/studies/new-study.yaml, which has problems to fix:"
    assert "  content/studies/new-study.yaml:1:1: summary: is required but missing" in said
    assert not [p for p in (project.root / "content" / "studies").iterdir() if p.name.startswith(".")]
    assert server.request("DELETE", "/_studio/files/content/studies/new-study.yaml")[0] == 204
    assert not (project.root / "content" / "studies" / "new-study.yaml").exists()


@pytest.mark.parametrize(
    "path",
    [
        "/_studio/files/site_data/conditions.yaml",
        "/_studio/files/content/studies/../../mkdocs.yml",
        "/_studio/files/content/studies/Bad_Name.yaml",
        "/_studio/files/content/studies/x.yml",
        "/_studio/files/content/pages/about.md",
        "/_studio/files/.git/config",
    ],
)
def test_writes_outside_the_study_files_are_refused(server: Running, project: Project, path: str) -> None:
    before = sorted(p.relative_to(project.root) for p in project.root.rglob("*"))
    assert server.request("PUT", path, b"x")[0] == 403
    assert sorted(p.relative_to(project.root) for p in project.root.rglob("*")) == before


def test_requests_without_the_token_or_from_elsewhere_are_refused(server: Running) -> None:
    path = "/_studio/files/content/studies/first-study.yaml"
    assert server.request("GET", path, token=False)[0] == 403
    assert server.request("PUT", path, b"x", token=False)[0] == 403
    assert server.request("GET", path, Host="attacker.example:80")[0] == 403
    assert server.request("GET", "/admin/", token=False, Host="attacker.example")[0] == 403
    assert server.request("PUT", path, b"x", Origin="https://attacker.example")[0] == 403
    assert server.request("GET", path)[0] == 200


def test_a_file_larger_than_the_loader_reads_is_refused(server: Running) -> None:
    big = b"#" * (studio.MAX_FILE_BYTES + 1)
    assert server.request("PUT", "/_studio/files/content/studies/big.yaml", big)[0] == 413
