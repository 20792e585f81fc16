"""`annotate adjudicate` takes the tasks of passages no longer disputed (a reviewer changed
an answer) out of the lead's queue, against a real Label Studio: before, they stayed in
``NAME · adjudication`` and a lead could spend time on them (later: untouched ones were
deleted, which could delete an answer a lead submitted meanwhile, and skipped or drafted
ones stayed in the queue). Nothing is deleted: the lead's answer, draft or skip stays; an
answer still decides the passage and the export records it as moot
(``review.adjudicated_no_longer_disputed``). "Label All Tasks" serves only the passages
still disputed; one disputed again comes back into it. The reviewer here changes answers
after the adjudication project showed them (not blind): by default those passages stay
in the lead's queue, each panel saying who changed what; `--accept-changed-answers`
takes them out as above."""

from __future__ import annotations

from typing import Any

import pytest

from annotate.review.adjudication import adjudicate
from annotate.review.collect import collect
from annotate.review.report import review_reports
from annotate.studio.client import StudioClient

from .helpers import (
    SALT,
    TAX,
    answer_of,
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
UNTOUCHED, ANSWERED, DRAFTED = "doc-b-p0", "doc-a-p0", "doc-a-p1"
SKIPPED, STILL = "doc-b-p1", "doc-c-p0"


def lead_tasks(client: StudioClient, project_id: int) -> dict[str, dict[str, Any]]:
    return tasks_by_passage(client, project_id)


def served(client: StudioClient, project_id: int, user: int) -> list[str]:
    """The passages Label Studio's label stream ("Label All Tasks") serves the caller, one
    after the other (each skipped by ``user``, the caller, to reach the next)."""
    out: list[str] = []
    for _ in range(12):
        resp = client._http.request(f"api/projects/{project_id}/next/", method="GET")
        if resp.status_code == 404:
            return out
        resp.raise_for_status()
        task = resp.json()
        out.append(task["data"]["passage_id"])
        client.sdk.annotations.create(
            id=task["id"], result=[], was_cancelled=True, completed_by=user
        )
    raise AssertionError(f"the stream did not end: {out}")


def test_tasks_no_longer_disputed_leave_the_leads_queue_and_nothing_is_deleted(
    client: StudioClient, name: str
) -> None:
    admin, second = int(client.whoami()["id"]), new_reviewer(client)
    other_lead = new_reviewer(client, "lead")
    _, ids = pushed_tasks(client, name)
    changing = {
        p: dispute(client, ids[p]["id"], admin, second)
        for p in (UNTOUCHED, ANSWERED, DRAFTED, SKIPPED, STILL)
    }
    first = adjudicate(client, name, TAX, salt=SALT)
    moot = sorted([UNTOUCHED, ANSWERED, DRAFTED, SKIPPED])
    assert first.passages == sorted([*moot, STILL]) and first.project_id
    adj = lead_tasks(client, first.project_id)
    lead = give_answer(client, adj[ANSWERED]["id"], admin, ["news_reporting"], "low")
    skip = answer_of(client, adj[SKIPPED]["id"], other_lead, [], was_cancelled=True)
    with client.guard("saving a draft"):
        client._http.request(
            f"api/tasks/{adj[DRAFTED]['id']}/drafts",
            method="POST",
            json={"result": answer_result(["none"]), "lead_time": 3.0},
        ).raise_for_status()

    for passage in (UNTOUCHED, ANSWERED, DRAFTED, SKIPPED):  # the second reviewer now agrees
        change_answer(client, changing[passage], second, answer_result(["none"]))
    # after the adjudication project showed their answers: by default nothing leaves
    kept = " ".join(run("adjudicate", "--project", name, "-q").split())
    assert "5 disputed passage(s), 0 added, 5 already there" in kept, kept
    # the example is one the lead has not decided; the one the lead answered is said to be
    # decided (break49 B6: it was said to stay "so the lead can confirm it")
    assert (
        f"4 passage(s) (e.g. {DRAFTED}) are no longer disputed only through an answer made "
        "or changed after this project showed their answers" in kept
    ), kept
    assert "3 not yet decided stay in the lead's queue" in kept, kept
    assert "1 of them already decided by the lead" in kept, kept
    assert "out of the lead's queue" not in kept
    held = {
        t["data"]["passage_id"]: t
        for t in client.iter_tasks(first.project_id, include="id,data,overlap")
    }
    for passage in moot:
        assert int(held[passage]["overlap"]) == 1, held[passage]
        assert held[passage]["data"]["reviews"].startswith("CHANGED AFTER ADJUDICATION OPENED")
        assert "no_longer_disputed" not in held[passage]["data"]

    # the same, accepting the changed answers (no -q: the note below is hidden by it)
    out = run("adjudicate", "--project", name, "--accept-changed-answers")
    assert "3 task(s) no longer disputed" in out, out
    assert "are out of the lead's queue (3 taken out by this run)" in out, out
    assert "1 task(s) a lead answered are no longer disputed" in out, out
    left = lead_tasks(client, first.project_id)
    assert sorted(left) == sorted([*moot, STILL])  # nothing deleted
    anns = client._get(f"api/tasks/{left[ANSWERED]['id']}/annotations/", "annotations")
    assert [a["id"] for a in anns] == [lead]  # the lead's answer stays
    kept = client._get(f"api/annotations/{skip}/", "the skip")  # the list leaves skips out
    assert (kept["task"], kept["was_cancelled"]) == (left[SKIPPED]["id"], True)  # it stays
    drafts = client._get(f"api/tasks/{left[DRAFTED]['id']}/drafts", "drafts")
    assert len(drafts) == 1  # and the draft
    for passage in moot:  # marked, noted in the answers panel, listed last
        data = left[passage]["data"]
        assert data["no_longer_disputed"].startswith("yes"), data
        assert data["reviews"].startswith("NO LONGER DISPUTED"), data
        assert data["priority"] < 0 <= left[STILL]["data"]["priority"]
    (tab,) = [v for v in client.list_views(first.project_id) if v["data"]["title"] == "Queue"]
    grid = client._get(  # the Data Manager's Queue tab: the disputed passage first
        "api/tasks/", "listing", project=first.project_id, fields="task_only", view=tab["id"]
    )
    assert grid["tasks"][0]["data"]["passage_id"] == STILL
    # the label stream serves the lead only the passage still disputed: not the draft,
    # not the task another lead skipped, not the untouched one
    assert served(client, first.project_id, admin) == [STILL]

    after = collect(client, name, TAX, salt=SALT, accept_changed_answers=True)
    rows = {r["id"]: r for r in after.rows}
    assert rows[UNTOUCHED]["resolution"] == "unanimous"
    assert (rows[ANSWERED]["resolution"], rows[ANSWERED]["labels"]) == (
        "adjudicated",
        ["news_reporting"],
    )
    assert after.adjudicated_moot == [ANSWERED]
    assert after.no_longer_disputed == sorted([DRAFTED, SKIPPED, UNTOUCHED])
    assert after.awaiting_lead == [STILL]
    manifest = review_reports(
        after.rows,
        after.gold_rows,
        TAX,
        awaiting_lead=after.awaiting_lead,
        no_longer_disputed=after.no_longer_disputed,
        adjudicated_moot=after.adjudicated_moot,
    )["manifest"]
    assert manifest["adjudicated_no_longer_disputed"] == 1
    assert manifest["adjudication_no_longer_needed"] == 3

    # disputed again: back in the queue, still one task
    change_answer(client, changing[UNTOUCHED], second, answer_result(["news_reporting"]))
    out = run("adjudicate", "--project", name, "-q", "--accept-changed-answers")  # names them
    assert "2 disputed passage(s), 0 added, 2 already there" in out, out
    assert "2 task(s) no longer disputed" in out and "(0 taken out by this run)" in out, out
    assert "1 task(s) disputed again (e.g. doc-b-p0) are back in the lead's queue" in out, out
    assert sorted(lead_tasks(client, first.project_id)) == sorted([*moot, STILL])
    back = lead_tasks(client, first.project_id)[UNTOUCHED]["data"]
    assert "no_longer_disputed" not in back and back["priority"] >= 0
    assert served(client, first.project_id, admin) == [UNTOUCHED]
