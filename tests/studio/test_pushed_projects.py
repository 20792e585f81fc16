"""The record of the projects pushes from this machine made (annotate.studio.
pushed_projects): a project gone from the server is named, refused unless told to make it
again, and forgotten once it is; records are kept per server and name."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from annotate.errors import StudioError
from annotate.studio import pushed_projects as pp

URL, OTHER = "http://127.0.0.1:8080", "https://ls.example.org"


def test_a_recorded_project_that_is_gone_is_refused_then_forgotten_when_told() -> None:
    pp.remember(URL, "Batch 12", {3: "Batch 12 · r-a", 4: "Batch 12 · r-b"})
    pp.remember(OTHER, "Batch 12", {3: "Batch 12"})  # another server: its own record
    assert pp.check_deleted(URL, "Batch 12", [3, 4], recreate=False, what="review set") == {}
    with pytest.raises(StudioError) as err:
        pp.check_deleted(URL, "Batch 12", [3], recreate=False, what="review set")
    assert "'Batch 12 · r-b' (id 4)" in err.value.what and "--recreate-deleted" in str(err.value)
    assert pp.recorded(URL, "Batch 12") == {3: "Batch 12 · r-a", 4: "Batch 12 · r-b"}
    gone = pp.check_deleted(URL, "Batch 12", [3], recreate=True, what="review set")
    assert gone == {4: "Batch 12 · r-b"} and pp.recorded(URL, "Batch 12") == {3: "Batch 12 · r-a"}
    assert pp.recorded(OTHER, "Batch 12") == {3: "Batch 12"}
    assert pp.recorded(URL, "Batch 13") == {}


def test_a_renamed_project_is_named_with_its_new_title_not_called_deleted() -> None:
    """Stop 47's new-user pass (F16): the lead renamed 'Chats' to 'Chats (renamed)' in
    Label Studio; a push of 'Chats' said its project was no longer on the server and
    offered a backup restore or --recreate-deleted (a second project, its passages sent to
    review again). It now names the new title and says to rename it back, even with
    --recreate-deleted; a project really gone is still refused as deleted."""
    pp.remember(URL, "Chats", {5: "Chats", 6: "Chats #2"})
    titles = {5: "Chats (renamed)"}  # 6: deleted
    for recreate in (False, True):
        with pytest.raises(StudioError) as err:
            pp.check_deleted(
                URL, "Chats", [], recreate=recreate, what="project", title_now=titles.get
            )
        assert "id 5 is now titled 'Chats (renamed)'" in err.value.what
        assert "rename it back to 'Chats'" in str(err.value.fix)
    assert pp.recorded(URL, "Chats") == {5: "Chats", 6: "Chats #2"}  # nothing forgotten
    with pytest.raises(StudioError) as err:
        pp.check_deleted(URL, "Chats", [5], recreate=False, what="project", title_now=titles.get)
    assert "'Chats #2' (id 6)" in err.value.what and "--recreate-deleted" in str(err.value)


def test_an_unreadable_record_is_no_refusal(caplog: pytest.LogCaptureFixture) -> None:
    path = pp.record_path(URL, "x")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{not json", encoding="utf-8")
    assert pp.check_deleted(URL, "x", [], recreate=False, what="project") == {}
    assert "could not read" in caplog.text


# the functions the autouse fixture (tests/conftest.py) replaces with a test's own folders
REAL_RECORDS_FOLDER, REAL_LEGACY_FOLDER = pp.records_folder, pp.legacy_folder
REAL_SHARED_FOLDER = pp.shared_folder


@pytest.fixture()
def real_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The record's own folder rules, with the user's state folder in ``tmp_path/state``
    and no ``$ANNOTATE_HOME`` (the work folder: ``.annotate`` of the current folder)."""
    monkeypatch.setattr(pp, "records_folder", REAL_RECORDS_FOLDER)
    monkeypatch.setattr(pp, "legacy_folder", REAL_LEGACY_FOLDER)
    monkeypatch.setattr(pp, "shared_folder", REAL_SHARED_FOLDER)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.delenv("ANNOTATE_HOME", raising=False)
    return tmp_path / "state" / "annotate" / "pushed-projects"


