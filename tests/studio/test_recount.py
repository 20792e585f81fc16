"""`annotate studio recount` (annotate.studio.recount): the local server stopped, Label
Studio's `calculate_stats_all_orgs --from-scratch` run on its data, the server started
again; a failed recount leaves it stopped and says where to look. A stand-in
`label-studio` script records its arguments (no real server)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.errors import StudioError
from annotate.studio import recount as recount_mod
from annotate.studio import server
from annotate.studio.connection import StudioPaths


@pytest.fixture(autouse=True)
def _own_locks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """This test's own lock folder: a push or export elsewhere on the machine (another
    test worker, a CI run beside it) holds locks in the default one, which recount reads."""
    monkeypatch.setenv("ANNOTATE_LOCK_DIR", str(tmp_path / "locks"))


def home(tmp_path: Path, code: int) -> StudioPaths:
    paths = StudioPaths(root=tmp_path / "studio", venv=tmp_path / "venv")
    paths.executable.parent.mkdir(parents=True)
    paths.executable.write_text(
        f'#!/bin/sh\necho "$@" > "{tmp_path}/args"\necho "$DJANGO_SETTINGS_MODULE" '
        f'>> "{tmp_path}/args"\nexit {code}\n'
    )
    paths.executable.chmod(0o755)
    paths.data.mkdir(parents=True)
    creds = {"username": "admin@annotate.local", "password": "pw", "token": "t" * 40}
    paths.credentials.write_text(json.dumps(creds))
    return paths


def test_recount_stops_recounts_from_scratch_and_starts_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = home(tmp_path, 0)
    calls: list[str] = []
    monkeypatch.setattr(server, "stop", lambda p: calls.append("stop") or True)
    monkeypatch.setattr(server, "start", lambda p: calls.append("start") or "started")
    assert recount_mod.recount(paths) == "started"
    args = (tmp_path / "args").read_text().split("\n")
    assert args[0] == f"calculate_stats_all_orgs --from-scratch --data-dir {paths.data}"
    assert args[1] == "annotate_studio_settings"
    assert calls == ["stop", "start"]


def test_a_failed_recount_leaves_the_server_stopped_and_names_the_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = home(tmp_path, 3)
    calls: list[str] = []
    monkeypatch.setattr(server, "stop", lambda p: calls.append("stop") or True)
    monkeypatch.setattr(server, "start", lambda p: calls.append("start"))
    with pytest.raises(StudioError) as err:
        recount_mod.recount(paths)
    assert "exit code 3" in str(err.value) and str(paths.log) in err.value.fix
    assert calls == ["stop"]


def test_no_local_server_is_an_error_with_the_fix(tmp_path: Path) -> None:
    paths = StudioPaths(root=tmp_path / "studio", venv=tmp_path / "venv")
    with pytest.raises(StudioError) as err:
        recount_mod.recount(paths)
    assert "no local Label Studio" in str(err.value) and "from-scratch" in err.value.fix


def test_a_stopped_server_is_recounted_and_left_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # reader57 #5: it was always started afterwards, and the CLI said "running"
    paths = home(tmp_path, 0)
    calls: list[str] = []
    monkeypatch.setattr(server, "stop", lambda p: calls.append("stop") and False)
    monkeypatch.setattr(server, "start", lambda p: calls.append("start") or "started")
    monkeypatch.setattr(server, "status", lambda p: calls.append("status") or "stopped")
    assert recount_mod.recount(paths) == "stopped"
    assert calls == ["stop", "status"]
    assert (tmp_path / "args").exists()  # recounted all the same


def test_a_running_push_or_export_is_not_stopped_under(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotate.studio.lock import output_lock, project_lock

    monkeypatch.setenv("ANNOTATE_LOCK_DIR", str(tmp_path / "locks"))
    paths = home(tmp_path, 0)
    calls: list[str] = []
    monkeypatch.setattr(server, "stop", lambda p: calls.append("stop") or True)
    monkeypatch.setattr(server, "start", lambda p: calls.append("start") or "started")
    for held in (project_lock("http://x", "P"), output_lock(tmp_path / "out")):
        with held, pytest.raises(StudioError) as err:
            recount_mod.recount(paths)
        assert "may be using Label Studio" in str(err.value), err.value
        assert "annotate push" in str(err.value) or "annotate export" in str(err.value)
        assert "studio recount` again" in err.value.fix
    assert calls == [] and not (tmp_path / "args").exists()  # nothing stopped, no recount
    assert recount_mod.recount(paths) == "started"  # released: it runs


def test_a_record_left_by_another_host_does_not_block_a_recount(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A holder record whose lock no process holds (left by a process of another host
    sharing the lock folder, which this host cannot ask about) is not a holder
    (reader57b #6): the recount runs."""
    from annotate.studio.lock import holder_path

    locks = tmp_path / "locks"
    locks.mkdir()
    lock = locks / "push-0123456789abcdef.lock"
    lock.write_text("")
    holder_path(lock).write_text(
        json.dumps({"pid": 4242, "host": "elsewhere", "command": "annotate push", "since": "x"})
    )
    paths = home(tmp_path, 0)
    monkeypatch.setattr(server, "stop", lambda p: True)
    monkeypatch.setattr(server, "start", lambda p: "started")
    assert recount_mod.recount(paths) == "started"
    assert (tmp_path / "args").exists()
