"""`annotate reviewers remove EMAIL`: a team lead offboards a reviewer. Against the
session's real Label Studio: the membership is removed (never the account, so their
answers stay and exports keep them), open tasks are refused without --force with the
hand-over command, the mistakes (a typo, the admin) are one line, and removing a removed
account again is a one-line no-op."""

from __future__ import annotations

import re

import pytest

from annotate.review.queue_tasks import reviewer_projects
from annotate.review.reviewers import ReviewerSession, find_user, list_users
from annotate.studio import server_version
from annotate.studio.client import StudioClient
from annotate.studio.connection import Connection

from .helpers import passage_ids
from .review_team import add_team, answer_as, push_set, run

pytestmark = pytest.mark.integration


def answers_by(client: StudioClient, project_id: int, user_id: int) -> int:
    """How many answers of user ``user_id`` the server holds in the project."""
    return sum(
        1
        for task in client.iter_tasks(project_id, include="id")
        for ann in client._get(f"api/tasks/{task['id']}/annotations/", "reading answers")
        if ann.get("completed_by") == user_id
    )


def test_a_reviewer_is_removed_from_the_organization_and_their_answers_stay(
    client: StudioClient, name: str, studio: Connection
) -> None:
    found = server_version.parse(client.server_version())
    if found is not None and found < server_version.parse(  # type: ignore[operator]
        server_version.REVIEWER_REMOVAL_MINIMUM
    ):
        pytest.skip(
            f"Label Studio {client.server_version()} (ANNOTATE_STUDIO_VENV): `reviewers "
            "remove` is refused there (tests/integration/test_studio_compat.py)"
        )
    team = add_team(("ana", "ben", "cai", "dan"), "remove-team.test")
    ana, ben, cai, dan = team
    push_set(name, (ana, ben, cai))
    queues = reviewer_projects(client, name)
    ana_q, ben_q = int(queues[ana]["id"]), int(queues[ben]["id"])
    held = passage_ids(client, ana_q)
    ana_id = int((find_user(client, ana) or {})["id"])
    answer_as(client, ana, ana_q, held[0], ["none"])

    # open tasks: refused, with how many, where, and the commands that help
    out = run("reviewers", "remove", ana, code=1)
    assert f"{ana} still has {len(held) - 1} open task(s)" in out, out
    assert f"annotate review reassign --project '{name}' --from {ana} --to EMAIL" in out
    assert "--force" in out and len(out.strip().splitlines()) == 1, out
    assert ana in run("reviewers", "list")  # still a member

    # mistakes: one line each, nothing removed
    typo = ana[:-2] + ana[-1] + ana[-2]
    out = run("reviewers", "remove", typo, code=1)
    assert f"did you mean {ana}?" in out and len(out.strip().splitlines()) == 1, out
    out = run("reviewers", "remove", str(studio.username), code=1)
    assert "is the admin account" in out and "Traceback" not in out, out
    out = run("reviewers", "remove", "not-an-email", code=1)
    assert "is not an e-mail address" in out, out

    # handed on first, then removed: the account and her answer stay
    run("review", "reassign", "--project", name, "--from", ana, "--to", dan)
    out = run("reviewers", "remove", ana)
    assert f"{ana} removed from the organization" in out and "pseudonym r-" in out, out
    assert re.search(
        rf"'{re.escape(name)}': queue {re.escape(name)} · r-\w+ kept: 1 task, 1 answered", out
    ), out
    assert ana not in run("reviewers", "list")
    assert "account(s) removed from the organization not listed" in run("reviewers", "list")
    assert any(int(u["id"]) == ana_id for u in list_users(client))  # not deleted
    assert answers_by(client, ana_q, ana_id) == 1  # her answer keeps its author
    status = run("review", "status", "--project", name)
    assert re.search(r"r-\w+ \[account removed\]: 1 task, 1 answered, 0 skipped, 0 open", status)
    # she can log in, but Label Studio refuses her the projects' tasks
    session = ReviewerSession(client.url, ana, team[ana])
    try:
        assert session.request("GET", f"/api/projects/{ana_q}/next/").status_code == 403
        assert session.request("GET", f"/api/tasks/?project={ana_q}").status_code == 403
    finally:
        session.close()
    # removed already (Label Studio lists her as 'Deleted'): a one-line no-op, exit 0
    out = run("reviewers", "remove", ana)
    assert f"{ana} was removed from the organization on {client.url} already" in out, out
    assert "nothing to do" in out and len(out.strip().splitlines()) == 1, out
    assert any(int(u["id"]) == ana_id for u in list_users(client))  # still kept
    # an e-mail of no account stays an error: what was expected, what was found, the fix
    out = run("reviewers", "remove", f"nobody-{ana}", code=1)
    assert "found no account" in out and "Fix:" in out and len(out.strip().splitlines()) == 1

    # --force: removed with open tasks, which stay in the queue for a later hand-over
    ben_open = len(passage_ids(client, ben_q))
    out = run("reviewers", "remove", ben, "--force")
    assert f"{ben_open} open (left there unanswered)" in out, out
    alias = re.search(r"--from (r-\w+) --to EMAIL", out)
    assert alias is not None, out
    assert len(passage_ids(client, ben_q)) == ben_open
    status = run("review", "status", "--project", name)
    assert f"{alias.group(1)} [account removed]: {ben_open} tasks, 0 answered" in status, status
