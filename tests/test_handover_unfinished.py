"""A hand-over that stopped midway (copies made, originals not yet removed) read from the
queues' tasks, as `annotate review status` shows it; a hand-over with nothing to move, as
`annotate review reassign` says it. No server: queue statuses and results built here
(the real Label Studio runs in tests/integration/test_handover_unfinished.py)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from typer.testing import CliRunner

from annotate.cli import app
from annotate.review import handover
from annotate.review.handover import Handover, QueueStatus
from annotate.review.queues import Queue, description
from annotate.review.unfinished import handover_copy, unfinished_handovers

# the server a status names its records by (the fakes answer no request)
URL = "http://studio.test"

SET = "Batch 12"


def queue(pid: int, alias: str, email: str | None, away: str | None = None) -> Queue:
    return Queue(alias, email, pid, {"id": pid, "description": description(SET, alias, 2, away)})


def task(tid: int, passage: str, *, answered: bool = False, copy_of: tuple[int, int] | None = None):
    meta: dict[str, Any] = {}
    if copy_of is not None:
        meta["annotate_handover"] = {"from_project": copy_of[0], "from_task": copy_of[1]}
    return {
        "id": tid,
        "data": {"passage_id": passage},
        "meta": meta,
        "total_annotations": int(answered),
    }


def status(q: Queue, tasks: list[dict[str, Any]]) -> QueueStatus:
    """What queue_status reads from the queue's tasks (the fields these tests use)."""
    is_open = [t for t in tasks if not t["total_annotations"]]
    return QueueStatus(
        queue=q,
        url=f"http://ls/projects/{q.project['id']}/data",
        tasks=len(tasks),
        answered=len(tasks) - len(is_open),
        skipped=0,
        open=len(is_open),
        open_gold=0,
        task_ids=frozenset(t["id"] for t in tasks),
        open_ids=frozenset(t["id"] for t in is_open),
        handover_copies=tuple(
            c
            for t in tasks
            if (c := handover_copy(t, t["data"]["passage_id"], not t["total_annotations"]))
        ),
    )


ANA = queue(1, "r-aaaaaaaaaa", "ana@x.org", away="2026-12-02T08:00:00+00:00")
BEN = queue(2, "r-bbbbbbbbbb", "ben@x.org")
CAI = queue(3, "r-cccccccccc", "cai@x.org")


def test_copies_whose_originals_are_still_there_are_an_unfinished_hand_over() -> None:
    ana = status(ANA, [task(10, "p1"), task(11, "p2", answered=True), task(12, "p3")])
    ben = status(BEN, [task(20, "p1"), task(21, "p2"), task(22, "p3")])
    cai = status(
        CAI,
        [
            task(30, "p1", copy_of=(1, 10)),  # both open
            task(31, "p2", copy_of=(1, 11)),  # answered meanwhile by ana: the copy goes
            task(32, "p4", copy_of=(1, 13)),  # original removed: finished
        ],
    )
    (stop,) = unfinished_handovers([ana, ben, cai])
    assert (stop.source, stop.target, stop.passages) == (ANA, CAI, ("p1", "p2"))
    # ana is away (the first run marked her): the re-run is the same command
    assert stop.command(SET) == (
        "annotate review reassign --project 'Batch 12' --from ana@x.org --to cai@x.org"
    )


def test_a_finished_hand_over_or_two_answers_is_not_reported() -> None:
    ana = status(ANA, [task(11, "p2", answered=True)])
    cai = status(
        CAI, [task(31, "p2", answered=True, copy_of=(1, 11)), task(32, "p4", copy_of=(1, 9))]
    )
    assert unfinished_handovers([ana, cai]) == []


def test_the_command_keeps_a_reviewer_who_is_not_away_so() -> None:
    """The first run was a --not-away rebalance (or the reviewer came back since): the
    re-run must not mark them away."""
    ben = status(BEN, [task(20, "p1")])
    cai = status(CAI, [task(30, "p1", copy_of=(2, 20))])
    (stop,) = unfinished_handovers([ben, cai])
    assert stop.command(SET) is not None and stop.command(SET).endswith(  # type: ignore[union-attr]
        "--from ben@x.org --to cai@x.org --not-away"
    )
    removed = queue(3, "r-cccccccccc", None)
    (stop,) = unfinished_handovers([ben, status(removed, [task(30, "p1", copy_of=(2, 20))])])
    assert stop.command(SET) is None  # no hand-over can give a removed account tasks


