"""Exports and reports name a review set's reviewer projects by Label Studio id and the
reviewer's pseudonym: the titles (``NAME · LOCALPART``) carry the reviewer's e-mail name
and undid the pseudonyms next to them (``"Week 49 · ana": 21`` beside ``r-…``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from annotate.corpus.export import export
from annotate.corpus.resolve import pseudonym
from annotate.studio.projects import review_marker_prefix
from tests.audit.fakes import FakeStudio, reviewed_tasks

NAME = "Week 49"
REVIEWERS = {  # Label Studio user id -> (project id, e-mail)
    1: (21, "ana.quintero@reviewers.test"),
    2: (22, "bob.okafor@reviewers.test"),
    3: (23, "cai.lindqvist@reviewers.test"),
}
NAMES = (b"quintero", b"okafor", b"lindqvist", b"reviewers.test", "Week 49 ·".encode())


class ReviewSetStudio(FakeStudio):
    """A review set: one project per reviewer holding that reviewer's answers."""

    def __init__(self) -> None:
        super().__init__(reviewed_tasks())
        self.projects = {
            pid: {
                "id": pid,
                "title": f"{NAME} · {email.split('@')[0]}",
                "description": f"Reviewer queue.\n{review_marker_prefix(NAME)}{email}",
            }
            for pid, email in REVIEWERS.values()
        }

    def list_projects(self, include: str | None = None) -> list[dict[str, Any]]:
        return list(self.projects.values())

    def get_project(self, project_id: int) -> dict[str, Any]:
        return self.projects[project_id]

    def _mine(self, project_id: int) -> list[dict[str, Any]]:
        user = next(u for u, (pid, _) in REVIEWERS.items() if pid == project_id)
        return [
            {**t, "annotations": [a for a in t["annotations"] if a["completed_by"] == user]}
            for t in self.tasks
        ]

    def export_snapshot(self, project_id: int) -> list[dict[str, Any]]:
        return self._mine(project_id)

    def count_annotated_tasks(self, project_id: int) -> int:
        return sum(1 for t in self._mine(project_id) if t["annotations"])


def test_no_export_artefact_names_a_reviewer(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    export(NAME, out, client=ReviewSetStudio(), salt="s")  # type: ignore[arg-type]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["label_studio_projects"] == {
        f"reviewer {pseudonym(user, 's')}": pid for user, (pid, _) in REVIEWERS.items()
    }
    files = [p for p in out.rglob("*") if p.is_file()]
    assert any(p.name == "report.md" for p in files) and len(files) > 10
    leaks = [(str(p.relative_to(out)), n) for p in files for n in NAMES if n in p.read_bytes()]
    assert leaks == []
    md = (out / "report" / "report.md").read_text()
    assert f"{pseudonym(1, 's')}'s queue (id 21)" in md
