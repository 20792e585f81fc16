"""A lead who submits an answer to an adjudication task while `annotate adjudicate` takes
it out of the queue (its passage is no longer disputed) keeps that answer, against a real
Label Studio. adjudicate deleted such a task when its last read found it untouched: an
answer submitted between that read and the delete was deleted with the task (Label
Studio has no conditional delete and no undo). The answer is made here at the moment
adjudicate changes the task, the worst moment the old code allowed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from annotate.review.adjudication import adjudicate
from annotate.review.collect import collect
from annotate.studio.client import StudioClient

from .helpers import (
    SALT,
    TAX,
    answer_result,
    change_answer,
    dispute,
    new_reviewer,
    pushed_tasks,
    tasks_by_passage,
)

pytestmark = pytest.mark.integration
PASSAGE = "doc-b-p0"


def test_an_answer_submitted_while_adjudicate_retires_the_task_is_kept(
    client: StudioClient, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin, second = int(client.whoami()["id"]), new_reviewer(client)
    task_id = pushed_tasks(client, name)[1][PASSAGE]["id"]
    changing = dispute(client, task_id, admin, second)
    first = adjudicate(client, name, TAX, salt=SALT)
    assert first.passages == [PASSAGE] and first.project_id
    adj_task = tasks_by_passage(client, first.project_id)[PASSAGE]["id"]
    change_answer(client, changing, second, answer_result(["none"]))  # now they agree
    # agreed only through that change, made after the adjudication project showed the
    # passage (not blind): by default the task stays in the lead's queue; the race is
    # that of --accept-changed-answers, which takes it out
    kept = adjudicate(client, name, TAX, salt=SALT)
    assert kept.passages == [PASSAGE] and kept.agreed_only_after_shown == [PASSAGE]
    assert kept.retired == [] and kept.settled == []

    made: list[int] = []

    def lead_submits_first(original: Callable[..., Any]) -> Callable[..., Any]:
        def call(self: StudioClient, *args: Any, **kwargs: Any) -> Any:
            if not made:  # after adjudicate's last read, before its change lands
                ann = self.sdk.annotations.create(
                    id=adj_task, result=answer_result(["news_reporting"], "low"), completed_by=admin
                )
                made.append(int(ann.id))  # type: ignore[arg-type]
            return original(self, *args, **kwargs)

        return call

    # whichever call takes the task out of the queue (delete before, retire now)
    for method in ("delete_tasks", "set_task_overlap"):
        if hasattr(StudioClient, method):
            monkeypatch.setattr(
                StudioClient, method, lead_submits_first(getattr(StudioClient, method))
            )
    adjudicate(client, name, TAX, salt=SALT, accept_changed_answers=True)
    monkeypatch.undo()
    assert made, "adjudicate changed nothing of the task no longer disputed"

    left = tasks_by_passage(client, first.project_id)
    assert PASSAGE in left, "the task holding the lead's answer was deleted"
    anns = client._get(f"api/tasks/{left[PASSAGE]['id']}/annotations/", "annotations")
    assert [a["id"] for a in anns] == made
    rows = {r["id"]: r for r in collect(client, name, TAX, salt=SALT).rows}
    assert (rows[PASSAGE]["resolution"], rows[PASSAGE]["labels"]) == (
        "adjudicated",
        ["news_reporting"],
    )
