"""`annotate adjudicate` refused while reviewer queues held open tasks, saying only how
many: a lead could not tell whose, nor that a queue held nothing but gold left with a
reviewer who had gone (a new user's round: the lead's own three gold tasks blocked it).
The refusal now counts the open tasks per queue (pseudonym), marks a queue of gold only,
and says how such gold is removed."""

from __future__ import annotations

import pytest

from annotate.errors import InputError
from annotate.review.adjudication import _check_round_over

OPEN = [
    ("p1", False, "r-aaaaaaaaaa"),
    ("p2", False, "r-aaaaaaaaaa"),
    ("g1", True, "r-aaaaaaaaaa"),
    ("g1", True, "r-bbbbbbbbbb"),
    ("g2", True, "r-bbbbbbbbbb"),
]


def test_the_refusal_names_each_queue_and_a_queue_of_gold_only() -> None:
    todo = [{"data": {"passage_id": "p1"}}]
    with pytest.raises(InputError) as info:
        _check_round_over("Batch 12", OPEN, todo, mid_round=False)
    said = str(info.value)
    assert "5 task(s) in the reviewer queues of 'Batch 12' are still open (1 of them on " in said
    assert "by queue: r-aaaaaaaaaa 3, r-bbbbbbbbbb 2 (gold only))" in said, said
    assert "annotate review reassign --from THEM --to EMAIL" in said, said
    _check_round_over("Batch 12", OPEN, todo, mid_round=True)  # --mid-round: no refusal
