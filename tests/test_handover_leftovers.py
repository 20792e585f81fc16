"""What a stopped hand-over leaves, as `annotate review status` counts and names it, and a
hand-over to a reviewer who holds the passages already, as `annotate review reassign`
says it. No server: queue statuses and results built here (the real Label Studio runs in
tests/integration/test_handover_unfinished.py).

- a copy and its original both answered: the passage has K+1 answers; status names the
  passages and queues and what that means downstream;
- a passage sitting open in two queues counts once in the open tasks;
- nothing moved because the target holds every passage: said, with the command to hand
  them to someone else (exit 0, as "nothing to hand on"); nothing moved because only gold
  or tasks with a draft were left: said the same way, not "0 open task(s) moved"."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from typer.testing import CliRunner

from annotate.cli import app
from annotate.review import handover
from annotate.review.handover import Handover, QueueStatus
from annotate.review.queues import Queue, description
from annotate.review.unfinished import handover_copy

# the server a status names its records by (the fakes answer no request)
URL = "http://studio.test"

SET = "Batch 12"
GOLD = {"annotate_gold": {"categories": ["none"], "severity": "none"}}


def queue(pid: int, alias: str, email: str | None, away: str | None = None) -> Queue:
    return Queue(alias, email, pid, {"id": pid, "description": description(SET, alias, 2, away)})


def task(
    tid: int,
    passage: str,
    *,
    answered: bool = False,
    skipped: bool = False,
    gold: bool = False,
    copy_of: tuple[int, int] | None = None,
) -> dict[str, Any]:
    meta: dict[str, Any] = dict(GOLD) if gold else {}
    if copy_of is not None:
        meta["annotate_handover"] = {"from_project": copy_of[0], "from_task": copy_of[1]}
    return {
        "id": tid,
        "data": {"passage_id": passage},
        "meta": meta,
        "total_annotations": int(answered),
        "cancelled_annotations": int(skipped),
    }


def status(
    q: Queue, tasks: list[dict[str, Any]], drafts: frozenset[int] = frozenset()
) -> QueueStatus:
    """What queue_status reads from the queue's tasks."""

    def is_open(t: dict[str, Any]) -> bool:
        return not t["total_annotations"] and not t["cancelled_annotations"]

    opened = [t for t in tasks if is_open(t)]
    regular = [t for t in tasks if "annotate_gold" not in t["meta"]]
    return QueueStatus(
        queue=q,
        url=f"http://ls/projects/{q.project['id']}/data",
        tasks=len(tasks),
        answered=sum(1 for t in tasks if t["total_annotations"]),
        skipped=sum(1 for t in tasks if t["cancelled_annotations"] and not t["total_annotations"]),
        open=len(opened),
        open_gold=sum(1 for t in opened if "annotate_gold" in t["meta"]),
        open_drafts=len(drafts),
        passages=frozenset(t["data"]["passage_id"] for t in regular),
        answered_passages=frozenset(
            t["data"]["passage_id"] for t in regular if t["total_annotations"]
        ),
        task_ids=frozenset(t["id"] for t in tasks),
        open_ids=frozenset(t["id"] for t in opened),
        answered_ids=frozenset(t["id"] for t in tasks if t["total_annotations"]),
        draft_ids=drafts,
        handover_copies=tuple(
            c for t in tasks if (c := handover_copy(t, t["data"]["passage_id"], is_open(t)))
        ),
    )


ANA = queue(1, "r-aaaaaaaaaa", "ana@x.org", away="2026-12-02T08:00:00+00:00")
BEN = queue(2, "r-bbbbbbbbbb", "ben@x.org")
CAI = queue(3, "r-cccccccccc", "cai@x.org")


def answered_twice_set() -> list[QueueStatus]:
    """ana's passages p1..p6 copied to cai by a hand-over that stopped midway; ben holds
    them too (K = 2)."""
    return [
        status(
            ANA,
            [
                task(10, "p1"),
                task(11, "p2", answered=True),
                task(12, "p3", answered=True),
                task(13, "p4", skipped=True),
                task(14, "p5", answered=True),
                task(15, "g1", answered=True, gold=True),
            ],
        ),
        status(BEN, [task(20 + i, f"p{i}", answered=True) for i in range(1, 6)]),
        status(
            CAI,
            [
                task(30, "p1", answered=True, copy_of=(1, 10)),  # original open
                task(31, "p2", answered=True, copy_of=(1, 11)),  # both answered
                task(32, "p3", skipped=True, copy_of=(1, 12)),  # answered + skipped: K
                task(33, "p4", answered=True, copy_of=(1, 13)),  # skipped + answered: K
                task(34, "p5", answered=True, copy_of=(1, 14)),  # both answered
                task(35, "g1", answered=True, gold=True, copy_of=(1, 15)),  # gold: a check
            ],
        ),
    ]


