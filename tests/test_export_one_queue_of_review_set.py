"""An export of one reviewer's queue of a review set (``--project "NAME · r-…"``) says so
in the folder it writes, not only on the terminal (passD51 D1): the report's "How the
review was run" named it a shared, not-blind project with no fixed number of reviewers
per passage, and neither the manifest nor the report named the review set."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from annotate.corpus.export import export
from annotate.corpus.resolve import pseudonym
from annotate.review.mode import QUEUE
from annotate.studio.projects import review_marker_prefix
from tests.audit.fakes import MUSEUM, NEWS, THREAT, FakeStudio, annotation, task
from tests.integration.helpers import choices

NAME = "Week 51"
SALT = "s"
ANA, BEN = 1, 2
QUEUES = {21: ANA, 22: BEN}
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


class TwoQueues(FakeStudio):
    def __init__(self) -> None:
        super().__init__([])
        self.projects = {
            pid: {
                "id": pid,
                "title": f"{NAME} · {pseudonym(user, SALT)}",
                "description": f"Reviewer queue.\n{review_marker_prefix(NAME)}"
                f"{pseudonym(user, SALT)}\n[annotate-review] reviewers_per_task=2",
            }
            for pid, user in QUEUES.items()
        }
        self.snapshots = {
            pid: [_answered(pid * 10 + i, p, user) for i, p in enumerate(TEXTS)]
            for pid, user in QUEUES.items()
        }

    def list_projects(self, include: str | None = None) -> list[dict[str, Any]]:
        return list(self.projects.values())

    def get_project(self, project_id: int) -> dict[str, Any]:
        return self.projects[project_id]

    def export_snapshot(self, project_id: int) -> list[dict[str, Any]]:
        return self.snapshots[project_id]

    def count_annotated_tasks(self, project_id: int) -> int:
        return len(self.snapshots[project_id])


def test_one_queue_exported_alone_is_named_in_manifest_and_report(tmp_path: Path) -> None:
    ana = pseudonym(ANA, SALT)
    out = tmp_path / "queue"
    export(f"{NAME} · {ana}", out, client=TwoQueues(), salt=SALT)  # type: ignore[arg-type]
    manifest = json.loads((out / "manifest.json").read_text())
    partial = {"review_set": NAME, "reviewer": ana, "reviewers_per_task": 2}
    assert manifest["review"]["partial_of"] == partial
    mode = manifest["review"]["mode"]
    assert mode["kind"] == QUEUE and mode["partial_of"] == partial
    md = (out / "report" / "report.md").read_text()
    line = next(x for x in md.splitlines() if x.startswith("How the review was run"))
    assert "Not blind" not in line and "not fixed" not in line
    assert f"review set '{NAME}'" in line and ana in line and "2 reviewers" in line
    assert "lead's decisions are not in it" in line


def test_the_whole_review_set_records_no_partial(tmp_path: Path) -> None:
    out = tmp_path / "all"
    export(NAME, out, client=TwoQueues(), salt=SALT)  # type: ignore[arg-type]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["review"]["partial_of"] is None
    assert manifest["review"]["mode"]["kind"] == "blind_review_set"
