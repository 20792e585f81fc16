"""`annotate studio start -q` against a real server: only the URL, no password (faults58);
without -q the login is shown; the password is in no log of the server's work folder and
in no log record of the command."""

from __future__ import annotations

import logging

import pytest
from typer.testing import CliRunner

from annotate.cli import app
from annotate.studio.connection import Connection, read_credentials, studio_paths

pytestmark = pytest.mark.integration


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_quiet_start_shows_no_password(
    studio: Connection, caplog: pytest.LogCaptureFixture
) -> None:
    paths = studio_paths()
    creds = read_credentials(paths)
    assert creds is not None and creds.password
    caplog.set_level(logging.DEBUG)
    code, out = _run("-vv", "studio", "start", "-q")
    assert code == 0 and f"already running at {studio.url}" in out, out
    assert creds.password not in out and "login:" not in out, out
    code, out = _run("studio", "start")
    assert code == 0 and f"login: {creds.username} / {creds.password}" in out, out
    assert creds.password not in caplog.text
    for log in (paths.log, paths.install_log):
        if log.exists():
            assert creds.password not in log.read_text(encoding="utf-8", errors="replace")
