"""`annotate reviewers add EMAIL --new-password`: a reviewer who lost the password printed
when their account was made had no way back through annotate; a re-run said "(password
unchanged)" and stopped (newuser61 finding 9: the lead ran Label Studio's own
`label-studio reset_password` by hand, with the data folder annotate keeps). It sets and
prints a new one on the local server, and says what a team server's admin runs."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import annotate.review.reviewers as reviewers
import annotate.studio.client as studio_client
import annotate.studio.password as password_mod
from annotate.cli import main
from annotate.errors import StudioError
from annotate.studio import server
from annotate.studio.connection import StudioPaths

PAT = {"id": 4, "email": "pat@newsroom.example"}
STORED = "Pat@newsroom.example"


class Local:
    url = "http://127.0.0.1:1"
    conn = SimpleNamespace(data_dir=Path("/tmp/data"))


class Team:
    url = "https://ls.example.org"
    conn = SimpleNamespace(data_dir=None)


def _run(monkeypatch: pytest.MonkeyPatch, client: Any, *args: str) -> tuple[int, str, list]:
    set_to: list[tuple[str, str]] = []
    monkeypatch.setattr(studio_client, "connect", lambda *a, **k: client)
    monkeypatch.setattr(reviewers, "list_users", lambda c: [PAT])

    def fake_reset(email: str, password: str) -> str:
        set_to.append((email, password))
        return STORED  # the e-mail as the server stores it

    monkeypatch.setattr(password_mod, "reset_password", fake_reset)
    try:
        main(["reviewers", "add", *args])
        code = 0
    except SystemExit as done:
        code = int(done.code or 0)
    return code, "", set_to


def test_an_existing_account_gets_a_new_password_printed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, set_to = _run(monkeypatch, Local(), "pat@newsroom.example", "--new-password")
    out = capsys.readouterr()
    said = out.out + out.err
    assert code == 0, said
    [(email, new)] = set_to
    assert email == "pat@newsroom.example"
    assert f"password: {new}" in said and "has a new password" in said, said
    # the login as stored: Label Studio's login matches the e-mail's case (reader61 #1)
    assert f"email:    {STORED}" in said, said


def test_without_it_the_existing_account_names_the_option(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, set_to = _run(monkeypatch, Local(), "pat@newsroom.example")
    said = " ".join(capsys.readouterr().err.split())
    assert code == 0 and not set_to
    assert "(password unchanged; one who lost it gets a new one with --new-password)" in said


def test_a_team_server_or_an_unknown_email_is_refused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, set_to = _run(monkeypatch, Team(), "pat@newsroom.example", "--new-password")
    said = " ".join(capsys.readouterr().err.split())
    assert code != 0 and not set_to
    assert "label-studio reset_password --username pat@newsroom.example" in said, said
    code, _, set_to = _run(monkeypatch, Local(), "pta@newsroom.example", "--new-password")
    said = " ".join(capsys.readouterr().err.split())
    assert code != 0 and not set_to
    assert "has no account" in said and "makes none" in said, said


def _paths(tmp_path: Path) -> StudioPaths:
    paths = StudioPaths(root=tmp_path / "studio", venv=tmp_path / "venv")
    paths.data.mkdir(parents=True)
    creds = {"username": "admin@annotate.local", "password": "x", "token": "t"}
    paths.credentials.write_text(json.dumps(creds), encoding="utf-8")
    return paths


def test_reset_password_hands_the_password_over_in_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """reader61 #2: the password was on the command line (`ps` shows it to every local
    user); #7: after a timeout the outcome is not known; exit 3 is "no account"."""
    paths = _paths(tmp_path)
    ran: list[tuple[list[str], dict[str, str]]] = []
    answers = [
        subprocess.CompletedProcess([], 0, stdout=f"noise\n{password_mod.CHANGED}Pat@x.org\n"),
        subprocess.CompletedProcess([], 3, stdout="annotate-reset-password: no account\n"),
        subprocess.CompletedProcess([], 0, stdout="User with username x not found\n"),
    ]

    def fake_run(cmd: list[str], **kw: Any) -> Any:
        ran.append((cmd, kw["env"]))
        if not answers:
            raise subprocess.TimeoutExpired(cmd, 1.0)
        return answers.pop(0)

    monkeypatch.setattr(server, "is_installed", lambda p: True)
    monkeypatch.setattr(server, "server_env", lambda *a, **k: {})
    monkeypatch.setattr(subprocess, "run", fake_run)
    assert password_mod.reset_password("pat@x.org", "s3cret-Pw", paths) == "Pat@x.org"
    [(cmd, env)] = ran
    assert not any("s3cret-Pw" in arg for arg in cmd), cmd
    assert env[password_mod.PASSWORD_ENV] == "s3cret-Pw"
    assert env[password_mod.EMAIL_ENV] == "pat@x.org"
    assert "s3cret-Pw" not in paths.log.read_text(encoding="utf-8")
    with pytest.raises(StudioError, match=r"no account with the e-mail pat@x\.org"):
        password_mod.reset_password("pat@x.org", "s3cret-Pw", paths)
    # exit 0 without the line that says it changed is no success
    with pytest.raises(StudioError, match="password is unchanged"):
        password_mod.reset_password("pat@x.org", "s3cret-Pw", paths)
    with pytest.raises(StudioError, match="may or may not have changed"):
        password_mod.reset_password("pat@x.org", "s3cret-Pw", paths)
    with pytest.raises(StudioError, match="admin account"):
        password_mod.reset_password("admin@annotate.local", "s3cret", paths)
