"""`annotate studio start` after `studio stop` (or a crash) comes back on the port the
server last ran on. It went back to 8080 (or $ANNOTATE_STUDIO_PORT): a lead who started
the team's server with --port 28613 and restarted it with a plain `annotate studio start`
moved it to another URL, and every reviewer's login link and bookmark stopped working."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from annotate.studio import server
from annotate.studio.connection import studio_paths


class _Proc:
    pid = 4_194_301  # no such process: stop() finds it gone


@pytest.fixture()
def fake_start(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """server.start with the install, the process and the wait faked; the URLs started."""
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("ANNOTATE_STUDIO_PORT", raising=False)
    started: list[str] = []
    paths = studio_paths()
    down = server.ServerStatus(None, None, False, False, False, paths)
    monkeypatch.setattr(server, "status", lambda p=None: down)
    monkeypatch.setattr(server, "install", lambda p: None)
    monkeypatch.setattr(server, "ensure_credentials", lambda p, db=None: None)
    monkeypatch.setattr(server, "server_env", lambda *a, **kw: {})
    monkeypatch.setattr(server.subprocess, "Popen", lambda *a, **kw: _Proc())

    def ready(paths: Any, pid: Any, url: str, timeout: float, proc: Any = None) -> str:
        started.append(url)
        return url

    monkeypatch.setattr(server, "_wait_ready", ready)
    return started


def test_a_restart_without_port_comes_back_on_the_port_it_ran_on(fake_start: list[str]) -> None:
    paths = studio_paths()
    port = server.free_port(27_731)
    server.start(paths, port=port)
    server.stop(paths)
    server.start(paths)  # no --port, no $ANNOTATE_STUDIO_PORT
    assert fake_start == [f"http://127.0.0.1:{port}"] * 2
    # a crash (no stop: server.json left behind) too
    server.start(paths)
    assert fake_start[-1] == f"http://127.0.0.1:{port}"


def test_port_and_the_environment_still_win(
    fake_start: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = studio_paths()
    first, other = server.free_port(27_741), server.free_port(27_751)
    server.start(paths, port=first)
    server.stop(paths)
    server.start(paths, port=other)
    assert fake_start[-1] == f"http://127.0.0.1:{other}"
    server.stop(paths)
    env = server.free_port(27_761)
    monkeypatch.setenv("ANNOTATE_STUDIO_PORT", str(env))
    server.start(paths)
    assert fake_start[-1] == f"http://127.0.0.1:{env}"


def test_an_unreadable_port_file_falls_back_to_the_default(fake_start: list[str]) -> None:
    paths = studio_paths()
    paths.root.mkdir(parents=True)
    paths.last_port.write_text("not json")
    assert server.last_port(paths) is None
    paths.last_port.write_text('{"port": 70000}')
    assert server.last_port(paths) is None


def test_a_move_off_the_port_it_ran_on_says_reviewers_links_name_the_old_url(
    fake_start: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    """`studio start --port 18391` with the port taken moved to 18392 and said only that:
    the login links and project URLs reviewers had been sent name 18391, and nothing
    said so or what to do."""
    import socket

    paths = studio_paths()
    port = server.free_port(27_771)
    server.start(paths, port=port)
    server.stop(paths)
    with socket.socket() as held, caplog.at_level("WARNING", logger="annotate"):
        held.bind(("127.0.0.1", port))
        held.listen()
        server.start(paths, port=port)
    moved = fake_start[-1]
    assert moved != f"http://127.0.0.1:{port}"
    said = " ".join(r.getMessage() for r in caplog.records)
    assert f"port {port} is busy; starting Label Studio on {moved.rsplit(':', 1)[1]}" in said
    assert "Links already sent to reviewers" in said and f"name http://127.0.0.1:{port}" in said
    assert f"`lsof -i :{port}`" in said
    assert f"`annotate studio start --port {port}`" in said
    assert f"send reviewers the new URL, {moved}/user/login/" in said


def test_a_busy_port_the_server_never_ran_on_says_nothing_of_links(
    fake_start: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    import socket

    port = server.free_port(27_781)
    with socket.socket() as held, caplog.at_level("WARNING", logger="annotate"):
        held.bind(("127.0.0.1", port))
        held.listen()
        server.start(studio_paths(), port=port)
    said = " ".join(r.getMessage() for r in caplog.records)
    assert f"port {port} is busy" in said and "reviewers" not in said


def test_a_busy_port_it_ran_on_before_the_last_start_says_links_name_it(
    fake_start: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    """The note came only when the busy port was the LAST one used: a server that ran on
    A (links sent), then on B, and was asked back to A (`--port A`, taken) moved again
    and said nothing of the links that name A."""
    import socket

    paths = studio_paths()
    first, second = server.free_port(27_791), server.free_port(27_801)
    server.start(paths, port=first)
    server.stop(paths)
    server.start(paths, port=second)
    server.stop(paths)
    with socket.socket() as held, caplog.at_level("WARNING", logger="annotate"):
        held.bind(("127.0.0.1", first))
        held.listen()
        server.start(paths, port=first)
    said = " ".join(r.getMessage() for r in caplog.records)
    assert f"port {first} is busy" in said
    assert "Links already sent to reviewers" in said and f"name http://127.0.0.1:{first}" in said
    assert server.last_port(paths) == int(fake_start[-1].rsplit(":", 1)[1])
    assert set(server.ports_ran_on(paths)) >= {first, second}
