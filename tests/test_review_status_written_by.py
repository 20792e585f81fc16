"""`annotate review status` on answers last written by another account than the reviewer
they are credited to (Label Studio's ``updated_by``: the admin or a lead changed them, or
made them through the API in the reviewer's name). Export marks them ``written_by``: they
vote, but agreement leaves them out (:mod:`annotate.review.own_answers`); status never
read the writer, so it counted them as the reviewer's own with no word (s56 left). It now
reads them with the answers it reads whole (the contradictions' read, remembered between
runs): still counted as the reviewer's answers, said apart, and in ``--json``."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from annotate.cli.review.exposure import exposure_json, read_contradictions
from annotate.corpus.resolve import pseudonym
from tests.audit.fakes import reviewed_tasks
from tests.test_contradictions_remembered import Touched

ADMIN = 9


def _rewritten() -> Touched:
    """reviewed_tasks() with user 1's answer on doc-a-p0 (task 11) last changed by the
    admin (user 9); every other answer last written by its reviewer."""
    tasks = reviewed_tasks()
    for i, t in enumerate(tasks):
        t["updated_at"] = f"2026-06-01T{10 + i:02d}:00:00Z"
        for a in t["annotations"]:
            a["updated_by"] = a["completed_by"]
    tasks[0]["annotations"][0]["updated_by"] = ADMIN
    return Touched(tasks)


def test_status_says_which_answers_another_account_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ANNOTATE_PSEUDONYM_SALT", "s")
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    admin, one = pseudonym(ADMIN, "s"), pseudonym(1, "s")
    doc = read_contradictions(_rewritten(), "p", None)  # type: ignore[arg-type]
    said = " ".join(capsys.readouterr().err.split())
    assert (
        f"warning: 1 answer in 'p' was last written by another account than the reviewer "
        f"it is credited to ({admin}: 1; e.g. task 11 ({one}), written by {admin})"
    ) in said, said
    assert "counted as that reviewer's answer here and in export, where it votes" in said
    assert "agreement figures leave it out" in said and "Fix: have the reviewer" in said
    written = doc["answers_written_by_another_account"]
    assert written == {
        "answers": 1,
        "lead_answers": 0,
        "by_writer": {admin: 1},
        "by_reviewer": {one: 1},
        "named": [f"task 11 ({one})"],
    }, written
    # remembered: a second run reads only the changed tasks and still says it
    again = read_contradictions(_rewritten(), "p", None)  # type: ignore[arg-type]
    assert again["tasks_read"] < again["answered_tasks"]  # the record was used
    assert again["answers_written_by_another_account"] == written
    assert "task 11 (" in capsys.readouterr().err


def test_json_carries_them_apart_from_the_contradictions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotate.cli.review import exposure as cli

    monkeypatch.setenv("ANNOTATE_PSEUDONYM_SALT", "s")
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(cli, "_read_exposure", lambda *a, **k: [])
    since = datetime(2026, 6, 1, tzinfo=timezone.utc)
    doc = exposure_json(_rewritten(), "p", {}, since, 25, None)  # type: ignore[arg-type]
    assert doc["answers_written_by_another_account"]["answers"] == 1
    assert "answers_written_by_another_account" not in doc["contradictions"]
    json.dumps(doc)


def test_none_written_by_another_account_says_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ANNOTATE_PSEUDONYM_SALT", "s")
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    studio = _rewritten()
    studio.tasks[0]["annotations"][0]["updated_by"] = 1
    doc = read_contradictions(studio, "p", None)  # type: ignore[arg-type]
    assert "another account" not in capsys.readouterr().err
    assert doc["answers_written_by_another_account"]["answers"] == 0
