"""`annotate review status` names each reviewer of its exposure part one way: its text
lines, its graphic-limit warning and `--json`'s ``name``. Before, the JSON gave ``null``
for every answerer without a queue line (the lead of ``NAME · adjudication``; every
reviewer of a project pushed without --reviewers-per-task) where the text line read
"e-mail (pseudonym)", and the warning named such a reviewer by pseudonym alone. No
server: the reading of Label Studio is replaced (tests/integration/test_review_status_json.py
runs it against a real one)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from annotate.cli.review import exposure as cli
from annotate.review.live_exposure import ReviewerExposure

SINCE = datetime(2026, 12, 3, tzinfo=timezone.utc)
NOW = datetime(2026, 12, 3, 12, tzinfo=timezone.utc)


def seen(who: str, graphic: int) -> ReviewerExposure:
    over = {"2026-12-03": graphic} if graphic > 1 else {}
    return ReviewerExposure(who, 4, graphic, 1, 0, over)


def test_the_warning_names_a_lead_above_the_limit_as_its_line_does() -> None:
    found = [seen("r-lead", 3), seen("r-ana", 2), seen("r-gone", 0)]
    names = {"r-ana": "ana@t (r-ana)"}  # a queue line; the lead has none
    mails = {"r-lead": "lead@t", "r-gone": None}
    lines = cli.exposure_lines(found, names, mails, SINCE, 1, NOW)
    listed = [x.split(":")[0].strip() for x in lines if x.startswith("  ")]
    assert listed == ["ana@t (r-ana)", "lead@t (r-lead)", "r-gone [account removed]"], lines
    (warning,) = [x for x in lines if "consider a break" in x]
    assert "(ana@t (r-ana), lead@t (r-lead))" in warning, warning


def test_json_names_every_reviewer_as_the_text_lines_do(monkeypatch: pytest.MonkeyPatch) -> None:
    found = [seen("r-lead", 0), seen("r-ana", 2), seen("r-gone", 0), seen("r-unknown", 0)]
    monkeypatch.setattr(cli, "_read_exposure", lambda *a, **k: found)
    monkeypatch.setattr(cli, "read_contradictions", lambda *a: {"error": None})
    asked: list[list[str]] = []

    def emails_of(
        pseudonyms: list[str], client: Any = None, salt: Any = None
    ) -> dict[str, str | None]:
        asked.append(pseudonyms)
        return {p: m for p, m in {"r-lead": "lead@t", "r-gone": None}.items() if p in pseudonyms}

    monkeypatch.setattr(cli, "emails_of", emails_of)
    names = {"r-ana": "ana@t (r-ana)"}
    doc = cli.exposure_json(None, "Batch 12", names, SINCE, 1, None)  # type: ignore[arg-type]
    got = {r["reviewer"]: r["name"] for r in doc["exposure"]["reviewers"]}
    assert got == {
        "r-ana": "ana@t (r-ana)",
        "r-lead": "lead@t (r-lead)",  # was None
        "r-gone": "r-gone",  # a removed account: its pseudonym, as its line
        "r-unknown": "r-unknown",
    }, got
    assert asked == [["r-lead", "r-gone", "r-unknown"]]  # the queue-named one is not asked
    # the same names the text lines give
    lines = cli.exposure_lines(found, names, {"r-lead": "lead@t", "r-gone": None}, SINCE, 1, NOW)
    for who, name in got.items():
        assert any(x.startswith(f"  {name}") for x in lines), (who, lines)
