"""``review.adjudicated_by_own_reviewer`` counts a passage only when its lead is one of its
reviewers and the lead's answer decided it; the real server's case (the admin reviewing,
then deciding as the lead) is in tests/integration/test_adjudication_update.py."""

from __future__ import annotations

from annotate.review.report import adjudicated_by_own_reviewer


def _row(pid: str, resolution: str, lead: str | None, reviewers: list[str]) -> dict:
    return {
        "id": pid,
        "resolution": resolution,
        "adjudicator": lead,
        "annotations": [{"reviewer": r} for r in reviewers],
    }


def test_only_a_lead_deciding_a_passage_they_reviewed_is_counted() -> None:
    rows = [
        _row("p_own", "adjudicated", "r-lea", ["r-lea", "r-ben"]),
        _row("p_other", "adjudicated", "r-lea", ["r-ana", "r-ben"]),  # a third person
        _row("p_vote", "majority", None, ["r-lea", "r-ben", "r-ana"]),  # no lead decided
        _row("p_own2", "adjudicated", "r-dee", ["r-dee", "r-ana"]),
    ]
    assert adjudicated_by_own_reviewer(rows) == {
        "passages": 2,
        "ids": ["p_own", "p_own2"],
        "by": {"r-dee": 1, "r-lea": 1},
    }
    assert adjudicated_by_own_reviewer([]) == {"passages": 0, "ids": [], "by": {}}
