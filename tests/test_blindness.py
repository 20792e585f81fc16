"""Which answers a reviewer made or changed after the adjudication project showed their
passage (:mod:`annotate.review.blindness`), and how ``review.mode`` states it."""

from __future__ import annotations

from typing import Any

from annotate.review.blindness import after_exposure, first_shown
from annotate.review.mode import review_mode

SHOWN_AT = "2026-12-01T10:00:00.000000Z"


def _row(pid: str, *answers: tuple[str, str, str]) -> dict[str, Any]:
    return {
        "id": pid,
        "annotations": [
            {"reviewer": who, "created_at": made, "updated_at": saved}
            for who, made, saved in answers
        ],
    }


def test_made_and_changed_after_the_passage_was_shown_are_told_apart() -> None:
    shown = first_shown(
        [("p1", "2026-12-01T11:00:00+01:00"), ("p1", "2026-12-01T12:00:00Z"), ("p2", None)]
    )
    assert shown == {"p1": "2026-12-01T11:00:00+01:00"}  # 10:00 UTC, the earliest
    rows = [
        _row(
            "p1",
            ("r-a", "2026-12-01T09:00:00Z", "2026-12-01T09:59:59.999999Z"),  # before
            ("r-b", "2026-12-01T09:00:00Z", "2026-12-01T10:00:00.000001Z"),  # changed
            ("r-c", "2026-12-01T10:30:00", "2026-12-01T10:30:00"),  # made (naive: UTC)
        ),
        _row("p2", ("r-a", "2026-12-02T00:00:00Z", "2026-12-02T00:00:00Z")),  # never shown
    ]
    record = after_exposure(rows, shown)
    assert record["adjudication_started_at"] == "2026-12-01T11:00:00+01:00"
    assert record["answers_after_exposure"] == 2 and record["passages"] == ["p1"]
    assert {a["reviewer"]: a["what"] for a in record["answers"]} == {
        "r-b": "changed",
        "r-c": "made",
    }
    assert record["by_reviewer"]["r-a"] == {"answers": 0, "made": 0, "changed": 0, "passages": []}
    assert record["by_reviewer"]["r-c"]["made"] == 1


def test_the_statement_follows_the_record() -> None:
    kw: dict[str, Any] = {"review_set": True, "reviewer_projects": 2, "reviewers_per_task": 2}
    plain = review_mode(**kw, shared=0, exposure=after_exposure([], {}))
    assert plain["blind"] is True
    # what holds, not more (passD51 D7): shown nothing of another's in their own queue,
    # and Community lets a member who opens a colleague's queue read it
    assert "could see" not in plain["statement"]
    assert (
        "no reviewer was shown another reviewer's answers in their own queue"
        in (plain["statement"])
    )
    assert (
        "who opens a colleague's queue read it; annotate cannot prevent or detect"
        in (plain["statement"])
    )
    rows = [_row("p1", ("r-a", "2026-12-01T09:00:00Z", "2026-12-01T09:00:00Z"))]
    after = review_mode(**kw, shared=0, exposure=after_exposure(rows, {"p1": SHOWN_AT}))
    assert after["blind"] is True
    assert after["statement"].startswith("Blind review throughout: ")
    late = [_row("p1", ("r-a", "2026-12-01T09:00:00Z", "2026-12-01T10:05:00Z"))]
    mode = review_mode(**kw, shared=0, exposure=after_exposure(late, {"p1": SHOWN_AT}))
    assert mode["blind"] is False
    assert mode["statement"].startswith(f"Blind until adjudication started at {SHOWN_AT}: ")
    assert (
        "1 answer was made or changed after its passage appeared there (p1 by r-a "
        in (mode["statement"])
    )
    assert "no reviewer could see" not in mode["statement"]
