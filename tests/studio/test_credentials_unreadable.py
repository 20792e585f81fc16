"""A credentials.json that is empty or not a credentials record (a power cut before its
bytes reached the disk on an earlier version, an edit gone wrong): every command that
reads it (`studio status`, `studio env`, `studio start`, a push) failed with a
JSONDecodeError traceback (faults59 #3). Now one line naming the file and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_cli import _error_line, run


@pytest.mark.parametrize("text", ["", "{not json", '{"username": "admin"}', "[]"])
def test_an_unreadable_credentials_file_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("LABEL_STUDIO_URL", raising=False)
    monkeypatch.delenv("LABEL_STUDIO_API_KEY", raising=False)
    creds = tmp_path / "home" / "studio" / "credentials.json"
    creds.parent.mkdir(parents=True)
    creds.write_text(text)
    for args in (("studio", "status"), ("studio", "env")):
        line = _error_line(run(*args))
        assert str(creds) in line and "Fix:" in line, line
    assert creds.read_text() == text  # left for the user to restore
