"""Who a removed reviewer's pseudonym was (passM55 finding 2): once `annotate reviewers
remove` takes an account out of the organization, Label Studio blanks its e-mail, and no
command could say who ``r-…`` (say, the reviewer flagged for gold accuracy) was. The
removal now records e-mail, account id and pseudonym on this machine (private file), and
`annotate reviewers list --removed` and `annotate pseudonym r-…` read it without the
server. The real server's side of a removal is tests/integration/test_reviewers_remove.py."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from annotate.cli import app
from annotate.corpus.resolve import pseudonym
from annotate.review.removed_record import record_path, removed_reviewers, who_was

ADMIN = {"id": 1, "email": "admin@annotate.local"}
CAI = {"id": 4, "email": "cai@team.example"}


class _Response:
    status_code = 204
    text = ""


class _Server:
    """An organization whose reviewer cai has no queue; removals answer 204."""

    url = "http://ls.test"

    def __init__(self) -> None:
        self.sent: list[str] = []

    def whoami(self) -> dict[str, Any]:
        return {**ADMIN, "active_organization": 1}

    def server_version(self) -> str:
        return "1.23.2"

    def users(self) -> list[dict[str, Any]]:
        return [ADMIN, CAI]

    def list_projects(self, **kw: Any) -> list[dict[str, Any]]:
        return []

    def _send(self, path: str, **kw: Any) -> _Response:
        self.sent.append(path)
        return _Response()


def test_a_removal_keeps_who_the_pseudonym_was(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ANNOTATE_PSEUDONYM_SALT", "unit-salt")
    server = _Server()
    monkeypatch.setattr("annotate.studio.client.connect", lambda: server)
    alias = pseudonym(4, "unit-salt")
    ran = CliRunner().invoke(app, ["reviewers", "remove", "cai@team.example"])
    assert ran.exit_code == 0, ran.output
    assert server.sent == ["api/organizations/1/memberships/4/"]
    assert f"who {alias} is (cai@team.example) is kept on this machine" in ran.output
    path = record_path()
    assert path.parent == tmp_path / "home" / "state"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600, oct(path.stat().st_mode)
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    [entry] = removed_reviewers()
    assert (entry.email, entry.user_id, entry.pseudonym) == ("cai@team.example", 4, alias)
    assert entry.server == "http://ls.test"

    # months later, without the server: both commands name the account
    monkeypatch.setattr("annotate.studio.client.connect", lambda: pytest.fail("no server"))
    listed = CliRunner().invoke(app, ["reviewers", "list", "--removed"])
    assert listed.exit_code == 0, listed.output
    assert f"cai@team.example\t{alias}\tuser 4\thttp://ls.test\tremoved " in listed.output
    looked = CliRunner().invoke(app, ["pseudonym", alias])
    assert looked.exit_code == 0, looked.output
    assert f"{alias}  reviewer cai@team.example (account 4 on http://ls.test" in looked.output
    # another folder's salt: the account id gives its pseudonym there too
    assert who_was(pseudonym(4, "other-salt"), salt="other-salt") == [entry]
    assert who_was(pseudonym(5, "unit-salt"), salt="unit-salt") == []


def test_an_unrecorded_reviewer_pseudonym_is_still_refused_with_the_way_to_find_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    ran = CliRunner().invoke(app, ["pseudonym", pseudonym(9, "s")])
    assert ran.exit_code == 1, ran.output
    assert "annotate reviewers list --removed" in ran.output, ran.output
    none = CliRunner().invoke(app, ["reviewers", "list", "--removed"])
    assert none.exit_code == 0 and "no removal is recorded on this machine" in none.output


def test_a_removal_that_cannot_be_recorded_removes_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocked = tmp_path / "home"
    blocked.mkdir()
    (blocked / "state").write_text("a file where the folder goes\n")
    monkeypatch.setenv("ANNOTATE_HOME", str(blocked))
    monkeypatch.setenv("ANNOTATE_PSEUDONYM_SALT", "unit-salt")
    server = _Server()
    monkeypatch.setattr("annotate.studio.client.connect", lambda: server)
    ran = CliRunner().invoke(app, ["reviewers", "remove", "cai@team.example"])
    assert ran.exit_code == 1 and server.sent == [], ran.output
    assert "could not record who" in ran.output and "nothing was removed" in ran.output
    assert "Traceback" not in ran.output
