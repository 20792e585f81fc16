"""`annotate reviewers add EMAIL` stopped (Ctrl-C, the server's answer lost) after its
sign-up was sent: the account was made, the password never printed, and the re-run said
"already has an account (password unchanged)": nobody knew the reviewer's password. The
stopped run prints it."""

from __future__ import annotations

from typing import Any

import pytest

import annotate.review.reviewers as reviewers
import annotate.studio.client as studio_client
from annotate.cli import main


class Server:
    url = "http://127.0.0.1:1"


@pytest.mark.parametrize("made", [True, False])
def test_a_signup_stopped_after_it_was_sent_prints_the_password(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], made: bool
) -> None:
    sent: list[str] = []

    def signup(client: Any, email: str, password: str) -> Any:
        sent.append(password)
        raise KeyboardInterrupt  # Ctrl-C while the server makes the account

    monkeypatch.setattr(studio_client, "connect", lambda *a, **k: Server())
    monkeypatch.setattr(reviewers, "list_users", lambda client: [])
    monkeypatch.setattr(reviewers, "_post_signup", signup)
    found = {"id": 5, "email": "zoe@example.org"} if made else None
    monkeypatch.setattr(reviewers, "find_user", lambda client, email: found)
    with pytest.raises(SystemExit) as ran:
        main(["reviewers", "add", "zoe@example.org"])
    said = " ".join(capsys.readouterr().err.split())
    assert ran.value.code == 130 and "interrupted" in said
    (password,) = sent
    assert f"password: {password}" in said
    assert ("zoe@example.org was made before the stop" in said) is made
    assert ("zoe@example.org may have been made before the stop" in said) is not made


def test_a_run_stopped_before_the_signup_prints_no_password(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def listing(client: Any) -> list[dict[str, Any]]:
        raise KeyboardInterrupt  # Ctrl-C while the accounts are read: nothing made

    monkeypatch.setattr(studio_client, "connect", lambda *a, **k: Server())
    monkeypatch.setattr(reviewers, "list_users", listing)
    with pytest.raises(SystemExit) as ran:
        main(["reviewers", "add", "zoe@example.org"])
    said = capsys.readouterr().err
    assert ran.value.code == 130 and "password" not in said
