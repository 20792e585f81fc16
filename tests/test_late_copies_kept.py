"""What the clean-ups of a slow server's late copies must never delete (no server,
fakes): in the adjudication project, tasks the lead or a user made by hand (no passage
id: no copy of anything) and a copy the lead skipped (a skip is the lead's record, as
an answer is); after a retried import (``import_retrying(sole=True)``), a late copy
its reviewer skipped or holds a draft on. Before, the adjudication key read a missing
passage id as the passage "None" (all such tasks but the oldest went), its listing
did not ask for skips, and the import's clean-up looked at answers only."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from annotate.errors import StudioUnavailableError
from annotate.review.adjudication import adjudicate
from annotate.studio import retry as retry_mod
from annotate.studio.client import ImportAnswer
from annotate.studio.push import import_retrying
from tests.conftest import project_taxonomy
from tests.test_adjudication_hiding import HeldStudio, tasks


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retry_mod.time, "sleep", lambda s: None)


def listed(task: dict[str, Any], include: str) -> dict[str, Any]:
    """The task as Label Studio lists it: only the fields asked for."""
    fields = include.split(",")
    return {k: v for k, v in task.items() if k in fields}


class Adjudication(HeldStudio):
    """The adjudication project lists only the fields asked for, has no drafts, and
    deletes tasks."""

    def __init__(self) -> None:
        super().__init__(tasks())
        self.deleted: list[int] = []

    def iter_tasks(  # type: ignore[override]
        self, project_id: int, include: str = "id,data", **params: Any
    ) -> list[dict[str, Any]]:
        if project_id != 8 or "query" in params:  # the draft filter: none
            return []
        return [listed(t, include) for t in self.held]

    def delete_tasks(self, ids: list[int], *, project_id: int | None = None) -> None:
        self.deleted += ids
        self.held = [t for t in self.held if t["id"] not in ids]

    def create_prediction(self, task_id: int, model_version: str, result: list[Any]) -> None:
        self.preds.append(
            {
                "id": len(self.preds),
                "task": task_id,
                "model_version": model_version,
                "result": result,
            }
        )


def test_adjudicate_leaves_hand_made_tasks_and_a_skipped_copy() -> None:
    tax = project_taxonomy()
    studio = Adjudication()
    adjudicate(studio, "p", tax, salt="s")  # type: ignore[arg-type]
    first = studio.held[0]
    studio.held += [
        {"id": 950, "data": {"text": "an example the lead added by hand"}},
        {"id": 951, "data": {"text": "another one"}},
        {"id": 952, "data": {"text": "a third", "passage_id": ""}},
        # a copy a late import made, which the lead skipped
        {"id": 953, "data": dict(first["data"]), "cancelled_annotations": 1},
    ]
    adjudicate(studio, "p", tax, salt="s")  # type: ignore[arg-type]
    assert studio.deleted == []
    assert {950, 951, 952, 953} <= {t["id"] for t in studio.held}


class _Late:
    """A queue whose first import answer is lost while the server is at it; the late
    request's task 10 lands after the retry made task 11, and its reviewer skipped it
    (``skipped``) or holds a draft on it (``drafted``)."""

    def __init__(self, *, skipped: bool, drafted: bool) -> None:
        self.imports = 0
        self.deleted: list[int] = []
        self.late = {"id": 10, "data": {"passage_id": "p"}, "total_annotations": 0}
        if skipped:
            self.late["cancelled_annotations"] = 1
        self.drafted = drafted

    def import_tasks(self, project_id: int, batch: list[Any]) -> ImportAnswer:
        self.imports += 1
        if self.imports == 1:
            raise StudioUnavailableError("no answer.", still_working=True)
        return ImportAnswer([11], 1, 1)

    def iter_task_versions(self, project_id: int, after: int | None = None) -> Iterator[Any]:
        return iter(())  # nothing landed while the read-back ran

    def iter_tasks(
        self, project_id: int, include: str = "id,data", **params: Any
    ) -> Iterator[dict[str, Any]]:
        if "query" in params:  # the Data Manager's draft filter
            yield from ([listed(self.late, include)] if self.drafted else [])
            return
        yield listed(self.late, include)
        yield listed({"id": 11, "data": {"passage_id": "p"}}, include)

    def delete_tasks(self, ids: list[int], *, project_id: int | None = None) -> None:
        self.deleted += ids


@pytest.mark.parametrize(
    ("skipped", "drafted"), [(True, False), (False, True)], ids=["skipped", "drafted"]
)
def test_a_late_copy_its_reviewer_skipped_or_started_is_left(skipped: bool, drafted: bool) -> None:
    studio = _Late(skipped=skipped, drafted=drafted)
    answer = import_retrying(studio, 1, [("p", {"data": {}})], "batch", sole=True)  # type: ignore[arg-type]
    assert answer.task_ids == [11] and studio.imports == 2
    assert studio.deleted == []


def test_a_late_copy_nobody_touched_still_goes() -> None:
    studio = _Late(skipped=False, drafted=False)
    import_retrying(studio, 1, [("p", {"data": {}})], "batch", sole=True)  # type: ignore[arg-type]
    assert studio.deleted == [10]


class _NoIds(_Late):
    """The retry's answer names no task ids (only a count)."""

    def import_tasks(self, project_id: int, batch: list[Any]) -> ImportAnswer:
        answer = super().import_tasks(project_id, batch)
        return ImportAnswer([], answer.task_count, answer.prediction_count)


def test_an_answer_without_task_ids_deletes_nothing() -> None:
    """Kept = the ids the answer named: with none named, the task the retry made was
    taken for a late copy and deleted with it (the passage left with no task)."""
    studio = _NoIds(skipped=False, drafted=False)
    import_retrying(studio, 1, [("p", {"data": {}})], "batch", sole=True)  # type: ignore[arg-type]
    assert studio.deleted == []


class _Predictions(Adjudication):
    """Predictions that can be deleted (listed without the deleted ones)."""

    def delete_prediction(self, prediction_id: int) -> None:
        self.preds[prediction_id] = {**self.preds[prediction_id], "gone": True}

    def list_predictions(self, project_id: int) -> list[dict[str, Any]]:
        return [dict(p) for p in self.preds if not p.get("gone")]


def test_a_reviewers_answer_a_late_request_added_twice_is_shown_once_and_current() -> None:
    """A prediction (a reviewer's answer) a late request made after adjudicate ended: the
    next run updated one of the two and left the other, showing the lead the reviewer's
    old answer beside the new one, for good."""
    tax = project_taxonomy()
    studio = _Predictions()
    adjudicate(studio, "p", tax, salt="s")  # type: ignore[arg-type]
    first = studio.preds[0]
    stale = [{"from_name": "category", "to_name": "text", "type": "choices", "value": {}}]
    studio.preds.append({**first, "id": len(studio.preds), "result": stale})  # landed late
    adjudicate(studio, "p", tax, salt="s")  # type: ignore[arg-type]
    mine = [
        p
        for p in studio.list_predictions(8)
        if (p["task"], p["model_version"]) == (first["task"], first["model_version"])
    ]
    assert len(mine) == 1 and mine[0]["result"] == first["result"]
