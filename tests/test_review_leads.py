"""A lead's account (`annotate reviewers add EMAIL --lead`) gets no queue from a review push
without --reviewer (passL54 finding 4: the README's "Several reviewers" example gave the
lead a queue, so her adjudications were later flagged as by one of the passage's own
reviewers)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from annotate.errors import InputError
from annotate.review.assignment import pick_reviewers
from annotate.review.fanout import push_review
from annotate.review.leads import leads_of, mark_lead
from annotate.review.reviewers import ReviewerLogin
from tests.test_cli import run
from tests.test_review_fanout import PRELABELS, ReviewStudio

ACCOUNTS = ["ana@x.org", "ben@x.org", "cai@x.org", "lea@x.org"]


def test_a_lead_is_left_out_unless_named() -> None:
    assert pick_reviewers(ACCOUNTS, None, 2, "http://ls", leads={"lea@x.org"}) == (
        ["ana@x.org", "ben@x.org", "cai@x.org"],
        [],
    )
    named = pick_reviewers(
        ACCOUNTS, ["lea@x.org", "ana@x.org"], 2, "http://ls", leads={"lea@x.org"}
    )
    assert named == (["lea@x.org", "ana@x.org"], [])
    with pytest.raises(InputError) as err:
        pick_reviewers(ACCOUNTS, None, 4, "http://ls", leads={"lea@x.org"})
    assert "1 lead(s) (lea@x.org), left out" in str(err.value)
    assert "A lead named with --reviewer gets a queue too" in str(err.value)


def test_a_push_without_reviewer_gives_a_lead_no_queue() -> None:
    client = ReviewStudio(("ana@x.org", "ben@x.org", "lea@x.org"))
    assert mark_lead(client, " Lea@x.org ", True) is True
    assert mark_lead(client, "lea@x.org", True) is False  # already
    assert leads_of(client) == {"lea@x.org"}
    result = push_review(PRELABELS, "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    assert sorted(s.email for s in result.reviewers) == ["ana@x.org", "ben@x.org"]
    assert result.leads_left_out == ["lea@x.org"]
    assert len(client.projects) == 2  # two queues, none for the lead
    # named, she gets a queue (and no "left out")
    named = push_review(
        PRELABELS, "Other", 2, client=client, salt="s", reviewers=["lea@x.org", "ana@x.org"]
    )  # type: ignore[arg-type]
    assert sorted(s.email for s in named.reviewers) == ["ana@x.org", "lea@x.org"]
    assert named.leads_left_out == []
    # unmarked, a push takes her again
    assert mark_lead(client, "lea@x.org", False) is True and leads_of(client) == set()


def test_the_lead_mark_is_per_server() -> None:
    here, there = ReviewStudio(), ReviewStudio()
    there.url = "http://elsewhere"
    mark_lead(here, "lea@x.org", True)
    assert leads_of(here) == {"lea@x.org"} and leads_of(there) == set()


@pytest.mark.parametrize("created", [True, False])
def test_reviewers_add_lead_marks_the_account_and_list_shows_it(
    created: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    import annotate.review.reviewers
    import annotate.studio.client

    client = SimpleNamespace(url="https://ls.example.org")
    login = ReviewerLogin("https://ls.example.org", "lea@x.org", 5, "pw-1", created)
    monkeypatch.setattr(annotate.studio.client, "connect", lambda *a, **k: client)
    monkeypatch.setattr(annotate.review.reviewers, "add_reviewer", lambda *a, **k: login)
    ran = run("reviewers", "add", "lea@x.org", "--lead")
    assert ran.returncode == 0, ran.stderr
    assert "lea@x.org is now a lead: review pushes from this machine without --reviewer" in (
        ran.stdout + ran.stderr
    )
    assert leads_of(client) == {"lea@x.org"}
    again = run("reviewers", "add", "lea@x.org", "--not-lead")
    assert "lea@x.org is no longer a lead" in again.stdout + again.stderr
    assert leads_of(client) == set()
    plain = run("reviewers", "add", "lea@x.org")  # neither: the mark is left as it is
    assert "lead" not in plain.stdout + plain.stderr and leads_of(client) == set()
