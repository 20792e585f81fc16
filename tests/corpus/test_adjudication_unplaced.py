"""Stop 48 F22: tasks an earlier version let a plain push put straight into ``NAME ·
adjudication`` (a push there is refused now) hold passages no reviewer task holds, so
export placed them nowhere: the lead's answers there (even ``critical``) vanished from the
corpus, its counts and escalations without a word. Export now says how many tasks it
could not place, why, and names a few (and the manifest lists them). Snapshot-shaped
tasks (tests/audit/fakes.py)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from annotate.corpus.export import export
from tests.audit.fakes import THREAT, StudioWithLead, lead_task, reviewed_tasks
from tests.integration.helpers import choices


def _lead(task_id: int, passage_id: str, result: list) -> dict:
    t = lead_task(passage_id, THREAT, result)
    t["id"] = task_id
    for a in t["annotations"]:
        a["id"] = 900 + task_id
    if not result:
        t["annotations"] = []  # nobody answered it yet
    return t


def test_export_says_which_adjudication_tasks_it_could_not_place(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    critical = [choices("category", ["incitement"]), choices("severity", ["critical"])]
    lead = [
        _lead(90, "doc-a-p1", [choices("category", ["incitement"])]),  # a real dispute
        _lead(91, "stray-1", critical),  # pushed straight into the adjudication project
        _lead(92, "stray-2", critical),
        _lead(93, "stray-3", []),
    ]
    out = tmp_path / "c"
    with caplog.at_level(logging.WARNING):
        export("p", out, client=StudioWithLead(reviewed_tasks(), lead), salt="s")
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["adjudication_answers"] == 1  # the placed one, as before
    assert manifest["review"]["adjudication_tasks_unplaced"] == {
        "tasks": 3,
        "answered": 2,
        "reasons": {
            "passage_in_no_reviewer_task": {
                "tasks": 3,
                "passages": ["stray-1", "stray-2", "stray-3"],
                "task_ids": [91, 92, 93],
            }
        },
    }
    said = " ".join(" ".join(r.getMessage() for r in caplog.records).split())
    assert (
        "3 task(s) of 'p · adjudication' could not be placed in the corpus (2 answered by "
        "the lead: those answers are in no row and no escalation): 3 with a passage no "
        "reviewer task of 'p' holds"
    ) in said, said
    assert "e.g. stray-1, stray-2, stray-3" in said
    assert "Fix: delete those tasks from 'p · adjudication' in Label Studio" in said


def test_a_lead_task_whose_reviewers_answer_is_gone_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    tasks = reviewed_tasks()
    gone = next(t for t in tasks if t["data"]["passage_id"] == "doc-a-p1")
    gone["annotations"] = []  # the reviewers' answers were deleted in Label Studio
    lead = [_lead(90, "doc-a-p1", [choices("category", ["incitement"])])]
    with caplog.at_level(logging.WARNING):
        export("p", tmp_path / "c", client=StudioWithLead(tasks, lead), salt="s")
    manifest = json.loads((tmp_path / "c" / "manifest.json").read_text())
    reasons = manifest["review"]["adjudication_tasks_unplaced"]["reasons"]
    assert list(reasons) == ["passage_not_answered_by_reviewers"]
    assert "1 with a passage its reviewers' tasks hold without an answer" in caplog.text


def test_every_placed_task_records_zero_and_says_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    lead = [_lead(90, "doc-a-p1", [choices("category", ["incitement"])])]
    with caplog.at_level(logging.WARNING):
        export("p", tmp_path / "c", client=StudioWithLead(reviewed_tasks(), lead), salt="s")
    manifest = json.loads((tmp_path / "c" / "manifest.json").read_text())
    assert manifest["review"]["adjudication_tasks_unplaced"] == {
        "tasks": 0, "answered": 0, "reasons": {}
    }  # fmt: skip
    assert "could not be placed" not in caplog.text


def test_escalations_warn_of_the_unplaced_critical_answers_too(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from annotate.review.escalations import pending
    from annotate.taxonomy import load_taxonomy

    critical = [choices("category", ["incitement"]), choices("severity", ["critical"])]
    studio = StudioWithLead(reviewed_tasks(), [_lead(91, "stray-1", critical)])
    with caplog.at_level(logging.WARNING):
        found = pending(studio, "p", load_taxonomy(), salt="s")  # type: ignore[arg-type]
    assert "stray-1" not in {e.passage for e in found}  # no row holds it to escalate
    assert "1 task(s) of 'p · adjudication' could not be placed" in caplog.text
    assert "(1 answered by the lead" in caplog.text
