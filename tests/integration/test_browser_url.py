"""LABEL_STUDIO_URL copied from the browser's address bar (`.../projects/`, a queue's
`.../projects/3/data`): a new user's run got "answered 404 ... check that
LABEL_STUDIO_URL points at a Label Studio server: its root URL (e.g.
http://127.0.0.1:8080)" and had to work out which root. The fix now gives the server's
root URL, which works; any other 404 keeps the general fix. Against the real server."""

from __future__ import annotations

import pytest

from annotate.cli import main
from annotate.studio.connection import Connection

pytestmark = pytest.mark.integration


def _status(capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exc:
        main(["review", "status", "--project", "no such set"])
    return int(exc.value.code or 0), capsys.readouterr().err


@pytest.mark.parametrize("page", ["/projects/", "/projects/3/data", "/user/login/"])
def test_a_page_url_is_told_the_root_url_that_works(
    studio: Connection,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    page: str,
) -> None:
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", studio.api_key)
    monkeypatch.setenv("LABEL_STUDIO_URL", studio.url + page)
    code, err = _status(capsys)
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert code == 1 and len(lines) == 1 and "404" in lines[0], err
    assert f"Fix: export LABEL_STUDIO_URL={studio.url} " in lines[0], err
    assert "Traceback" not in err
    # the URL it gives reaches the server: the next error is about the set's name
    monkeypatch.setenv("LABEL_STUDIO_URL", studio.url)
    code, err = _status(capsys)
    assert code == 1 and "404" not in err and "no such set" in err, err


def test_another_path_keeps_the_general_fix(
    studio: Connection, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", studio.api_key)
    monkeypatch.setenv("LABEL_STUDIO_URL", studio.url + "/labelstudio")
    code, err = _status(capsys)
    assert code == 1 and "404" in err and "its root URL (e.g." in err, err
