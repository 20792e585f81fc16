"""A queue's (or a plain project's) oldest open task is the earliest by time, read from
the tasks' ``created_at`` as Label Studio writes them: ``Z``, an offset, and no fraction
of a second when it is zero (tests/_util/test_server_time.py). Before, the least string
was taken: '...:00.500000Z' before '...:00Z'. No server: the listings are built here."""

from __future__ import annotations

from typing import Any

import pytest

from annotate.review import handover, project_status
from annotate.review.queues import Queue

# made in this order; the least string is the last one
MADE = ["2026-11-20T08:59:00+01:00", "2026-11-20T08:00:00Z", "2026-11-20T08:00:00.500000Z"]


class Tasks:
    url = "http://studio.test"

    def __init__(self, tasks: list[dict[str, Any]]) -> None:
        self.tasks = tasks

    def iter_tasks(self, project_id: int, include: str | None = None, **kw: Any):
        return iter(self.tasks)

    def list_projects(self, include: str | None = None) -> list[dict[str, Any]]:
        return [{"id": 7, "title": "Batch", "description": ""}]

    def get_project(self, project_id: int) -> dict[str, Any]:
        return {"id": 7, "title": "Batch", "description": ""}


def _tasks(stamps: list[str]) -> list[dict[str, Any]]:
    return [
        {"id": k, "created_at": s, "total_annotations": 0, "cancelled_annotations": 0, "data": {}}
        for k, s in enumerate(stamps)
    ]


@pytest.mark.parametrize("stamps", [MADE[1:], MADE])
def test_a_queues_oldest_open_task_is_the_earliest_time(
    stamps: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    queue = Queue("r-1", "ana@x.org", 2, {"id": 7, "title": "Batch · r-1"})
    monkeypatch.setattr(handover, "review_queues", lambda *a: [queue])
    monkeypatch.setattr(handover, "tasks_with_drafts", lambda *a: set())
    client = Tasks(_tasks(list(reversed(stamps))))
    (found,) = handover.queue_status(client, "Batch", "salt")  # type: ignore[arg-type]
    assert found.oldest_open == stamps[0]


def test_a_plain_projects_oldest_open_task_is_the_earliest_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(project_status, "tasks_with_drafts", lambda *a: set())
    client = Tasks(_tasks(list(reversed(MADE))))
    (part,) = project_status.project_status(client, "Batch")  # type: ignore[arg-type]
    assert part.oldest_open == MADE[0]  # 07:59 UTC
