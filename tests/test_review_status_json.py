"""The JSON of `annotate review status`: one set of keys for a review set and for a name
pushed without --reviewers-per-task (the real server: tests/integration/
test_review_status_json.py). Built here from counts, no server."""

from __future__ import annotations

from annotate.review.project_status import LeadStatus, PartStatus
from annotate.review.status_json import KEYS, projects_document, review_set_document
from annotate.review.status_summary import QueueRow, summarise

EXPOSURE = {
    "exposure": {"since": "2026-12-03T00:00:00+00:00", "graphic_limit": 25, "reviewers": []},
    "contradictions": {"error": None},
    "answers_written_by_another_account": None,
}


def _row(i: int, open_: int, oldest: str | None) -> QueueRow:
    return QueueRow(
        name=f"r{i}@x.org (r-{i})",
        alias=f"r-{i}",
        email=f"r{i}@x.org",
        member=True,
        away=None,
        url=f"http://ls/projects/{10 + i}/data",
        project_id=10 + i,
        tasks=5,
        answered=5 - open_,
        skipped=0,
        open=open_,
        gold=0,
        drafts=0,
        held_twice=0,
        oldest_open=oldest,
    )


def _part(i: int, open_: int, oldest: str | None) -> PartStatus:
    return PartStatus(
        title=f"B #{i}",
        url=f"http://ls/projects/{20 + i}/data",
        tasks=4,
        answered=4 - open_,
        skipped=0,
        open=open_,
        open_drafts=1 if open_ else 0,
        project_id=20 + i,
        oldest_open=oldest,
    )


def _shape(doc: object) -> object:
    """The keys of ``doc``, nested (lists: the shape of their first item)."""
    if isinstance(doc, dict):
        return {k: _shape(v) for k, v in doc.items() if v is not None}
    if isinstance(doc, list):
        return [_shape(doc[0])] if doc else []
    return None


def test_both_kinds_have_every_key_and_the_same_totals_and_oldest() -> None:
    rows = [_row(1, 2, "2026-12-02T10:00:00Z"), _row(2, 0, None)]
    lead = LeadStatus("B · adjudication", "http://ls/projects/9/data", 3, 1, 2, 0)
    review = review_set_document(
        "B",
        k=2,
        summary=summarise(rows, None),
        rows=rows,
        lead=lead,
        short_of_k={"k": 2, "passages": 5, "short": 2, "unqueued": 0},
        held_back=[],
        held_back_pruned=None,
        exposure=EXPOSURE,
    )
    parts = [_part(1, 1, "2026-12-02T11:00:00Z"), _part(2, 2, "2026-12-01T09:00:00Z")]
    plain = projects_document("B", parts=parts, lead=None, held_back=[], exposure=EXPOSURE)

    assert sorted(review) == sorted(plain) == sorted(KEYS)
    assert review["totals"].keys() == plain["totals"].keys()
    assert review["oldest_open"].keys() == plain["oldest_open"].keys()
    assert plain["totals"] == {
        "projects": 2, "queues": 0, "tasks": 8, "answered": 5, "skipped": 0, "open": 3,
        "gold": 0, "drafts": 2,
    }  # fmt: skip
    assert plain["oldest_open"] == {
        "queue": None,
        "project_id": 22,
        "url": "http://ls/projects/22/data",
        "created_at": "2026-12-01T09:00:00Z",
    }
    assert review["totals"]["projects"] == review["totals"]["queues"] == 2
    assert review["oldest_open"]["queue"] == "r1@x.org (r-1)"
    # what does not apply is empty or null, never a count
    assert plain["queues"] == [] and review["projects"] == []
    assert plain["reviewers_per_task"] is None and plain["short_of_k"] is None
    # a set with nothing open: oldest_open null in both kinds
    idle = projects_document(
        "B", parts=[_part(1, 0, None)], lead=None, held_back=[], exposure=EXPOSURE
    )
    assert idle["oldest_open"] is None
    assert _shape(review)["lead"] == {k: None for k in _shape(review)["lead"]}  # type: ignore[index]


def test_the_oldest_of_numbered_projects_is_the_earliest_time() -> None:
    """'...09:00:00.500000Z' was taken before '...09:00:00Z' (the text sorts '.' first)
    and '...09:30:00+01:00' (08:30 UTC) after both."""
    parts = [
        _part(1, 1, "2026-12-01T09:00:00.500000Z"),
        _part(2, 1, "2026-12-01T09:00:00Z"),
    ]
    doc = projects_document("B", parts=parts, lead=None, held_back=[], exposure=EXPOSURE)
    assert doc["oldest_open"]["project_id"] == 22
    parts.append(_part(3, 1, "2026-12-01T09:30:00+01:00"))
    doc = projects_document("B", parts=parts, lead=None, held_back=[], exposure=EXPOSURE)
    assert doc["oldest_open"]["project_id"] == 23
