"""A review-set push (`annotate push --reviewers-per-task K`) racing another push into the
same set (another machine's, or one with another lock folder) left passages twice in the
reviewer queues, and ended with its usual summary and exit 0: a plain push says so and
exits 1 (faults49 F7); the review-set push now does the same, and the next push's start
removes the copies."""

from __future__ import annotations

import json
from itertools import count
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from annotate.cli import app
from annotate.review.fanout import push_review
from tests.test_review_fanout import PRELABELS, ReviewStudio


class RacedStudio(ReviewStudio):
    """A Label Studio where, while ``racing``, another push imports the same tasks into
    each queue this push imports into (its copies: other ids)."""

    def __init__(self) -> None:
        super().__init__()
        self.ids = count(1)
        self.racing = True

    def get_project(self, project_id: int) -> dict:
        return {**super().get_project(project_id), "task_number": len(self.tasks[project_id])}

    def iter_tasks(self, project_id: int, include: str = "id,data", **params: Any):
        if "draft" in str(params.get("query")):  # the draft filter: no drafts here
            return iter(())
        return super().iter_tasks(project_id, include, **params)

    def delete_tasks(self, ids: list[int], project_id: int | None = None) -> None:
        gone = set(ids)
        for pid in self.tasks:
            self.tasks[pid] = [t for t in self.tasks[pid] if t["id"] not in gone]

    def import_tasks(self, project_id: int, batch: list[dict]):
        from annotate.studio.client import ImportAnswer

        ids = []
        for task in batch:
            ids.append(next(self.ids))
            self.tasks[project_id].append({"id": ids[-1], **json.loads(json.dumps(task))})
            if self.racing:  # the other push's copy of the same passage
                self.tasks[project_id].append(
                    {"id": next(self.ids), **json.loads(json.dumps(task))}
                )
        return ImportAnswer(ids, len(ids), sum(len(t["predictions"]) for t in batch))


def test_a_raced_review_push_counts_the_copies_it_left_and_the_next_push_removes_them() -> None:
    client = RacedStudio()
    result = push_review(PRELABELS, "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    made = sum(s.created for s in result.reviewers)
    assert made and result.repeated_left == made  # every passage it sent, once per queue
    client.racing = False
    again = push_review(PRELABELS, "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    assert again.late_copies_removed == made and again.repeated_left == 0
    assert all(
        len(ts) == len({t["data"]["passage_id"] for t in ts}) for ts in client.tasks.values()
    )


def test_an_unraced_review_push_counts_no_copies() -> None:
    client = RacedStudio()
    client.racing = False
    result = push_review(PRELABELS, "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    assert sum(s.created for s in result.reviewers) and result.repeated_left == 0


def test_the_cli_warns_of_copies_left_and_exits_1(monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import annotate.review.fanout as fanout
    from annotate.review.fanout import ReviewerShare, ReviewPushResult

    share = ReviewerShare("ana@x.org", "r-0123456789", 3, "http://h/projects/3/data", 6)
    result = ReviewPushResult("Batch", 2, 3, "m@1", reviewers=[share], repeated_left=3)
    monkeypatch.setattr(fanout, "push_review", lambda *a, **k: result)
    pre = tmp_path / "pre.jsonl"
    pre.write_text("{}\n")
    ran = CliRunner().invoke(app, ["push", str(pre), "--project", "Batch", "-k", "2"])
    said = " ".join(ran.output.split())
    assert ran.exit_code == 1, ran.output
    assert (
        "warning: 3 passage(s) are in a reviewer queue of 'Batch' more than once, as copies "
        "another push made" in said
    ), said
    assert "Fix: once no other push into 'Batch' runs, run the same `annotate push` again" in said
    result.repeated_left = 0
    ran = CliRunner().invoke(app, ["push", str(pre), "--project", "Batch", "-k", "2"])
    assert ran.exit_code == 0 and "more than once" not in ran.output, ran.output


def test_the_re_run_names_a_racing_push_as_a_cause_of_the_copies_it_removed(capsys) -> None:  # type: ignore[no-untyped-def]
    """The next push removed the copies saying they came of 'an earlier run's import
    request that a slow server carried out after that run ended' only: after a race that
    sent the lead looking for a slow server."""
    from annotate.cli.push import late_copies_note

    late_copies_note(12)
    said = " ".join(capsys.readouterr().err.split())
    assert (
        "removed 12 late copies" in said and "or by another push importing at the same time" in said
    )
