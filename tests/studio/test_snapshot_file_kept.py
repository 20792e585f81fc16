"""The local server's file of an export snapshot is deleted only with the snapshot: when
the server refuses the snapshot's DELETE, the file stays beside the record that names it
(the next export deletes the two together once stale), and a refused stale snapshot is
not counted as deleted. Both were deleted regardless: the record was left naming a
missing file, and a later match by md5 and minute could then find only another export's
identical file. An in-memory HTTP transport plays the server; the real one:
tests/integration/test_export_snapshot_left.py."""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

import httpx
import pytest

import annotate.studio.client as studio_client
from annotate.studio.client import StudioClient
from annotate.studio.connection import Connection
from annotate.studio.snapshot_files import export_folder

BODY = json.dumps([{"id": 1, "annotations": []}]).encode()
MD5 = hashlib.md5(BODY).hexdigest()
NAME = f"project-7-at-2026-12-03-20-06-{MD5[:8]}.json"
RECORD = {
    "id": 5,
    "title": "annotate export 2026-12-03T20:06:00 0123abcd",
    "status": "completed",
    "md5": MD5,
    "created_at": "2026-12-03T20:06:00Z",
    "finished_at": "2026-12-03T20:06:01Z",
}


def server(delete_status: int, listed: list[dict], deletes: list[str]):
    def handle(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if request.method == "DELETE":
            deletes.append(path)
            return httpx.Response(delete_status, json={})
        if request.method == "POST":
            return httpx.Response(201, json=RECORD)
        if path.endswith("/download"):
            disposition = f'attachment; filename="export/7/{NAME}"'
            return httpx.Response(200, content=BODY, headers={"content-disposition": disposition})
        if path.endswith("/exports/"):
            return httpx.Response(200, json=listed)
        return httpx.Response(200, json=RECORD)

    return handle


def local_client(tmp_path: Path, handler) -> StudioClient:
    conn = Connection("http://127.0.0.1:8080", "0" * 40, "local", data_dir=tmp_path)
    client = StudioClient(conn)
    client._http.httpx_client = httpx.Client(transport=httpx.MockTransport(handler))
    return client


@pytest.fixture()
def saved(tmp_path: Path) -> Path:
    folder = export_folder(tmp_path, 7)
    folder.mkdir(parents=True)
    (folder / NAME).write_bytes(BODY)
    return folder / NAME


@pytest.mark.parametrize("status", [204, 404, 403])
def test_the_file_goes_only_with_its_snapshot(
    tmp_path: Path, saved: Path, status: int, caplog: pytest.LogCaptureFixture
) -> None:
    deletes: list[str] = []
    client = local_client(tmp_path, server(status, [], deletes))
    with caplog.at_level(logging.WARNING, logger="annotate.studio.client"):
        assert client.export_snapshot(7) == json.loads(BODY)
    assert deletes == ["/api/projects/7/exports/5"]
    assert saved.exists() == (status == 403), status
    said = "deleting the export snapshot 5 failed (HTTP 403): it holds every answer"
    assert (said in caplog.text) == (status == 403), caplog.text


@pytest.mark.parametrize("status", [204, 403])
def test_a_stale_snapshot_the_server_keeps_keeps_its_file(
    tmp_path: Path, saved: Path, status: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(studio_client, "STALE_SNAPSHOT_S", -1.0)  # as if hours had passed
    deletes: list[str] = []
    client = local_client(tmp_path, server(status, [RECORD], deletes))
    deleted = client._delete_stale_snapshots("api/projects/7/exports", 7)
    assert deletes == ["/api/projects/7/exports/5"]
    assert (deleted, saved.exists()) == ((1, False) if status == 204 else (0, True))
