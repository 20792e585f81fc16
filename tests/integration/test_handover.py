"""A reviewer leaves: `annotate review status` shows their open tasks, `annotate review
reassign` hands those (only those) to another reviewer, blind and with gold and
provenance kept, against a real Label Studio with real reviewer logins."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from annotate.cli import app
from annotate.review.queue_tasks import reviewer_projects
from annotate.review.reviewers import ReviewerSession, find_user
from annotate.studio.client import StudioClient

from .helpers import GOLD, PRELABELS, answer_of, choices
from .review_team import add_team, push_set, run

pytestmark = pytest.mark.integration


def new_team() -> dict[str, str]:
    """Three fresh reviewer accounts: e-mail -> password."""
    return add_team(("ana", "ben", "cai"), "handover.test")


def as_email_queues(client: StudioClient, name: str) -> dict[str, dict[str, Any]]:
    """The queues of review set ``name`` titled and marked as before pseudonyms (``NAME ·
    LOCALPART``, the e-mail in the marker); e-mail -> queue, as they were before."""
    before = reviewer_projects(client, name)
    for email, proj in before.items():
        client.update_project(
            int(proj["id"]),
            title=f"{name} · {email.split('@')[0]}",
            description=f'Review queue of {email}.\n[annotate-review] project="{name}" '
            f"reviewer={email}",
        )
    return before


@pytest.fixture(scope="module")
def team(studio: object) -> dict[str, str]:
    """Three reviewer accounts shared by the tests that leave every account a member (each
    pushes into its own fresh review set, so none sees another's queues or answers)."""
    return new_team()


@pytest.fixture()
def own_team(studio: object) -> dict[str, str]:
    """Three fresh accounts, for a test that removes one from the organization."""
    return new_team()


def answer(
    client: StudioClient,
    email: str,
    password: str,
    project_id: int,
    passage: str,
    *,
    skip: bool = False,
) -> None:
    """``email`` answers (or skips) the task of ``passage`` in their queue, logged in."""
    session = ReviewerSession(client.url, email, password)
    try:
        (task,) = [t for t in client.iter_tasks(project_id) if t["data"]["passage_id"] == passage]
        body = {"result": [choices("category", ["none"]), choices("severity", ["none"])]}
        if skip:
            body = {"result": [], "was_cancelled": True}
        session.post(f"/api/tasks/{task['id']}/annotations/", {**body, "project": project_id})
    finally:
        session.close()


def held(client: StudioClient, project_id: int) -> dict[str, dict]:
    return {
        t["data"]["passage_id"]: t for t in client.iter_tasks(project_id, include="id,data,meta")
    }


def test_a_departed_reviewers_open_tasks_are_reported_and_handed_on(
    client: StudioClient, name: str, own_team: dict[str, str], tmp_path: Path
) -> None:
    ana, ben, cai = own_team
    push = ["push", str(PRELABELS), "--project", name, "-k", "1", "-q"]
    run(*push, "--gold", str(GOLD), "--gold-rate", "0.25", "--reviewer", ana, "--reviewer", ben)
    queues = reviewer_projects(client, name)
    ana_q, ben_q = int(queues[ana]["id"]), int(queues[ben]["id"])
    (gold,) = [p for p, t in held(client, ana_q).items() if "annotate_gold" in t["meta"]]
    ana_regular = sorted(p for p in held(client, ana_q) if p != gold)
    assert len(ana_regular) == 3
    # ana answers one task and skips one, then leaves
    answer(client, ana, own_team[ana], ana_q, ana_regular[0])
    answer(client, ana, own_team[ana], ana_q, ana_regular[1], skip=True)
    answered = ana_regular[:2]

    status = run("review", "status", "--project", name)
    assert f"{ana} (r-" in status and "[account removed]" not in status
    assert re.search(r": 4 tasks, 1 answered, 1 skipped, 2 open \(1 gold\)", status), status
    assert ": 4 tasks, 0 answered, 0 skipped, 4 open (1 gold)" in status  # ben
    assert cai not in status  # no queue yet

    out = run("review", "reassign", "--project", name, "--from", ana, "--to", cai)
    assert "2 open task(s) (1 gold) moved from" in out and "(new queue)" in out, out
    queues = reviewer_projects(client, name)
    cai_q = int(queues[cai]["id"])
    mine = held(client, cai_q)
    moved = [*(set(ana_regular) - set(answered)), gold]
    assert sorted(mine) == sorted(moved)
    assert sorted(held(client, ana_q)) == sorted(answered)  # her answer and skip stay hers
    assert "annotate_gold" in mine[gold]["meta"]  # still gold
    record = mine[gold]["meta"]["annotate_handover"]
    assert record["from_project"] == ana_q and record["from"].startswith("r-")
    assert ana not in str(client.get_project(cai_q))  # pseudonyms only, there too
    predictions = client._get("api/predictions/", "listing predictions", project=cai_q)
    assert sorted(p["task"] for p in predictions) == sorted(t["id"] for t in mine.values())

    # cai answers the gold passage; ben's copy of it must then stay with ben
    answer(client, cai, own_team[cai], cai_q, gold)
    # ben leaves the organization: his queue is known by pseudonym only from then on
    user = find_user(client, ben) or {}
    org = client._get("api/organizations/", "reading the organization")[0]["id"]
    with client.guard("removing the reviewer"):
        client._http.request(f"api/organizations/{org}/memberships/{user['id']}/", method="DELETE")
    status = run("review", "status", "--project", name)
    gone = re.search(r"(r-[0-9a-f]{10}) \[account removed\]: 4 tasks, 0 answered", status)
    assert gone and ben not in status, status
    assert f"annotate review reassign --project '{name}' --from {gone.group(1)}" in status
    out = run("review", "reassign", "--project", name, "--from", gone.group(1), "--to", cai)
    assert "3 open task(s) (0 gold) moved" in out, out
    # his gold copy does not go to cai, who holds it; he is gone, so nobody would answer it
    # there, and left open it kept the round open for good: it is removed
    assert "1 open gold task(s) removed from r-" in out and "gold task(s) left with" not in out
    assert "gives them gold again" not in out, out  # a removed account gets no push
    assert sorted(held(client, ben_q)) == []
    assert len(held(client, cai_q)) == 5  # each passage once
    again = run("review", "reassign", "--project", name, "--from", gone.group(1), "--to", cai)
    assert "nothing to hand on" in again and "gold" not in again, again

    status = run("review", "status", "--project", name)
    assert ": 5 tasks, 1 answered, 0 skipped, 4 open" in status  # cai
    # every passage still has exactly one reviewer (K = 1), each held once
    copies = [
        p for q in reviewer_projects(client, name).values() for p in held(client, int(q["id"]))
    ]
    everyone = [json.loads(line)["id"] for line in PRELABELS.read_text().splitlines()]
    assert sorted(set(copies) - {gold}) == sorted(everyone)
    assert len(copies) - copies.count(gold) == 6 and copies.count(gold) == 1  # cai's answered one

    # export reads the moved tasks like any: ana's answer, and cai's gold answer scored
    run("export", "--project", name, "--out", str(tmp_path / "corpus"), "-q")
    manifest = json.loads((tmp_path / "corpus" / "manifest.json").read_text())
    rows = [
        json.loads(line)
        for f in (tmp_path / "corpus" / "jsonl").glob("*.jsonl")
        for line in f.read_text().splitlines()
    ]
    assert [r["id"] for r in rows] == [answered[0]], manifest
    assert manifest["review"]["gold_passages"] == 1  # cai's answer to the moved gold task
    assert manifest["review"]["skipped_by_reviewers"] == {"tasks": 1, "skips": 1}  # ana's

    wrong = run(
        "review", "reassign", "--project", name, "--from", ana, "--to", "nobody@x.org", code=1
    )
    assert "annotate reviewers add nobody@x.org" in wrong and "Traceback" not in wrong
    assert len(wrong.strip().splitlines()) == 1
    wrong = run("review", "status", "--project", f"{name}-none", code=1)
    assert "is neither a review set nor a project" in wrong and len(wrong.strip().splitlines()) == 1


def test_queues_made_with_the_email_are_renamed_to_the_pseudonym(
    client: StudioClient, name: str, team: dict[str, str]
) -> None:
    """Queues of earlier versions (title ``NAME · LOCALPART``, the e-mail in the marker)
    are found by the next push, which renames them in place: same queue, same tasks."""
    ana, ben, _ = team
    push = ["push", str(PRELABELS), "--project", name, "-k", "2", "--reviewer", ana]
    run(*push, "--reviewer", ben)
    before = as_email_queues(client, name)
    assert reviewer_projects(client, name).keys() == before.keys()
    out = run(*push, "--reviewer", ben)
    assert out.count(" 0 added (0 gold), 6 already there") == 2, out
    after = reviewer_projects(client, name)
    assert {e: p["id"] for e, p in after.items()} == {e: p["id"] for e, p in before.items()}
    for email, proj in after.items():
        shown = str(client.get_project(int(proj["id"])))
        assert email not in shown and email.split("@")[0] not in shown
        assert proj["title"] == before[email]["title"]  # the pseudonym title again


def test_email_queues_pushed_to_from_a_machine_without_a_salt_get_its_new_salt(
    client: StudioClient,
    name: str,
    team: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The salt is made only once a review push is accepted; the queues of a set made
    before pseudonyms, found before it exists, are renamed under the salt then made (not
    under the throwaway one they were found with)."""
    from annotate.corpus.resolve import pseudonym
    from annotate.review.fanout import push_review
    from annotate.review.reviewers import list_reviewers

    ana, ben, _ = team
    push_set(name, (ana, ben))
    before = as_email_queues(client, name)
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path))  # a machine without a salt
    monkeypatch.delenv("ANNOTATE_PSEUDONYM_SALT")
    result = push_review(PRELABELS, name, 2, reviewers=[ana, ben], client=client)
    assert sum(s.created for s in result.reviewers) == 0
    salt = (tmp_path / "pseudonym_salt").read_text().strip()
    ids = {str(u["email"]).lower(): int(u["id"]) for u in list_reviewers(client)}
    after = reviewer_projects(client, name)
    assert {e: p["id"] for e, p in after.items()} == {e: p["id"] for e, p in before.items()}
    for email, proj in after.items():
        assert proj["title"] == f"{name} · {pseudonym(ids[email], salt)}"


def test_a_review_set_of_another_salt_is_one_error_and_no_second_queue(
    client: StudioClient, name: str, team: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Status and reassign under a salt the review set was not pushed with: every queue
    would look like a removed reviewer's, and a hand-over would give --to a second queue
    (passages they already hold in their own). Both are one clear error instead."""
    ana, ben, _ = team
    push_set(name, (ana, ben))
    before = sorted(p["id"] for p in reviewer_projects(client, name).values())
    monkeypatch.setenv("ANNOTATE_PSEUDONYM_SALT", "another-salt")
    status = run("review", "status", "--project", name, code=1)
    assert "pushed with another salt" in status and "[account removed]" not in status, status
    assert len(status.strip().splitlines()) == 1 and "Traceback" not in status
    alias = re.search(r"\(e\.g\. (r-[0-9a-f]{10})\)", status).group(1)  # type: ignore[union-attr]
    out = run("review", "reassign", "--project", name, "--from", alias, "--to", ben, code=1)
    assert "pushed with another salt" in out and len(out.strip().splitlines()) == 1, out
    monkeypatch.setenv("ANNOTATE_PSEUDONYM_SALT", "test-salt")
    assert sorted(p["id"] for p in reviewer_projects(client, name).values()) == before


def test_gold_alone_is_not_handed_on_and_makes_no_queue(
    client: StudioClient, name: str, team: dict[str, str]
) -> None:
    """A reviewer whose open tasks are gold only (or none): a hand-over moves nothing and
    makes the new reviewer no queue (a push makes no gold-only or empty queue either).
    With --not-away (still at work) her gold stays open; a hand-over that leaves her away
    removes it: nobody would answer it, and left open it kept the round open for good
    (`annotate adjudicate` refused, every export said the review was under way).

    Her six answers are made logged in as her (helpers.answer_of: one login, its session
    kept for the next answers; a fresh login per answer, each a password check on the
    server, made this the slowest and most load-bound part of the test, which flaked once
    under load in CI); what a hand-over does depends only on which tasks are answered, and
    the status line below checks that first."""
    ana, ben, cai = team
    push = ["push", str(PRELABELS), "--project", name, "-k", "2", "-q"]
    run(*push, "--gold", str(GOLD), "--gold-rate", "0.25", "--reviewer", ana, "--reviewer", ben)
    ana_q = int(reviewer_projects(client, name)[ana]["id"])
    tasks = held(client, ana_q)
    gold = sorted(p for p, t in tasks.items() if "annotate_gold" in t["meta"])
    assert gold and len(tasks) > len(gold), tasks  # gold and regular passages both
    ana_id = int((find_user(client, ana) or {})["id"])
    body = [choices("category", ["none"]), choices("severity", ["none"])]
    for passage in sorted(set(tasks) - set(gold)):
        answer_of(client, int(tasks[passage]["id"]), ana_id, body)
    status = run("review", "status", "--project", name)
    regular, n_gold = len(tasks) - len(gold), len(gold)
    line = f": {len(tasks)} tasks, {regular} answered, 0 skipped, {n_gold} open ({n_gold} gold)"
    assert line in status, status  # every regular task of hers answered, only gold open
    move = ["review", "reassign", "--project", name, "--from", ana, "--to", cai]
    out = run(*move, "--not-away")
    assert "(0 gold) moved" not in out and f"nothing moved from {ana} (r-" in out, out
    assert f"to {cai} (r-" in out, out
    assert f"(no queue made): their open tasks in {name!r} stay with {ana} (r-" in out, out
    assert "open gold task(s) left with" in out and "nothing to hand on" in out, out
    assert cai not in reviewer_projects(client, name)
    assert sorted(held(client, ana_q)) == sorted(tasks)  # her gold stays open there
    status = run("review", "status", "--project", name)
    assert cai not in status and line in status, status
    out = run(*move)  # she leaves: her gold would stay open for good
    assert f"{n_gold} open gold task(s) removed from {ana} (r-" in out, out
    assert "open gold task(s) left with" not in out and cai not in reviewer_projects(client, name)
    assert sorted(held(client, ana_q)) == sorted(set(tasks) - set(gold))  # her answers stay
    status = run("review", "status", "--project", name)
    assert f": {regular} tasks, {regular} answered, 0 skipped, 0 open" in status, status
    assert "are still open" not in run("adjudicate", "--project", name)  # the round is over


def test_a_copy_of_a_task_answered_after_an_interrupted_move_is_removed(
    client: StudioClient, name: str, team: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A move interrupted after the copies were made, then the former reviewer answers
    one of them before the re-run: the re-run leaves that task with its reviewer and
    removes its copy, so the passage keeps exactly K holders."""
    ana, ben, cai = team
    push_set(name, (ana, ben))
    ana_q = int(reviewer_projects(client, name)[ana]["id"])

    def interrupted(self: StudioClient, ids: list[int], **kwargs: object) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as mp:
        mp.setattr(StudioClient, "delete_tasks", interrupted)
        args = ["review", "reassign", "--project", name, "--from", ana, "--to", cai]
        assert CliRunner().invoke(app, args).exit_code != 0  # interrupted (Ctrl-C)
    cai_q = int(reviewer_projects(client, name)[cai]["id"])
    assert len(held(client, cai_q)) == 6  # copied, none deleted from ana's queue yet
    first = sorted(held(client, ana_q))[0]
    answer(client, ana, team[ana], ana_q, first)
    out = run("review", "reassign", "--project", name, "--from", ana, "--to", cai)
    assert "5 open task(s) (0 gold) moved" in out and "1 answered during the move" in out, out
    assert sorted(held(client, ana_q)) == [first]
    assert sorted(held(client, cai_q)) == sorted(
        set(held(client, int(reviewer_projects(client, name)[ben]["id"]))) - {first}
    )


def test_a_push_after_a_reviewer_left_gives_no_passage_a_k_plus_first_holder(
    client: StudioClient, name: str, own_team: dict[str, str]
) -> None:
    """The next push of the same pre-labels after a reviewer left (or with other
    --reviewer): the passages in their queue, answered ones counted by export, are held
    already; none goes to a third reviewer when K = 2."""
    ana, ben, cai = own_team
    push = ["push", str(PRELABELS), "--project", name, "-k", "2"]
    run(*push, "--reviewer", ana, "--reviewer", ben)
    ana_q = int(reviewer_projects(client, name)[ana]["id"])
    answer(client, ana, own_team[ana], ana_q, sorted(held(client, ana_q))[0])
    user = find_user(client, ana) or {}
    org = client._get("api/organizations/", "reading the organization")[0]["id"]
    with client.guard("removing the reviewer"):
        client._http.request(f"api/organizations/{org}/memberships/{user['id']}/", method="DELETE")
    out = run(*push, "--reviewer", ben, "--reviewer", cai)
    assert " 0 added (0 gold), 6 already there" in out and f"no passage for {cai}" in out, out
    queues = reviewer_projects(client, name)
    assert cai not in queues
    copies = [p for q in queues.values() for p in held(client, int(q["id"]))]
    assert sorted(copies) == sorted(2 * list(held(client, int(queues[ben]["id"]))))


def test_reassign_to_the_admin_or_no_email_says_so(
    client: StudioClient, name: str, team: dict[str, str]
) -> None:
    """--to the admin's e-mail, or a word that is no e-mail: a one-line error that says
    which, not "add it first: annotate reviewers add ..." (which cannot help)."""
    ana, ben, _ = team
    push_set(name, (ana, ben))
    admin = str(client.whoami()["email"])
    out = run("review", "reassign", "--project", name, "--from", ana, "--to", admin, code=1)
    assert "admin account" in out and f"annotate reviewers add {admin}" not in out, out
    assert len(out.strip().splitlines()) == 1, out
    out = run("review", "reassign", "--project", name, "--from", ana, "--to", "ben", code=1)
    assert "'ben' is not an e-mail address" in out and len(out.strip().splitlines()) == 1, out


def test_a_removed_reviewers_queue_named_by_email_hands_over_by_pseudonym(
    client: StudioClient, name: str, own_team: dict[str, str]
) -> None:
    """A queue made before pseudonyms (its e-mail in title and marker) whose reviewer
    left: Label Studio blanks a removed member's e-mail, so the queue is known by that
    e-mail only. The hand-over writes no e-mail into the moved tasks (every member can
    read a task's meta): the pseudonym, from the author of an answer in the queue, and
    the queue is renamed to it."""
    ana, ben, cai = own_team
    push_set(name, (ana, ben))
    ana_q = int(reviewer_projects(client, name)[ana]["id"])
    client.update_project(
        ana_q,
        title=f"{name} · {ana.split('@')[0]}",
        description=f'Review queue of {ana}.\n[annotate-review] project="{name}" reviewer={ana}',
    )
    answer(client, ana, own_team[ana], ana_q, sorted(held(client, ana_q))[0])
    user = find_user(client, ana) or {}
    org = client._get("api/organizations/", "reading the organization")[0]["id"]
    with client.guard("removing the reviewer"):
        client._http.request(f"api/organizations/{org}/memberships/{user['id']}/", method="DELETE")
    assert f"{ana} [account removed]" in run("review", "status", "--project", name)
    out = run("review", "reassign", "--project", name, "--from", ana, "--to", cai)
    assert "5 open task(s) (0 gold) moved from r-" in out, out
    cai_q = int(reviewer_projects(client, name)[cai]["id"])
    records = [t["meta"]["annotate_handover"] for t in held(client, cai_q).values()]
    assert len(records) == 5 and all(str(r["from"]).startswith("r-") for r in records)
    assert ana.split("@")[0] not in str(records) + str(client.get_project(ana_q)), records


def test_status_on_what_is_no_review_set_says_what_it_is(
    client: StudioClient, name: str, team: dict[str, str]
) -> None:
    """A plain project (its own status since 2 Dec 2026: tasks, answered, skipped, open;
    tests/integration/test_review_status_plain.py), a reviewer's queue by its title, a
    typo of a review set: one line each saying what the name is, and the name to pass."""
    ana, ben, _ = team
    run("push", str(PRELABELS), "--project", f"{name}-plain", "-q")
    out = run("review", "status", "--project", f"{name}-plain")
    assert "no review set (pushed without --reviewers-per-task" in out, out
    push_set(name, (ana, ben))
    queue = str(reviewer_projects(client, name)[ana]["title"])
    out = run("review", "status", "--project", queue, code=1)
    assert f"Fix: pass --project '{name}'." in out and len(out.strip().splitlines()) == 1, out
    client.create_project(f"{name} · adjudication", "<View></View>")
    out = run("review", "status", "--project", f"{name} · adjudication", code=1)
    assert f"adjudication project of the review set '{name}'" in out, out
    out = run("review", "reassign", "--project", name[:-1], "--from", ana, "--to", ben, code=1)
    assert f"did you mean '{name}'" in out and len(out.strip().splitlines()) == 1, out


def test_a_move_to_another_reviewer_after_an_interrupted_one_is_refused(
    client: StudioClient, name: str, team: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hand-over to cai interrupted after its copies were made, then one to dan: dan
    would get the same passages while cai's copies stay (K+1 holders). One line naming
    the command that finishes the first instead; nothing is copied to dan."""
    ana, ben, cai = team
    dan = f"dan-{uuid.uuid4().hex[:6]}@handover.test"
    run("reviewers", "add", dan)
    push_set(name, (ana, ben))

    def interrupted(self: StudioClient, ids: list[int], **kwargs: object) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as mp:
        mp.setattr(StudioClient, "delete_tasks", interrupted)
        args = ["review", "reassign", "--project", name, "--from", ana, "--to", cai]
        assert CliRunner().invoke(app, args).exit_code != 0  # interrupted
    out = run("review", "reassign", "--project", name, "--from", ana, "--to", dan, code=1)
    assert "was interrupted" in out and f"--to {cai}" in out, out
    assert len(out.strip().splitlines()) == 1 and dan not in reviewer_projects(client, name)
    out = run("review", "reassign", "--project", name, "--from", ana, "--to", cai)
    assert "6 open task(s) (0 gold) moved" in out, out


def test_reassign_to_a_removed_members_email_says_so(
    client: StudioClient, name: str, own_team: dict[str, str]
) -> None:
    """--to the e-mail of a member removed from the organization: Label Studio blanks it
    in the user list, and `annotate reviewers add` refuses it (the e-mail is taken), so
    the error says the account is no member and names a fix that works. An e-mail of no
    account still says to add it, and asking made no account."""
    ana, ben, cai = own_team
    push_set(name, (ana, ben))
    user = find_user(client, cai) or {}
    org = client._get("api/organizations/", "reading the organization")[0]["id"]
    with client.guard("removing the reviewer"):
        client._http.request(f"api/organizations/{org}/memberships/{user['id']}/", method="DELETE")
    out = run("review", "reassign", "--project", name, "--from", ana, "--to", cai, code=1)
    assert "no member of the organization" in out and f"reviewers add {cai}" not in out, out
    assert len(out.strip().splitlines()) == 1 and "Traceback" not in out, out
    fresh = f"new-{uuid.uuid4().hex[:6]}@handover.test"
    out = run("review", "reassign", "--project", name, "--from", ana, "--to", fresh, code=1)
    assert f"annotate reviewers add {fresh}" in out and len(out.strip().splitlines()) == 1, out
    assert find_user(client, fresh) is None
    assert "password: " in run("reviewers", "add", fresh)  # the probe did not take it


def test_an_open_task_holding_a_draft_stays_unless_drafts_are_discarded(
    client: StudioClient, name: str, team: dict[str, str]
) -> None:
    """A reviewer mid-answer (a draft: an answer started, not submitted) on an open task:
    moving it would delete the task with the draft under them, and a draft cannot be
    handed on (only its author sees it). `review status` counts it among the open tasks
    holding a draft; a move leaves it and reports it, the others move. --discard-drafts
    moves it too and says the draft is gone."""
    ana, ben, cai = team
    push_set(name, (ana, ben))
    ana_q = int(reviewer_projects(client, name)[ana]["id"])
    first = sorted(held(client, ana_q))[0]
    task_id = int(held(client, ana_q)[first]["id"])
    session = ReviewerSession(client.url, ana, team[ana])
    try:
        body = {"result": [choices("category", ["none"])], "lead_time": 3.0}
        session.post(f"/api/tasks/{task_id}/drafts", body)
    finally:
        session.close()
    # the lead sees it in the status: open, neither answered nor untouched
    status = run("review", "status", "--project", name)
    assert re.search(r": 6 tasks, 0 answered, 0 skipped, 6 open \(1 with a draft\)", status)
    assert ": 6 tasks, 0 answered, 0 skipped, 6 open ->" in status, status  # ben: none
    assert "1 open task(s) hold a draft" in status, status
    out = run("review", "reassign", "--project", name, "--from", ana, "--to", cai)
    assert "5 open task(s) (0 gold) moved" in out and "1 left with" in out, out
    assert "hold a draft" in out and "--discard-drafts" in out, out
    assert sorted(held(client, ana_q)) == [first]
    drafts = client._get(f"api/tasks/{task_id}/drafts", "listing drafts")
    assert len(drafts) == 1, drafts  # her unsaved answer is still there
    cai_q = int(reviewer_projects(client, name)[cai]["id"])
    assert first not in held(client, cai_q) and len(held(client, cai_q)) == 5
    args = ["review", "reassign", "--project", name, "--from", ana, "--to", cai]
    out = run(*args, "--discard-drafts")
    assert "1 open task(s) (0 gold) moved" in out and "1 draft(s) deleted" in out, out
    assert held(client, ana_q) == {} and len(held(client, cai_q)) == 6


def test_moved_tasks_take_their_place_by_priority_in_the_queue_tab(
    client: StudioClient, name: str, team: dict[str, str]
) -> None:
    """Moved tasks are the newest of the new reviewer's queue (task ids: import order);
    its Queue tab lists the queue riskiest first whatever the ids, a tab made before that
    ordering too, and "Label Tasks As Displayed" (the tab's ordering sent to the
    next_task action, as the browser does) serves the riskiest open task first."""
    run("push", str(PRELABELS), "--project", name, "-k", "2", *[f"--reviewer={e}" for e in team])
    queues = {e: int(p["id"]) for e, p in reviewer_projects(client, name).items()}
    prio = {
        e: {p: float(t["data"]["priority"]) for p, t in held(client, q).items()}
        for e, q in queues.items()
    }

    def outranks(src: str, dst: str) -> bool:  # a moved passage ranks above one of dst's
        moving = [v for p, v in prio[src].items() if p not in prio[dst]]
        return bool(moving) and max(moving) > min(prio[dst].values())

    src, dst = next((s, d) for s in team for d in team if s != d and outranks(s, d))
    (tab,) = [v for v in client.list_views(queues[dst]) if v["data"]["title"] == "Queue"]
    assert tab["data"]["ordering"] == ["-tasks:data.priority"]
    old = {k: v for k, v in tab["data"].items() if k not in ("ordering", "columnsDisplayType")}
    client.update_view(int(tab["id"]), queues[dst], old)  # as queues made before had it
    out = run("review", "reassign", "--project", name, "--from", src, "--to", dst)
    assert "open task(s) (0 gold) moved" in out and "(new queue)" not in out, out
    by_id = sorted(client.iter_tasks(queues[dst]), key=lambda t: int(t["id"]))
    in_ids = [float(t["data"]["priority"]) for t in by_id]
    assert in_ids != sorted(in_ids, reverse=True)  # the moved ones come last by id
    listed = client._get(
        "api/tasks/", "listing", project=queues[dst], view=int(tab["id"]), fields="task_only"
    )["tasks"]
    shown = [float(t["data"]["priority"]) for t in listed]
    assert shown == sorted(in_ids, reverse=True), shown
    session = ReviewerSession(client.url, dst, team[dst])
    try:
        body = {
            "ordering": ["-tasks:data.priority"],
            "filters": {"conjunction": "and", "items": []},
        }
        first = session.post(f"/api/dm/actions?id=next_task&project={queues[dst]}", body)
    finally:
        session.close()
    assert float(first["data"]["priority"]) == max(in_ids), first["data"]


def test_a_second_hand_over_keeps_the_draft_reason_of_a_passage_the_target_holds(
    client: StudioClient, name: str, team: dict[str, str]
) -> None:
    """ana's draft kept a passage with her on a first hand-over (to cai); the next one, to
    ben, who holds every passage of hers, said only that ben holds them: handed to anyone
    else, it would stay all the same, for the draft. Both reasons are said."""
    ana, ben, cai = team
    push_set(name, (ana, ben))
    ana_q = int(reviewer_projects(client, name)[ana]["id"])
    first = sorted(held(client, ana_q))[0]
    session = ReviewerSession(client.url, ana, team[ana])
    try:
        body = {"result": [choices("category", ["none"])], "lead_time": 3.0}
        session.post(f"/api/tasks/{held(client, ana_q)[first]['id']}/drafts", body)
    finally:
        session.close()
    out = run("review", "reassign", "--project", name, "--from", ana, "--to", cai)
    assert "1 left with" in out and "hold a draft" in out, out
    out = run("review", "reassign", "--project", name, "--from", ana, "--to", ben)
    assert f"already holds all of them (e.g. {first!r}" in out, out
    assert "1 of them hold a draft too" in out, out
    assert "1 left with" in out and "hold a draft" in out and "--discard-drafts" in out, out
    assert sorted(held(client, ana_q)) == [first]
