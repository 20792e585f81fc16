"""`annotate adjudicate`, `review reassign` and `reviewers remove` write reviewer
pseudonyms (the lead's panel, queue titles, the removed-reviewer record), so they store
the pseudonym salt; but they made it before their own input checks, so a refused run left
a salt file behind in a folder that had none (s59 votes). They now read with
:func:`annotate.corpus.salt.reading_salt` and store that value
(:func:`annotate.corpus.salt.keep_salt`) only once the command is about to write."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from annotate.cli import app
from annotate.corpus.salt import keep_salt, reading_salt, stored_salt
from annotate.errors import InputError
from annotate.review import handover
from tests.audit.fakes import FakeStudio, reviewed_tasks
from tests.test_handover_leftovers import SET, URL, queue


@pytest.fixture
def home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path))
    monkeypatch.delenv("ANNOTATE_PSEUDONYM_SALT", raising=False)
    return tmp_path


def test_a_refused_adjudicate_makes_no_salt(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("annotate.studio.client.connect", lambda: FakeStudio(reviewed_tasks()))
    ran = CliRunner().invoke(app, ["adjudicate", "--project", "p · adjudication"])
    assert ran.exit_code != 0 and "adjudication project of the review set" in ran.output
    assert not (home / "pseudonym_salt").exists()


class _Org:
    url = URL

    def server_version(self) -> str:
        return "1.23.2"

    def users(self) -> list[dict[str, Any]]:
        return [{"id": 2, "email": "ana@x.org"}]


def test_a_refused_reassign_makes_no_salt(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("annotate.studio.client.connect", _Org)
    queues = [queue(1, "r-ben", "ben@x.org"), queue(2, "r-ana", "ana@x.org")]
    monkeypatch.setattr(handover, "review_queues", lambda client, project, salt: queues)
    monkeypatch.setattr(handover, "list_reviewers", lambda client: _Org().users())
    ran = CliRunner().invoke(
        app, ["review", "reassign", "--project", SET, "--from", "ben@x.org", "--to", "not-mail"]
    )
    assert ran.exit_code != 0 and "is not an e-mail address" in ran.output, ran.output
    assert not (home / "pseudonym_salt").exists()


def test_a_refused_removal_makes_no_salt(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("annotate.studio.client.connect", _Org)
    ran = CliRunner().invoke(app, ["reviewers", "remove", "not-mail"])
    assert ran.exit_code != 0 and "is not an e-mail address" in ran.output, ran.output
    assert not (home / "pseudonym_salt").exists()


def test_keep_salt_stores_the_value_read_with_once(home: Path) -> None:
    salt = reading_salt()
    assert stored_salt() is None
    keep_salt(salt)
    assert stored_salt() == salt  # the pseudonyms computed with it stay valid
    keep_salt(salt)  # stored already: nothing written
    assert (home / "pseudonym_salt").stat().st_mode & 0o777 == 0o600
    with pytest.raises(InputError, match="run the command again"):
        keep_salt("another")
