"""Which answer is a reviewer's or a lead's latest, and the order of votes, by time: Label
Studio writes ``created_at``/``updated_at`` as ``...:00Z`` on the second and
``...:00.250000Z`` otherwise, and with an offset on a server in another ``TIME_ZONE``
(see annotate._util.server_time). Compared as text, ``...:00.250000Z`` (later) sorted
before ``...:00Z``, and ``11:30:00+01:00`` (10:30 UTC) after ``10:45:00Z``: pull, collect
and recent picked the earlier answer as the latest. Each case below fails on text order."""

from __future__ import annotations

from typing import Any

from annotate._util.server_time import recency
from annotate.review.collect import _record_lead, latest_lead_answer
from annotate.review.recent import _lead_answers
from annotate.studio.pull import latest_annotations

WHOLE = "2026-12-03T10:00:00Z"  # on the second
LATER = "2026-12-03T10:00:00.250000Z"  # a quarter of a second later
BEFORE = "2026-12-03T11:30:00+01:00"  # 10:30 UTC
AFTER = "2026-12-03T10:45:00+00:00"  # 10:45 UTC


def _result(category: str) -> list[dict[str, Any]]:
    return [
        {"from_name": "category", "to_name": "passage", "type": "choices",
         "value": {"choices": [category]}},
        {"from_name": "severity", "to_name": "passage", "type": "choices",
         "value": {"choices": ["none"]}},
    ]  # fmt: skip


def _ann(aid: int, user: int, created: str, updated: str, category: str) -> dict[str, Any]:
    return {
        "id": aid,
        "completed_by": user,
        "created_at": created,
        "updated_at": updated,
        "result": _result(category),
        "was_cancelled": False,
    }


def test_the_text_order_was_wrong_for_these_stamps() -> None:
    assert max(WHOLE, LATER) == WHOLE and max(BEFORE, AFTER) == BEFORE
    assert max([WHOLE, LATER], key=recency) == LATER
    assert max([BEFORE, AFTER], key=recency) == AFTER
    assert max(["", None, WHOLE], key=recency) == WHOLE  # no time is never the latest


def test_a_reviewers_latest_answer_and_the_votes_order_are_by_time() -> None:
    task = {
        "id": 1,
        "annotations": [
            _ann(10, 7, WHOLE, LATER, "violent_threat"),  # saved again a moment later
            _ann(11, 7, WHOLE, WHOLE, "news_reporting"),
            _ann(12, 8, AFTER, AFTER, "news_reporting"),
            _ann(13, 9, BEFORE, BEFORE, "news_reporting"),
        ],
    }
    votes = latest_annotations(task)
    assert [user for user, _ in votes] == [7, 9, 8]  # oldest first: 10:00, 10:30, 10:45
    assert votes[0][1]["id"] == 10


def test_the_leads_latest_answer_is_by_time(taxonomy) -> None:
    text = "They will burn the clinic tonight."
    task = {
        "id": 5,
        "data": {"passage_id": "p1", taxonomy.interface.text_field: text},
        "annotations": [
            _ann(20, 3, WHOLE, LATER, "violent_threat"),
            _ann(21, 4, WHOLE, WHOLE, "news_reporting"),
        ],
    }
    user, ann, parsed = latest_lead_answer(task, taxonomy)
    assert (user, ann["id"], parsed["categories"]) == (3, 20, ["violent_threat"])


def test_recent_keeps_the_latest_lead_answer_of_a_passage_in_two_tasks(taxonomy) -> None:
    text = "They will burn the clinic tonight."
    first = {
        "id": 5,
        "data": {"passage_id": "p1", taxonomy.interface.text_field: text},
        "annotations": [_ann(31, 3, AFTER, AFTER, "violent_threat")],
    }
    other = {
        "id": 6,
        "data": {"passage_id": "p1", taxonomy.interface.text_field: text},
        "annotations": [_ann(30, 4, BEFORE, BEFORE, "news_reporting")],
    }
    (row,) = _lead_answers([first, other], {"p1"}, taxonomy, "salt")
    assert (row["categories"], row["updated_at"]) == (["violent_threat"], AFTER)


def test_the_last_review_time_of_a_lead_decided_row_is_by_time() -> None:
    row: dict[str, Any] = {"last_annotated_at": WHOLE, "ls_tasks": []}
    lead = {"lead": "r-x", "updated_at": LATER, "created_at": LATER}
    _record_lead(row, lead)
    assert row["last_annotated_at"] == LATER
    row = {"last_annotated_at": BEFORE, "ls_tasks": []}
    _record_lead(row, {"lead": "r-x", "updated_at": AFTER, "created_at": AFTER})
    assert row["last_annotated_at"] == AFTER
