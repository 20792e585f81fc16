"""`annotate studio stop` while another shell's `annotate studio start` waits for the
server (a first start's migrations take a minute): the waiting start said "Label Studio
exited during start-up: ... Fix: see server.log; fix the cause and run `annotate studio
start` again", as for a crash, though the cause was a deliberate stop (faults60, left;
faults61 #4). Now it says the server was stopped by `annotate studio stop`. A real
process stands in for the server; the stop runs while the start waits (from its health
check), so nothing is timed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from annotate.errors import StudioError, StudioUnavailableError
from annotate.studio import server
from annotate.studio.connection import studio_paths


def _server_like(paths: server.StudioPaths) -> subprocess.Popen[bytes]:
    """A process that runs until signalled, recorded as the local server."""
    proc = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(120)"], start_new_session=True
    )
    paths.root.mkdir(parents=True, exist_ok=True)
    paths.state.write_text(f'{{"pid": {proc.pid}, "url": "http://127.0.0.1:9"}}\n')
    return proc


@pytest.fixture()
def paths(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> server.StudioPaths:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(server, "read_credentials", lambda p: SimpleNamespace(token="t"))
    monkeypatch.setattr(server.time, "sleep", lambda s: None)
    return studio_paths()


def test_a_start_whose_server_is_stopped_says_it_was_stopped(
    paths: server.StudioPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    proc = _server_like(paths)
    # another shell's `annotate studio stop`, while this start waits for an answer
    monkeypatch.setattr(server, "health", lambda url: server.stop(paths) and False)
    with pytest.raises(StudioError) as err:
        server._wait_ready(paths, proc.pid, "http://127.0.0.1:9", 60.0, proc=proc)
    said = str(err.value)
    assert "was stopped during start-up by `annotate studio stop`" in said, said
    assert "exited during start-up" not in said and "fix the cause" not in said
    assert not isinstance(err.value, StudioUnavailableError)
    assert proc.poll() is not None


def test_a_server_that_exits_by_itself_is_still_an_exit_during_start_up(
    paths: server.StudioPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    earlier = _server_like(paths)
    server.stop(paths)  # an earlier stop of another process: not this one
    proc = _server_like(paths)

    def crash(url: str) -> bool:
        proc.kill()
        proc.wait()
        return False

    monkeypatch.setattr(server, "health", crash)
    with pytest.raises(StudioUnavailableError, match="exited during start-up"):
        server._wait_ready(paths, proc.pid, "http://127.0.0.1:9", 60.0, proc=proc)
    assert earlier.poll() is not None


def test_a_stale_stop_record_does_not_explain_a_later_crash(
    paths: server.StudioPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    """reader61 #10: stopped.json was never removed, so a later start whose new server got
    the pid of one stopped days ago (containers hand out the same small pids), and which
    then crashed, was told it "was stopped during start-up by `annotate studio stop`"."""
    crashed = subprocess.Popen([sys.executable, "-c", "import sys; sys.exit(3)"])
    paths.root.mkdir(parents=True, exist_ok=True)
    stale = {"pid": crashed.pid, "at": "2026-11-01T00:00:00+00:00"}
    paths.stopped_pid.write_text(json.dumps(stale) + "\n")
    down = server.ServerStatus(None, None, False, False, False, paths)
    monkeypatch.setattr(server, "status", lambda p=None: down)
    monkeypatch.setattr(server, "install", lambda p: None)
    monkeypatch.setattr(server, "ensure_credentials", lambda p, db=None: None)
    monkeypatch.setattr(server, "server_env", lambda *a, **kw: {})
    # the new server process gets the stale record's pid, then fails its start-up
    monkeypatch.setattr(server.subprocess, "Popen", lambda *a, **kw: crashed)
    monkeypatch.setattr(server, "health", lambda url: False)
    with pytest.raises(StudioUnavailableError) as err:
        server.start(paths, port=server.free_port(27_771))
    said = str(err.value)
    assert "exited during start-up" in said and "annotate studio stop" not in said, said
