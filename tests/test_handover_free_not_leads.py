"""`annotate review reassign` whose target already holds some passages names reviewers
who hold none of them; it named the lead too ("holding none of them: dan@..., lea@...,
ana@..." in the stop 59 lead's round), an account `reviewers add --lead` marked to get no
queue and to adjudicate: a lead who answers a passage blind would then judge her own
answer. Accounts marked lead are left out of that list, as a push leaves them out."""

from __future__ import annotations

from typing import Any

from annotate.review import handover
from tests.test_handover_leftovers import queue


class _Tasks:
    def iter_tasks(self, project_id: int, **params: Any) -> list[dict[str, Any]]:
        return [{"id": 1, "data": {"passage_id": "p9"}}]  # no queue holds p1


def test_a_lead_is_not_offered_as_a_reviewer_to_hand_to() -> None:
    queues = [queue(1, "r-ben", "ben@x.org"), queue(2, "r-ana", "ana@x.org")]
    members = {"ana@x.org", "ben@x.org", "cai@x.org", "dan@x.org", "lea@x.org"}
    free = handover._free_reviewers(
        _Tasks(),  # type: ignore[arg-type]
        queues,
        members,
        {"ben@x.org", "cai@x.org"},
        ["p1"],
        leads=frozenset({"lea@x.org"}),
    )
    assert free == ["dan@x.org", "ana@x.org"], free
