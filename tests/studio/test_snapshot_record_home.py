"""Export snapshot entries live under $ANNOTATE_HOME/state when ANNOTATE_HOME is set
(passK54 K8: every job's state went to the user's ~/.local/state, whatever its
ANNOTATE_HOME); entries an interrupted export wrote in the user's folder before are still
found and swept."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from annotate.studio import snapshot_record as sr

URL = "http://127.0.0.1:8080"


def test_entries_under_annotate_home_and_the_users_still_swept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.delenv("ANNOTATE_HOME", raising=False)
    dead = dataclasses.replace(sr.new_entry(3, "old-snapshot"), pid=2**22 + 7)  # no such process
    assert sr.remember(URL, dead)
    users = tmp_path / "state" / "annotate" / "export-snapshots"
    assert len(list(users.rglob("*.json"))) == 1

    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    assert sr.remember(URL, dataclasses.replace(dead, title="new-snapshot"))
    assert sr.folder(URL).parent == tmp_path / "home" / "state" / "export-snapshots"
    assert len(list(sr.folder(URL).glob("*.json"))) == 1
    assert sorted(e.title for e in sr.left(URL)) == ["new-snapshot", "old-snapshot"]
    sr.forget(URL, "old-snapshot")
    sr.forget(URL, "new-snapshot")
    assert sr.left(URL) == [] and not list(users.rglob("*.json"))
