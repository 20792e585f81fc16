"""`review status` is a reading command: it keys every reviewer pseudonym with
:func:`annotate.corpus.salt.reading_salt`, which makes no ``pseudonym_salt`` file. Its
exposure part named unnamed answerers by e-mail through ``emails_of``, which took
:func:`reviewer_salt`: on a plain or numbered project it made the salt file, and keyed the
accounts with that new salt, so no pseudonym of the run matched and no e-mail was shown
(reader57 #1)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from annotate.cli.review import exposure as cli
from annotate.corpus.resolve import pseudonym
from annotate.corpus.salt import reading_salt
from annotate.review.live_exposure import ReviewerExposure

SINCE = datetime(2026, 12, 3, tzinfo=timezone.utc)


class Users:
    url = "http://fake"

    def users(self) -> list[dict[str, Any]]:
        return [{"id": 7, "email": "ana@example.org"}, {"id": 8, "email": "bo@example.org"}]


def test_exposure_names_answerers_with_the_reading_salt_and_makes_no_salt_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path))
    monkeypatch.delenv("ANNOTATE_PSEUDONYM_SALT", raising=False)
    alias = pseudonym(7, reading_salt())  # as the exposure read keys the answerer
    monkeypatch.setattr(
        cli, "_read_exposure", lambda *a, **k: [ReviewerExposure(alias, 3, 0, 0, 0)]
    )
    monkeypatch.setattr(cli, "read_contradictions", lambda *a: {"error": None})
    doc = cli.exposure_json(Users(), "Forum Dec", {}, SINCE, 1, None)  # type: ignore[arg-type]
    got = {r["reviewer"]: r["name"] for r in doc["exposure"]["reviewers"]}
    assert got == {alias: f"ana@example.org ({alias})"}, got  # was the pseudonym alone
    assert not (tmp_path / "pseudonym_salt").exists()
