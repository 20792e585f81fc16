"""What a push deletes of a passage a queue or project holds more than once (late copies
an earlier run's lost request made after it ended): only untouched extra copies, never
the oldest task, an answered, skipped or drafted one or a task without a passage id; a
gold task only as a copy of a gold task of its passage (gold copies were never deleted,
so a reviewer answered the same gold passage twice). The push against the real Label
Studio: test_late_copies_next_push.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from annotate.review.late_copies import drop_repeated

GOLD = {"annotate_gold": {"categories": ["none"], "severity": "none"}}


class _Project:
    def __init__(self, tasks: list[dict[str, Any]], drafted: set[int]) -> None:
        self.tasks, self.drafted = tasks, drafted
        self.deleted: list[int] = []

    def iter_tasks(self, project_id: int, include: str = "", **params: Any) -> Iterator[dict]:
        if "query" in params:  # the Data Manager's draft filter
            yield from ({"id": t} for t in sorted(self.drafted))
            return
        yield from self.tasks

    def delete_tasks(self, ids: list[int], *, project_id: int | None = None) -> None:
        self.deleted += ids


def task(tid: int, pid: str | None, **more: Any) -> dict[str, Any]:
    return {"id": tid, "data": {} if pid is None else {"passage_id": pid}, **more}


def test_only_untouched_extra_copies_of_repeated_passages_go() -> None:
    project = _Project(
        [
            task(1, "a"),
            task(2, "a"),  # untouched late copy: goes
            task(3, "a", total_annotations=1),  # answered
            task(4, "a", cancelled_annotations=1),  # skipped
            task(5, "a"),  # drafted
            task(6, "g", meta=GOLD),
            task(7, "g", meta=GOLD),  # an untouched copy of a gold task: goes
            task(8, None),
            task(9, None),  # made by hand: no passage id
            task(10, "b"),
            task(11, "b"),  # not among the passages the listing found repeated
            task(12, "h", meta=GOLD),
            task(13, "h", meta=GOLD, total_annotations=1),  # answered gold copy
            task(14, "m"),
            task(15, "m", meta=GOLD),  # gold beside a regular task: no copy of it
        ],
        drafted={5},
    )
    gone = drop_repeated(project, 1, {"a", "g", "h", "m"})  # type: ignore[arg-type]
    assert gone == {2, 7} and project.deleted == [2, 7]


def test_nothing_repeated_asks_nothing() -> None:
    project = _Project([task(1, "a")], drafted=set())
    assert drop_repeated(project, 1, set()) == set()  # type: ignore[arg-type]
