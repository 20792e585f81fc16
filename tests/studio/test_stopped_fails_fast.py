"""The local Label Studio stopped (`annotate studio stop`, a kill): a command still spent
about 19 s before failing (a new user's run), in retries that could not succeed: 4 tries
(1, 2 and 4 s apart) of each lost request, and inside each try the SDK's own 2 retries of
a refused connection. For the local server annotate started, whose process is gone, a
refused connection now fails at once with the fix to start it; a team server, or a local
one whose process runs (starting, restarting), is retried as before. A real socket with
nothing listening; the waits are recorded, not slept."""

from __future__ import annotations

import json
import os
import socket
import time
from pathlib import Path

import pytest

from annotate.errors import StudioUnavailableError
from annotate.studio.client import StudioClient
from annotate.studio.connection import Connection, studio_paths


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture()
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every sleep (the SDK's and tenacity's retry waits), recorded and skipped."""
    slept: list[float] = []
    monkeypatch.setattr(time, "sleep", slept.append)
    return slept


def _list_projects(url: str, answered: int) -> StudioUnavailableError:
    client = StudioClient(Connection(url, "0" * 40, "environment"))
    client.answered = answered  # 0: the first request of a command; else during the run
    with pytest.raises(StudioUnavailableError) as err:
        client.get_project(1)
    return err.value


def _local_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, port: int, pid: int) -> None:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / ".annotate"))
    paths = studio_paths()
    paths.root.mkdir(parents=True)
    paths.last_port.write_text(json.dumps({"port": port}))
    state = {"pid": pid, "port": port, "url": f"http://127.0.0.1:{port}"}
    paths.state.write_text(json.dumps(state))


@pytest.mark.parametrize("answered", [0, 12])
def test_the_stopped_local_server_fails_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, waits: list[float], answered: int
) -> None:
    port = _closed_port()
    _local_state(tmp_path, monkeypatch, port, pid=2**22 + 7)  # killed: its process is gone
    err = _list_projects(f"http://127.0.0.1:{port}", answered)
    assert waits == [], f"retried a server that is stopped: waited {waits}"
    assert err.gone
    assert "`annotate studio start`" in str(err.fix), err
    assert "tries" not in err.what, err  # tried once: no "gave up after 4 tries"


def test_a_team_server_or_a_running_local_one_is_still_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, waits: list[float]
) -> None:
    port = _closed_port()
    # the local server's process runs (this one stands in for it): starting, or busy
    _local_state(tmp_path, monkeypatch, port, pid=os.getpid())
    err = _list_projects(f"http://127.0.0.1:{port}", answered=12)
    assert not err.gone and "after 4 tries" in err.what, err
    assert len(waits) >= 3, waits  # retry_lost's 1, 2, 4 s (and the SDK's own)
    waits.clear()
    # another server than the local one (not its port)
    err = _list_projects(f"http://127.0.0.1:{_closed_port()}", answered=12)
    assert not err.gone and "after 4 tries" in err.what, err
    assert len(waits) >= 3, waits
