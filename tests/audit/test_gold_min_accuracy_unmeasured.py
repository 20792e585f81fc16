"""`annotate export --gold-min-accuracy 0.8` (and `agreement`) of a project with no
answered gold passage said nothing: no reviewer was flagged because no accuracy was
measured, which read as every reviewer having passed. Both warn that the minimum checked
no reviewer, with the push that gives queues gold tasks."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.review.gold import unmeasured_gold_note
from tests.test_open_work import export_cli

from .fakes import FakeStudio, reviewed_tasks


def test_export_warns_that_the_minimum_checked_no_reviewer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran = export_cli(
        FakeStudio(reviewed_tasks()), tmp_path / "c", monkeypatch, "--gold-min-accuracy", "0.8"
    )
    assert ran.exit_code == 0, ran.stderr
    said = " ".join(ran.stderr.split())
    assert "warning: --gold-min-accuracy 0.8 checked no reviewer: no gold passage has an " in said
    assert "--gold GOLD --gold-rate R` gives each queue gold tasks" in said


def test_export_without_the_minimum_says_nothing_of_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran = export_cli(FakeStudio(reviewed_tasks()), tmp_path / "d", monkeypatch)
    assert ran.exit_code == 0 and "gold-min-accuracy" not in ran.stderr


def test_no_note_once_a_reviewer_is_measured() -> None:
    measured = {"n_gold": 2, "reviewers": {"r-1": {"exact": 1.0}}}
    assert unmeasured_gold_note(0.8, measured) == ""
    assert unmeasured_gold_note(None, {"n_gold": 0, "reviewers": {}}) == ""
    assert unmeasured_gold_note(0.8, {"n_gold": 0, "reviewers": {}}).startswith(
        "--gold-min-accuracy 0.8 checked no reviewer"
    )
