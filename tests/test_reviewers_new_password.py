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
    monkeypatch.setattr(password_mod, "reset_password", lambda e, p: set_to.append((e, p)))
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


def test_reset_password_runs_label_studios_command_on_the_local_data(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    paths = _paths(tmp_path)
    ran: list[list[str]] = []

    def fake_run(cmd: list[str], **kw: Any) -> Any:
        ran.append(cmd)
        return subprocess.CompletedProcess(cmd, 0 if len(ran) == 1 else 1)

    monkeypatch.setattr(server, "is_installed", lambda p: True)
    monkeypatch.setattr(server, "server_env", lambda *a, **k: {})
    monkeypatch.setattr(password_mod.subprocess, "run", fake_run)
    password_mod.reset_password("Pat@newsroom.example", "s3cret", paths)
    [cmd] = ran
    assert cmd[1:] == [
        "reset_password",
        "--username",
        "pat@newsroom.example",
        "--password",
        "s3cret",
        "--data-dir",
        str(paths.data),
    ]
    with pytest.raises(StudioError, match="password is unchanged"):
        password_mod.reset_password("pat@newsroom.example", "s3cret", paths)
    with pytest.raises(StudioError, match="admin account"):
        password_mod.reset_password("admin@annotate.local", "s3cret", paths)
