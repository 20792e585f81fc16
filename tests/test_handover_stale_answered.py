"""A hand-over's clean-up on a Label Studio whose stored answer counters lost their
signals (:mod:`annotate.studio.answer_guard`): a task answered there still counts 0
answers, so it looks open; the guarded deletion keeps it (its filter reads the answers
themselves), and the hand-over said its reviewer held a draft on it, when they had
answered it (reader57b #7). No server: a fake queue whose counters miss an answer."""

from __future__ import annotations

from typing import Any

from annotate.review.gold import GOLD_META_KEY
from annotate.review.handover import drop_idle_gold
from annotate.review.queues import Queue, description

GOLD = {GOLD_META_KEY: {"categories": ["none"], "severity": "none"}}


class StaleQueue:
    """Queue 7's gold tasks: 1 answered (annotation 41) though its counters say none, 2
    drafted after the listing (the deletion keeps it), 3 untouched."""

    def __init__(self) -> None:
        self.answers = {1: "41"}
        self.drafts: set[int] = set()
        self.tasks = {
            tid: {
                "id": tid,
                "data": {"passage_id": f"g{tid}"},
                "meta": dict(GOLD),
                "total_annotations": 0,
                "cancelled_annotations": 0,
            }
            for tid in (1, 2, 3)
        }

    def iter_tasks(self, project_id: int, include: str = "", **params: Any) -> list[dict]:
        if "query" in params:  # the draft filter: none at the listing
            return [{"id": t} for t in sorted(self.drafts)]
        return [dict(t) for t in self.tasks.values()]

    def iter_tasks_by_id(
        self, project_id: int, ids: list[int], include: str = "", fields: str = ""
    ) -> list[dict]:
        return [
            {**self.tasks[t], "annotations_ids": self.answers.get(t, "")}
            for t in ids
            if t in self.tasks
        ]

    def delete_tasks(
        self, ids: list[int], *, project_id: int | None = None, filters: Any = None
    ) -> None:
        self.drafts.add(2)  # started while the request travelled
        for tid in ids:  # the server's filter: no answer id, no draft
            if tid not in self.answers and tid not in self.drafts:
                del self.tasks[tid]


def test_a_task_answered_on_a_server_counting_nothing_is_answered_not_drafted() -> None:
    src = Queue("r-aaaaaaaaaa", None, 7, {"id": 7, "description": description("S", "r-a", 2)})
    out = drop_idle_gold(StaleQueue(), src)  # type: ignore[arg-type]
    assert out.removed == ["g3"]
    assert out.answered_meanwhile == ["g1"]
    assert out.with_draft == ["g2"]
