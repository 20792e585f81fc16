"""`annotate review status` names the passages kept short of K by a skip. A skipped task
keeps its reviewer's place: no push gives the passage another reviewer and a hand-over
moves open tasks only, so "1 of 27 passage(s) have fewer than 2 answer(s) (their other
reviewers' tasks are open or skipped)" stayed so for good, round after round, with nothing
to run (found as a team lead on a real server: a reviewer skipped one, then left). No
server: the queues' listings are built here."""

from __future__ import annotations

from typing import Any

import pytest

from annotate.cli.review.status import short_of_k_line
from annotate.review import handover
from annotate.review.queues import Queue, description

SET = "Batch 12"


def queue(pid: int, alias: str, email: str) -> Queue:
    return Queue(
        alias,
        email,
        pid,
        {"id": pid, "title": f"{SET} · {alias}", "description": description(SET, alias, 2, None)},
    )


def task(tid: int, passage: str, *, answered: bool = False, skipped: bool = False) -> dict:
    return {
        "id": tid,
        "data": {"passage_id": passage},
        "meta": {},
        "total_annotations": int(answered),
        "cancelled_annotations": int(skipped),
        "created_at": "2026-12-05T10:00:00Z",
    }


class Tasks:
    url = "http://studio.test"

    def __init__(self, by_project: dict[int, list[dict[str, Any]]]) -> None:
        self.by_project = by_project

    def iter_tasks(self, project_id: int, include: str | None = None, **kw: Any):
        return iter(self.by_project[project_id])

    def count_answered_tasks(self, project_id: int, filters: list[dict[str, Any]]) -> int:
        """Tasks answered by another account than the queue's reviewer: none here."""
        return 0


def test_a_passage_short_for_a_skip_is_counted_and_the_way_out_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ana, ben = queue(1, "r-aaaaaaaaaa", "ana@x.org"), queue(2, "r-bbbbbbbbbb", "ben@x.org")
    monkeypatch.setattr(handover, "review_queues", lambda *a: [ana, ben])
    monkeypatch.setattr(handover, "tasks_with_drafts", lambda *a: set())
    client = Tasks(
        {
            # p1: ben skipped (short for good); p2: ben's task open; p3: both answered
            1: [
                task(1, "p1", answered=True),
                task(2, "p2", answered=True),
                task(3, "p3", answered=True),
            ],
            2: [task(4, "p1", skipped=True), task(5, "p2"), task(6, "p3", answered=True)],
        }
    )
    found = handover.queue_status(client, SET, "salt")  # type: ignore[arg-type]
    counts = handover.short_of_k(found)
    assert (counts.k, counts.passages, counts.short, counts.skipped) == (2, 3, 2, 1), counts
    line = short_of_k_line(counts)
    assert line.startswith("2 of 3 passage(s) have fewer than 2 answer(s) (their other"), line
    assert "1 of them with no task open, as a reviewer skipped theirs" in line, line
    assert "delete the skipped task in Label Studio's Data Manager" in line, line
    # nothing skipped: the line as before
    client.by_project[2][0] = task(4, "p1")
    plain = short_of_k_line(handover.short_of_k(handover.queue_status(client, SET, "salt")))  # type: ignore[arg-type]
    assert plain == (
        "2 of 3 passage(s) have fewer than 2 answer(s) (their other reviewers' tasks are "
        "open or skipped)"
    ), plain
