"""`annotate review status` counts as a queue's answers only its reviewer's. Stop 47's
new-user pass (F9): the admin answered 2 tasks in Ana's queue and status said "ana ...: 2
answered" with no warning (a lead reads "ana has started"), while export warned of the
admin's answers. The queue line counts the others' apart and a warning names the queue.
No server: the queues' listings are built here; the count of tasks answered by others is
Label Studio's (a Data Manager ``annotators`` filter), so the fake answers it from the
annotators each task is given."""

from __future__ import annotations

from typing import Any

import pytest

from annotate.cli.review.status import _queue_line, answered_by_others_line
from annotate.review import handover
from annotate.review.queues import Queue, description
from annotate.review.status_summary import queue_rows
from annotate.review.unfinished import open_counts

SET = "Batch 12"
ANA, BEN, ADMIN = 11, 12, 1


def queue(pid: int, user: int, alias: str, email: str) -> Queue:
    title = f"{SET} · {alias}"
    return Queue(
        alias,
        email,
        user,
        {"id": pid, "title": title, "description": description(SET, alias, 2, None)},
    )


def task(tid: int, passage: str, *annotators: int) -> dict[str, Any]:
    return {
        "id": tid,
        "data": {"passage_id": passage},
        "meta": {},
        "total_annotations": len(annotators),
        "cancelled_annotations": 0,
        "created_at": "2026-12-05T10:00:00Z",
        "annotators": list(annotators),
    }


class Tasks:
    url = "http://studio.test"

    def __init__(self, by_project: dict[int, list[dict[str, Any]]]) -> None:
        self.by_project = by_project
        self.filters: list[dict[str, Any]] = []

    def iter_tasks(self, project_id: int, include: str | None = None, **kw: Any):
        return iter(self.by_project[project_id])

    def iter_answered_tasks(
        self, project_id: int, filters: list[dict[str, Any]], include: str | None = None
    ):
        """The answered tasks the Data Manager ``annotators`` filter matches."""
        (only,) = filters
        return iter(
            t
            for t in self.by_project[project_id]
            if t["total_annotations"] and only["value"] not in t["annotators"]
        )

    def count_answered_tasks(self, project_id: int, filters: list[dict[str, Any]]) -> int:
        (only,) = filters
        self.filters.append(only)
        assert (only["filter"], only["operator"]) == ("filter:tasks:annotators", "not_contains")
        return sum(
            1
            for t in self.by_project[project_id]
            if t["total_annotations"] and only["value"] not in t["annotators"]
        )


def test_answers_by_the_admin_in_a_queue_are_not_its_reviewers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ana = queue(1, ANA, "r-aaaaaaaaaa", "ana@x.org")
    ben = queue(2, BEN, "r-bbbbbbbbbb", "ben@x.org")
    monkeypatch.setattr(handover, "review_queues", lambda *a: [ana, ben])
    monkeypatch.setattr(handover, "tasks_with_drafts", lambda *a: set())
    client = Tasks(
        {
            # the admin answered p1 and p2 in ana's queue, ana p3; ben answered p1
            1: [task(1, "p1", ADMIN), task(2, "p2", ADMIN), task(3, "p3", ANA), task(4, "p4")],
            2: [task(5, "p1", BEN), task(6, "p2"), task(7, "p3")],
        }
    )
    found = handover.queue_status(client, SET, "salt")  # type: ignore[arg-type]
    assert {s.queue.alias: (s.answered, s.answered_by_others) for s in found} == {
        "r-aaaaaaaaaa": (3, 2),  # every answered task still counts for hand-overs
        "r-bbbbbbbbbb": (1, 0),
    }
    assert {f["value"] for f in client.filters} == {ANA, BEN}
    rows = queue_rows(found, open_counts(found))
    line = _queue_line(rows[0])
    assert "4 tasks, 1 answered (+2 by another account, see below), 0 skipped, 1 open" in line
    assert "by another account" not in _queue_line(rows[1])
    warning = answered_by_others_line(rows, SET)
    assert warning is not None
    assert warning.startswith(
        "warning: 2 task(s) in 1 reviewer queue of 'Batch 12' were answered by another "
        "account than the queue's reviewer (e.g. "
    ), warning
    assert "r-aaaaaaaaaa" in warning and "http://studio.test/projects/1/data" in warning


