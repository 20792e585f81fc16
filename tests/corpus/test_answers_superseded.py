"""A reviewer who answers the same passage twice (a double submit, a script run twice, two
copies of one passage) leaves two answers in Label Studio; export keeps the latest of each
reviewer, and now says how many earlier answers it left out (found in a team lead's trial:
48 answers in Label Studio, 24 in the export, not a word about why)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from annotate.corpus.export import export
from tests.audit.fakes import StudioWithLead, reviewed_tasks


def _export(tmp_path: Path, tasks: list) -> dict:
    export("p", tmp_path / "c", client=StudioWithLead(tasks, []), salt="s")  # type: ignore[arg-type]
    return json.loads((tmp_path / "c" / "manifest.json").read_text())


def test_a_reviewers_earlier_answers_are_counted_not_exported(tmp_path: Path) -> None:
    tasks = reviewed_tasks()
    before = _export(tmp_path / "a", copy.deepcopy(tasks))
    assert before["answers_superseded_by_same_reviewer"] == 0
    # every answer of the first task submitted a second time, a minute later
    first = tasks[0]
    again = []
    for ann in first["annotations"]:
        twice = copy.deepcopy(ann)
        twice["id"] = int(ann["id"]) + 1000
        twice["created_at"] = twice["updated_at"] = "2026-06-01T11:59:00Z"
        again.append(twice)
    first["annotations"] += again
    after = _export(tmp_path / "b", tasks)
    assert after["answers_superseded_by_same_reviewer"] == len(again) > 0
    assert after["annotations"] == before["annotations"]
    assert after["rows"] == before["rows"]


def test_a_skip_is_no_superseded_answer(tmp_path: Path) -> None:
    tasks = reviewed_tasks()
    skip = copy.deepcopy(tasks[0]["annotations"][0])
    skip["id"], skip["was_cancelled"], skip["result"] = 999, True, []
    tasks[0]["annotations"].append(skip)
    assert _export(tmp_path, tasks)["answers_superseded_by_same_reviewer"] == 0
