"""Where moved tasks come in a reviewer's "Label All Tasks", against a real Label Studio
and the request its front end sends for that button (``POST /api/dm/actions?id=next_task``
with the tab's id and an empty body: no filters, no ordering).

Label Studio serves that stream by task id (sequential sampling; the tab's ordering is
left out of the request), so a task's place there is fixed when it is imported, and
nothing in its API moves it. A queue pushed in two batches is served the first batch
first, and tasks moved into a queue come after the tasks already open there. What
annotate can order it does: a hand-over imports the moved tasks riskiest first (before,
in the order of their old ids), so a queue the hand-over makes is served riskiest first
and moved tasks keep their priority order among themselves; the queue's "Queue" tab
(and "Label Tasks As Displayed") lists every task by priority."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from annotate.review.queue_tasks import reviewer_projects
from annotate.review.queues import k_of
from annotate.review.reviewers import ReviewerSession
from annotate.studio import tasks as task_rows
from annotate.studio.client import StudioClient
from tests.conftest import project_taxonomy

from .helpers import PRELABELS, QUEUE_SCORES
from .review_team import add_team, run

pytestmark = pytest.mark.integration


def label_all_tasks(client: StudioClient, email: str, password: str, project_id: int) -> float:
    """The priority of the task "Label All Tasks" serves ``email`` first in their queue."""
    (tab,) = [v for v in client.list_views(project_id) if v["data"]["title"] == "Queue"]
    session = ReviewerSession(client.url, email, password)
    try:
        resp = session.request(
            "POST",
            "/api/dm/actions",
            params={"id": "next_task", "project": project_id, "tabID": int(tab["id"])},
            json={},
        )
        resp.raise_for_status()
        task: dict[str, Any] = resp.json()
    finally:
        session.close()
    return float(task["data"]["priority"])


def priorities_by_id(client: StudioClient, project_id: int) -> list[float]:
    tasks = sorted(client.iter_tasks(project_id, include="id,data"), key=lambda t: int(t["id"]))
    return [float(t["data"]["priority"]) for t in tasks]


def test_a_queue_made_by_a_handover_is_served_riskiest_first(
    client: StudioClient, name: str, tmp_path: Path
) -> None:
    team = add_team(("ana", "ben", "cai"), "order.test")
    ana, ben, cai = team
    tax = project_taxonomy()
    fixture = [json.loads(line) for line in PRELABELS.read_text(encoding="utf-8").splitlines()]
    rows = [
        {**row, "scores": {c: base for c in tax.category_names} | extra}
        for row, (base, extra, _) in zip(fixture, QUEUE_SCORES, strict=True)
    ]
    wanted = sorted((p for _, _, p in QUEUE_SCORES), reverse=True)
    assert sorted((task_rows.priority(r["scores"], tax) for r in rows), reverse=True) == wanted
    # the least risky first, the riskier by a later push: ana's task ids are not by priority
    for n, part in enumerate((rows[:3], rows)):
        path = tmp_path / f"batch-{n}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in part), encoding="utf-8")
        run("push", str(path), "--project", name, "-k", "2", "--reviewer", ana, "--reviewer", ben)
    ana_q = int(reviewer_projects(client, name)[ana]["id"])
    assert priorities_by_id(client, ana_q) != wanted
    # what Label Studio does: "Label All Tasks" serves by id, the first batch first
    assert label_all_tasks(client, ana, team[ana], ana_q) == priorities_by_id(client, ana_q)[0]
    assert priorities_by_id(client, ana_q)[0] < max(wanted)

    out = run("review", "reassign", "--project", name, "--from", ana, "--to", cai)
    assert "6 open task(s) (0 gold) moved" in out and "(new queue)" in out, out
    cai_q = int(reviewer_projects(client, name)[cai]["id"])
    assert priorities_by_id(client, cai_q) == wanted  # imported riskiest first
    assert k_of(client.get_project(cai_q)) == 2  # the queue made records the set's K
    assert label_all_tasks(client, cai, team[cai], cai_q) == max(wanted)
