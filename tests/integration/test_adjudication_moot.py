"""`annotate adjudicate` removes the tasks of passages no longer disputed (a reviewer
changed an answer) that no lead has touched, against a real Label Studio: before, they
stayed in ``NAME · adjudication`` and a lead could spend time on them. A task the lead
answered stays, its answer still decides the passage and the export records it as moot
(``review.adjudicated_no_longer_disputed``); one holding the lead's draft stays too (a
draft is an answer being written). A passage disputed again is added again."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from annotate.review.adjudication import adjudicate
from annotate.review.collect import collect
from annotate.review.report import review_reports
from annotate.studio.client import StudioClient
from annotate.studio.push import push
from annotate.taxonomy import load_taxonomy

from .helpers import PRELABELS, choices, new_reviewer, tasks_by_passage
from .review_team import run

pytestmark = pytest.mark.integration
TAX = load_taxonomy()
SALT = "test-salt"
UNTOUCHED, ANSWERED, DRAFTED = "doc-b-p0", "doc-a-p0", "doc-a-p1"


def _answer(categories: list[str], severity: str = "none") -> list[dict[str, Any]]:
    return [choices("category", categories), choices("severity", [severity])]


@pytest.fixture()
def name(client: StudioClient) -> Iterator[str]:
    name = f"moot-{uuid.uuid4().hex[:8]}"
    yield name
    for title in (name, f"{name} · adjudication"):
        proj = client.find_project(title)
        if proj is not None:
            client.delete_project(int(proj["id"]))


def lead_tasks(client: StudioClient, project_id: int) -> dict[str, dict[str, Any]]:
    return tasks_by_passage(client, project_id)


def test_tasks_no_longer_disputed_are_removed_unless_the_lead_touched_them(
    client: StudioClient, name: str
) -> None:
    admin, second = int(client.whoami()["id"]), new_reviewer(client)
    pushed = push(PRELABELS, name, client=client)
    ids = tasks_by_passage(client, pushed.project_id)
    changing = {}
    for passage in (UNTOUCHED, ANSWERED, DRAFTED):
        client.sdk.annotations.create(
            id=ids[passage]["id"], result=_answer(["none"]), completed_by=admin
        )
        made = client.sdk.annotations.create(
            id=ids[passage]["id"], result=_answer(["news_reporting"], "low"), completed_by=second
        )
        changing[passage] = made.id
    first = adjudicate(client, name, TAX, salt=SALT)
    assert first.passages == sorted([UNTOUCHED, ANSWERED, DRAFTED]) and first.project_id
    adj = lead_tasks(client, first.project_id)
    lead = client.sdk.annotations.create(
        id=adj[ANSWERED]["id"], result=_answer(["news_reporting"], "low"), completed_by=admin
    )
    with client.guard("saving a draft"):
        client._http.request(
            f"api/tasks/{adj[DRAFTED]['id']}/drafts",
            method="POST",
            json={"result": _answer(["none"]), "lead_time": 3.0},
        ).raise_for_status()

    for passage in (UNTOUCHED, ANSWERED, DRAFTED):  # the second reviewer now agrees
        client.sdk.annotations.update(id=changing[passage], result=_answer(["none"]))
    out = run("adjudicate", "--project", name, "-q")
    assert "1 task(s) removed: no longer disputed" in out, out
    assert "1 task(s) a lead answered are no longer disputed" in out, out
    assert f"started an answer (a draft; e.g. {DRAFTED})" in out, out
    left = lead_tasks(client, first.project_id)
    assert sorted(left) == sorted([ANSWERED, DRAFTED])  # the untouched one is gone
    anns = client._get(f"api/tasks/{left[ANSWERED]['id']}/annotations/", "annotations")
    assert [a["id"] for a in anns] == [lead.id]  # the lead's answer stays

    after = collect(client, name, TAX, salt=SALT, exported_at="")
    rows = {r["id"]: r for r in after.rows}
    assert rows[UNTOUCHED]["resolution"] == "unanimous"
    assert (rows[ANSWERED]["resolution"], rows[ANSWERED]["labels"]) == (
        "adjudicated",
        ["news_reporting"],
    )
    assert after.adjudicated_moot == [ANSWERED]
    assert after.no_longer_disputed == [DRAFTED] and after.awaiting_lead == []
    manifest = review_reports(
        after.rows,
        after.gold_rows,
        TAX,
        awaiting_lead=after.awaiting_lead,
        no_longer_disputed=after.no_longer_disputed,
        adjudicated_moot=after.adjudicated_moot,
    )["manifest"]
    assert manifest["adjudicated_no_longer_disputed"] == 1
    assert manifest["adjudication_no_longer_needed"] == 1

    # disputed again: added again, once
    client.sdk.annotations.update(id=changing[UNTOUCHED], result=_answer(["news_reporting"]))
    again = adjudicate(client, name, TAX, salt=SALT)
    assert again.added == 1 and again.removed == []
    assert sorted(lead_tasks(client, first.project_id)) == sorted([UNTOUCHED, ANSWERED, DRAFTED])
