"""The lead's answer in ``NAME · adjudication`` starts blank: Label Studio 1.23.2 pre-fills
a new answer with the task's newest prediction, which was the answer of the reviewer
whose pseudonym sorts last (stop 46 ui pass: the lead's draft held one reviewer's answer,
one click from being the decision). Every task's newest prediction is the empty
:data:`BLANK_START` (with the "show" tick of a passage not hidden), on the first run and
after a re-run adds an answer given since; tests/integration/test_browser_layout.py
checks the pre-fill in a browser."""

from __future__ import annotations

from typing import Any

from annotate.review.adjudication import BLANK_START, adjudicate
from annotate.review.view import REVEAL
from tests.conftest import project_taxonomy
from tests.test_adjudication_hiding import CALM, HeldStudio, answer, tasks


class PredictionStudio(HeldStudio):
    """HeldStudio whose predictions are made and deleted one by one, ids increasing."""

    def __init__(self, tasks: list[dict[str, Any]]) -> None:
        super().__init__(tasks)
        self.next_id = 1000

    def create_prediction(self, task_id: int, model_version: str, result: list[Any]) -> None:
        self.next_id += 1
        pred = {"id": self.next_id, "task": task_id, "model_version": model_version}
        self.preds.append({**pred, "result": result})

    def delete_prediction(self, prediction_id: int) -> None:
        self.preds = [p for p in self.preds if p["id"] != prediction_id]

    def update_prediction(self, prediction_id: int, result: list[Any]) -> None:
        next(p for p in self.preds if p["id"] == prediction_id)["result"] = result

    def newest(self) -> dict[str, Any]:
        return max(self.preds, key=lambda p: int(p["id"]))


def test_the_newest_prediction_is_the_blank_start_on_every_run() -> None:
    tax = project_taxonomy()
    _, calm = tasks()  # two reviewers disagree; nothing graphic: the passage shows at once
    studio = PredictionStudio([calm])
    adjudicate(studio, "p", tax, salt="s")  # type: ignore[arg-type]
    (sent,) = studio.imported
    versions = [p["model_version"] for p in sent["predictions"]]
    assert versions[-1] == BLANK_START and len(versions) == 3  # made last of the task's
    blank = studio.newest()
    assert blank["model_version"] == BLANK_START
    assert [r["from_name"] for r in blank["result"]] == [REVEAL]  # nothing chosen, shown

    # a third reviewer answers since: their prediction is added, the blank start after it
    calm["annotations"].append(answer(306, 3, ["counter_speech"], "low", CALM))
    studio.held[0]["total_annotations"] = 0
    adjudicate(studio, "p", tax, salt="s")  # type: ignore[arg-type]
    assert studio.newest()["model_version"] == BLANK_START
    assert sorted(p["model_version"] for p in studio.preds).count(BLANK_START) == 1
    assert len(studio.preds) == 4


def test_a_task_an_earlier_annotate_made_gets_the_blank_start_last() -> None:
    """Tasks made before the blank start hold the reviewers' answers only: the re-run
    adds it, after them (a task whose blank start is older than an answer, too)."""
    tax = project_taxonomy()
    _, calm = tasks()
    studio = PredictionStudio([calm])
    adjudicate(studio, "p", tax, salt="s")  # type: ignore[arg-type]
    studio.preds = [p for p in studio.preds if p["model_version"] != BLANK_START]
    adjudicate(studio, "p", tax, salt="s")  # type: ignore[arg-type]
    assert studio.newest()["model_version"] == BLANK_START and len(studio.preds) == 3
    # the blank start older than a reviewer's answer (made out of order): made again
    studio.newest()["id"] = -1  # older than every answer
    adjudicate(studio, "p", tax, salt="s")  # type: ignore[arg-type]
    assert studio.newest()["model_version"] == BLANK_START and len(studio.preds) == 3