def test_a_push_from_another_folder_sees_the_record_and_leaves_no_annotate_folder(
    real_folders: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """break45 #3: the record lived in the working folder's .annotate, so a push of the
    same name to the same (team) server from another folder made a deleted project again."""
    first, other = tmp_path / "first", tmp_path / "other"
    first.mkdir()
    other.mkdir()
    monkeypatch.chdir(first)
    pp.remember(OTHER, "brk1", {1: "brk1"})
    monkeypatch.chdir(other)
    with pytest.raises(StudioError) as err:
        pp.check_deleted(OTHER, "brk1", [], recreate=False, what="project")
    assert "'brk1' (id 1)" in err.value.what
    assert f"recorded in {real_folders}" in err.value.what, err.value.what
    assert not (first / ".annotate").exists() and not (other / ".annotate").exists()
    assert sorted(p.parent for p in real_folders.glob("*.json")) == [real_folders]


def test_a_record_an_earlier_version_kept_in_the_work_folder_is_read_then_moved(
    real_folders: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    key = f"{URL}\nBatch 12".encode()
    legacy = (
        tmp_path / ".annotate" / "pushed-projects" / f"{hashlib.sha256(key).hexdigest()[:16]}.json"
    )
    legacy.parent.mkdir(parents=True)
    body = {
        "server": URL,
        "name": "Batch 12",
        "projects": {"3": "Batch 12 · r-a", "4": "Batch 12 · r-b"},
    }
    legacy.write_text(json.dumps(body), encoding="utf-8")
    with pytest.raises(StudioError) as err:  # read: the deleted queue 4 is still noticed
        pp.check_deleted(URL, "Batch 12", [3], recreate=False, what="review set")
    assert "'Batch 12 · r-b' (id 4)" in err.value.what
    pp.remember(URL, "Batch 12", {3: "Batch 12 · r-a"})  # nothing new: moved all the same
    assert not legacy.exists()
    assert pp.recorded(URL, "Batch 12") == {3: "Batch 12 · r-a", 4: "Batch 12 · r-b"}
    assert pp.record_path(URL, "Batch 12").parent == real_folders
    assert pp.check_deleted(URL, "Batch 12", [3], recreate=True, what="review set") == {
        4: "Batch 12 · r-b"
    }
    assert pp.check_deleted(URL, "Batch 12", [3], recreate=False, what="review set") == {}


def test_another_server_at_the_same_url_has_a_record_of_its_own(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A local server started afresh in another folder on the same port (or a team server
    whose database was replaced) is another organization: its first push is not refused
    for the old server's projects, and says why they are not checked."""
    old, new = pp.Server(URL, "1@2026-11-02T10:00:00Z"), pp.Server(URL, "1@2026-12-05T09:00:00Z")
    pp.remember(old, "demo", {1: "demo"})
    assert pp.check_deleted(new, "demo", [], recreate=False, what="project") == {}
    assert "is another Label Studio" in caplog.text and "1@2026-11-02" in caplog.text
    with pytest.raises(StudioError):  # the old one, back at the address: its record holds
        pp.check_deleted(old, "demo", [], recreate=False, what="project")


def test_a_deleted_queue_is_named_with_its_reviewer_where_known() -> None:
    """break45 #4: the refusal named the queue by pseudonym only."""
    pp.remember(URL, "rs1", {5: "rs1 · r-c314aadca2", 6: "rs1 · r-0123456789"})
    owners = {"rs1 · r-c314aadca2": "r2@example.org"}
    with pytest.raises(StudioError) as err:
        pp.check_deleted(URL, "rs1", [], recreate=False, what="review set", owners=owners)
    text = err.value.what
    assert "'rs1 · r-c314aadca2' (id 5, the queue of r2@example.org)" in text, text
    assert "'rs1 · r-0123456789' (id 6)" in text, text


def test_a_server_is_its_url_and_organization_read_once_per_client() -> None:
    class Client:
        url = "http://user:secret@127.0.0.1:8080/"
        calls = 0

        def instance(self) -> str:
            Client.calls += 1
            return "1@2026-12-05T09:00:00Z"

    client = Client()
    server = pp.server_of(client)
    assert server.instance == "1@2026-12-05T09:00:00Z" and "secret" not in server.url
    assert server.url.endswith("@127.0.0.1:8080")  # as the push lock keys it (masked)
    assert pp.server_of(client) == pp.server_of(client) and Client.calls == 1
    assert pp.record_path(pp.server_of(client), "x") != pp.record_path(URL, "x")


def test_one_server_however_its_address_is_written() -> None:
    """Stop 46's break helper: a push to http://localhost:8471 made again the deleted
    project a push to http://127.0.0.1:8471 recorded (the record was keyed by the URL as
    written)."""
    pp.remember(pp.Server("http://127.0.0.1:8471", "1@2026-12-05"), "Alpha", {7: "Alpha"})
    for url in ("http://localhost:8471", "HTTP://LocalHost:8471/", "http://[::1]:8471"):
        server = pp.Server(url, "1@2026-12-05")
        assert pp.recorded(server, "Alpha") == {7: "Alpha"}, url
    # another port, another host, another scheme's default: other servers
    for url in ("http://127.0.0.1:8472", "http://ls.example.org:8471"):
        assert pp.recorded(pp.Server(url, "1@2026-12-05"), "Alpha") == {}
    assert pp.same_server_url("https://ls.example.org:443/") == ("https://ls.example.org")


def test_annotate_home_keeps_the_records_private_and_under_it(
    real_folders: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """passK54 K8: the records (project titles, pre-labels paths) were 0644 in
    ~/.local/state/annotate only, whatever ANNOTATE_HOME said. With ANNOTATE_HOME set they
    are under it, and every folder and file is the user's alone (0700, 0600); the copy in
    the user's folder is kept, so a push of the name without ANNOTATE_HOME (another shell,
    LABEL_STUDIO_URL set: break45 #3) still notices a deleted project."""
    home = tmp_path / "team-a"
    monkeypatch.setenv("ANNOTATE_HOME", str(home))
    pp.remember(URL, "Weekly", {1: "Weekly #1"})
    pp.remember_file(URL, "Weekly", tmp_path / "pre.parquet")
    folder = home / "state" / "pushed-projects"
    (path,) = folder.glob("*.json")
    assert path == pp.record_path(URL, "Weekly")
    (copy,) = real_folders.glob("*.json")
    for made in (folder, real_folders):
        assert made.stat().st_mode & 0o777 == 0o700, made
    for made in (path, copy):
        assert made.stat().st_mode & 0o777 == 0o600, made
    assert path.read_text() == copy.read_text()
    monkeypatch.delenv("ANNOTATE_HOME")
    with pytest.raises(StudioError) as err:
        pp.check_deleted(URL, "Weekly", [], recreate=False, what="project")
    assert "'Weekly #1' (id 1)" in err.value.what
    assert pp.pushed_files(URL, "Weekly") == [str((tmp_path / "pre.parquet").resolve())]


def test_a_record_kept_in_the_users_folder_is_still_read_under_annotate_home(
    real_folders: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A push made before ANNOTATE_HOME moved the records (or without it) is still seen:
    a deleted project is noticed and the pre-labels file named; a change made under
    ANNOTATE_HOME is written in both, so a project forgotten stays forgotten."""
    real_folders.mkdir(parents=True)
    real_folders.chmod(0o755)  # as earlier versions made it
    pp.remember(URL, "Weekly", {1: "Weekly #1", 2: "Weekly #2"})
    pp.remember_file(URL, "Weekly", tmp_path / "pre.parquet")
    assert real_folders.stat().st_mode & 0o777 == 0o700  # made private when written
    shared = pp.record_path(URL, "Weekly")
    assert shared.stat().st_mode & 0o777 == 0o600
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    assert pp.shared_folder() == real_folders
    assert pp.pushed_files(URL, "Weekly") == [str((tmp_path / "pre.parquet").resolve())]
    with pytest.raises(StudioError) as err:
        pp.check_deleted(URL, "Weekly", [1], recreate=False, what="project")
    assert "'Weekly #2' (id 2)" in err.value.what and str(shared) in err.value.what
    assert pp.check_deleted(URL, "Weekly", [1], recreate=True, what="project") == {2: "Weekly #2"}
    mine = pp.record_path(URL, "Weekly")
    assert mine.parent == tmp_path / "home" / "state" / "pushed-projects"
    for path in (mine, shared):
        body = json.loads(path.read_text())
        assert body["projects"] == {"1": "Weekly #1"}, path
        assert body["prelabels"] == [str((tmp_path / "pre.parquet").resolve())]
    assert pp.check_deleted(URL, "Weekly", [1], recreate=False, what="project") == {}
    # a push without ANNOTATE_HOME records there only; one with it reads that too
    monkeypatch.delenv("ANNOTATE_HOME")
    pp.remember(URL, "Weekly", {3: "Weekly #3"})
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    assert pp.recorded(URL, "Weekly") == {1: "Weekly #1", 3: "Weekly #3"}


def test_a_project_forgotten_under_annotate_home_stays_forgotten_when_the_users_folder_is_read_only(
    real_folders: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """break11 M7: with ANNOTATE_HOME set and the user's state folder read-only (a job's
    container, a read-only home), --recreate-deleted dropped the project from the record
    under ANNOTATE_HOME only; the stale copy in the user's folder was joined back in, so
    every later push refused the project as deleted again. The drop is recorded, and an
    older record that still lists the project does not bring it back."""
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    pp.remember(URL, "Weekly", {1: "Weekly #1", 2: "Weekly #2"})
    shared = pp._shared_path(URL, "Weekly")
    assert shared is not None and shared.is_file()
    write = pp.atomic_write_text

    def read_only_users_folder(path: Path, *args: object, **kwargs: object) -> None:
        if Path(path).parent == real_folders:
            raise OSError(30, "Read-only file system", str(path))
        write(path, *args, **kwargs)

    monkeypatch.setattr(pp, "atomic_write_text", read_only_users_folder)
    stale = shared.read_text()
    assert pp.check_deleted(URL, "Weekly", [2], recreate=True, what="project") == {1: "Weekly #1"}
    assert shared.read_text() == stale  # could not be rewritten: still lists project 1
    assert pp.recorded(URL, "Weekly") == {2: "Weekly #2"}
    assert pp.check_deleted(URL, "Weekly", [2], recreate=False, what="project") == {}
    # the drop survives the record's next writes; a project made again later (its id
    # given anew) is recorded again
    pp.remember(URL, "Weekly", {3: "Weekly #1"})
    assert pp.recorded(URL, "Weekly") == {2: "Weekly #2", 3: "Weekly #1"}
    pp.remember(URL, "Weekly", {1: "Weekly #1"})
    assert pp.recorded(URL, "Weekly") == {1: "Weekly #1", 2: "Weekly #2", 3: "Weekly #1"}
    assert "forgotten" not in json.loads(pp.record_path(URL, "Weekly").read_text())


def test_a_project_forgotten_in_the_users_folder_is_not_brought_back_by_an_older_record(
    real_folders: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other way round: a push without ANNOTATE_HOME dropped a project from the
    user's folder; the record under ANNOTATE_HOME, written before, still lists it."""
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    pp.remember(URL, "Weekly", {1: "Weekly #1", 2: "Weekly #2"})
    monkeypatch.delenv("ANNOTATE_HOME")
    assert pp.check_deleted(URL, "Weekly", [2], recreate=True, what="project") == {1: "Weekly #1"}
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    assert pp.recorded(URL, "Weekly") == {2: "Weekly #2"}
