"""An answer's error names the answer's own task and project. A review set's copies of a
passage (one task per reviewer project) are merged into one task whose id is the first
copy's, so `annotate review status` named task 20 (ana's copy, answered correctly) for
ben's answer in task 134 of another project, and the export named no project."""

from __future__ import annotations

from typing import Any

import pytest

from annotate.corpus.rows import task_to_row
from annotate.errors import ExportError
from annotate.review.recent import _rows
from annotate.taxonomy import load_taxonomy

TAX = load_taxonomy()


def _answer(ann_id: int, task: int, project: int, user: int, severity: str) -> dict[str, Any]:
    return {
        "id": ann_id,
        "task": task,
        "project": project,
        "completed_by": user,
        "created_at": "2026-12-04T10:00:00Z",
        "updated_at": "2026-12-04T10:00:00Z",
        "result": [
            {"from_name": "category", "to_name": "passage", "type": "choices",
             "value": {"choices": ["violent_threat"]}},
            {"from_name": "severity", "to_name": "passage", "type": "choices",
             "value": {"choices": [severity]}},
        ],
    }  # fmt: skip


def _copy(task_id: int, project: int, answer: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": task_id,
        "project": project,
        "data": {"text": "I will find you", "passage_id": "p1", "model_version": "m"},
        "predictions": [],
        "annotations": [answer],
    }


def test_review_status_names_the_task_of_the_bad_answer() -> None:
    good = _copy(20, 1, _answer(19, 20, 1, 1, "high"))
    bad = _copy(134, 2, _answer(134, 134, 2, 2, "moderate"))
    with pytest.raises(ExportError, match=r"project 2, task 134, annotation 134: severity"):
        _rows([good, bad], TAX, "salt")


def test_a_merged_row_keeps_each_answer_s_task() -> None:
    first = _copy(20, 1, _answer(19, 20, 1, 1, "high"))
    merged = {**first, "annotations": [*first["annotations"], _answer(134, 134, 2, 2, "high")]}
    row = task_to_row(merged, TAX, salt="s")
    refs = [(a["ls_project_id"], a["ls_task_id"]) for a in row["annotations"]]
    assert sorted(refs) == [(1, 20), (2, 134)]
