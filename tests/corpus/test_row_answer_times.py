"""A corpus row's ``first_annotated_at`` and ``last_annotated_at`` were the min and max
of the answers' stamps as text: ``...:00.250000Z`` sorts before ``...:00Z`` and
``11:30+01:00`` after ``10:45Z``, which it precedes. They are compared as times."""

from __future__ import annotations

from typing import Any

from annotate.corpus.rows import task_to_row
from annotate.taxonomy import load_taxonomy


def _task(*stamps: tuple[str, str]) -> dict[str, Any]:
    return {
        "id": 1,
        "data": {"text": "a plain passage", "passage_id": "p", "model_version": "m"},
        "predictions": [],
        "annotations": [
            {"id": 9 + n, "completed_by": n + 1, "created_at": made, "updated_at": saved,
             "result": []}
            for n, (made, saved) in enumerate(stamps)
        ],
    }  # fmt: skip


def test_first_and_last_answer_are_told_by_time_not_text() -> None:
    task = _task(
        ("2026-12-03T10:00:00.250000Z", "2026-12-03T11:30:00+01:00"),  # saved 10:30 UTC
        ("2026-12-03T10:00:00Z", "2026-12-03T10:45:00Z"),
    )
    row = task_to_row(task, load_taxonomy(), salt="s")
    assert row["first_annotated_at"] == "2026-12-03T10:00:00Z"
    assert row["last_annotated_at"] == "2026-12-03T10:45:00Z"
