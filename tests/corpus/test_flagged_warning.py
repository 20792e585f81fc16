"""The export's warning about reviewers under --gold-min-accuracy names each by the e-mail
of their account too: the lead runs it at the machine that holds the salt, and was told
only "r-e19c4fd334", to be looked up in `annotate review status`."""

from __future__ import annotations

from typing import Any

import pytest

from annotate.cli import export as export_cli
from annotate.corpus.resolve import pseudonym


class Users:
    def __init__(self, users: list[dict[str, Any]]) -> None:
        self.users = users

    def _get(self, path: str, what: str) -> list[dict[str, Any]]:
        assert path == "api/users/"
        return self.users


def test_flagged_reviewers_are_named_by_email_where_the_server_has_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ANNOTATE_PSEUDONYM_SALT", "s")
    users = [
        {"id": 3, "email": "eve@ngo.example"},
        {"id": 4, "email": "Deleted"},  # removed from the organization: blanked
    ]
    monkeypatch.setattr("annotate.studio.client.connect", lambda: Users(users))
    eve, gone, other = pseudonym(3, "s"), pseudonym(4, "s"), "r-0000000000"
    emails = export_cli._emails_of([eve, gone, other])
    text = export_cli.flagged_warning([eve, gone, other], 0.8, emails)
    assert f"{eve} (eve@ngo.example), {gone}, {other};" in text
    assert text.startswith("warning: 3 reviewer(s) scored below --gold-min-accuracy 0.8")


def test_a_server_that_cannot_tell_leaves_the_pseudonyms(monkeypatch: pytest.MonkeyPatch) -> None:
    from annotate.errors import StudioUnavailableError

    def down() -> Any:
        raise StudioUnavailableError("Label Studio is gone.")

    monkeypatch.setattr("annotate.studio.client.connect", down)
    assert export_cli._emails_of(["r-1"]) == {}
    assert ": r-1; their answers" in export_cli.flagged_warning(["r-1"], 0.8, {})
