"""An export stopped by Ctrl-C while it read a project's snapshot left that snapshot on
the server (a compliance officer's run: 'annotate export ... d3d72f2e' stayed among the
reviewer project's exports, every answer of the project in it, and no later export
removed it). The snapshot is now deleted however the read ends: stopped, failed or
done. Against the real Label Studio, with its own export snapshots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from annotate.studio.client import StudioClient
from annotate.studio.connection import Connection

from .helpers import PRELABELS
from .review_team import add_team, answer_as, run

pytestmark = pytest.mark.integration


def _snapshots(client: StudioClient, project_id: int) -> list[Any]:
    return client._get(f"api/projects/{project_id}/exports/", "listing export snapshots") or []


@pytest.mark.parametrize("stop", [KeyboardInterrupt, RuntimeError])
def test_an_export_stopped_while_reading_a_snapshot_leaves_none_on_the_server(
    client: StudioClient,
    name: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    stop: type[BaseException],
) -> None:
    (ana,) = add_team(("ana",), "snapshot.test")
    run("push", str(PRELABELS), "--project", name, "-q")
    project_id = int(client.find_project(name)["id"])  # type: ignore[index]
    answer_as(client, ana, project_id, "doc-a-p0", ["none"])
    real = StudioClient._snapshot_tasks
    built: list[int] = []

    def then_stopped(self: StudioClient, base: str, pk: int, *args: Any) -> Any:
        real(self, base, pk, *args)  # the server built it; then Ctrl-C (or a failure)
        built.append(pk)
        raise stop() if stop is KeyboardInterrupt else stop("failed reading the snapshot")

    monkeypatch.setattr(StudioClient, "_snapshot_tasks", then_stopped)
    out = tmp_path / "corpus"
    if stop is KeyboardInterrupt:  # the CLI's Ctrl-C line and exit 130
        said = run("export", "--project", name, "--out", str(out), "-q", code=130)
        assert "interrupted (Ctrl-C)" in said, said
    else:
        with pytest.raises(RuntimeError):
            run("export", "--project", name, "--out", str(out), "-q")
    assert built, "no snapshot was built"
    assert _snapshots(client, project_id) == [], "the snapshot was left on the server"
    assert not out.exists()
    monkeypatch.setattr(StudioClient, "_snapshot_tasks", real)
    run("export", "--project", name, "--out", str(out), "-q")  # the run again works
    assert _snapshots(client, project_id) == [] and (out / "manifest.json").is_file()


def test_the_next_export_deletes_snapshots_an_earlier_one_left(
    client: StudioClient, name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Snapshots an earlier export left (killed, or made before it deleted them in every
    case, as the one found in a new user's run) are deleted by the next export of the
    project once stale; a person's own export snapshot (another title) stays."""
    import annotate.studio.client as studio_client

    (ana,) = add_team(("ana",), "snapshot.test")
    run("push", str(PRELABELS), "--project", name, "-q")
    project_id = int(client.find_project(name)["id"])  # type: ignore[index]
    answer_as(client, ana, project_id, "doc-a-p0", ["none"])
    base = f"api/projects/{project_id}/exports/"
    left = "annotate export 2026-12-03T19:35:25 d3d72f2e"  # as an earlier export titled it
    for title in (left, "my own export"):
        client._send(base, method="POST", action="making a snapshot", json={"title": title})
    titles = {s["title"] for s in _snapshots(client, project_id)}
    assert titles == {left, "my own export"}, titles
    run("export", "--project", name, "--out", str(tmp_path / "a"), "-q")  # not stale yet
    assert {s["title"] for s in _snapshots(client, project_id)} == titles
    monkeypatch.setattr(studio_client, "STALE_SNAPSHOT_S", -1.0)  # as if hours had passed
    run("export", "--project", name, "--out", str(tmp_path / "b"), "-q")
    assert [s["title"] for s in _snapshots(client, project_id)] == ["my own export"]


def _files(data_dir: Path, project_id: int) -> set[str]:
    folder = data_dir / "media" / "export" / str(project_id)
    return {p.name for p in folder.iterdir()} if folder.is_dir() else set()


