"""`annotate export` of a review set one of whose queues was deleted in Label Studio (stop
47's new-user pass, F12): the export said nothing of it, and its note on passages short of
K blamed ``push --max-graphic-per-reviewer``. The deleted queue's answers went with it, so
the export warns, naming it (this machine's record of the pushes knows it, as `review
status` does), the note names it as the cause, and the manifest records it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.studio import pushed_projects
from tests.test_open_work import export_cli

from .fakes import reviewed_tasks
from .test_review_mode_and_adjudication_listed import ReviewSetStudio

GONE = "r-0123456789"


def _export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, recorded: dict[int, str]) -> str:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))  # this test's record only
    client = ReviewSetStudio(reviewed_tasks())
    pushed_projects.remember(pushed_projects.server_of(client), "p", recorded)
    ran = export_cli(client, tmp_path / "c", monkeypatch)
    assert ran.exit_code == 0, ran.stderr
    return " ".join(ran.stderr.split())


def test_a_deleted_queue_is_named_as_why_passages_are_short(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    said = _export(tmp_path, monkeypatch, {7: "p · ana", 8: "p · bo", 9: f"p · {GONE}"})
    assert f"warning: reviewer queue {GONE}'s (id 9) of 'p', made by a push" in said
    assert "is no longer on the server" in said and "not in this export" in said
    short = said[said.index("passage(s) have answers from fewer than the 2 reviewers") :]
    assert short.startswith(
        f"passage(s) have answers from fewer than the 2 reviewers per passage of this "
        f"review set (reviewer queue {GONE}'s (id 9) was deleted from the server"
    )
    assert "--max-graphic-per-reviewer" not in said
    manifest = json.loads((tmp_path / "c" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["reviewer_queues_deleted"] == [{"project_id": 9, "reviewer": GONE}]
    report = " ".join((tmp_path / "c" / "report" / "report.md").read_text().split())
    assert "**Reviewer queues deleted:** 1 queue(s) of this review set" in report
    assert f"({GONE}'s queue (id 9)): their tasks and answers went with them" in report


def test_no_queue_deleted_keeps_the_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    said = _export(tmp_path, monkeypatch, {7: "p · ana", 8: "p · bo"})
    assert "no longer on the server" not in said
    assert "push --max-graphic-per-reviewer holds graphic passages back" in said
    manifest = json.loads((tmp_path / "c" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["reviewer_queues_deleted"] == []
    assert "Reviewer queues deleted" not in (tmp_path / "c" / "report" / "report.md").read_text()
