"""A gold answer made or changed after the round closed, or since the previous export, is
listed as a late change (passH53 H7): a reviewer's gold answer changed after adjudication
started moved their gold accuracy from 1.000 to 0.000 between two exports, while the late
changes listed only the regular passage, by a rule that reads as if it covered every
answer. Gold answers are listed apart (``gold``): they reopen no vote."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.review.gold import GOLD_META_KEY
from tests.audit.cli_run import run_cli
from tests.audit.fakes import FakeStudio, reviewed_tasks

GOLD = {"labels": ["none"], "severity": ""}


def _studio() -> FakeStudio:
    tasks = reviewed_tasks()
    tasks[0]["meta"] = {GOLD_META_KEY: GOLD}  # doc-a-p0: a gold task answered by user 1
    return FakeStudio(tasks)


def test_a_gold_answer_changed_since_the_previous_export_is_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    studio = _studio()
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    monkeypatch.setattr("annotate.corpus.export.connect", lambda: studio)
    out = tmp_path / "c"
    code, said = run_cli(["export", "--project", "p", "--out", str(out)], capsys)
    assert code == 0, said
    # the reviewer's gold answer saved again after that export
    studio.tasks[0]["annotations"][0]["updated_at"] = "2099-01-01T00:00:00Z"
    code, said = run_cli(["export", "--project", "p", "--out", str(out), "--overwrite"], capsys)
    assert code == 0, said
    late = json.loads((out / "manifest.json").read_text())["review"][
        "answers_changed_since_previous_export"
    ]
    assert late["answers"] == 0  # no regular answer changed
    gold = late["gold"]
    assert (gold["answers"], gold["changed"], gold["made"]) == (1, 1, 0)
    (ana,) = gold["by_reviewer"]  # the CLI's salt names the one reviewer who answered it
    assert gold["passages"] == ["doc-a-p0"] and gold["by_reviewer"] == {ana: 1}
    flat = " ".join(said.split())
    assert "1 gold answer was made or changed after the previous export" in flat, said
    assert f"(doc-a-p0 by {ana} (changed))" in flat
    assert "review.answers_changed_since_previous_export.gold" in flat
    md = (out / "report" / "report.md").read_text()
    assert "**Late gold changes:** 1 gold answer was made or changed after the previous" in md
