"""A review push of 1,500 passages printed "1004 added", "1004 already there", and `review
status` "1500 of 1500 passage(s) have fewer than 2 answer(s)", beside "1,004 tasks" and
"1,500 passages" on the lines around them: every count of these lines now has its
thousands separator, as the others."""

from __future__ import annotations

from annotate.cli.review.push_review import share_line
from annotate.cli.review.status import short_of_k_line
from annotate.review.fanout import ReviewerShare
from annotate.review.handover import ShortOfK


def test_a_review_push_line_separates_thousands() -> None:
    share = ReviewerShare(
        email="ana@example.org",
        alias="r-6a7a062f9f",
        project_id=20,
        project_url="http://127.0.0.1:8080/projects/20/data",
        created=1004,
        gold=4,
    )
    assert "1,004 added (4 gold), 0 already there ->" in share_line(share)
    again = ReviewerShare(
        email="ana@example.org",
        alias="r-6a7a062f9f",
        project_id=20,
        project_url="http://127.0.0.1:8080/projects/20/data",
        already=1004,
        already_gold=4,
        queued_before=1004,
    )
    assert "0 added (0 gold), 1,004 already there (4 gold) ->" in share_line(again)


def test_review_status_short_of_k_separates_thousands() -> None:
    line = short_of_k_line(ShortOfK(k=2, passages=1500, short=1500))
    assert line.startswith("1,500 of 1,500 passage(s) have fewer than 2 answer(s)"), line


def test_review_status_queue_line_separates_thousands() -> None:
    """A hand-over of 2,000 tasks stopped midway: the queue line said "2,000 tasks, ...,
    2000 held in another queue too" and the summary "2000 open task(s) ... moved"."""
    from annotate.cli.review.status import _queue_line
    from annotate.review.status_summary import QueueRow

    row = QueueRow(
        name="eve@example.org (r-25475d253e)",
        alias="r-25475d253e",
        email="eve@example.org",
        member=True,
        away=None,
        url="http://127.0.0.1:8080/projects/12/data",
        project_id=12,
        tasks=2000,
        answered=0,
        skipped=0,
        open=1500,
        gold=1200,
        drafts=1100,
        held_twice=2000,
        oldest_open=None,
    )
    line = _queue_line(row)
    assert "2,000 tasks, 0 answered, 0 skipped, 1,500 open (1,200 gold, 1,100 with a draft)" in (
        line
    )
    assert ", 2,000 held in another queue too" in line


def test_review_status_with_none_short_prints_no_empty_brackets() -> None:
    """newuser57 F7: every passage answered read "0 of 17 ... fewer than 2 answer(s) ()"."""
    line = short_of_k_line(ShortOfK(k=2, passages=17, short=0))
    assert line == "0 of 17 passage(s) have fewer than 2 answer(s)", line
