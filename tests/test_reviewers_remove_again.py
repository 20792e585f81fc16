"""`annotate reviewers remove EMAIL` on an e-mail of no member, without a server: an account
removed already is a one-line no-op (exit 0: an offboarding script run twice does not
fail), an e-mail of no account stays a one-line error (expected, found, fix), and one the
sign-up form knows while the organization lists no removed account (another
organization's) too. Label Studio blanks a removed member's e-mail in every listing, so
only the sign-up form (``signed_up_elsewhere``) knows the e-mail; the real server's side
is tests/integration/test_reviewers_remove.py."""

from __future__ import annotations

from typing import Any

import pytest
from typer.testing import CliRunner

from annotate.cli import app
from annotate.review import offboard
from annotate.studio import server_version

ADMIN = {"id": 1, "email": "admin@annotate.local"}
ANA = {"id": 2, "email": "ana@team.example"}
REMOVED = {"id": 3, "email": "Deleted", "first_name": "Deleted", "last_name": "User"}


class _Server:
    """The admin's organization as Label Studio's API lists it; a removal is a failure."""

    url = "http://ls.test"

    def __init__(self, users: list[dict[str, Any]], version: str | None = "1.23.2") -> None:
        self.accounts = users
        self.version = version

    def whoami(self) -> dict[str, Any]:
        return {**ADMIN, "active_organization": 1}

    def server_version(self) -> str | None:
        return self.version

    def users(self) -> list[dict[str, Any]]:
        return self.accounts

    def list_projects(self, **kw: Any) -> list[dict[str, Any]]:
        raise AssertionError("no member to look up: no project is read")


def remove(
    monkeypatch: pytest.MonkeyPatch,
    users: list[dict[str, Any]],
    known: set[str],
    email: str,
    version: str | None = "1.23.2",
) -> tuple[int, str]:
    """``annotate reviewers remove EMAIL`` against a Label Studio ``version`` listing
    ``users`` whose sign-up form has the e-mails ``known``: exit code and output."""
    monkeypatch.setenv("ANNOTATE_PSEUDONYM_SALT", "unit-salt")
    monkeypatch.setattr("annotate.studio.client.connect", lambda: _Server(users, version))
    monkeypatch.setattr(offboard, "signed_up_elsewhere", lambda client, e: e in known)
    result = CliRunner().invoke(app, ["reviewers", "remove", email])
    return result.exit_code, result.output


def test_an_account_removed_already_is_a_one_line_no_op(monkeypatch: pytest.MonkeyPatch) -> None:
    gone = "ben@team.example"
    code, out = remove(monkeypatch, [ADMIN, ANA, REMOVED], {gone, ANA["email"]}, gone)
    assert code == 0, out
    assert f"{gone} was removed from the organization on http://ls.test already" in out, out
    assert "nothing to do" in out and len(out.strip().splitlines()) == 1, out
    code, again = remove(monkeypatch, [ADMIN, ANA, REMOVED], {gone}, gone.upper())
    assert code == 0 and again == out, again  # the e-mail as typed, any case


def test_an_email_of_no_account_is_an_error_naming_the_fix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, out = remove(monkeypatch, [ADMIN, ANA, REMOVED], {ANA["email"]}, "nobody@team.example")
    assert code == 1 and len(out.strip().splitlines()) == 1, out
    assert "expected the e-mail of a reviewer of the organization" in out, out
    assert "found no account nobody@team.example there (1 reviewer account(s))" in out, out
    assert "`annotate reviewers list` lists the accounts" in out and "Traceback" not in out
    code, out = remove(monkeypatch, [ADMIN, ANA, REMOVED], {ANA["email"]}, "ana@team.exmaple")
    assert code == 1 and "did you mean ana@team.example?" in out, out


def test_an_account_of_another_organization_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sign-up form knows the e-mail, but the organization lists no removed account:
    it was never this organization's member, so this is no removal to skip."""
    other = "cai@elsewhere.example"
    code, out = remove(monkeypatch, [ADMIN, ANA], {other}, other)
    assert code == 1 and len(out.strip().splitlines()) == 1, out
    assert "no member of the admin's organization" in out and "another organization" in out
    assert "nothing to do" not in out, out


@pytest.mark.parametrize("version", ["1.20.0", "1.21.0", "1.22.0", "1.23.0"])
def test_a_server_where_a_removed_member_keeps_reading_tasks_is_refused_first(
    monkeypatch: pytest.MonkeyPatch, version: str
) -> None:
    """Label Studio 1.20.0 to 1.23.0 still serve a removed member the projects' tasks
    (measured): the removal would not offboard them, so it is refused before anything is
    read or changed (the fake's project listing raises), in one line with the fix."""
    code, out = remove(monkeypatch, [ADMIN, ANA], set(), ANA["email"], version=version)
    assert code == 1 and len(out.strip().splitlines()) == 1, out
    assert f"Label Studio at http://ls.test is version {version}," in out, out
    minimum = server_version.REVIEWER_REMOVAL_MINIMUM
    assert f"`annotate reviewers remove` needs Label Studio {minimum} or newer" in out, out
    assert "label-studio==1.23.2" in out and "annotate studio start" in out, out
    assert "Traceback" not in out


@pytest.mark.parametrize("version", ["1.23.1", "1.23.2", "1.24.0", None])
def test_a_server_that_revokes_access_or_does_not_say_its_version_is_not_refused(
    monkeypatch: pytest.MonkeyPatch, version: str | None
) -> None:
    gone = "ben@team.example"
    code, out = remove(monkeypatch, [ADMIN, ANA, REMOVED], {gone}, gone, version=version)
    assert code == 0 and "nothing to do" in out, out
