"""The README's own step, `annotate studio start && eval "$(annotate studio env)"`, sets
LABEL_STUDIO_URL to the local server's URL; `studio status` and `studio start` then said
"LABEL_STUDIO_URL is set; commands use http://127.0.0.1:PORT, not the local server",
naming the local server as another one. The note stays for a URL that is another server."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from annotate.cli import app
from annotate.studio.connection import KEY_ENV, URL_ENV, Connection

pytestmark = pytest.mark.integration


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_the_local_servers_own_url_is_not_called_another(
    studio: Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEY_ENV, studio.api_key)
    port = studio.url.rsplit(":", 1)[1]
    for url in (studio.url, f"{studio.url}/", f"http://localhost:{port}"):
        monkeypatch.setenv(URL_ENV, url)  # as `eval "$(annotate studio env)"` sets it
        for command in (("studio", "status"), ("studio", "start")):
            code, out = _run(*command)
            assert code == 0, out
            assert "note:" not in out, (url, command, out)
    other = "http://127.0.0.1:1"  # another server: the note says so
    monkeypatch.setenv(URL_ENV, other)
    code, out = _run("studio", "status")
    assert code == 0 and f"commands use {other}, not the local server" in out, out
    code, out = _run("studio", "start")
    assert code == 0 and f"other commands use {other}, not this one" in out, out
