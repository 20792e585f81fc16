"""`annotate export --require-complete` exits 1 on an incomplete review (passD51 D9): a
scripted, audited pipeline got exit 0 from an export of a review with open work, with
only a warning and a report line to tell it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.cli.export import incomplete_review
from tests.audit.cli_run import run_cli
from tests.audit.fakes import FakeStudio, annotation, reviewed_tasks
from tests.integration.helpers import choices


def _tie_studio() -> FakeStudio:
    tasks = reviewed_tasks()
    # a second reviewer disagrees with the only answer of doc-a-p0: a tie no lead was sent
    tasks[0]["annotations"].append(
        annotation(
            102,
            2,
            [choices("category", ["counter_speech"]), choices("severity", ["low"])],
            minute=2,
            lead_time=5.0,
        )
    )
    return FakeStudio(tasks)


def test_an_incomplete_review_fails_only_with_require_complete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    monkeypatch.setattr("annotate.corpus.export.connect", _tie_studio)
    code, said = run_cli(["export", "--project", "p", "--out", str(tmp_path / "a"), "-q"], capsys)
    assert code == 0, said  # as before: a warning
    argv = ["export", "--project", "p", "--out", str(tmp_path / "b"), "-q", "--require-complete"]
    code, said = run_cli(argv, capsys)
    assert code == 1, said
    flat = " ".join(said.split())
    assert "error: --require-complete: the review of 'p' is not complete: 1 tie never sent" in (
        flat
    ), said
    assert "Fix: finish the review" in flat and "Traceback" not in said
    assert (tmp_path / "b" / "manifest.json").is_file()  # written, and said so


def test_what_counts_as_incomplete() -> None:
    assert incomplete_review({"review": {}}) == []
    manifest = {
        "tasks_unanswered_in_label_studio": 38,
        "passages_without_category": 1,
        "review": {
            "awaiting_adjudication": 2,
            "ties_not_sent_to_adjudication": 0,
            "partial_of": {"review_set": "PassD", "reviewer": "r-1", "reviewers_per_task": 2},
        },
    }
    assert incomplete_review(json.loads(json.dumps(manifest))) == [
        "38 tasks still open in Label Studio",
        "2 passages waiting for the lead",
        "1 passage without a category",
        "only one reviewer's queue of the review set 'PassD' was read",
    ]


def test_strict_names_the_option_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """--strict on an incomplete review said "--require-complete: ..." and told the user to
    drop --require-complete, an option they never gave (s56 left #6)."""
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    monkeypatch.setattr("annotate.corpus.export.connect", _tie_studio)
    argv = ["export", "--project", "p", "--out", str(tmp_path / "b"), "-q", "--strict"]
    code, said = run_cli(argv, capsys)
    assert code == 1, said
    flat = " ".join(said.split())
    assert "error: --strict (which includes --require-complete): the review of 'p' is not" in (
        flat
    ), said
    assert "drop --strict to take a partial export on purpose" in flat, said
    assert "drop --require-complete" not in flat, said
