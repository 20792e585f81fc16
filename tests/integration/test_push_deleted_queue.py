"""A reviewer's queue (a Label Studio project) deleted in the web interface was made again,
empty, by the next push, which said only "10 added" (a moderation lead's review round): a
lead who deleted it by mistake was told nothing, and its passages went to review again.
A push now notices a project it made before (recorded on this machine) that is gone,
refuses and sends nothing, naming it and the fixes; `--recreate-deleted` makes it again.
A plain push's project the same. Against the session's real Label Studio."""

from __future__ import annotations

import pytest

from annotate.review.fanout import reviewer_projects
from annotate.studio.client import StudioClient
from annotate.studio.projects import project_set

from .helpers import PRELABELS
from .review_team import add_team, push_set, run

pytestmark = pytest.mark.integration


def test_a_push_says_a_queue_it_made_was_deleted_and_remakes_it_only_when_told(
    client: StudioClient, name: str
) -> None:
    ana, ben = add_team(("ana", "ben"), "deleted-queue.test")
    push_set(name, (ana, ben), "-q")
    queues = reviewer_projects(client, name)
    gone = queues[ben]
    client.sdk.projects.delete(int(gone["id"]))

    text = push_set(name, (ana, ben), "-q", code=1)
    assert f"{gone['title']!r} (id {gone['id']})" in text, text
    assert "no longer on" in text and "--recreate-deleted" in text, text
    assert "Traceback" not in text
    assert ben not in reviewer_projects(client, name)  # nothing made, nothing sent

    push_set(name, (ana, ben), "-q", "--recreate-deleted")
    again = reviewer_projects(client, name)
    assert ben in again and int(again[ben]["id"]) != int(gone["id"])
    push_set(name, (ana, ben), "-q")  # the remade queue is recorded: no refusal


def test_a_plain_push_says_its_project_was_deleted(client: StudioClient, name: str) -> None:
    push = ["push", str(PRELABELS), "--project", name, "-q"]
    run(*push)
    (project,) = project_set(client, name).projects
    client.sdk.projects.delete(int(project["id"]))
    text = run(*push, code=1)
    assert f"{name!r} (id {project['id']})" in text and "--recreate-deleted" in text, text
    assert project_set(client, name).kind == "none"
    assert "created: 6 created" in run(*push, "--recreate-deleted")
