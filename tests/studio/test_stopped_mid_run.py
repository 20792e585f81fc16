"""The local Label Studio stopped (`annotate studio stop`, or killed) in the middle of a
push: the error's fix was "wait until it answers again (`annotate studio status` for the
local server ...)", though a stopped server never answers again by itself (a new user's
run: the push gave up after 17 s of retries with that advice). When the URL is the
local server's and its process is gone, the fix is to start it; a team server, or a
local one whose process still runs (busy, restarting), is still waited for. A real
socket with nothing listening, no server."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import httpx
import pytest

from annotate.errors import StudioUnavailableError
from annotate.studio.client import StudioClient
from annotate.studio.connection import Connection, studio_paths


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _lost_fix(url: str) -> str:
    client = StudioClient(Connection(url, "0" * 40, "environment"))
    client.answered = 19  # it answered before: "stopped answering during the run"
    with pytest.raises(StudioUnavailableError) as err, client.guard("importing 1000 tasks"):
        httpx.get(f"{url}/api/projects/", timeout=5)
    assert "stopped answering during the run" in str(err.value)
    return str(err.value.fix)


def test_a_stopped_local_server_is_to_be_started_not_waited_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / ".annotate"))
    port = _closed_port()
    paths = studio_paths()
    paths.root.mkdir(parents=True)
    paths.last_port.write_text(json.dumps({"port": port}))  # `studio stop` keeps it
    fix = _lost_fix(f"http://127.0.0.1:{port}")
    assert "wait until it answers again" not in fix, fix
    assert "is no longer running" in fix and "`annotate studio start`" in fix, fix

    # killed: its state file still names it, with a process that is gone
    state = {"pid": 2**22 + 7, "port": port, "url": f"http://127.0.0.1:{port}"}
    paths.state.write_text(json.dumps(state))
    assert "`annotate studio start`" in _lost_fix(f"http://127.0.0.1:{port}")


def test_a_team_server_or_a_running_local_one_is_waited_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / ".annotate"))
    port = _closed_port()
    paths = studio_paths()
    paths.root.mkdir(parents=True)
    paths.last_port.write_text(json.dumps({"port": port + 1}))  # another server's port
    assert _lost_fix(f"http://127.0.0.1:{port}").startswith("wait until it answers again")
    # the local server's process runs (this one stands in for it): busy, not stopped
    state = {"pid": os.getpid(), "port": port, "url": f"http://127.0.0.1:{port}"}
    paths.state.write_text(json.dumps(state))
    assert _lost_fix(f"http://127.0.0.1:{port}").startswith("wait until it answers again")
