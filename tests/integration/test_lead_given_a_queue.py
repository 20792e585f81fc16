"""stop 59 lead, #5, against a real Label Studio: a lead (`reviewers add --lead`) named
with `push --reviewer` or handed a leaver's tasks with `review reassign --to` got a blind
queue without a word, then adjudicated passages she had answered. Both still give her the
queue (she was named), and both warn, naming the hand-over that undoes it."""

from __future__ import annotations

import pytest

from .review_team import add_team, push_set, run

pytestmark = pytest.mark.integration


def test_a_lead_given_a_queue_is_warned_of(name: str) -> None:
    ana, ben, lea = add_team(("ana", "ben", "lea"), "lead-queue.test")
    run("reviewers", "add", lea, "--lead")
    said = f"warning: {lea} is marked lead"
    out = push_set(name, (ana, lea))
    assert said in out and f"--from {lea} --to EMAIL" in out, out
    other = f"{name} b"
    out = push_set(other, (ana, ben), "--new-set")  # a name close to the first set's
    assert said not in out, out
    out = run("review", "reassign", "--project", other, "--from", ben, "--to", lea)
    assert "moved from" in out and said in out, out
    assert f"now has a queue in '{other}'" in out, out
