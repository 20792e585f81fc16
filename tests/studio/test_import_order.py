"""import_retrying after a lost answer whose request made only some of the batch's tasks:
the read-back finds those, the rest is sent again, and the ids come back in the order of
the batch, by passage (a hand-over pairs each copy with its source task by them). An
answer that names no ids for the rest (only a count) is read back by passage; before,
the found tasks' ids came first, then the answer's, and a hand-over paired them with
the wrong source tasks (or stopped on a traceback). The hand-over against the real
Label Studio: tests/integration/test_handover_mixed_loss.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from annotate.errors import StudioUnavailableError
from annotate.studio.client import ImportAnswer
from annotate.studio.push import import_retrying


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("annotate.studio.retry.time.sleep", lambda s: None)


class _Partial:
    """A project whose first import makes the tasks of ``first`` only, then loses its
    answer; the next import makes the rest and names their ids unless ``no_ids``."""

    def __init__(self, first: set[str], *, no_ids: bool) -> None:
        self.first, self.no_ids = first, no_ids
        self.tasks: list[tuple[int, str]] = []  # (id, passage), in creation order
        self.imports = 0

    def _make(self, batch: list[Any]) -> list[int]:
        made = []
        for task in batch:
            tid = 10 + len(self.tasks)
            self.tasks.append((tid, task["data"]["passage_id"]))
            made.append(tid)
        return made

    def import_tasks(self, project_id: int, batch: list[Any]) -> ImportAnswer:
        self.imports += 1
        if self.imports == 1:
            self._make([t for t in batch if t["data"]["passage_id"] in self.first])
            raise StudioUnavailableError("no answer.", fix="wait.", still_working=False)
        ids = self._make(batch)
        return ImportAnswer([] if self.no_ids else ids, len(ids), len(ids))

    def iter_task_versions(self, project_id: int, after: int | None = None) -> Iterator[Any]:
        for tid, pid in self.tasks:
            if after is None or tid > after:
                yield (tid, pid, frozenset({"m"}), None, False)


BATCH = [(p, {"data": {"passage_id": p}}) for p in ("a", "b", "c", "d")]


@pytest.mark.parametrize("no_ids", [True, False], ids=["answer-without-ids", "answer-with-ids"])
def test_ids_come_in_batch_order_when_a_lost_request_made_some_of_the_tasks(
    no_ids: bool,
) -> None:
    studio = _Partial({"b", "d"}, no_ids=no_ids)  # b, d made first: tasks 10, 11
    answer = import_retrying(studio, 1, BATCH, "batch")  # type: ignore[arg-type]
    assert studio.imports == 2
    made = {pid: tid for tid, pid in studio.tasks}
    assert made == {"b": 10, "d": 11, "a": 12, "c": 13}
    assert answer.task_ids == [made[p] for p, _ in BATCH]  # a, b, c, d
    assert answer.by_passage == made
    assert (answer.task_count, answer.prediction_count) == (4, 4)


def test_an_answer_without_a_loss_pairs_its_ids_by_passage() -> None:
    studio = _Partial(set(), no_ids=False)
    studio.imports = 1  # no loss: the first import answers
    answer = import_retrying(studio, 1, BATCH, "batch")  # type: ignore[arg-type]
    assert answer.by_passage == {"a": 10, "b": 11, "c": 12, "d": 13}
