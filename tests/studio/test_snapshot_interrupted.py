"""An export stopped by Ctrl-C at any step of reading a project's snapshot leaves neither
the snapshot nor its file in the local server's data folder (passH53 H2): stopped while
Label Studio still built it, the record was deleted before the server wrote the file,
which then stayed in ``media/export/`` with nothing naming it, every task's text and
answers in it. Now each snapshot asked for is recorded first (annotate.studio.
snapshot_record); a snapshot still being built is waited for, or left with its record for
the next export, which deletes it and its file. An in-memory transport plays the server
(as Label Studio 1.23 does it: the file is written when the build ends, and deleting the
record through the API leaves the file)."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest

import annotate.studio.client as studio_client
from annotate.studio import snapshot_record
from annotate.studio.client import StudioClient
from annotate.studio.connection import Connection
from annotate.studio.snapshot_files import export_folder

URL = "http://127.0.0.1:8080"
BODY = json.dumps([{"id": 1, "annotations": [], "data": {"text": "a secret"}}]).encode()
MD5 = hashlib.md5(BODY).hexdigest()


class Server:
    """Label Studio's export snapshots of project 7. ``stop_at``: the request during which
    the client is stopped (KeyboardInterrupt, as the CLI's SIGINT handler raises): "post",
    "status", "download" or "delete"; ``builds_after``: requests the server needs after
    the POST before the snapshot is built (its file written)."""

    def __init__(self, data_dir: Path, stop_at: str | None = None, builds_after: int = 0):
        self.data_dir = data_dir
        self.stop_at = stop_at
        self.builds_after = builds_after
        self.records: dict[int, dict[str, Any]] = {}
        self.orphans: list[dict[str, Any]] = []  # records deleted while being built
        self.requests = 0

    def files(self) -> list[str]:
        folder = export_folder(self.data_dir, 7)
        return sorted(p.name for p in folder.glob("*.json")) if folder.is_dir() else []

    def _save(self) -> str:
        """Write a snapshot file as Django's storage names it (a taken name gets a suffix)."""
        now = datetime.now(timezone.utc)
        folder = export_folder(self.data_dir, 7)
        folder.mkdir(parents=True, exist_ok=True)
        name = f"project-7-at-{now:%Y-%m-%d-%H-%M}-{MD5[:8]}.json"
        if (folder / name).exists():
            name = name.replace(".json", f"_{len(self.files()):07d}.json")
        (folder / name).write_bytes(BODY)
        return name

    def build(self) -> None:
        """The server's request ends: the file written, the record (if still there) done."""
        for record in self.records.values():
            if record["status"] == "in_progress":
                name = self._save()
                now = datetime.now(timezone.utc).isoformat()
                record.update(status="completed", md5=MD5, finished_at=now, file=name)
        for _ in self.orphans:
            self._save()
        self.orphans = []

    def _tick(self) -> None:
        self.requests += 1
        if self.builds_after and self.requests >= self.builds_after:
            self.build()

    def _stop(self, step: str) -> None:
        if self.stop_at == step:
            self.stop_at = None  # one Ctrl-C
            raise KeyboardInterrupt

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        self._tick()
        if request.method == "POST":
            pk = len(self.records) + 1 + 100
            title = json.loads(request.content)["title"]
            self.records[pk] = {
                "id": pk,
                "title": title,
                "status": "in_progress",
                "md5": None,
                "created_at": datetime.now(timezone.utc).isoformat(),
                "finished_at": None,
            }
            if not self.builds_after:
                self.build()  # synchronous, as without Redis
            self._stop("post")  # the server made it; the client never heard
            return httpx.Response(201, json=self.records[pk])
        if path.endswith("/exports/"):
            return httpx.Response(200, json=list(self.records.values()))
        pk = int(re.search(r"/exports/(\d+)", path).group(1))  # type: ignore[union-attr]
        if pk not in self.records:
            return httpx.Response(404, json={"detail": "Not found."})
        record = self.records[pk]
        if request.method == "DELETE":
            self._stop("delete")
            if record["status"] == "in_progress":
                self.orphans.append(record)  # its file is written after, named by nothing
            del self.records[pk]
            return httpx.Response(204)
        if path.endswith("/download"):
            self._stop("download")
            disposition = f'attachment; filename="export/7/{record["file"]}"'
            return httpx.Response(200, content=BODY, headers={"content-disposition": disposition})
        self._stop("status")
        return httpx.Response(200, json=record)


def client_of(tmp_path: Path, server: Server) -> StudioClient:
    conn = Connection(URL, "0" * 40, "local", data_dir=tmp_path)
    client = StudioClient(conn)
    client._http.httpx_client = httpx.Client(transport=httpx.MockTransport(server))
    return client


@pytest.fixture(autouse=True)
def quick(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(studio_client.time, "sleep", lambda s: None)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))  # this test's records