def test_no_answer_by_another_account_no_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    ana = queue(1, ANA, "r-aaaaaaaaaa", "ana@x.org")
    monkeypatch.setattr(handover, "review_queues", lambda *a: [ana])
    monkeypatch.setattr(handover, "tasks_with_drafts", lambda *a: set())
    found = handover.queue_status(Tasks({1: [task(1, "p1", ANA), task(2, "p2")]}), SET, "s")  # type: ignore[arg-type]
    rows = queue_rows(found, open_counts(found))
    assert rows[0].answered == 1 and answered_by_others_line(rows, SET) is None


def test_a_passage_answered_twice_by_one_account_is_short_as_export_counts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """passM55 #3: Ana answered every passage in her queue and in Ben's; status said "0 of
    2 passage(s) have fewer than 2 answer(s)" while export counted each passage's one
    reviewer. An answer made in a queue by another account is not its reviewer's: status
    now counts those passages short, as export does."""
    from annotate.cli.review.status import short_of_k_line

    ana = queue(1, ANA, "r-aaaaaaaaaa", "ana@x.org")
    ben = queue(2, BEN, "r-bbbbbbbbbb", "ben@x.org")
    monkeypatch.setattr(handover, "review_queues", lambda *a: [ana, ben])
    monkeypatch.setattr(handover, "tasks_with_drafts", lambda *a: set())
    client = Tasks(
        {
            1: [task(1, "p1", ANA), task(2, "p2", ANA)],
            2: [task(3, "p1", ANA), task(4, "p2", BEN)],  # Ana answered p1 in Ben's queue
        }
    )
    found = handover.queue_status(client, SET, "salt")  # type: ignore[arg-type]
    counts = handover.short_of_k(found)
    assert (counts.k, counts.passages, counts.short, counts.by_others) == (2, 2, 1, 1)
    line = short_of_k_line(counts)
    assert line.startswith("1 of 2 passage(s) have fewer than 2 answer(s)"), line
    assert "1 of them answered in a queue by another account than its reviewer" in line


def test_a_passage_answered_by_another_account_is_not_said_skipped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Ana answered p1 in Ben's queue: status said "1 of them with no task open, as a
    reviewer skipped theirs" (and told the lead to delete the skipped task) besides "1 of
    them answered in a queue by another account"; nobody skipped (s56 left #5)."""
    from annotate.cli.review.status import short_of_k_line

    ana = queue(1, ANA, "r-aaaaaaaaaa", "ana@x.org")
    ben = queue(2, BEN, "r-bbbbbbbbbb", "ben@x.org")
    monkeypatch.setattr(handover, "review_queues", lambda *a: [ana, ben])
    monkeypatch.setattr(handover, "tasks_with_drafts", lambda *a: set())
    client = Tasks(
        {
            1: [task(1, "p1", ANA), task(2, "p2", ANA), task(3, "p3", ANA)],
            # Ana answered p1 in Ben's queue; Ben's p2 is open; Ben answered p3
            2: [task(4, "p1", ANA), task(5, "p2"), task(6, "p3", BEN)],
        }
    )
    counts = handover.short_of_k(handover.queue_status(client, SET, "salt"))  # type: ignore[arg-type]
    assert (counts.short, counts.skipped, counts.by_others) == (2, 0, 1), counts
    line = short_of_k_line(counts)
    assert "skipped theirs" not in line and "delete the skipped task" not in line, line
    assert line == (
        "2 of 3 passage(s) have fewer than 2 answer(s) (1 with other reviewers' tasks open or "
        "skipped; 1 of them answered in a queue by another account than its reviewer, with "
        "no task open: not a skip, and not that reviewer's answer (see the warning on "
        "answers by another account; export counts alike))"
    ), line
