"""`annotate export` of a review set with ties and open tasks said "Send them with
`annotate adjudicate --project 'p'`": a lead who ran it was refused, since adjudicate
refuses a review set whose queues still hold open tasks. The note says when it works."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.helpers import choices
from tests.test_open_work import export_cli

from .fakes import FakeStudio, annotation, reviewed_tasks, task
from .test_review_mode_and_adjudication_listed import ReviewSetStudio


def _tie_and(open_task: bool) -> list[dict]:
    tasks = reviewed_tasks()
    tasks[0]["annotations"].append(  # doc-a-p0: one vote each, a tie
        annotation(102, 2, [choices("category", ["counter_speech"])], minute=2, lead_time=5.0)
    )
    if open_task:  # nobody has answered this one yet
        tasks.append(
            task(
                30,
                "doc-o-p0",
                "Trains run late.",
                doc="doc-o",
                index=0,
                model_labels=["none"],
                annotations=[],
            )
        )
    return tasks


@pytest.mark.parametrize(
    ("studio", "open_task", "said"),
    [
        (ReviewSetStudio, True, True),
        (ReviewSetStudio, False, False),
        (FakeStudio, True, False),  # a shared project: adjudicate does not refuse it
    ],
)
def test_the_tie_note_says_adjudicate_waits_for_the_open_tasks(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    studio: type[FakeStudio],
    open_task: bool,
    said: bool,
) -> None:
    client = studio(_tie_and(open_task))
    ran = export_cli(client, tmp_path / "c", monkeypatch)
    assert ran.exit_code == 0, ran.stderr
    err = " ".join(ran.stderr.split())
    assert "were never sent to a lead" in err
    assert ("once the reviewers' open tasks are answered" in err) is said
    assert ("--mid-round sends them now" in err) is said
