"""`annotate export --gold-min-accuracy` over a round where a reviewer left and
`review reassign` handed their open gold tasks on warned "r-5534fa38d5 answered no gold
passage ... their queues' gold tasks may be unanswered yet, or their queues have none
(`annotate push ... --gold GOLD --gold-rate R` gives each queue gold tasks)" (stop 59
lead): the pseudonym alone, where the flagged reviewers beside it are named with their
e-mail, and a push suggested for a queue whose gold was handed on. The note now names
each reviewer as `review status` pairs them and says that gold handed on counts too."""

from __future__ import annotations

from annotate.review.gold import unmeasured_gold_note

GOLD = {"reviewers": {"r-aaa": {"exact": 1.0}}, "reviewers_without_gold": ["r-bbb"]}


def test_the_reviewer_without_gold_is_named_with_their_email() -> None:
    said = unmeasured_gold_note(0.8, GOLD, {"r-bbb": "ben@example.org"})
    assert "checked 1 of 2 reviewers: r-bbb (ben@example.org) answered no gold passage" in said
    assert "handed to another reviewer with their open tasks (`annotate review reassign`" in said


def test_without_emails_the_pseudonym_alone() -> None:
    said = unmeasured_gold_note(0.8, GOLD)
    assert "checked 1 of 2 reviewers: r-bbb answered no gold passage" in said, said