def test_review_status_shows_the_unfinished_hand_over_and_its_fix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    found = [
        status(ANA, [task(10, "p1"), task(12, "p3")]),
        status(CAI, [task(30, "p1", copy_of=(1, 10)), task(31, "p3", copy_of=(1, 12))]),
    ]
    monkeypatch.setattr("annotate.studio.client.connect", lambda: SimpleNamespace(url=URL))
    monkeypatch.setattr(handover, "queue_status", lambda client, project, salt, **_: found)
    monkeypatch.setattr("annotate.cli.review.status._lead_status", lambda client, project: None)
    monkeypatch.setattr("annotate.cli.review.status.print_exposure", lambda *a: None)
    monkeypatch.setenv("ANNOTATE_PSEUDONYM_SALT", "test-salt")
    result = CliRunner().invoke(app, ["review", "status", "--project", SET])
    assert result.exit_code == 0, result.output
    assert "a hand-over from ana@x.org (r-aaaaaaaaaa) to cai@x.org (r-cccccccccc) stopped " in (
        result.output
    )
    assert "2 passage(s) (e.g. 'p1') sit in both their queues" in result.output
    assert result.output.rstrip().endswith(
        "annotate review reassign --project 'Batch 12' --from ana@x.org --to cai@x.org"
    )


def nothing_moved(**kw: Any) -> Handover:
    return Handover(ANA, CAI, None, source_closed=4, **kw)


def test_a_hand_over_with_nothing_open_says_so_and_that_the_reviewer_is_marked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("annotate.studio.client.connect", lambda: SimpleNamespace(url=URL))
    monkeypatch.setattr(handover, "reassign", lambda *a, **kw: nothing_moved(marked_away=True))
    monkeypatch.setenv("ANNOTATE_PSEUDONYM_SALT", "test-salt")
    args = ["review", "reassign", "--project", SET, "--from", "ana@x.org", "--to", "cai@x.org"]
    out = CliRunner().invoke(app, args).output
    assert "nothing to hand on: ana@x.org (r-aaaaaaaaaa) has no open task in 'Batch 12'" in out
    assert "(4 answered or skipped, which stay theirs)" in out and "0 open task(s)" not in out
    assert "is marked away in 'Batch 12' all the same" in out and "--not-away" in out, out
    # with open tasks left behind (drafts), it is no "nothing to hand on"
    assert not nothing_moved(with_draft=["p1"]).nothing_open
    assert nothing_moved().nothing_open


def test_reassign_help_says_the_mark_comes_without_tasks_too() -> None:
    out = CliRunner().invoke(app, ["review", "reassign", "--help"], terminal_width=200).output
    assert "marked away even when they have no open task left" in " ".join(out.split())


def test_a_stopped_hand_over_to_a_removed_account_names_the_manual_fix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No hand-over can give a removed account tasks, so no re-run finishes it: status
    says what to delete and the hand-over to run then, not a command that would fail."""
    removed = queue(3, "r-cccccccccc", None)
    found = [
        status(ANA, [task(10, "p1")]),
        status(removed, [task(30, "p1", copy_of=(1, 10))]),
    ]
    monkeypatch.setattr("annotate.studio.client.connect", lambda: SimpleNamespace(url=URL))
    monkeypatch.setattr(handover, "queue_status", lambda client, project, salt, **_: found)
    monkeypatch.setattr("annotate.cli.review.status._lead_status", lambda client, project: None)
    monkeypatch.setattr("annotate.cli.review.status.print_exposure", lambda *a: None)
    monkeypatch.setenv("ANNOTATE_PSEUDONYM_SALT", "test-salt")
    out = CliRunner().invoke(app, ["review", "status", "--project", SET]).output
    assert "r-cccccccccc's account was removed from the organization" in out, out
    assert "delete the open tasks of those 1 passage(s) from r-cccccccccc's queue" in out, out
    assert "--from ana@x.org --to EMAIL" in out and "--to None" not in out, out
