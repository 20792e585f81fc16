"""A disputed passage one of whose two answers was deleted in Label Studio after it went to
the lead (a new user's run: a reviewer's queue deleted in the web interface) stayed in
the lead's queue, its answers panel still quoting the deleted answer, and `annotate
adjudicate` said nothing ("0 disputed passage(s), 0 added"), while the export said the
lead was no longer needed. One answer left is no dispute: the re-run takes the task out of
the lead's queue, as for a changed answer, and deletes nothing. Against the session's
real Label Studio."""

from __future__ import annotations

import pytest

from annotate.studio.client import StudioClient

from .helpers import give_answer, new_reviewer, pushed_tasks, tasks_by_passage
from .review_team import run

pytestmark = pytest.mark.integration
PASSAGE = "doc-b-p0"


def test_a_dispute_whose_answer_was_deleted_leaves_the_leads_queue(
    client: StudioClient, name: str
) -> None:
    admin, second = int(client.whoami()["id"]), new_reviewer(client)
    task = pushed_tasks(client, name)[1][PASSAGE]
    give_answer(client, task["id"], admin, ["none"])
    made = give_answer(client, task["id"], second, ["violent_threat"], "high")
    assert "1 disputed passage(s), 1 added" in run("adjudicate", "--project", name)
    adj = client.require_project(f"{name} · adjudication")

    client.sdk.annotations.delete(id=made)  # deleted in Label Studio
    out = run("adjudicate", "--project", name)
    assert "1 task(s) no longer disputed (a reviewer changed an answer, or one was" in out, out
    assert "are out of the lead's queue (1 taken out by this run)" in out, out
    (left,) = tasks_by_passage(client, int(adj["id"])).values()  # nothing deleted
    data = client._get(f"api/tasks/{left['id']}/", "the task")["data"]
    assert data["no_longer_disputed"].startswith("yes"), data
    assert data["reviews"].startswith("NO LONGER DISPUTED"), data  # not the deleted answer
    assert "violent_threat" not in data["reviews"].lower().replace(" ", "_"), data
