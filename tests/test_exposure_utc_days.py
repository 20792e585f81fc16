"""Exposure days are UTC dates of the answer's time, whatever offset the server wrote
(not the first 10 characters of its text), so the daily graphic limit counts the right
answers on the right day."""

from __future__ import annotations

from datetime import datetime, timezone

from annotate.review.exposure import exposure
from annotate.review.live_exposure import reviewer_exposure

LEVELS = ["none", "low", "medium", "high", "critical"]
STAMPS = {
    "2026-12-03T01:30:00+05:00": "2026-12-02",  # 20:30 UTC the day before
    "2026-12-02T23:30:00-02:00": "2026-12-03",  # 01:30 UTC the day after
    "2026-12-02T23:59:59.999999Z": "2026-12-02",
    "2026-12-03T00:00:00.5Z": "2026-12-03",  # a fraction Python 3.10 cannot read as is
    "2026-12-03T00:10:00": "2026-12-03",  # no offset: UTC
    "": "unknown",
}


def _rows() -> list[dict[str, object]]:
    return [
        {
            "id": f"p{i}",
            "model_labels": ["graphic_violence"],
            "model_scores": {},
            "annotations": [
                {
                    "reviewer": "r-a",
                    "categories": ["graphic_violence"],
                    "severity": "high",
                    "created_at": stamp,
                }
            ],
        }
        for i, stamp in enumerate(STAMPS)
    ]


def test_days_are_utc_dates_of_mixed_offsets_around_midnight() -> None:
    for row, day in zip(_rows(), STAMPS.values(), strict=True):
        assert list(exposure([row], LEVELS)["reviewers"]["r-a"]) == [day], row
    days = exposure(_rows(), LEVELS)["reviewers"]["r-a"]
    expected: dict[str, int] = {}
    for day in STAMPS.values():
        expected[day] = expected.get(day, 0) + 1
    assert {d: c["graphic"] for d, c in days.items()} == expected
    assert expected == {"2026-12-02": 2, "2026-12-03": 3, "unknown": 1}


def test_the_daily_limit_and_since_count_utc_days() -> None:
    since = datetime(2026, 12, 3, tzinfo=timezone.utc)
    record = exposure(_rows(), LEVELS, counted_from=since)
    assert list(record["reviewers"]["r-a"]) == ["2026-12-03"]
    (found,) = reviewer_exposure(record, limit=2)
    assert found.graphic == 3 and found.over == {"2026-12-03": 3}
