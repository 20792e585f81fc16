"""newuser63 #1, #2: two work folders' `annotate studio start` (a fresh clone's `make
demo` and the lead's) both found 8080 free; ours spent a minute migrating its database,
the other bound 8080 first, and ours was told "Label Studio at http://127.0.0.1:8080
answers but rejects the token ... Fix: ... delete .annotate/studio/data": advice to delete
a data folder that was not at fault. The next start then warned that links "already sent
to reviewers" named 8080, where it had never answered. Now the start says another program
took the port, names it, tells to keep the data folder, and forgets the port it never
ran on. A real listening socket (another process) stands in for the other server."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from annotate.errors import StudioError
from annotate.studio import port_holder, server
from annotate.studio.connection import studio_paths

pytestmark = pytest.mark.skipif(
    port_holder.listening_inodes(1) is None, reason="needs Linux's /proc/net/tcp"
)

_LISTENER = (
    "import socket, sys, time\n"
    "s = socket.socket(); s.bind(('127.0.0.1', int(sys.argv[1]))); s.listen()\n"
    "print('up', flush=True); time.sleep(120)\n"
)


def _spawn(port: int | None, *, new_session: bool = True) -> subprocess.Popen[str]:
    """A process that listens on ``port`` (None: listens nowhere) until killed."""
    code = (
        _LISTENER if port is not None else "import time; print('up', flush=True); time.sleep(120)"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(port or 0)],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=new_session,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "up"
    return proc


@pytest.fixture()
def procs() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for proc in started:
        proc.kill()
        proc.wait()


@pytest.fixture()
def paths(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> server.StudioPaths:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(server, "read_credentials", lambda p: SimpleNamespace(token="t"))
    monkeypatch.setattr(server.time, "sleep", lambda s: None)
    # whatever answers rejects the token, as another folder's server does
    monkeypatch.setattr(server, "health", lambda url: True)
    monkeypatch.setattr(server, "token_status", lambda url, token, timeout=15.0: 401)
    p = studio_paths()
    p.root.mkdir(parents=True, exist_ok=True)
    started = "2020-01-01T00:00:00+00:00"  # serving "long": the old rule would blame the data
    p.state.write_text(json.dumps({"started_at": started}) + "\n")
    return p


def test_another_program_on_the_port_is_named_and_the_data_is_not_blamed(
    paths: server.StudioPaths, procs: list[subprocess.Popen[str]]
) -> None:
    port = server.free_port(27_811)
    other = _spawn(port)  # the other work folder's server, bound first
    ours = _spawn(None)  # ours, still migrating: listens nowhere yet
    procs += [other, ours]
    assert port_holder.session_listens(other.pid, port) is True
    assert port_holder.session_listens(ours.pid, port) is False
    url = f"http://127.0.0.1:{port}"
    with pytest.raises(server.PortTakenError) as err:
        server._wait_ready(paths, ours.pid, url, 60.0, proc=ours)  # type: ignore[arg-type]
    said, fix = str(err.value), err.value.fix or ""
    assert f"not the server this start launched (pid {ours.pid}" in said, said
    assert f"another program took port {port}" in said and f"pid {other.pid}" in said
    assert "delete" not in fix and "keep it" in fix and f"this start stops pid {ours.pid}" in fix


def test_our_own_server_rejecting_the_token_still_blames_a_stale_data_dir(
    paths: server.StudioPaths, procs: list[subprocess.Popen[str]]
) -> None:
    port = server.free_port(27_821)
    ours = _spawn(port)  # the server launched is the one answering: a stale data dir
    procs.append(ours)
    with pytest.raises(StudioError) as err:
        server._wait_ready(paths, ours.pid, f"http://127.0.0.1:{port}", 60.0, proc=ours)  # type: ignore[arg-type]
    assert not isinstance(err.value, server.PortTakenError)
    assert "rejects the token" in str(err.value) and "delete" in (err.value.fix or "")


def test_a_start_that_lost_its_port_does_not_record_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("ANNOTATE_STUDIO_PORT", raising=False)
    paths = studio_paths()
    down = server.ServerStatus(None, None, False, False, False, paths)
    monkeypatch.setattr(server, "status", lambda p=None: down)
    monkeypatch.setattr(server, "install", lambda p: None)
    monkeypatch.setattr(server, "ensure_credentials", lambda p, db=None: None)
    monkeypatch.setattr(server, "server_env", lambda *a, **kw: {})
    monkeypatch.setattr(server.subprocess, "Popen", lambda *a, **kw: SimpleNamespace(pid=4_194_301))

    def lost(*a: Any, **kw: Any) -> None:
        raise server.PortTakenError("taken")

    monkeypatch.setattr(server, "_wait_ready", lost)
    first, second = server.free_port(27_831), server.free_port(27_841)
    with pytest.raises(server.PortTakenError):
        server.start(paths, port=first)
    assert not paths.last_port.exists()  # no port recorded before: none now
    paths.last_port.write_text(json.dumps({"port": second, "earlier": []}) + "\n")
    with pytest.raises(server.PortTakenError):
        server.start(paths, port=first)
    assert json.loads(paths.last_port.read_text()) == {"port": second, "earlier": []}
    assert server.port_moved_note(first, first + 1, server.ports_ran_on(paths)) == ""


def _tcp_line(local: str, state: str, inode: int) -> str:
    """One line of /proc/net/tcp{,6}: slot, local, remote, state, ..., inode (field 10)."""
    return f"0: {local} 00000000:0000 {state} 0:0 00:0 0 0 0 {inode} 1\n"


def test_listening_inodes_reads_ipv4_and_ipv6_listeners_only(tmp_path: Path) -> None:
    net = tmp_path / "net"
    net.mkdir()
    head = "sl local_address rem_address st tx rx tr retrnsmt uid timeout inode\n"
    listen, connected = _tcp_line("0100007F:1F90", "0A", 111), _tcp_line("0100007F:1F90", "01", 222)
    net.joinpath("tcp").write_text(head + listen + connected)
    net.joinpath("tcp6").write_text(head + _tcp_line("0" * 32 + ":1F90", "0A", 333))
    assert port_holder.listening_inodes(8080, tmp_path) == {"111", "333"}
    assert port_holder.listening_inodes(8081, tmp_path) == set()
    assert port_holder.listening_inodes(8080, tmp_path / "missing") is None


def test_a_session_without_the_socket_is_told_apart_and_the_listener_named(
    procs: list[subprocess.Popen[str]],
) -> None:
    with socket.socket() as held:
        held.bind(("127.0.0.1", server.free_port(27_851)))
        held.listen()
        port = held.getsockname()[1]
        # the test process listens; a session that holds no socket on it does not
        ours = _spawn(None)
        procs.append(ours)
        assert port_holder.session_listens(ours.pid, port) is False
        assert f"pid {os.getpid()}" in port_holder.listener_of(port)
    assert port_holder.session_listens(ours.pid, server.free_port(27_861)) is None


def test_status_says_the_rejecting_server_is_another_programs(
    procs: list[subprocess.Popen[str]],
) -> None:
    """`annotate studio status` said "running: http://127.0.0.1:8080 (pid 12841) ...
    TOKEN REJECTED" while pid 12841 (ours, migrating) was not what answered on 8080."""
    from annotate.cli.studio import _answered_by_another

    port = server.free_port(27_871)
    other, ours = _spawn(port), _spawn(None)
    procs += [other, ours]
    said = _answered_by_another(f"http://127.0.0.1:{port}", ours.pid)
    assert f"by another program on port {port} (pid {other.pid}" in said
    assert f"not by pid {ours.pid}" in said and "annotate studio stop" in said
    assert _answered_by_another(f"http://127.0.0.1:{port}", other.pid) == ""


