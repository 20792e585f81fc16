"""A reviewer who answers in a colleague's queue (Community lets every member open every
project; each of a team answered in the other's) made export, agreement and adjudicate
stop with "it was pushed with another salt", whose fix (another ANNOTATE_HOME or salt)
could not help: the salt was the one that pushed. Against a real Label Studio: they now
run, warn that those queues hold answers by another account than their reviewer (not
given blind), and export the answers under their own pseudonyms; another salt still gets
the salt error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.corpus.resolve import pseudonym
from annotate.corpus.salt import reviewer_salt
from annotate.review.queue_tasks import reviewer_projects
from annotate.review.reviewers import find_user
from annotate.studio.client import StudioClient

from .helpers import answer_result
from .review_team import add_team, answer_as, push_set, run

pytestmark = pytest.mark.integration


def test_answers_in_a_colleagues_queue_are_exported_with_a_warning(
    client: StudioClient,
    name: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    team = add_team(("ana", "ben"), "astray.test")
    ana, ben = team
    push_set(name, (ana, ben), "-q")
    queues = reviewer_projects(client, name)
    # each answers every passage of the other's queue, none of their own
    for who, queue in ((ana, queues[ben]), (ben, queues[ana])):
        qid = int(queue["id"])
        for task in client.iter_tasks(qid):
            answer_as(client, who, qid, task["data"]["passage_id"], ["none"])
    caplog.clear()
    out = run("export", "--project", name, "--out", str(tmp_path / "corpus"))
    assert "hold answers by another account than their reviewer" in caplog.text, out
    assert "another salt" not in out + caplog.text
    rows = [
        json.loads(line)
        for split in (tmp_path / "corpus" / "jsonl").glob("*.jsonl")
        for line in split.read_text().splitlines()
    ]
    salt = reviewer_salt()
    expected = {pseudonym((find_user(client, e) or {})["id"], salt) for e in (ana, ben)}
    assert rows and all({a["reviewer"] for a in r["annotations"]} == expected for r in rows), rows[
        0
    ]["annotations"]
    caplog.clear()
    run("agreement", "--project", name)
    assert "hold answers by another account" in caplog.text
    monkeypatch.setenv("ANNOTATE_PSEUDONYM_SALT", "another-salt")
    other = run("export", "--project", name, "--out", str(tmp_path / "other"), code=1)
    assert "pushed with another salt" in other, other


def test_answers_only_by_the_admin_are_astray_not_another_salt(
    client: StudioClient,
    name: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Stop 46's new-user pass (#15): the admin answered in the reviewer queues (nobody
    else yet), and export, agreement and adjudicate refused with "pushed with another
    salt ... run from the folder that pushed it", run from that folder. They now run and
    say whose the answers are: an account that is no reviewer of the set."""
    ana, ben = add_team(("ana", "ben"), "admin-answers.test")
    push_set(name, (ana, ben), "-q")
    admin = int(client.whoami()["id"])
    for queue in reviewer_projects(client, name).values():
        for task in client.iter_tasks(int(queue["id"])):
            made = client.sdk.annotations.create(
                id=task["id"], result=answer_result(["none"]), completed_by=admin
            )
            assert made.id is not None
    for command in (
        ["export", "--project", name, "--out", str(tmp_path / "corpus")],
        ["agreement", "--project", name],
        ["adjudicate", "--project", name],
    ):
        caplog.clear()
        out = run(*command)
        assert "another salt" not in out + caplog.text, (command, out)
        said = " ".join(caplog.text.split())
        whose = f"answers by {pseudonym(admin, reviewer_salt())} (the admin account), not a "
        assert f"{whose}reviewer of this review set" in said, (command, said)
    monkeypatch.setenv("ANNOTATE_PSEUDONYM_SALT", "another-salt")
    other = run("export", "--project", name, "--out", str(tmp_path / "other"), code=1)
    assert "pushed with another salt" in other, other


def test_the_admins_answers_leave_the_queue_its_reviewers_and_a_deleted_queue_is_named(
    client: StudioClient, name: str, tmp_path: Path
) -> None:
    """Stop 47's new-user pass (F8, F9, F12): the admin answered 2 tasks in Ana's queue
    (more than Ana had), then Ben's queue was deleted. Export named Ana's queue as the
    admin's in the manifest and report; status counted the admin's answers as Ana's with
    no warning; export blamed --max-graphic-per-reviewer for the passages left short."""
    ana, ben = add_team(("ana", "ben"), "admin-in-queue.test")
    push_set(name, (ana, ben), "-q")
    admin = int(client.whoami()["id"])
    queues = reviewer_projects(client, name)
    ana_q = int(queues[ana]["id"])
    first, second, third, *_ = client.iter_tasks(ana_q)
    for task in (first, second):
        made = client.sdk.annotations.create(
            id=task["id"], result=answer_result(["none"]), completed_by=admin
        )
        assert made.id is not None
    answer_as(client, ana, ana_q, third["data"]["passage_id"], ["none"])
    salt = reviewer_salt()
    alias = pseudonym((find_user(client, ana) or {})["id"], salt)

    status = " ".join(run("review", "status", "--project", name, "-q").split())
    assert "1 answered (+2 by another account, see below)" in status, status
    assert "warning: 2 task(s) in 1 reviewer queue of" in status, status

    out = tmp_path / "corpus"
    run("export", "--project", name, "--out", str(out))
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["label_studio_projects"][f"reviewer {alias}"] == ana_q, manifest
    assert f"reviewer {pseudonym(admin, salt)}" not in manifest["label_studio_projects"]
    assert f"{alias}'s queue (id {ana_q})" in (out / "report" / "report.md").read_text()

    gone = queues[ben]
    client.sdk.projects.delete(int(gone["id"]))
    said = " ".join(run("export", "--project", name, "--out", str(tmp_path / "after")).split())
    ben_alias = pseudonym((find_user(client, ben) or {})["id"], salt)
    assert f"warning: reviewer queue {ben_alias}'s (id {gone['id']}) of" in said, said
    assert "--max-graphic-per-reviewer holds" not in said, said
