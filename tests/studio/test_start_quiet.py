"""`annotate studio start -q` printed the admin login and password (faults58): -q keeps
errors, warnings and the result (the URL) only. The password stays in the work folder's
credentials file (readable by the user only), is shown by a start without -q, and never
reaches a log."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest

from annotate.cli import main
from annotate.studio import server
from annotate.studio.connection import VENV_ENV, read_credentials, studio_paths


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    for name in ("LABEL_STUDIO_URL", "LABEL_STUDIO_API_KEY", VENV_ENV):
        monkeypatch.delenv(name, raising=False)
    return tmp_path / "home"


def _start(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exc:
        main(["-vv", "studio", "start", *args])
        raise SystemExit(0)
    assert exc.value.code == 0
    return capsys.readouterr().err


def test_quiet_start_says_the_url_and_no_password(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    paths = studio_paths()
    down = server.ServerStatus(None, None, False, False, False, paths)
    up = server.ServerStatus("http://127.0.0.1:18930", 42, True, True, True, paths)
    monkeypatch.setattr(server, "is_installed", lambda p: False)
    monkeypatch.setattr(server, "status", lambda p=None: down)

    def start(p: object = None, **kw: object) -> server.ServerStatus:
        server.ensure_credentials(paths)  # as the real start: made before the first start
        kw["on_launch"]()  # type: ignore[operator]
        return up

    monkeypatch.setattr(server, "start", start)
    caplog.set_level(logging.DEBUG)
    quiet = _start(["-q"], capsys)
    creds = read_credentials(paths)
    assert creds is not None and creds.password
    assert "Label Studio is running at http://127.0.0.1:18930" in quiet, quiet
    assert creds.password not in quiet, quiet
    for said in ("installing Label Studio", "starting Label Studio", "login:", "for other"):
        assert said not in quiet, quiet
    # findable where the docs say: the credentials file, readable by the user only
    assert stat.S_IMODE(paths.credentials.stat().st_mode) == 0o600
    plain = _start([], capsys)
    assert f"login: {creds.username} / {creds.password}" in plain, plain
    assert "installing Label Studio" in plain and "starting Label Studio" in plain
    assert creds.password not in caplog.text
