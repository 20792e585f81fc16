"""A severity split with no majority (high vs critical from two reviewers) is a tie: export
marks it ``tie`` like a category tie and ``annotate adjudicate`` sends it to a lead; both
apply :func:`annotate.corpus.resolve.resolution` / :func:`~annotate.corpus.resolve.disputed`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from annotate.corpus.export import export
from annotate.review.adjudication import adjudicate
from annotate.studio.client import ImportAnswer
from tests.audit.fakes import FakeStudio, annotation, reviewed_tasks, task
from tests.conftest import project_taxonomy
from tests.integration.helpers import choices

TEXT = "They will burn the depot down on Friday night."


def answer(ann_id: int, user: int, severity: str) -> dict[str, Any]:
    result = [choices("category", ["violent_threat"]), choices("severity", [severity])]
    return annotation(ann_id, user, result, minute=ann_id % 60, lead_time=5.0)


def split_tasks() -> list[dict[str, Any]]:
    """The fixture tasks plus: two reviewers split 1-1 on severity, three split 2-1."""
    tie = task(
        21,
        "doc-d-p0",
        TEXT,
        doc="doc-d",
        index=0,
        model_labels=["violent_threat"],
        annotations=[answer(201, 1, "high"), answer(202, 2, "critical")],
    )
    two_of_three = task(
        22,
        "doc-d-p1",
        TEXT,
        doc="doc-d",
        index=1,
        model_labels=["violent_threat"],
        annotations=[answer(203, 1, "high"), answer(204, 2, "critical"), answer(205, 3, "high")],
    )
    return [*reviewed_tasks(), tie, two_of_three]


class AdjudicationStudio(FakeStudio):
    """FakeStudio plus the calls `adjudicate` makes; records the imported passages."""

    def __init__(self, tasks: list[dict[str, Any]]) -> None:
        super().__init__(tasks)
        self.imported: list[dict[str, Any]] = []
        self.views: list[dict[str, Any]] = []

    def create_project(self, title: str, config: str, **fields: Any) -> dict[str, Any]:
        return {"id": 8, "title": title, "label_config": config}

    def create_view(self, project_id: int, view: Any) -> None:
        self.views.append({"id": len(self.views) + 1, "project": project_id, "data": view})

    def list_views(self, project_id: int) -> list[dict[str, Any]]:
        return [v for v in self.views if v["project"] == project_id]

    def update_view(self, view_id: int, project_id: int, data: dict[str, Any]) -> None:
        next(v for v in self.views if v["id"] == view_id)["data"] = data

    def iter_tasks(self, project_id: int, **params: Any) -> list[dict[str, Any]]:
        return []

    def import_tasks(self, project_id: int, tasks: list[dict[str, Any]]) -> ImportAnswer:
        self.imported += tasks
        predictions = sum(len(t["predictions"]) for t in tasks)
        return ImportAnswer(list(range(len(tasks))), len(tasks), predictions)


def exported(out: Path) -> dict[str, dict[str, Any]]:
    return {
        row["id"]: row
        for split in ("train", "validation", "test")
        for line in (out / "jsonl" / f"{split}.jsonl").read_text().splitlines()
        for row in [json.loads(line)]
    }


def test_a_severity_tie_is_disputed_in_export_and_adjudicate_alike(tmp_path: Path) -> None:
    tasks = split_tasks()
    export("p", tmp_path / "corpus", client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
    rows = exported(tmp_path / "corpus")

    tie = rows["doc-d-p0"]  # high vs critical, the same categories: no majority
    assert tie["resolution"] == "tie" and tie["label_tie"] is True
    assert tie["labels"] == ["violent_threat"]
    assert tie["severity"] == "critical"  # provisional: the highest of the tied levels
    majority = rows["doc-d-p1"]  # high, critical, high: the majority decides
    assert majority["resolution"] == "majority" and majority["label_tie"] is False
    assert majority["severity"] == "high"

    studio = AdjudicationStudio(tasks)
    result = adjudicate(studio, "p", project_taxonomy(), salt="s")  # type: ignore[arg-type]
    sent = set(result.passages)
    assert "doc-d-p0" in sent and "doc-d-p1" not in sent  # 2-of-3 high, one level apart
    # every passage export could not resolve goes to a lead
    assert {pid for pid, r in rows.items() if r["resolution"] == "tie"} <= sent
    assert sorted(t["data"]["passage_id"] for t in studio.imported) == sorted(sent)
    # the answers panel quotes evidence: out of the lead's grid, like the passage text
    (queue,) = studio.views
    assert "tasks:data.reviews" in queue["data"]["hiddenColumns"]["explore"]
