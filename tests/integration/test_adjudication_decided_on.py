"""The answers a lead decided on stay in the export after a reviewer changes theirs,
against a real Label Studio (passH53 H6; the stub case: tests/audit/
test_export_decided_on.py): a reviewer who changed their answer after the lead decided
left the row with the new answer only; what was disputed and decided survived only in
the adjudication task."""

from __future__ import annotations

import time

import pytest

from annotate.corpus.resolve import pseudonym
from annotate.review.adjudication import adjudicate
from annotate.review.collect import adjudication_title, collect
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
PASSAGE = "doc-b-p0"


def test_the_answer_the_lead_decided_on_survives_a_later_change(
    client: StudioClient, name: str
) -> None:
    admin, second, lead = int(client.whoami()["id"]), new_reviewer(client), new_reviewer(client)
    task_id = pushed_tasks(client, name)[1][PASSAGE]["id"]
    changing = dispute(client, task_id, admin, second)  # none vs news_reporting/low
    assert adjudicate(client, name, TAX, salt=SALT).passages == [PASSAGE]
    adj = client.find_project(adjudication_title(name))
    assert adj is not None
    (adj_task,) = [
        t for t in client.iter_tasks(int(adj["id"])) if t["data"]["passage_id"] == PASSAGE
    ]
    give_answer(client, int(adj_task["id"]), lead, ["news_reporting"], "low")
    time.sleep(1.1)  # Label Studio's times: the change comes after the decision
    change_answer(client, changing, second, answer_result(["none"]))
    adjudicate(client, name, TAX, salt=SALT)  # brings the task's answers up to date
    row = next(r for r in collect(client, name, TAX, salt=SALT).rows if r["id"] == PASSAGE)
    assert row["resolution"] == "adjudicated"
    assert {a["reviewer"]: a["categories"] for a in row["annotations"]} == {
        pseudonym(admin, SALT): ["none"],
        pseudonym(second, SALT): ["none"],  # the new answer only
    }
    shown = {a["reviewer"]: a for a in row["adjudication"]["decided_on"]}
    assert set(shown) == {pseudonym(admin, SALT), pseudonym(second, SALT)}
    assert shown[pseudonym(admin, SALT)]["changed_after_decision"] is False
    changed = shown[pseudonym(second, SALT)]
    assert changed["changed_after_decision"] is True and changed["categories"] == ["none"]
    assert "News reporting" in str(changed["shown_to_lead"]), changed
    # what shown_to_lead holds, said (s54): the earlier answer recorded / the one given
    assert changed["shown_to_lead_status"] == "recorded"
    assert shown[pseudonym(admin, SALT)]["shown_to_lead_status"] == "not changed"
