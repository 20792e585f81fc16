"""A reviewer queue is named, in the manifest and the report, by the pseudonym its marker
(and title) records, whoever answered in it. Stop 47's new-user pass (F8): the admin
answered 2 tasks in Ana's queue, more than Ana had, and `export` named the queue as the
admin's (``"reviewer r-<admin>": 1``, "r-<admin>'s queue (id 1)"): the most frequent
answerer won over the marker."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from annotate.corpus.export import export
from annotate.corpus.resolve import pseudonym
from annotate.studio.projects import review_marker_prefix
from tests.audit.fakes import MUSEUM, NEWS, THREAT, FakeStudio, annotation, task
from tests.integration.helpers import choices

NAME = "Week 50"
SALT = "s"
ANA, BEN, ADMIN = 1, 2, 9
QUEUES = {21: ANA, 22: BEN}  # project id -> its reviewer's user id
TEXTS = {"doc-a-p0": NEWS, "doc-a-p1": THREAT, "doc-b-p0": MUSEUM}


def _answered(task_id: int, passage: str, user: int) -> dict[str, Any]:
    return task(
        task_id,
        passage,
        TEXTS[passage],
        doc=passage.rsplit("-", 1)[0],
        index=int(passage[-1]),
        model_labels=["none"],
        annotations=[
            annotation(task_id * 10, user, [choices("category", ["none"])], minute=1, lead_time=3.0)
        ],
    )


class AdminAnsweredStudio(FakeStudio):
    """Two pseudonymous queues; the admin (user 9, whose token this is) answered two tasks
    in Ana's queue, Ana one."""

    def __init__(self) -> None:
        super().__init__([])
        self.projects = {
            pid: {
                "id": pid,
                "title": f"{NAME} · {pseudonym(user, SALT)}",
                "description": f"Reviewer queue.\n{review_marker_prefix(NAME)}"
                f"{pseudonym(user, SALT)}",
            }
            for pid, user in QUEUES.items()
        }
        self.snapshots = {
            21: [
                _answered(1, "doc-a-p0", ANA),
                _answered(2, "doc-a-p1", ADMIN),
                _answered(3, "doc-b-p0", ADMIN),
            ],
            22: [_answered(4 + i, p, BEN) for i, p in enumerate(TEXTS)],
        }

    def list_projects(self, include: str | None = None) -> list[dict[str, Any]]:
        return list(self.projects.values())

    def get_project(self, project_id: int) -> dict[str, Any]:
        return self.projects[project_id]

    def export_snapshot(self, project_id: int) -> list[dict[str, Any]]:
        return self.snapshots[project_id]

    def count_annotated_tasks(self, project_id: int) -> int:
        return len(self.snapshots[project_id])

    def whoami(self) -> dict[str, Any]:
        return {"id": ADMIN, "email": "admin@annotate.local"}


def test_a_queue_the_admin_answered_most_in_is_named_by_its_reviewer(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    export(NAME, out, client=AdminAnsweredStudio(), salt=SALT)  # type: ignore[arg-type]
    manifest = json.loads((out / "manifest.json").read_text())
    ana, ben, admin = (pseudonym(u, SALT) for u in (ANA, BEN, ADMIN))
    assert manifest["label_studio_projects"] == {f"reviewer {ana}": 21, f"reviewer {ben}": 22}
    assert manifest["tasks_annotated_by_project"] == {f"reviewer {ana}": 3, f"reviewer {ben}": 3}
    md = (out / "report" / "report.md").read_text()
    assert f"{ana}'s queue (id 21)" in md and f"{admin}'s queue" not in md