@pytest.mark.parametrize(
    ("error", "exited", "recorded"),
    [
        (server.PortTakenError("taken"), None, False),
        (server.StudioUnavailableError("exited during start-up"), 1, False),
        (server.StudioUnavailableError("did not answer"), None, True),
    ],
)
def test_a_failed_start_records_its_port_only_while_its_server_may_still_come_up(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    error: Exception,
    exited: int | None,
    recorded: bool,
) -> None:
    """reader63 #3, #8: a server that exited during start-up never ran on its port either
    (only a lost port put the record back); a server still starting after the wait may
    yet come up there, so its port stays recorded. A lost port also stops the server this
    start launched, instead of leaving it migrating toward a port it cannot bind."""
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("ANNOTATE_STUDIO_PORT", raising=False)
    paths = studio_paths()
    down = server.ServerStatus(None, None, False, False, False, paths)
    monkeypatch.setattr(server, "status", lambda p=None: down)
    monkeypatch.setattr(server, "install", lambda p: None)
    monkeypatch.setattr(server, "ensure_credentials", lambda p, db=None: None)
    monkeypatch.setattr(server, "server_env", lambda *a, **kw: {})
    launched = SimpleNamespace(pid=4_194_301, poll=lambda: exited)
    monkeypatch.setattr(server.subprocess, "Popen", lambda *a, **kw: launched)
    stops: list[object] = []
    monkeypatch.setattr(server, "stop", lambda p=None, timeout=20.0: stops.append(p) or True)

    def fail(*a: Any, **kw: Any) -> None:
        raise error

    monkeypatch.setattr(server, "_wait_ready", fail)
    port = server.free_port(27_851)
    with pytest.raises(type(error)):
        server.start(paths, port=port)
    assert paths.last_port.exists() is recorded
    assert len(stops) == (1 if isinstance(error, server.PortTakenError) else 0)
