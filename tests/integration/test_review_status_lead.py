"""`annotate review status` shows the lead's work in ``NAME · adjudication`` too, against
a real Label Studio: it listed the reviewers' queues only, so a moderation lead had to open
Label Studio (or export) to learn how many disputed passages wait for them. Tasks taken
out of the lead's queue (no longer disputed) are counted apart, not as waiting. A passage
whose dispute ended only through an answer changed after the adjudication project showed
it stays waiting, unless `adjudicate --accept-changed-answers` took it out."""

from __future__ import annotations

import pytest

from annotate.review.adjudication import adjudicate
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
    tasks_by_passage,
)
from .review_team import run

pytestmark = pytest.mark.integration
DECIDED, WAITING, MOOT = "doc-a-p0", "doc-a-p1", "doc-b-p0"


def test_status_counts_the_leads_answered_waiting_and_moot_tasks(
    client: StudioClient, name: str
) -> None:
    admin, second = int(client.whoami()["id"]), new_reviewer(client)
    _, ids = pushed_tasks(client, name)
    changing = {p: dispute(client, ids[p]["id"], admin, second) for p in (DECIDED, WAITING, MOOT)}
    first = adjudicate(client, name, TAX, salt=SALT)
    assert first.project_id is not None
    lead_task = tasks_by_passage(client, first.project_id)[DECIDED]["id"]
    give_answer(client, lead_task, admin, ["none"])
    change_answer(client, changing[MOOT], second, answer_result(["none"]))  # agree now
    # changed after the adjudication project showed it (not blind): still the lead's
    kept = adjudicate(client, name, TAX, salt=SALT)
    assert kept.agreed_only_after_shown == [MOOT] and kept.retired == []
    out = run("review", "status", "--project", name)
    assert (f"lead, {name} · adjudication: 3 tasks, 1 answered, 2 waiting for a lead -> ") in out, (
        out
    )

    adjudicate(client, name, TAX, salt=SALT, accept_changed_answers=True)
    out = run("review", "status", "--project", name)
    assert "1 project(s), no review set" in out, out
    assert (
        f"lead, {name} · adjudication: 3 tasks, 1 answered, 1 waiting for a lead, "
        "1 no longer disputed (out of the lead's queue) -> "
    ) in out, out
