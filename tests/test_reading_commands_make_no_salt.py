"""Reading and reporting commands make no pseudonym salt: `annotate agreement` and
`annotate escalations` (listing only) key reviewer pseudonyms with
:func:`annotate.corpus.salt.reading_salt`, as `review status` does, so a folder without
``.annotate/pseudonym_salt`` is left without one. `escalations --webhook` writes
pseudonyms into durable output (the POSTed escalations and the record of what was
delivered), so it makes the salt, as push, export, adjudicate and reassign do (s58 odds
#1: agreement and escalations made it on every run)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from typer.testing import CliRunner

import annotate.review.escalations as escalations
from annotate.cli import app
from tests.audit.fakes import FakeStudio, reviewed_tasks


class Studio(FakeStudio):
    def users(self) -> list[dict[str, Any]]:
        return [{"id": 1, "email": "ana@example.org"}]


@pytest.fixture
def home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path))
    monkeypatch.delenv("ANNOTATE_PSEUDONYM_SALT", raising=False)
    monkeypatch.setattr("annotate.studio.client.connect", lambda: Studio(reviewed_tasks()))
    return tmp_path


def test_agreement_makes_no_salt(home: Path) -> None:
    ran = CliRunner().invoke(app, ["agreement", "--project", "p", "-q"])
    assert ran.exit_code == 0, ran.output
    assert "alpha" in ran.output.lower(), ran.output  # it did report
    assert not (home / "pseudonym_salt").exists()


def _critical(monkeypatch: pytest.MonkeyPatch) -> None:
    ann = {"reviewer": "r-a", "severity": "critical", "categories": ["violent_threat"]}
    row = {"id": "p1", "doc_id": "d", "source": "s", "text": "t"}
    row["annotations"] = [{**ann, "created_at": "2026-12-01T04:51:05Z"}]
    monkeypatch.setattr(
        escalations, "collect", lambda *a, **k: SimpleNamespace(rows=[row], adjudications=[])
    )


def test_escalations_listing_makes_no_salt(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _critical(monkeypatch)
    ran = CliRunner().invoke(app, ["escalations", "--project", "p"])
    assert ran.exit_code == 0, ran.output
    assert "1 escalation(s) not yet delivered" in ran.output
    assert not (home / "pseudonym_salt").exists()


def test_escalations_webhook_makes_the_salt(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _critical(monkeypatch)
    monkeypatch.setattr(escalations, "deliver", lambda project, found, url: (len(found), []))
    ran = CliRunner().invoke(
        app, ["escalations", "--project", "p", "--webhook", "http://127.0.0.1:9/hook"]
    )
    assert ran.exit_code == 0, ran.output
    assert "delivered 1 to" in ran.output
    assert (home / "pseudonym_salt").is_file()


def test_agreement_says_its_pseudonyms_are_this_runs_only_where_no_salt_is_stored(
    home: Path,
) -> None:
    """newuser60 F2: with no salt stored (a plain push makes none), `agreement` and `review
    status` keyed pseudonyms with a random value per run: ana was r-6948ba16e5 in one run,
    r-6c5e123d05 in the next, and nothing said so."""
    ran = CliRunner().invoke(app, ["agreement", "--project", "p"])
    assert ran.exit_code == 0, ran.output
    flat = " ".join(ran.output.split())
    assert "r-" in flat and "pseudonyms (r-…) above are this run's only" in flat, ran.output
    assert str(home / "pseudonym_salt") in flat
    (home / "pseudonym_salt").write_text("kept\n", encoding="utf-8")  # an export made it
    ran = CliRunner().invoke(app, ["agreement", "--project", "p"])
    assert ran.exit_code == 0, ran.output
    assert "this run's only" not in ran.output
