"""A reviewer's queue (a Label Studio project) deleted in the web interface was made again,
empty, by the next push, which said only "10 added" (a moderation lead's review round): a
lead who deleted it by mistake was told nothing, and its passages went to review again.
A push now notices a project it made before (recorded on this machine) that is gone,
refuses and sends nothing, naming it and the fixes; `--recreate-deleted` makes it again.
A plain push's project the same. Against the session's real Label Studio."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotate.cli import app
from annotate.review.queue_tasks import reviewer_projects
from annotate.settings import HOME_ENV
from annotate.studio import pushed_projects
from annotate.studio.client import StudioClient
from annotate.studio.connection import KEY_ENV, URL_ENV, Connection
from annotate.studio.projects import project_set

from .helpers import PRELABELS
from .review_team import add_team, push_set, run

pytestmark = pytest.mark.integration

# the record's own folder rule (tests/conftest.py gives each test a folder of its own)
RECORDS_FOLDER = pushed_projects.records_folder
SHARED_FOLDER = pushed_projects.shared_folder  # the user's, beside $ANNOTATE_HOME's


def test_a_push_says_a_queue_it_made_was_deleted_and_remakes_it_only_when_told(
    client: StudioClient, name: str
) -> None:
    ana, ben = add_team(("ana", "ben"), "deleted-queue.test")
    push_set(name, (ana, ben), "-q")
    queues = reviewer_projects(client, name)
    gone = queues[ben]
    client.sdk.projects.delete(int(gone["id"]))

    text = push_set(name, (ana, ben), "-q", code=1)
    assert f"{gone['title']!r} (id {gone['id']}, the queue of {ben})" in text, text
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


def test_a_plain_push_names_its_project_renamed_not_deleted(
    client: StudioClient, name: str
) -> None:
    """Stop 47's new-user pass (F16): renamed in Label Studio, the project was called
    deleted and --recreate-deleted offered (a second project, its passages sent again)."""
    push = ["push", str(PRELABELS), "--project", name, "-q"]
    run(*push)
    (project,) = project_set(client, name).projects
    client.update_project(int(project["id"]), title=f"{name} old")
    for extra in ((), ("--recreate-deleted",)):
        text = run(*push, *extra, code=1)
        assert f"id {project['id']} is now titled '{name} old'" in text, text
        assert f"rename it back to {name!r}" in text, text
    assert project_set(client, name).kind == "none"  # nothing made under the old name
    client.update_project(int(project["id"]), title=name)
    run(*push)  # renamed back: the push goes on (exit 0), into the same project
    assert [p["id"] for p in project_set(client, name).projects] == [project["id"]]


def test_a_push_from_another_folder_to_the_same_server_says_its_project_was_deleted(
    client: StudioClient,
    studio: Connection,
    name: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """break45 #3: the record lived in the working folder's .annotate, so a user pushing
    from another folder with LABEL_STUDIO_URL/KEY set (a team server's way) made the
    deleted project again, silently, and left a .annotate there. The record is the
    user's now ($XDG_STATE_HOME/annotate), whichever folder pushes; a push with
    $ANNOTATE_HOME set records it under it and in the user's folder (passK54 K8)."""
    monkeypatch.setattr(pushed_projects, "records_folder", RECORDS_FOLDER)
    monkeypatch.setattr(pushed_projects, "shared_folder", SHARED_FOLDER)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    push = ["push", str(PRELABELS), "--project", name, "-q"]
    run(*push)  # the local server, from its work folder ($ANNOTATE_HOME)
    (project,) = project_set(client, name).projects
    client.sdk.projects.delete(int(project["id"]))

    other = tmp_path / "elsewhere"
    other.mkdir()
    monkeypatch.chdir(other)
    monkeypatch.delenv(HOME_ENV)
    monkeypatch.setenv(URL_ENV, studio.url)
    monkeypatch.setenv(KEY_ENV, studio.api_key)
    text = run(*push, code=1)
    assert f"{name!r} (id {project['id']})" in text and "--recreate-deleted" in text, text
    record = tmp_path / "state" / "annotate" / "pushed-projects"
    assert f"recorded in {record}" in " ".join(text.split()), text
    assert project_set(client, name).kind == "none"  # nothing made
    assert "created: 6 created" in run(*push, "--recreate-deleted")
    assert not (other / ".annotate").exists()


def test_a_remade_queue_is_named_by_its_reviewer_and_nobody_joined(
    client: StudioClient, name: str
) -> None:
    """break45 #4: the refusal named the deleted queue only by its pseudonym, and after
    `--recreate-deleted` made it again the push warned that its reviewer "joined" the set
    (no queue in it before) and suggested handing their tasks on."""
    _, ben = add_team(("ana", "ben"), "remade-queue.test")
    push = ["push", str(PRELABELS), "--project", name, "-k", "2"]  # every reviewer account
    run(*push)
    gone = reviewer_projects(client, name)[ben]
    client.sdk.projects.delete(int(gone["id"]))

    text = " ".join(run(*push, code=1).split())
    assert f"{gone['title']!r} (id {gone['id']}, the queue of {ben})" in text, text

    text = " ".join(run(*push, "--recreate-deleted").split())
    assert "joined" not in text, text
    assert f"the queue(s) of {ben} in {name!r} were made again (--recreate-deleted)" in text, text
    assert ben in reviewer_projects(client, name)


def test_status_names_a_deleted_queue_and_the_push_that_makes_it_again(
    client: StudioClient, name: str
) -> None:
    """Stop 46's new-user pass (#11): with cai's queue deleted, `review status` listed the
    other queues and said the passages "in fewer than 2 queues" wait for the same
    pre-labels pushed again, which the deleted-queue guard refuses. It now names the
    queue (title and id as recorded, whose it was) and the push that makes it again."""
    ana, ben = add_team(("ana", "ben"), "status-deleted.test")
    push_set(name, (ana, ben), "-q")
    gone = reviewer_projects(client, name)[ben]
    client.sdk.projects.delete(int(gone["id"]))

    text = " ".join(run("review", "status", "--project", name).split())
    assert f"{gone['title']!r} (id {gone['id']}, the queue of {ben})" in text, text
    assert "6 in fewer than 2 queues: a reviewer queue was deleted" in text, text
    # the file the push sent, not a placeholder (stop 47's new-user pass, F11)
    pushed = shlex.quote(str(PRELABELS.resolve()))
    assert f"annotate push {pushed} --project {name} -k 2 --recreate-deleted" in text, text
    assert "push the same pre-labels again to queue them" not in text, text
    listed = CliRunner().invoke(app, ["review", "status", "--project", name, "--json"])
    assert json.loads(listed.stdout)["deleted_queues"] == [
        {"project_id": int(gone["id"]), "title": gone["title"], "reviewer": ben}
    ], listed.output
    assert "no longer on the server" in listed.stderr, listed.output  # the warning too

    push_set(name, (ana, ben), "-q", "--recreate-deleted")  # as status says
    text = " ".join(run("review", "status", "--project", name).split())
    assert "no longer on the server" not in text and "recreate" not in text, text
    listed = CliRunner().invoke(app, ["review", "status", "--project", name, "--json"])
    assert json.loads(listed.stdout)["deleted_queues"] == [], listed.output
