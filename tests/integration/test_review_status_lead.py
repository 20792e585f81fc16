"""`annotate review status` shows the lead's work in ``NAME · adjudication`` too, against
a real Label Studio: it listed the reviewers' queues only, so a moderation lead had to open
Label Studio (or export) to learn how many disputed passages wait for them. Tasks taken
out of the lead's queue (no longer disputed) are counted apart, not as waiting."""

from __future__ import annotations

from typing import Any

import pytest

from annotate.review.adjudication import adjudicate
from annotate.studio.client import StudioClient
from annotate.studio.push import push
from annotate.taxonomy import load_taxonomy

from .helpers import PRELABELS, choices, new_reviewer, tasks_by_passage
from .review_team import run

pytestmark = pytest.mark.integration
TAX = load_taxonomy()
SALT = "test-salt"
DECIDED, WAITING, MOOT = "doc-a-p0", "doc-a-p1", "doc-b-p0"


def _answer(categories: list[str], severity: str = "none") -> list[dict[str, Any]]:
    return [choices("category", categories), choices("severity", [severity])]


def test_status_counts_the_leads_answered_waiting_and_moot_tasks(
    client: StudioClient, name: str
) -> None:
    admin, second = int(client.whoami()["id"]), new_reviewer(client)
    pushed = push(PRELABELS, name, client=client)
    ids = tasks_by_passage(client, pushed.project_id)
    changing = {}
    for passage in (DECIDED, WAITING, MOOT):
        client.sdk.annotations.create(
            id=ids[passage]["id"], result=_answer(["none"]), completed_by=admin
        )
        made = client.sdk.annotations.create(
            id=ids[passage]["id"], result=_answer(["news_reporting"], "low"), completed_by=second
        )
        changing[passage] = made.id
    first = adjudicate(client, name, TAX, salt=SALT)
    assert first.project_id is not None
    lead_task = tasks_by_passage(client, first.project_id)[DECIDED]["id"]
    client.sdk.annotations.create(id=lead_task, result=_answer(["none"]), completed_by=admin)
    client.sdk.annotations.update(id=changing[MOOT], result=_answer(["none"]))  # agree now
    adjudicate(client, name, TAX, salt=SALT)

    out = run("review", "status", "--project", name)
    assert "1 project(s), no review set" in out, out
    assert (
        f"lead, {name} · adjudication: 3 tasks, 1 answered, 1 waiting for a lead, "
        "1 no longer disputed (out of the lead's queue) -> "
    ) in out, out
