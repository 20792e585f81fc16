"""`annotate reviewers list` shows who is away, and in which review set (the away line a
hand-over writes into their queue's description). No server: a stand-in client with the
two listings it reads (users, projects); the real one is tested in
tests/integration/test_handover_unfinished.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from annotate.cli import app
from annotate.corpus.resolve import pseudonym
from annotate.review.queues import away_marks, description

SALT = "test-salt"
SINCE = "2026-12-02T08:00:00+00:00"


class _Client:
    url = "http://ls.test"

    def __init__(self, projects: list[dict[str, Any]]) -> None:
        self.projects = projects

    def whoami(self) -> dict[str, Any]:
        return {"id": 1, "email": "admin@x.org"}

    def users(self) -> list[dict[str, Any]]:
        return [
            {"id": 1, "email": "admin@x.org"},
            {"id": 2, "email": "ana@x.org", "first_name": "Ana"},
            {"id": 3, "email": "ben@x.org", "first_name": ""},
            {"id": 4, "email": "Deleted"},
        ]

    def list_projects(self, include: str = "") -> list[dict[str, Any]]:
        return self.projects


def queues() -> list[dict[str, Any]]:
    ana, ben = pseudonym(2, SALT), pseudonym(3, SALT)
    return [
        {
            "id": 10,
            "title": f"Batch 12 · {ana}",
            "description": description("Batch 12", ana, 2, SINCE),
        },
        {"id": 11, "title": f"Batch 12 · {ben}", "description": description("Batch 12", ben, 2)},
        {
            "id": 12,
            "title": f"Batch 13 · {ana}",
            "description": description("Batch 13", ana, 2, SINCE),
        },
        {
            "id": 13,
            "title": "Batch 13 · r-0000000000",
            "description": description("Batch 13", "r-0000000000", 2, SINCE),
        },
        {"id": 14, "title": "plain", "description": ""},
    ]


def test_away_marks_are_read_per_account_and_review_set() -> None:
    marks, strangers = away_marks(_Client(queues()), SALT)  # type: ignore[arg-type]
    assert [(m.review_set, m.since) for m in marks[2]] == [("Batch 12", SINCE), ("Batch 13", SINCE)]
    assert 3 not in marks and strangers == 1  # ben is not away; one queue of another salt


def test_reviewers_list_shows_who_is_away(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("annotate.studio.client.connect", lambda: _Client(queues()))
    monkeypatch.setenv("ANNOTATE_PSEUDONYM_SALT", SALT)
    result = CliRunner().invoke(app, ["reviewers", "list"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"ana@x.org\tAna\taway in 'Batch 12' (since {SINCE}), 'Batch 13' (since {SINCE})",
        "ben@x.org",
    ]
    assert "pushes into that review set without --reviewer skip them" in result.stderr
    assert "1 away mark(s) name a pseudonym of no account" in result.stderr
    monkeypatch.setattr("annotate.studio.client.connect", lambda: _Client([]))
    result = CliRunner().invoke(app, ["reviewers", "list"])
    assert result.stdout.splitlines() == ["ana@x.org\tAna", "ben@x.org"]
    assert "away" not in result.stderr


def test_reviewers_list_makes_no_salt_where_there_is_none(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Listing only reads: in a folder without a pseudonym salt it makes none (a fresh
    one would match no queue, and a later push from there would keep it), and says why
    the away marks are not shown."""
    monkeypatch.setattr("annotate.studio.client.connect", lambda: _Client(queues()))
    monkeypatch.delenv("ANNOTATE_PSEUDONYM_SALT", raising=False)
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / ".annotate"))
    result = CliRunner().invoke(app, ["reviewers", "list"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["ana@x.org\tAna", "ben@x.org"]
    assert "3 away mark(s) name a pseudonym of no account under any salt" in result.stderr
    assert not (tmp_path / ".annotate" / "pseudonym_salt").exists()
