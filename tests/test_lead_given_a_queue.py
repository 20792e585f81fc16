"""A lead given a blind queue without a word (stop 59 lead, #5): `annotate push -k 2
--reviewer ana --reviewer lea` and `annotate review reassign --from ben --to lea` (lea
marked lead by `annotate reviewers add --lead`) gave her a queue silently; she then
adjudicates passages she answered. Still allowed (both name her), but both warn, with the
commands to undo it. No server: the fake Label Studio of the fan-out tests, and a
hand-over result built here (the real one: tests/integration/test_reassign_lead_mistakes.py)."""

from __future__ import annotations

import pytest

from annotate.cli.review.push_review import lead_queue_warning
from annotate.review.fanout import push_review
from annotate.review.handover import Handover
from annotate.review.leads import mark_lead
from tests.test_handover_leftovers import BEN, CAI, SET, run_reassign
from tests.test_review_fanout import PRELABELS, ReviewStudio


def test_a_push_naming_a_lead_records_her() -> None:
    client = ReviewStudio(("ana@x.org", "ben@x.org", "lea@x.org"))
    mark_lead(client, "lea@x.org", True)
    named = push_review(
        PRELABELS, "Batch", 2, client=client, salt="s", reviewers=["ana@x.org", "lea@x.org"]
    )  # type: ignore[arg-type]
    assert named.leads_named == ["lea@x.org"]
    plain = push_review(
        PRELABELS, "Other", 2, client=client, salt="s", reviewers=["ana@x.org", "ben@x.org"]
    )  # type: ignore[arg-type]
    assert plain.leads_named == []


def test_the_warning_names_her_what_it_means_and_the_fixes() -> None:
    said = lead_queue_warning(["lea@x.org"], "Batch 60")
    assert said.startswith("warning: lea@x.org is marked lead"), said
    assert "now has a queue in 'Batch 60'" in said
    assert "adjudicate passages they answered themselves" in said
    assert "annotate review reassign --project 'Batch 60' --from lea@x.org --to EMAIL" in said
    assert "annotate reviewers add lea@x.org --not-lead" in said


def test_a_hand_over_to_a_lead_warns(monkeypatch: pytest.MonkeyPatch) -> None:
    moved = Handover(BEN, CAI, "http://ls/projects/3/data", moved=["p1"], target_is_lead=True)
    code, out = run_reassign(monkeypatch, moved)
    assert code == 0, out
    assert lead_queue_warning([str(CAI.email)], SET) in out, out
    moved.target_is_lead = False  # a reviewer: no warning
    code, out = run_reassign(monkeypatch, moved)
    assert code == 0 and "marked lead" not in out, out


def test_a_lead_marked_away_and_named_again_is_warned_of() -> None:
    """reader60 #4: the warning's remedy (`review reassign --from lea`) marks her away; a
    later push naming `--reviewer lea` again (from the shell history) gave her queue back
    without the warning."""
    from annotate.review.queues import find_queues, set_away

    client = ReviewStudio(("ana@x.org", "ben@x.org", "lea@x.org"))
    mark_lead(client, "lea@x.org", True)
    named = ["ana@x.org", "lea@x.org"]
    push_review(PRELABELS, "Batch", 2, client=client, salt="s", reviewers=named)  # type: ignore[arg-type]
    lea = next(q for q in find_queues(client, "Batch", "s") if q.email == "lea@x.org")  # type: ignore[arg-type]
    set_away(client, lea, "Batch", "2026-12-07T15:00:00+00:00")  # type: ignore[arg-type]
    again = push_review(PRELABELS, "Batch", 2, client=client, salt="s", reviewers=named)  # type: ignore[arg-type]
    assert again.back == ["lea@x.org"] and again.leads_named == ["lea@x.org"]
