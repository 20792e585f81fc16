"""`annotate review status` on a project pushed without --reviewers-per-task, split over
numbered projects (`NAME #1`, `NAME #2`), against a real Label Studio: it said "'NAME' is
not a review set: no reviewer queue of that name" and suggested pushing one; it now shows
each project's tasks, answered, skipped and open (drafts among them) and the sum.
`review reassign` still refuses it, naming its parts."""

from __future__ import annotations

import pytest

from annotate.studio.client import StudioClient
from annotate.studio.push import push

from .helpers import PRELABELS, choices, tasks_by_passage
from .review_team import run

pytestmark = pytest.mark.integration


def test_status_of_numbered_projects_counts_each_part(client: StudioClient, name: str) -> None:
    result = push(PRELABELS, name, client=client, batch_size=3, max_tasks_per_project=4)
    assert list(result.projects) == [f"{name} #1", f"{name} #2"]
    admin = int(client.whoami()["id"])
    part1 = client.require_project(f"{name} #1")
    part2 = client.require_project(f"{name} #2")
    tasks1 = list(tasks_by_passage(client, int(part1["id"])).values())
    answer = [choices("category", ["none"]), choices("severity", ["none"])]
    client.sdk.annotations.create(id=tasks1[0]["id"], result=answer, completed_by=admin)
    client.sdk.annotations.create(
        id=tasks1[1]["id"], result=[], was_cancelled=True, completed_by=admin
    )
    with client.guard("saving a draft"):
        client._http.request(
            f"api/tasks/{tasks1[2]['id']}/drafts", method="POST", json={"result": answer}
        ).raise_for_status()

    out = run("review", "status", "--project", name)
    assert "2 project(s), no review set" in out, out
    assert f"{name} #1: 4 tasks, 1 answered, 1 skipped, 2 open (1 with a draft)" in out, out
    assert f"{name} #2: 2 tasks, 0 answered, 0 skipped, 2 open ->" in out, out
    assert f"/projects/{part2['id']}/data" in out
    assert "in all: 6 tasks, 1 answered, 1 skipped, 4 open" in out, out

    refused = run("review", "reassign", "--project", name, "--from", "x", "--to", "y", code=1)
    assert f"split over 2 numbered parts ('{name} #1', '{name} #2')" in refused, refused
