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


# break14 findings 2, 7, 9 and 14


def test_a_damaged_record_is_refused_never_written_over(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from annotate.review.removed_record import remember_removal

    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ANNOTATE_PSEUDONYM_SALT", "unit-salt")
    path = remember_removal("http://ls.test", "alice@x.org", 5, "r-aaaaaaaaaa")
    remember_removal("http://ls.test", "bob@x.org", 6, "r-bbbbbbbbbb")
    path.write_text(path.read_text()[:-30])  # truncated: disk full, a hand edit
    damaged = path.read_text()
    server = _Server()
    monkeypatch.setattr("annotate.studio.client.connect", lambda: server)
    ran = CliRunner().invoke(app, ["reviewers", "remove", "cai@team.example"])
    assert ran.exit_code == 1 and server.sent == [], ran.output
    assert path.read_text() == damaged  # alice and bob still there, to repair
    assert f"cannot read the record of removed reviewers {path}" in ran.output
    assert "nothing was removed" in ran.output and "move it aside" in ran.output
    assert "Traceback" not in ran.output
    # in words, not the exception's class name (s56 left #7)
    assert "it is not JSON" in ran.output and "JSONDecodeError" not in ran.output


class _Refusing(_Server):
    """Removals answer 403, after checking the entry is recorded (pending) first."""

    def _send(self, path: str, **kw: Any) -> _Response:
        [entry] = removed_reviewers()
        assert not entry.confirmed  # recorded before the server is asked, not yet done
        self.sent.append(path)
        resp = _Response()
        resp.status_code = 403
        return resp


class _Checking(_Server):
    def _send(self, path: str, **kw: Any) -> _Response:
        [entry] = removed_reviewers()
        assert not entry.confirmed
        return super()._send(path, **kw)


def test_a_refused_removal_is_not_recorded_as_removed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ANNOTATE_PSEUDONYM_SALT", "unit-salt")
    server = _Refusing()
    monkeypatch.setattr("annotate.studio.client.connect", lambda: server)
    ran = CliRunner().invoke(app, ["reviewers", "remove", "cai@team.example"])
    assert ran.exit_code == 1 and server.sent, ran.output
    assert "refused to remove" in ran.output
    assert removed_reviewers() == []
    listed = CliRunner().invoke(app, ["reviewers", "list", "--removed"])
    assert "cai@team.example" not in listed.output, listed.output

    done = _Checking()
    monkeypatch.setattr("annotate.studio.client.connect", lambda: done)
    ran = CliRunner().invoke(app, ["reviewers", "remove", "cai@team.example"])
    assert ran.exit_code == 0, ran.output
    [entry] = removed_reviewers()
    assert entry.confirmed and entry.email == "cai@team.example"


def test_a_pending_removal_is_listed_as_not_confirmed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from annotate.review.removed_record import remember_removal

    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    remember_removal("http://ls.test", "cai@team.example", 4, "r-cccccccccc", confirmed=False)
    listed = CliRunner().invoke(app, ["reviewers", "list", "--removed"])
    assert "\tremoval not confirmed " in listed.output, listed.output
    looked = CliRunner().invoke(app, ["pseudonym", "r-cccccccccc"])
    assert "removal asked, not confirmed by the server" in looked.output, looked.output


def test_pseudonym_messages_fold_case_and_name_the_argument(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from annotate.review.removed_record import remember_removal

    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    remember_removal("http://ls.test", "cai@team.example", 4, "r-abcdef0123")
    looked = CliRunner().invoke(app, ["pseudonym", "R-ABCDEF0123"])
    assert looked.exit_code == 0, looked.output
    assert "r-abcdef0123  reviewer cai@team.example" in looked.output
    # not recorded: named a reviewer's pseudonym, not "not 10 hexadecimal digits"
    other = CliRunner().invoke(app, ["pseudonym", "R-0123456789"])
    assert other.exit_code == 1, other.output
    assert "r-0123456789 is a reviewer's pseudonym" in other.output, other.output
    assert "hexadecimal" not in other.output
    # and what the lead needs to know: this machine's record does not hold it
    assert "not in this machine's record of removals" in other.output
    assert "1 entry)" in other.output, other.output
    empty = CliRunner().invoke(app, ["pseudonym", ""])
    assert empty.exit_code == 2, empty.output
    assert "id_" not in empty.output and "ID_" not in empty.output, empty.output
    assert "give ID a value" in empty.output and '"$ID"' in empty.output


def test_removal_counts_answers_by_another_account_as_review_status_does() -> None:
    from annotate.review.handover import QueueStatus
    from annotate.review.offboard import set_work
    from annotate.review.queues import Queue

    queue = Queue("r-12a64bee74", "bob@x.org", 6, {"id": 20, "title": "S14 · r-12a64bee74"})
    st = QueueStatus(queue, "http://ls.test/projects/20", 6, 6, 0, 0, 0, answered_by_others=6)
    work = set_work("S14", [st], 6)
    assert work is not None and work.answered == 0  # was 6: bob answered none
    assert work.answered_by_others == 6
