"""A reviewer marked away by a hand-over (`review reassign`): left out of a push that names
no --reviewer, named ones included; the away line survives rewrites of the description."""

from __future__ import annotations

import pytest

from annotate.errors import InputError
from annotate.review.assignment import pick_reviewers
from annotate.review.queues import away_of, description, k_of

ACCOUNTS = ["ana@x.org", "ben@x.org", "cai@x.org"]


def test_an_away_reviewer_is_left_out_unless_named() -> None:
    assert pick_reviewers(ACCOUNTS, None, 2, "http://ls", {"ana@x.org"}) == (
        ["ben@x.org", "cai@x.org"],
        [],
    )
    named = pick_reviewers(ACCOUNTS, ["ana@x.org", "ben@x.org"], 2, "http://ls", {"ana@x.org"})
    assert named == (["ana@x.org", "ben@x.org"], [])


def test_too_few_reviewers_once_away_ones_are_left_out_says_so() -> None:
    with pytest.raises(InputError) as err:
        pick_reviewers(ACCOUNTS, None, 3, "http://ls", {"ana@x.org"})
    assert "1 away in this review set (ana@x.org), left out" in str(err.value)
    assert "named with --reviewer is back" in str(err.value)


def test_the_away_line_and_k_are_read_back_from_the_description() -> None:
    text = description("Batch 12", "r-0123456789", 2, "2026-12-02T01:00:00+00:00")
    project = {"description": text}
    assert away_of(project) == "2026-12-02T01:00:00+00:00" and k_of(project) == 2
    assert away_of({"description": description("Batch 12", "r-0123456789", 2)}) is None
