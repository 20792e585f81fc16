"""A command reads the organization's account list (``GET /api/users/``: ~4 ms of server
time per account, with no filter on 1.23) once, and still sees an account it made.
Against the real server: its sign-up form, its list, its membership removal."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from typer.testing import CliRunner

from annotate.cli import app
from annotate.review.queue_tasks import reviewer_projects
from annotate.review.reviewers import (
    ReviewerSession,
    add_reviewer,
    find_user,
    list_reviewers,
    removed_accounts,
)
from annotate.studio.client import StudioClient
from annotate.studio.connection import Connection

from .helpers import PRELABELS, choices


@pytest.fixture()
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ``GET /api/users/`` requests any client sends from now on."""
    seen: list[str] = []
    real = StudioClient._send

    def counting(self: StudioClient, path: str, *, method: str, action: str, **kw: Any) -> Any:
        if method == "GET" and path == "api/users/":
            seen.append(self.url)
        return real(self, path, method=method, action=action, **kw)

    monkeypatch.setattr(StudioClient, "_send", counting)
    return seen


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_a_command_reads_the_accounts_once_and_sees_the_one_it_made(
    studio: Connection, reads: list[str]
) -> None:
    email = f"ida-{uuid.uuid4().hex[:8]}@users.test"
    assert "password:" in run("reviewers", "add", email)
    assert len(reads) == 2  # before the sign-up (no such account), after it (its id)
    reads.clear()
    assert email in run("reviewers", "list")  # reviewers, away marks, removed accounts
    assert len(reads) == 1

    # one client (one command): an account it signs up, and one it removes, are seen
    client = StudioClient(studio)
    reads.clear()
    assert find_user(client, email) is not None
    other = f"jo-{uuid.uuid4().hex[:8]}@users.test"
    assert find_user(client, other) is None
    login = add_reviewer(client, other)
    assert login.created
    assert [u["id"] for u in list_reviewers(client) if u["email"] == other] == [login.user_id]
    removed = removed_accounts(client)
    assert len(reads) == 2  # before and after the sign-up
    org = client._get("api/organizations/", "reading the organization")[0]["id"]
    client._send(
        f"api/organizations/{org}/memberships/{login.user_id}/", method="DELETE", action="removing"
    )
    assert other not in [u["email"] for u in list_reviewers(client)]
    assert removed_accounts(client) == removed + 1
    assert len(reads) == 3


def test_a_push_and_a_status_read_the_accounts_once(
    client: StudioClient, name: str, reads: list[str]
) -> None:
    """``review status`` read the list again for the e-mails of the pseudonyms who
    answered (a second client): twice a command."""
    tag = uuid.uuid4().hex[:6]
    ana, ben = (f"{who}-{tag}@users.test" for who in ("ana", "ben"))
    password = re.search(r"password: (\S+)", run("reviewers", "add", ana)).group(1)  # type: ignore[union-attr]
    run("reviewers", "add", ben)
    reads.clear()
    push = ["push", str(PRELABELS), "--project", name, "-k", "2", "-q"]
    run(*push, "--reviewer", ana, "--reviewer", ben)
    assert len(reads) == 1
    queue = int(reviewer_projects(client, name)[ana]["id"])
    session = ReviewerSession(client.url, ana, password)
    try:  # ana answers a task: the status then shows who answered lately
        task = next(iter(client.iter_tasks(queue)))
        body = {"result": [choices("category", ["none"]), choices("severity", ["none"])]}
        session.post(f"/api/tasks/{task['id']}/annotations/", {**body, "project": queue})
    finally:
        session.close()
    reads.clear()
    status = run("review", "status", "--project", name)
    assert f"{ana} (r-" in status and f"{ben} (r-" in status, status
    assert len(reads) == 1
