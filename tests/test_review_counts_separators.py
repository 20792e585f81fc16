"""A review push of 1,500 passages printed "1004 added", "1004 already there", and `review
status` "1500 of 1500 passage(s) have fewer than 2 answer(s)", beside "1,004 tasks" and
"1,500 passages" on the lines around them: every count of these lines now has its
thousands separator, as the others."""

from __future__ import annotations

from annotate.cli.review import share_line, short_of_k_line
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
