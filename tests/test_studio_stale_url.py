"""After `eval "$(annotate studio env)"`, a `studio stop` or a `studio start` that moved to
another free port leaves $LABEL_STUDIO_URL naming where the local server was: every
command then said only "check LABEL_STUDIO_URL ... or unset it". The fix now says first
that this is the local server's old URL, and where it runs now or that it is stopped."""

from __future__ import annotations

from pathlib import Path

import pytest

import annotate.studio.server as server
from annotate.studio.connection import Connection, studio_paths, unreachable_fix

OLD = "http://127.0.0.1:18520"


def _status(url: str | None, answers: bool) -> server.ServerStatus:
    return server.ServerStatus(
        url=url, pid=None, running=answers, answers=answers, authenticated=answers,
        paths=studio_paths(),
    )  # fmt: skip


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / ".annotate"))


def _fix(url: str = OLD) -> str:
    return unreachable_fix(Connection(url=url, api_key="t", source="environment"))


def test_the_local_server_moved_to_another_port(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        server, "status", lambda paths=None: _status("http://127.0.0.1:18392", True)
    )
    fix = _fix()
    assert fix.startswith(
        f"the local server runs at http://127.0.0.1:18392 now, not at {OLD}: point your "
        'shell at it with `eval "$(annotate studio env)"`'
    ), fix
    assert "otherwise check LABEL_STUDIO_URL" in fix
    assert "login links" not in fix  # it never ran on 18520: no link names that port
    monkeypatch.setattr(server, "ports_ran_on", lambda paths: [18392, 18520])
    assert "(login links sent to reviewers name the old port too)" in _fix()  # it ran there


def test_the_local_server_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(server, "status", lambda paths=None: _status(None, False))
    monkeypatch.setattr(server, "last_port", lambda paths: 18520)
    fix = _fix()
    assert f"{OLD} is where the local server" in fix and "run `annotate studio start`" in fix


@pytest.mark.parametrize("url", ["https://labelstudio.example.org", "http://127.0.0.1:9999"])
def test_a_url_that_is_not_the_local_servers_gets_the_plain_fix(
    monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    monkeypatch.setattr(server, "status", lambda paths=None: _status(None, False))
    monkeypatch.setattr(server, "last_port", lambda paths: 18520)
    assert _fix(url).startswith(f"check LABEL_STUDIO_URL ({url})")