@pytest.mark.parametrize("step", ["post", "status", "download"])
def test_a_ctrl_c_at_any_step_leaves_no_snapshot_nor_file(tmp_path: Path, step: str) -> None:
    server = Server(tmp_path, stop_at=step)
    with pytest.raises(KeyboardInterrupt):
        client_of(tmp_path, server).export_snapshot(7)
    assert server.records == {}
    server.build()  # whatever the server still had to write
    assert server.files() == []
    assert not list(snapshot_record.folder(URL).glob("*.json"))  # nothing left to sweep


def test_a_ctrl_c_while_the_server_builds_leaves_it_to_the_next_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stopped during the POST of a snapshot the server builds for longer than the export
    waits: the record is not deleted under the server (its file would follow, named by
    nothing); the next export deletes both."""
    monkeypatch.setattr(studio_client, "SNAPSHOT_END_WAIT_S", 0.0)
    server = Server(tmp_path, stop_at="post", builds_after=10**6)
    with pytest.raises(KeyboardInterrupt):
        client_of(tmp_path, server).export_snapshot(7)
    server.build()  # the server's request ends after annotate let go
    assert len(server.records) == 1 and len(server.files()) == 1
    # the next export, once the stopped one has ended
    monkeypatch.setattr(snapshot_record.Entry, "running", lambda self: False)
    server.builds_after = 0
    assert client_of(tmp_path, server).export_snapshot(7) == json.loads(BODY)
    assert server.records == {} and server.files() == [], server.files()
    assert not list(snapshot_record.folder(URL).glob("*.json"))


def test_a_second_ctrl_c_while_deleting_leaves_it_to_the_next_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = Server(tmp_path, stop_at="download")
    first = client_of(tmp_path, server)
    real = StudioClient._delete_snapshot

    def stopped_again(self: StudioClient, *args: Any) -> bool:
        raise KeyboardInterrupt  # a second Ctrl-C, in the cleanup

    monkeypatch.setattr(StudioClient, "_delete_snapshot", stopped_again)
    with pytest.raises(KeyboardInterrupt):
        first.export_snapshot(7)
    assert len(server.records) == 1 and len(server.files()) == 1
    monkeypatch.setattr(StudioClient, "_delete_snapshot", real)
    monkeypatch.setattr(snapshot_record.Entry, "running", lambda self: False)
    assert client_of(tmp_path, server).export_snapshot(7) == json.loads(BODY)
    assert server.records == {} and server.files() == []


def test_a_running_exports_snapshot_is_not_swept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another export still at work (its process alive) keeps its snapshot."""
    monkeypatch.setattr(studio_client, "SNAPSHOT_END_WAIT_S", 0.0)
    server = Server(tmp_path, stop_at="post", builds_after=10**6)
    with pytest.raises(KeyboardInterrupt):
        client_of(tmp_path, server).export_snapshot(7)
    server.build()
    server.builds_after = 0
    client_of(tmp_path, server).export_snapshot(7)  # this process: alive, not swept
    assert len(server.records) == 1 and len(server.files()) == 1


def test_a_ctrl_c_after_the_server_deleted_it_leaves_its_file_to_the_next_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """passH53 H2 as seen: the snapshot list empty, its file left. A Ctrl-C during the
    DELETE that the server carried out came before annotate deleted the file; nothing
    named the file any more. The record names it now, and the next export deletes it."""
    server = Server(tmp_path, stop_at="download")
    real = StudioClient._delete_snapshot

    def deleted_then_stopped(self: StudioClient, *args: Any) -> bool:
        real(self, *args)  # the server deleted the snapshot; then a second Ctrl-C
        raise KeyboardInterrupt

    monkeypatch.setattr(StudioClient, "_delete_snapshot", deleted_then_stopped)
    with pytest.raises(KeyboardInterrupt):
        client_of(tmp_path, server).export_snapshot(7)
    assert server.records == {} and len(server.files()) == 1
    monkeypatch.setattr(StudioClient, "_delete_snapshot", real)
    monkeypatch.setattr(snapshot_record.Entry, "running", lambda self: False)
    assert client_of(tmp_path, server).export_snapshot(7) == json.loads(BODY)
    assert server.records == {} and server.files() == []
    assert not list(snapshot_record.folder(URL).glob("*.json"))