def test_an_export_leaves_no_snapshot_file_in_the_local_data_folder(
    client: StudioClient, name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Label Studio 1.23 keeps a deleted snapshot's JSON under its data folder's
    media/export/ (a new user's local server held 54 copies of reviewer projects after 14
    exports, surviving the projects' erasure). Of the local server, annotate deletes its
    own snapshots' files: read, stopped before the download, or stale; a person's own
    export keeps its file."""
    import annotate.studio.client as studio_client

    data_dir = client.conn.data_dir
    assert data_dir is not None and (data_dir / "media").is_dir(), data_dir
    (ana,) = add_team(("ana",), "snapshot.test")
    run("push", str(PRELABELS), "--project", name, "-q")
    project_id = int(client.find_project(name)["id"])  # type: ignore[index]
    answer_as(client, ana, project_id, "doc-a-p0", ["none"])
    base = f"api/projects/{project_id}/exports/"
    client._send(base, method="POST", action="making a snapshot", json={"title": "my own"})
    own = _files(data_dir, project_id)
    assert len(own) == 1, own  # the server saved the person's snapshot as a file
    run("export", "--project", name, "--out", str(tmp_path / "a"), "-q")
    assert _files(data_dir, project_id) == own

    def stopped(self: StudioClient, *args: Any) -> Any:  # built, not downloaded
        raise RuntimeError("failed before the download")

    monkeypatch.setattr(StudioClient, "_snapshot_tasks", stopped)
    with pytest.raises(RuntimeError):
        run("export", "--project", name, "--out", str(tmp_path / "b"), "-q")
    assert _files(data_dir, project_id) == own
    monkeypatch.undo()
    left = "annotate export 2026-12-03T19:35:25 d3d72f2e"  # as an earlier export titled it
    # another answer first: the person's snapshot and this one are not the same file (of
    # two identical files saved in the same minute, which is whose is unknown: both stay)
    answer_as(client, ana, project_id, "doc-b-p0", ["none"])
    client._send(base, method="POST", action="making a snapshot", json={"title": left})
    assert len(_files(data_dir, project_id)) == 2
    monkeypatch.setattr(studio_client, "STALE_SNAPSHOT_S", -1.0)  # as if hours had passed
    run("export", "--project", name, "--out", str(tmp_path / "c"), "-q")
    assert [s["title"] for s in _snapshots(client, project_id)] == ["my own"]
    assert _files(data_dir, project_id) == own


def test_studio_env_variables_still_delete_the_snapshot_files(
    client: StudioClient, name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """README's workflow sets the local server's URL and token in the shell (`eval
    "$(annotate studio env)"`); annotate then took it for a team server and left every
    export's snapshot file (an unredacted copy of the project) in media/export. Its own
    URL and token are the local server: the export leaves no file."""
    data_dir = client.conn.data_dir
    assert data_dir is not None
    monkeypatch.setenv("LABEL_STUDIO_URL", client.conn.url)  # as `studio env` prints them
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", client.conn.api_key)
    (ana,) = add_team(("ana",), "snapshot.test")
    run("push", str(PRELABELS), "--project", name, "-q")
    project_id = int(client.find_project(name)["id"])  # type: ignore[index]
    answer_as(client, ana, project_id, "doc-a-p0", ["none"])
    run("export", "--project", name, "--out", str(tmp_path / "a"), "--redact", "-q")
    assert (tmp_path / "a" / "manifest.json").is_file()
    assert _snapshots(client, project_id) == []
    assert _files(data_dir, project_id) == set()


def test_an_export_stopped_before_the_snapshot_id_came_back_leaves_neither_it_nor_its_file(
    client: StudioClient,
    studio: Connection,
    name: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """passH53 H2: a Ctrl-C while Label Studio built the snapshot (it builds it within the
    request that asks for it, and finishes it whatever the client does) left the snapshot
    and its file in the data folder's media/export/, every task's text and answers in it."""
    (ana,) = add_team(("ana",), "snapshot.test")
    run("push", str(PRELABELS), "--project", name, "-q")
    project_id = int(client.find_project(name)["id"])  # type: ignore[index]
    answer_as(client, ana, project_id, "doc-a-p0", ["none"])
    real = StudioClient._create_snapshot
    made: list[int] = []

    def then_stopped(self: StudioClient, base: str, title: str, body: Any) -> int:
        made.append(real(self, base, title, body))  # the server made it; then Ctrl-C
        raise KeyboardInterrupt

    monkeypatch.setattr(StudioClient, "_create_snapshot", then_stopped)
    out = tmp_path / "corpus"
    said = run("export", "--project", name, "--out", str(out), "-q", code=130)
    assert "interrupted (Ctrl-C)" in said, said
    assert made, "no snapshot was made"
    assert _snapshots(client, project_id) == [], "the snapshot was left on the server"
    assert studio.data_dir is not None
    folder = Path(studio.data_dir) / "media" / "export" / str(project_id)
    left = sorted(p.name for p in folder.glob("*.json")) if folder.is_dir() else []
    assert left == [], f"its file was left: {left}"
