"""The export's note on passages with fewer answers than the most-reviewed, in projects
shared by every reviewer (a plain push, numbered projects too): nothing fixed a number of
reviewers there, and such a project has no reviewer tasks to be open (newuser60 F3: the
note said "their other reviewers' tasks are open or skipped" after `review status` had
counted 0 open tasks in the same 9 projects)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.audit.cli_run import run_cli
from tests.audit.fakes import FakeStudio, reviewed_tasks


def test_a_shared_project_says_no_number_was_fixed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    monkeypatch.setattr("annotate.corpus.export.connect", lambda: FakeStudio(reviewed_tasks()))
    out = tmp_path / "corpus"
    code, said = run_cli(["export", "--project", "p", "--out", str(out)], capsys)
    assert code == 0, said
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["review"]["mode"]["kind"] == "shared_project"
    flat = " ".join(said.split())
    assert "the most-reviewed have (projects shared by every reviewer fix no number" in flat, said
    assert "--reviewers-per-task K" in flat
    assert "other reviewers' tasks are open or skipped" not in flat