def test_a_copy_and_its_original_both_answered_are_named_with_their_queues() -> None:
    from annotate.review.unfinished import answered_twice

    (pair,) = answered_twice(answered_twice_set())
    assert (pair.source, pair.target, pair.passages) == (ANA, CAI, ("p2", "p5"))


def run_status(monkeypatch: pytest.MonkeyPatch, found: list[QueueStatus]) -> str:
    monkeypatch.setattr("annotate.studio.client.connect", lambda: SimpleNamespace(url=URL))
    monkeypatch.setattr(handover, "queue_status", lambda client, project, salt, **_: found)
    monkeypatch.setattr("annotate.cli.review.status._lead_status", lambda client, project: None)
    monkeypatch.setattr("annotate.cli.review.status.print_exposure", lambda *a: None)
    monkeypatch.setenv("ANNOTATE_PSEUDONYM_SALT", "test-salt")
    result = CliRunner().invoke(app, ["review", "status", "--project", SET], terminal_width=400)
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


def test_review_status_shows_passages_answered_twice_and_what_that_means(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = run_status(monkeypatch, answered_twice_set())
    assert (
        "warning: 2 passage(s) answered both in ana@x.org (r-aaaaaaaaaa)'s queue and in "
        "cai@x.org (r-cccccccccc)'s ('p2', 'p5')" in out
    ), out
    assert "each has 3 answers, one more than the review set's 2" in out, out
    # what each later step does with them, and what the lead can do
    assert "export keeps all 3 in the passage's row" in out, out
    assert "manifest.json reviewers_per_passage counts it under 3" in out, out
    assert "`annotate agreement` use all of them" in out, out
    assert "`annotate adjudicate` sends it to the lead only when those 3 answers dispute" in out
    assert "Nothing to do to keep them" in out and "delete its task in Label Studio" in out


def test_a_passage_open_in_two_queues_counts_once() -> None:
    from annotate.review.unfinished import open_counts

    found = [
        status(
            ANA,
            [
                task(10, "p1"),  # open, and open as cai's copy: counts here
                task(11, "p2"),  # open, answered as cai's copy: a re-run deletes it
                task(12, "p3", answered=True),  # answered, open as cai's copy
                task(13, "g1", gold=True),  # gold open in both: counts here
                task(14, "p9"),  # not copied
            ],
        ),
        status(
            CAI,
            [
                task(30, "p1", copy_of=(1, 10)),
                task(31, "p2", answered=True, copy_of=(1, 11)),
                task(32, "p3", copy_of=(1, 12)),
                task(33, "g1", gold=True, copy_of=(1, 13)),
                task(34, "p7", copy_of=(1, 7)),  # its original is gone: finished, cai's
            ],
            drafts=frozenset({30}),
        ),
    ]
    counts = open_counts(found)
    ana, cai = counts[1], counts[3]
    assert (ana.open, ana.gold, ana.drafts, ana.held_twice) == (3, 1, 0, 1)
    assert (cai.open, cai.gold, cai.drafts, cai.held_twice) == (1, 0, 0, 3)
    # p1, g1, p9 (ana's) and p7 (cai's): each open passage once
    assert ana.open + cai.open == 4


def test_review_status_counts_a_passage_in_both_queues_once_and_keeps_the_fix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    found = [
        status(ANA, [task(10, "p1"), task(12, "p3"), task(13, "p4", answered=True)]),
        status(
            CAI,
            [
                task(30, "p1", copy_of=(1, 10)),
                task(31, "p3", copy_of=(1, 12)),
                task(32, "p4", copy_of=(1, 13)),
                task(40, "p8"),
            ],
        ),
    ]
    out = run_status(monkeypatch, found)
    assert "r-aaaaaaaaaa) [away since" in out and "3 tasks, 1 answered, 0 skipped, 2 open ->" in out
    assert (
        "cai@x.org (r-cccccccccc): 4 tasks, 0 answered, 0 skipped, 1 open, 3 held in another "
        "queue too (not counted here: a hand-over stopped midway, see below) ->" in out
    ), out
    assert "3 passage(s) (e.g. 'p1') sit in both their queues" in out, out
    assert out.endswith(
        "annotate review reassign --project 'Batch 12' --from ana@x.org --to cai@x.org"
    ), out


def run_reassign(monkeypatch: pytest.MonkeyPatch, result: Handover, *extra: str) -> tuple[int, str]:
    monkeypatch.setattr("annotate.studio.client.connect", lambda: SimpleNamespace(url=URL))
    monkeypatch.setattr(handover, "reassign", lambda *a, **kw: result)
    monkeypatch.setenv("ANNOTATE_PSEUDONYM_SALT", "test-salt")
    args = ["review", "reassign", "--project", SET, "--from", "ben@x.org", "--to", "cai@x.org"]
    done = CliRunner().invoke(app, [*args, *extra], terminal_width=400)
    return done.exit_code, " ".join(done.output.split())


def test_reassign_to_a_target_who_holds_them_all_says_why_and_what_to_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    held = Handover(
        BEN,
        CAI,
        "http://ls/projects/3/data",
        already_held=["p1", "p2"],
        free_reviewers=["dan@x.org", "eve@x.org"],
        marked_away=True,
    )
    code, out = run_reassign(monkeypatch, held)
    assert code == 0, out  # as "nothing to hand on": nothing failed
    assert "0 open task(s)" not in out and "(0 gold) moved" not in out, out
    assert (
        "nothing moved from ben@x.org (r-bbbbbbbbbb) to cai@x.org (r-cccccccccc) -> "
        "http://ls/projects/3/data: their open tasks in 'Batch 12' stay with ben@x.org" in out
    ), out
    assert (
        "2 open passage(s) left with ben@x.org (r-bbbbbbbbbb): cai@x.org (r-cccccccccc) "
        "already holds all of them (e.g. 'p1'; nobody answers a passage twice). Hand them to a "
        "reviewer who holds none of them: annotate review reassign --project 'Batch 12' "
        "--from ben@x.org --to EMAIL (holding none of them: dan@x.org, eve@x.org)" in out
    ), out

    # a rebalance keeps --not-away in the command; nobody free: add a reviewer
    held.free_reviewers = []
    held.marked_away, held.away_cleared = False, False
    code, out = run_reassign(monkeypatch, held, "--not-away")
    assert code == 0, out
    assert "--from ben@x.org --to EMAIL --not-away (every other reviewer" in out, out
    assert "add one first, annotate reviewers add EMAIL" in out, out


class Tasks:
    """A client listing each queue's tasks (all _free_reviewers asks)."""

    def __init__(self, held: dict[int, list[str]]) -> None:
        self.held = held
        self.listed: list[int] = []

    def iter_tasks(self, pid: int, include: str = "") -> list[dict[str, Any]]:
        self.listed.append(pid)
        return [{"id": i, "data": {"passage_id": p}} for i, p in enumerate(self.held[pid])]


def test_free_reviewers_hold_none_of_the_passages_and_are_not_away() -> None:
    from annotate.review.handover import _free_reviewers

    dan = queue(4, "r-dddddddddd", "dan@x.org")
    eve = queue(5, "r-eeeeeeeeee", "eve@x.org", away="2026-12-01T08:00:00+00:00")
    fay = queue(6, "r-ffffffffff", "fay@x.org")
    client = Tasks({1: ["p1"], 2: ["p1"], 3: ["p1", "p2"], 4: ["p2", "p5"], 5: [], 6: ["p7"]})
    members = {"ana@x.org", "ben@x.org", "cai@x.org", "dan@x.org", "eve@x.org", "fay@x.org"}
    members |= {"gus@x.org", "ana@annotate.local"}  # gus: no queue; a demo account
    free = _free_reviewers(
        client,  # type: ignore[arg-type]
        [ANA, BEN, CAI, dan, eve, fay],
        members,
        {"ben@x.org", "cai@x.org"},
        ["p1", "p2"],
    )
    # gus holds nothing (no queue: first, no listing), fay holds p7 only; ana is away
    # (queue ANA), dan holds p2, the demo account is left out as a push leaves it out
    assert free == ["gus@x.org", "fay@x.org"], free
    assert 1 not in client.listed and 5 not in client.listed  # away queues are not read


def test_reassign_that_keeps_only_gold_or_drafts_says_nothing_moved_and_why(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """It said "0 open task(s) (0 gold) moved" before the lines saying why."""
    kept = Handover(BEN, CAI, None, gold_kept=["g1"], with_draft=["p3"], marked_away=True)
    code, out = run_reassign(monkeypatch, kept)
    assert code == 0, out
    assert "(0 gold) moved" not in out, out
    assert (
        "nothing moved from ben@x.org (r-bbbbbbbbbb) to cai@x.org (r-cccccccccc) (no queue "
        "made): their open tasks in 'Batch 12' stay with ben@x.org (r-bbbbbbbbbb) (why below)"
        in out
    ), out
    assert "1 left with ben@x.org (r-bbbbbbbbbb): they hold a draft" in out, out
    assert "1 open gold task(s) left with ben@x.org (r-bbbbbbbbbb)" in out, out
