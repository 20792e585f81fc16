"""`annotate adjudicate` run again brings the tasks already in ``NAME · adjudication`` up
to date, against a real Label Studio: a task added before the hiding rule (or before a
reviewer answered critical) stayed shown to the lead, since adjudicate only added tasks.
No task is duplicated and the lead's answer stays."""

from __future__ import annotations

from typing import Any

import pytest

from annotate.corpus.resolve import pseudonym
from annotate.review.adjudication import REVIEWS_FIELD, adjudicate
from annotate.review.collect import collect
from annotate.review.report import review_reports
from annotate.review.view import REVEAL, reveal_result
from annotate.studio.client import StudioClient

from .helpers import (
    SALT,
    TAX,
    answer_result,
    change_answer,
    dispute,
    give_answer,
    new_reviewer,
    pushed_tasks,
)

pytestmark = pytest.mark.integration
PASSAGE = "doc-b-p0"  # the museum passage: the model flags nothing


def _lead_view(client: StudioClient, project_id: int) -> tuple[dict[str, Any], list[Any]]:
    tasks = list(client.iter_tasks(project_id, include="id,data"))
    assert len(tasks) == 1, tasks  # never duplicated
    preds = [p for p in client.list_predictions(project_id) if p["task"] == tasks[0]["id"]]
    return tasks[0], preds


def _shows_at_once(preds: list[dict[str, Any]]) -> bool:
    return any(r.get("from_name") == REVEAL for p in preds for r in p["result"])


def test_a_rerun_rehides_and_updates_tasks_already_there(client: StudioClient, name: str) -> None:
    admin, second, third = int(client.whoami()["id"]), new_reviewer(client), new_reviewer(client)
    pushed = pushed_tasks(client, name)[1]
    task_id = pushed[PASSAGE]["id"]
    dispute(client, task_id, admin, second)
    first = adjudicate(client, name, TAX, salt=SALT)
    adj_id = first.project_id
    assert adj_id is not None and (first.added, first.updated) == (1, 0)
    # the plain project's other tasks, unanswered, counted from the real task list
    # (newuser60 #11)
    assert first.open_in_shared == len(pushed) - 1 > 0
    task, preds = _lead_view(client, adj_id)
    assert task["data"]["warning"] == "" and _shows_at_once(preds)  # nothing graphic yet
    lead = give_answer(client, task["id"], admin, ["none"])
    # the admin answered the passage as a reviewer and now decided it as the lead: the
    # export counts and names it (review.adjudicated_by_own_reviewer)
    got = collect(client, name, TAX, salt=SALT)
    own = review_reports(got.rows, got.gold_rows, TAX)["manifest"]["adjudicated_by_own_reviewer"]
    assert (own["passages"], own["ids"], own["by"]) == (1, [PASSAGE], {pseudonym(admin, SALT): 1})

    # a third reviewer calls it graphic and critical: the lead must not see it unhidden
    give_answer(client, task_id, third, ["graphic_violence"], "critical")
    again = adjudicate(client, name, TAX, salt=SALT)
    task, preds = _lead_view(client, adj_id)
    assert task["data"]["warning"].startswith("Content warning")
    assert task["data"]["preview"].startswith("[hidden:")
    assert task["data"][REVIEWS_FIELD].count("r-") == 3  # the new answer in the panel
    assert len(preds) == 4 and not _shows_at_once(preds)  # 3 answers, the blank start
    anns = client._get(f"api/tasks/{task['id']}/annotations/", "annotations")
    assert [a["id"] for a in anns] == [lead]  # the lead's answer stays
    assert (again.added, again.already, again.updated) == (0, 1, 1)

    # a task imported by an older annotate (no hiding fields, opening at once)
    old = {k: v for k, v in task["data"].items() if k not in ("warning", "preview")}
    client.update_task_data(int(task["id"]), {**old, "warning": "", "preview": "x"})
    for p in preds:
        client.update_prediction(int(p["id"]), [*p["result"], reveal_result(TAX)])
    fixed = adjudicate(client, name, TAX, salt=SALT)
    assert (fixed.added, fixed.updated) == (0, 1)
    task, preds = _lead_view(client, adj_id)
    assert task["data"]["warning"].startswith("Content warning")
    assert len(preds) == 4 and not _shows_at_once(preds)  # 3 answers, the blank start

    quiet = adjudicate(client, name, TAX, salt=SALT)  # nothing changed: no call
    assert (quiet.added, quiet.already, quiet.updated) == (0, 1, 0)


def test_a_passage_reviewers_agree_on_again_no_longer_waits_for_the_lead(
    client: StudioClient, name: str
) -> None:
    """Sent to the lead while two reviewers disagreed; one changes their answer (Label
    Studio updates it in place) after the adjudication project showed both: not blind, so
    by default it still waits for the lead, its row undecided; with
    ``accept_changed_answers`` the export no longer counts it as waiting for the lead,
    the reviewers' unanimous vote decides it, and it is named as no longer disputed."""
    admin, second = int(client.whoami()["id"]), new_reviewer(client)
    task_id = pushed_tasks(client, name)[1][PASSAGE]["id"]
    changing = dispute(client, task_id, admin, second)
    assert adjudicate(client, name, TAX, salt=SALT).passages == [PASSAGE]
    before = collect(client, name, TAX, salt=SALT)
    assert (before.awaiting_lead, before.no_longer_disputed) == ([PASSAGE], [])

    change_answer(client, changing, second, answer_result(["none"]))
    kept = collect(client, name, TAX, salt=SALT)
    assert (kept.awaiting_lead, kept.no_longer_disputed) == ([PASSAGE], [])
    assert kept.agreed_only_after_shown == [PASSAGE]
    row = next(r for r in kept.rows if r["id"] == PASSAGE)
    assert (row["resolution"], row["label_tie"], row["adjudicator"]) == ("tie", True, None)

    after = collect(client, name, TAX, salt=SALT, accept_changed_answers=True)
    assert (after.awaiting_lead, after.no_longer_disputed) == ([], [PASSAGE])
    row = next(r for r in after.rows if r["id"] == PASSAGE)
    assert (row["resolution"], row["labels"], row["adjudicator"]) == ("unanimous", ["none"], None)
    manifest = review_reports(
        after.rows,
        after.gold_rows,
        TAX,
        awaiting_lead=after.awaiting_lead,
        no_longer_disputed=after.no_longer_disputed,
    )["manifest"]
    assert (manifest["awaiting_adjudication"], manifest["adjudication_no_longer_needed"]) == (0, 1)
    assert manifest["ties_not_sent_to_adjudication"] == 0
