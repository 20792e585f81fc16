"""A push that names no --reviewer into a review set that has queues gives passages to
every reviewer account, a lead's account made with `annotate reviewers add` too (a new
user's run: the lead got a queue in the blind set beside the three reviewers and nothing
said so). The push now names each reviewer it gave a first queue in an existing set.
Against the session's real Label Studio and its accounts."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.review.queue_tasks import reviewer_projects
from annotate.studio.client import StudioClient

from .helpers import PRELABELS
from .review_team import add_team, run
from .test_reviewer_away import a_passage_for, holders_of, one_passage

pytestmark = pytest.mark.integration


def test_a_push_without_reviewer_names_who_joins_the_review_set(
    client: StudioClient, name: str, tmp_path: Path
) -> None:
    ana, ben, lea = add_team(("ana", "ben", "lea"), "join-team.test")
    push = ["push", "--project", name, "-k", "2"]
    first = run(*push, str(PRELABELS), "--reviewer", ana, "--reviewer", ben)
    assert "joined" not in first, first  # a new set: every queue is new, none joins
    # a new passage that goes to the lead's account: no --reviewer, so she takes part
    pid = a_passage_for(client, lea, holders_of(client, name))
    out = run(*push, str(one_passage(tmp_path, pid)))
    assert lea in reviewer_projects(client, name)
    joined = [line for line in out.splitlines() if " joined " in line]
    assert len(joined) == 1 and f"{lea}" in joined[0], out
    assert f"joined {name!r} in this push" in joined[0] and "--reviewer" in joined[0], out
    for email in set(reviewer_projects(client, name)) - {ana, ben}:
        assert email in joined[0], out  # everyone who got a first queue is named
    # named with --reviewer, a newcomer is meant: no warning
    pid2 = f"{pid}-b"  # K = 2 of the two named: both get it
    again = run(*push, str(one_passage(tmp_path, pid2)), "--reviewer", ana, "--reviewer", lea)
    assert "joined" not in again, again


def test_a_lead_marked_with_reviewers_add_lead_gets_no_queue(
    client: StudioClient, name: str, tmp_path: Path
) -> None:
    """passL54 finding 4: the README's example (the lead's account added, then a push
    without --reviewer) gave the lead a queue. `reviewers add EMAIL --lead` on her
    account (made already) keeps her out of such a push, which says so."""
    ana, ben, lea = add_team(("ana", "ben", "lea"), "lead-team.test")
    marked = run("reviewers", "add", lea, "--lead")
    assert f"{lea} already has an account" in marked and f"{lea} is now a lead" in marked
    listed = [line for line in run("reviewers", "list").splitlines() if line.startswith(lea)]
    assert listed and listed[0].endswith("\tlead (no queue from a push without --reviewer)")
    push = ["push", "--project", name, "-k", "2"]
    run(*push, str(PRELABELS), "--reviewer", ana, "--reviewer", ben)
    # a passage that the lead would get, were she a reviewer
    pid = a_passage_for(client, lea, holders_of(client, name))
    out = run(*push, str(one_passage(tmp_path, pid)))
    assert lea not in reviewer_projects(client, name), out
    assert "left out: marked lead on this machine" in out and lea in out, out
    # named with --reviewer, she gets passages
    run(*push, str(one_passage(tmp_path, f"{pid}-b")), "--reviewer", ana, "--reviewer", lea)
    assert lea in reviewer_projects(client, name)
