"""A reviewer removed from the organization (`annotate reviewers remove`: Label Studio
blanks the account's e-mail, or no longer lists it) read as an unknown pseudonym in
`annotate agreement` (and `review escalations`), and unmarked in `review status`'s
exposure lines once the server stopped listing the account, though this machine's record
of removed reviewers (`reviewers list --removed`) says who it was (s56 left #4). They are
now named as removed, pseudonym kept."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from annotate.cli.review.emails import lead_names
from annotate.cli.review.exposure import _unnamed_mails, exposure_lines
from annotate.corpus.resolve import pseudonym
from annotate.review.live_exposure import ReviewerExposure
from annotate.review.named import with_email

SALT = "unit-salt"


@pytest.fixture
def removed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    from annotate.review.removed_record import remember_removal

    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ANNOTATE_PSEUDONYM_SALT", SALT)
    alias = pseudonym(5, SALT)
    remember_removal("http://ls.test", "ana@x.org", 5, alias)
    return alias


@pytest.mark.parametrize("listed", [True, False], ids=["e-mail blanked", "not listed"])
def test_agreement_names_a_removed_reviewer_as_removed(
    removed: str, listed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    ben = pseudonym(6, SALT)
    server = {removed: (5, None)} if listed else {}
    server[ben] = (6, "ben@x.org")
    monkeypatch.setattr("annotate.review.queues.accounts", lambda *a: server)
    names = lead_names([removed, ben, "r-0000000000"], client=object())  # type: ignore[arg-type]
    assert with_email(removed, names) == f"{removed} (ana@x.org, account removed)"
    assert with_email(ben, names) == f"{ben} (ben@x.org)"
    assert with_email("r-0000000000", names) == "r-0000000000"  # unknown: as before


def test_status_exposure_marks_a_removed_reviewer_the_server_no_longer_lists(
    removed: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("annotate.review.queues.accounts", lambda *a: {})
    found = [ReviewerExposure(removed, 3, 1, 0, 0)]
    mails = _unnamed_mails(object(), found, {})  # type: ignore[arg-type]
    assert mails == {removed: None}
    since = datetime(2026, 12, 7, tzinfo=timezone.utc)
    lines = exposure_lines(found, {}, mails, since, 25, now=since)
    assert f"  {removed} [account removed]: 3 answered" in "\n".join(lines), lines
