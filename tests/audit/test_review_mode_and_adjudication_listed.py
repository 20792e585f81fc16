"""The manifest and report.md say how the review was run (blind review set or one shared
project), and list an adjudication project the lead has not answered in yet (only a
waiting count showed it)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from annotate.corpus.export import export
from annotate.review.queues import K_PREFIX

from .fakes import ADJUDICATION, FakeStudio, StudioWithLead, reviewed_tasks

MARKER = '[annotate-review] project="p" reviewer='


class ReviewSetStudio(FakeStudio):
    """The review set 'p': ana's and bo's projects (K = 2), the tasks split between them."""

    PROJECTS = (
        {"id": 7, "title": "p · ana", "description": f"{MARKER}ana@x.org\n{K_PREFIX}2"},
        {"id": 8, "title": "p · bo", "description": f"{MARKER}bo@x.org\n{K_PREFIX}2"},
    )

    def require_project(self, title: str) -> dict[str, Any]:
        return next(dict(p) for p in self.PROJECTS if p["title"] == title)

    def get_project(self, project_id: int) -> dict[str, Any]:
        return next(dict(p) for p in self.PROJECTS if p["id"] == project_id)

    def find_project(self, title: str) -> dict[str, Any] | None:
        return None

    def export_snapshot(self, project_id: int) -> list[dict[str, Any]]:
        return self.tasks[:2] if project_id == 7 else self.tasks[2:]

    def count_annotated_tasks(self, project_id: int) -> int:
        tasks = self.export_snapshot(project_id)
        return sum(1 for t in tasks if any(not a["was_cancelled"] for a in t["annotations"]))

    def _get(self, path: str, what: str, **params: Any) -> Any:
        return {"results": [dict(p) for p in self.PROJECTS], "next": None}


def _manifest(out: Path) -> dict[str, Any]:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def test_a_shared_project_is_stated_not_blind(tmp_path: Path) -> None:
    out = tmp_path / "c"
    export("p", out, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    mode = _manifest(out)["review"]["mode"]
    assert mode["kind"] == "shared_project" and mode["blind"] is False
    report = (out / "report" / "report.md").read_text(encoding="utf-8")
    assert "How the review was run: Not blind: every reviewer answered in one Label" in report


def test_a_review_set_is_stated_blind_with_k(tmp_path: Path) -> None:
    out = tmp_path / "c"
    export("p", out, client=ReviewSetStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    mode = _manifest(out)["review"]["mode"]
    assert mode["kind"] == "blind_review_set" and mode["blind"] is True
    assert mode["reviewers_per_task"] == 2 and mode["reviewer_projects"] == 2
    report = (out / "report" / "report.md").read_text(encoding="utf-8")
    assert "How the review was run: Blind review: every reviewer answered in a Label" in report
    assert (
        "(2 reviewer projects), so no reviewer was shown another reviewer's answers in their "
        "own queue"
    ) in report
    assert "each passage was given to 2 reviewers" in report


def test_an_unanswered_adjudication_project_is_listed(tmp_path: Path) -> None:
    tasks = reviewed_tasks()
    waiting = {**tasks[1], "id": 90, "annotations": []}  # sent to the lead, not answered
    out = tmp_path / "c"
    export("p", out, client=StudioWithLead(tasks, [waiting]), salt="s")  # type: ignore[arg-type]
    manifest = _manifest(out)
    assert manifest["label_studio_projects"][ADJUDICATION["title"]] == ADJUDICATION["id"]
    assert manifest["tasks_annotated_by_project"][ADJUDICATION["title"]] == 0
    report = (out / "report" / "report.md").read_text(encoding="utf-8")
    assert f"'{ADJUDICATION['title']}' (id {ADJUDICATION['id']})" in report
