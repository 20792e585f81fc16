"""A review push warns when it fills a reviewer's queue past the 100,000 tasks a plain
push cuts its numbered projects at (the most Label Studio advises for one project):
a review set is never split, so every batch pushed into it grows each queue (newuser60
F5: a team of ~1M passages a month, K=2 over 5 reviewers, adds ~400,000 tasks a month to
every queue, and nothing said so)."""

from __future__ import annotations

from annotate.cli.review.push_review import oversized_queues_warning
from annotate.defaults import DEFAULT_MAX_TASKS_PER_PROJECT
from annotate.review.fanout import ReviewerShare


def _share(email: str, before: int, created: int) -> ReviewerShare:
    share = ReviewerShare(email, f"r-{email[:3]}", 1, "u", queued_before=before)
    share.created = created
    return share


def test_a_queue_past_the_advised_size_is_warned_of_with_the_fix() -> None:
    cap = DEFAULT_MAX_TASKS_PER_PROJECT
    said = oversized_queues_warning(
        [_share("ana@x", cap - 10, 40), _share("ben@x", 10, 40)], "Weekly"
    )
    assert said is not None and said.startswith("warning: 1 reviewer queue of 'Weekly' now holds")
    assert f"ana@x (r-ana): {cap + 30:,}" in said and "ben@x" not in said
    assert "never split" in said and "--project 'Weekly 2'" in said


def test_no_warning_below_the_size_or_for_a_queue_this_push_left_alone() -> None:
    cap = DEFAULT_MAX_TASKS_PER_PROJECT
    assert oversized_queues_warning([_share("ana@x", cap - 40, 40)], "W") is None
    # a queue past it before, to which this push added nothing: said by the push that did
    assert oversized_queues_warning([_share("ana@x", cap + 5, 0)], "W") is None
    said = oversized_queues_warning([_share("a@x", 3, 2), _share("b@x", 4, 2)], "W", limit=4)
    assert said is not None and said.startswith("warning: 2 reviewer queues of 'W' now hold ")
