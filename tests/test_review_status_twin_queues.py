"""`review status` with a reviewer who has two queues in the set (two pushes or hand-overs
at once made them): it listed both lines without a word, and the next export or push
refused the set; it now says so, with the fix, where the lead looks first."""

from __future__ import annotations

import pytest

from tests.test_handover_leftovers import BEN, queue, run_status, status, task

TWIN = queue(7, "r-bbbbbbbbbb", "ben@x.org")


def test_two_queues_of_one_reviewer_are_a_warning_with_the_fix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    found = [
        status(BEN, [task(20, "p1", answered=True), task(21, "p2")]),
        status(TWIN, []),
    ]
    out = run_status(monkeypatch, found)
    assert (
        "warning: r-bbbbbbbbbb has 2 queues in 'Batch 12' (project ids 2 (2 tasks, 1 "
        "answered), 7 (0 tasks, 0 answered))" in out
    ), out
    assert "delete the queue that holds no answers" in out, out


def test_one_queue_each_is_no_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    out = run_status(monkeypatch, [status(BEN, [task(20, "p1")])])
    assert "queues in 'Batch 12'" not in out, out
