"""After `eval "$(annotate studio env)"` and a `studio start` that moved to another port,
every command says "the local server runs at http://127.0.0.1:B now, not at
http://127.0.0.1:A: point your shell at it with `eval "$(annotate studio env)"`". Run as
told, `studio env` read the very $LABEL_STUDIO_URL it should replace and printed the
dead URL A again (and no ANNOTATE_HOME line), so the fix fixed nothing. A URL of
another server (a team server, or a local port the server never ran on) is kept."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest

from annotate.cli import main

TOKEN = "a" * 40


@pytest.fixture(autouse=True)
def home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A local server under ANNOTATE_HOME running on 18124, having run on 18123 before."""
    home = tmp_path / "home"
    root = home / "studio"
    root.mkdir(parents=True)
    creds = {"username": "admin@x", "password": "pw", "token": TOKEN}
    (root / "credentials.json").write_text(json.dumps(creds))
    state = {"pid": 0, "port": 18124, "url": "http://127.0.0.1:18124"}
    (root / "server.json").write_text(json.dumps(state))
    (root / "port.json").write_text(json.dumps({"port": 18124, "earlier": [18123]}))
    monkeypatch.setenv("ANNOTATE_HOME", str(home))
    monkeypatch.delenv("ANNOTATE_STUDIO_VENV", raising=False)
    return home


def _env(capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    with pytest.raises(SystemExit) as exc:
        main(["studio", "env"])
        raise SystemExit(0)
    assert exc.value.code == 0
    lines = capsys.readouterr().out.splitlines()
    pairs = (line.removeprefix("export ").split("=", 1) for line in lines)
    return {name: shlex.split(value)[0] for name, value in pairs}


@pytest.mark.parametrize(
    "old", ["http://127.0.0.1:18123", "http://localhost:18123/", "http://127.0.0.1:18124"]
)
def test_env_points_a_shell_set_by_an_earlier_env_at_the_local_server(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], old: str
) -> None:
    monkeypatch.setenv("LABEL_STUDIO_URL", old)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", TOKEN)
    assert _env(capsys) == {
        "LABEL_STUDIO_URL": "http://127.0.0.1:18124",
        "LABEL_STUDIO_API_KEY": TOKEN,
        "ANNOTATE_HOME": str(home),
    }


@pytest.mark.parametrize("url", ["https://ls.example.org", "http://127.0.0.1:9999"])
def test_env_keeps_another_servers_url(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], url: str
) -> None:
    monkeypatch.setenv("LABEL_STUDIO_URL", url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "team-token")
    assert _env(capsys) == {"LABEL_STUDIO_URL": url, "LABEL_STUDIO_API_KEY": "team-token"}


def test_env_names_a_stopped_local_server_as_stopped(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (home / "studio" / "server.json").unlink()  # what `studio stop` leaves
    monkeypatch.setenv("LABEL_STUDIO_URL", "http://127.0.0.1:18124")
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", TOKEN)
    with pytest.raises(SystemExit) as exc:
        main(["studio", "env"])
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert "is not running (LABEL_STUDIO_URL names it)" in err, err
    assert "annotate studio start" in err, err
