"""Exporting (or measuring agreement on) one numbered project `NAME #k` of a push split by
--max-tasks-per-project read that part alone without a word: a lead who copied
'Weekly #2' from Label Studio's project list got 5 of 16 passages, with splits computed
on the part (passA50 P5). It still reads the part, and warns naming the whole set."""

from __future__ import annotations

from typing import Any

import pytest

from annotate.corpus.export import export
from tests.audit.fakes import FakeStudio, reviewed_tasks


class NumberedStudio(FakeStudio):
    """Label Studio holding ``projects`` (each read in full as listed)."""

    def __init__(self, tasks: list[dict[str, Any]], projects: list[dict[str, Any]]) -> None:
        super().__init__(tasks)
        self.projects = projects

    def require_project(self, title: str) -> dict[str, Any]:
        return next(dict(p) for p in self.projects if p["title"] == title)

    def get_project(self, project_id: int) -> dict[str, Any]:
        return next(dict(p) for p in self.projects if p["id"] == project_id)

    def find_project(self, title: str) -> dict[str, Any] | None:
        return next((dict(p) for p in self.projects if p["title"] == title), None)

    def _get(self, path: str, what: str, **params: Any) -> Any:
        return {"results": [dict(p) for p in self.projects], "next": None}


WEEKLY = [
    {"id": 5, "title": "Weekly #1", "description": "", "task_number": 5},
    {"id": 6, "title": "Weekly #2", "description": "", "task_number": 5},
    {"id": 7, "title": "Weekly #3", "description": "", "task_number": 6},
    {"id": 8, "title": "Weekly team", "description": "", "task_number": 2},
]


def test_exporting_one_numbered_project_names_the_whole_set(
    tmp_path, caplog: pytest.LogCaptureFixture
) -> None:
    client = NumberedStudio(reviewed_tasks(), WEEKLY)
    with caplog.at_level("WARNING", logger="annotate.review.collect"):
        export("Weekly #2", tmp_path / "c", client=client, salt="s")  # type: ignore[arg-type]
    said = " ".join(caplog.text.split())
    assert (
        "'Weekly #2' is one of the 3 numbered projects of 'Weekly' (Weekly #1 ... Weekly #3, "
        "16 tasks): only its own tasks are read"
    ) in said, said
    assert "--project 'Weekly' reads them all as one corpus" in said
    assert "to look at this part alone on purpose, as now, keep --project 'Weekly #2'" in said


def test_exporting_the_whole_set_or_a_lone_hash_title_says_nothing_of_parts(
    tmp_path, caplog: pytest.LogCaptureFixture
) -> None:
    alone = [{"id": 3, "title": "Budget #2", "description": "", "task_number": 4}]
    weekly, budget = (
        NumberedStudio(reviewed_tasks(), WEEKLY),
        NumberedStudio(reviewed_tasks(), alone),
    )
    with caplog.at_level("WARNING", logger="annotate.review.collect"):
        export("Weekly", tmp_path / "w", client=weekly, salt="s")  # type: ignore[arg-type]
        export("Budget #2", tmp_path / "b", client=budget, salt="s")  # type: ignore[arg-type]
    assert "numbered projects of" not in caplog.text, caplog.text
