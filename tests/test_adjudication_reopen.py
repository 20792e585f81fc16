"""A task taken out of the lead's queue (its passage no longer disputed) and disputed again
is put back: overlap 1, labeled only if it holds an answer. An answer a lead saves while
adjudicate puts it back (the change writes the task as read before the answer) leaves it
marked unanswered to Label Studio, which would serve it to a second lead; adjudicate
reads the task again and marks it answered."""

from __future__ import annotations

from typing import Any

from annotate.review.adjudication import MOOT_FIELD, adjudicate
from tests.conftest import project_taxonomy
from tests.test_adjudication_hiding import CALM, HeldStudio, answer, tasks


class Racing(HeldStudio):
    """A lead answers the held task while the first overlap change is on its way."""

    def __init__(self, tasks: list[dict[str, Any]]) -> None:
        super().__init__(tasks)
        self.calls: list[tuple[int, int, bool]] = []
        self.race = False

    def set_task_overlap(self, task_id: int, overlap: int, *, labeled: bool) -> None:
        self.calls.append((task_id, overlap, labeled))
        super().set_task_overlap(task_id, overlap, labeled=labeled)
        if self.race:
            self.race = False
            self.held[0]["total_annotations"] = 1  # saved meanwhile; the change wrote
            self.held[0]["is_labeled"] = False  # is_labeled as read before it


def test_a_task_disputed_again_is_put_back_and_an_answer_saved_meanwhile_counts() -> None:
    tax = project_taxonomy()
    _, calm = tasks()
    studio = Racing([calm])
    adjudicate(studio, "p", tax, salt="s")  # type: ignore[arg-type]
    disputing = calm["annotations"][1]
    calm["annotations"][1] = answer(305, 2, ["none"], "none", CALM)  # they agree
    moot = adjudicate(studio, "p", tax, salt="s")  # type: ignore[arg-type]
    assert moot.retired == ["doc-e-p1"] and studio.held[0]["overlap"] == 0
    assert studio.held[0]["data"][MOOT_FIELD].startswith("yes")

    calm["annotations"][1] = disputing  # disputed again
    studio.race, studio.calls = True, []
    back = adjudicate(studio, "p", tax, salt="s")  # type: ignore[arg-type]
    assert back.reopened == ["doc-e-p1"] and back.added == 0
    task_id = studio.held[0]["id"]
    assert studio.calls == [(task_id, 1, False), (task_id, 1, True)]
    assert (studio.held[0]["overlap"], studio.held[0]["is_labeled"]) == (1, True)
    assert MOOT_FIELD not in studio.held[0]["data"]
