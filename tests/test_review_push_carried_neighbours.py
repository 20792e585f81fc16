"""A review set (``push --reviewers-per-task``) of a later batch whose rows carry
neighbours not in the file (``ingest --previous``: an edited document's unchanged
passages, reviewed in the earlier batch): each task shows them as the whole document
would have (a neighbour with a content warning as the hidden-neighbour note, read from
its own task in the set); without a task of it, a note, counted. Before, no context."""

from __future__ import annotations

from pathlib import Path

from annotate.review.fanout import push_review
from annotate.review.view import UNKNOWN_NEIGHBOUR, hidden_neighbour
from tests.studio.test_staging_carried_neighbours import CHANGED, _batch2, _rows, _write
from tests.test_review_fanout import ReviewStudio


def _shown(client: ReviewStudio) -> dict[str, dict]:
    return {t["data"]["passage_id"]: t["data"] for ts in client.tasks.values() for t in ts}


def test_a_later_batchs_review_set_shows_the_earlier_neighbours(tmp_path: Path) -> None:
    rows = _rows()
    earlier = _write(tmp_path / "b1.jsonl", [r for n, r in rows.items() if n not in CHANGED])
    client = ReviewStudio()
    push_review(earlier, "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    result = push_review(_batch2(tmp_path, rows), "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    assert result.unknown_neighbours == 0
    shown = _shown(client)
    assert shown[rows["doc-c-p0"]["id"]]["context_after"] == hidden_neighbour(
        rows["doc-c-p1"]["id"]
    )
    assert shown[rows["doc-b-p1"]["id"]]["context_before"] == rows["doc-b-p0"]["text"]
    # as the whole document pushed at once shows them
    whole = ReviewStudio()
    push_review(
        _write(tmp_path / "all.jsonl", list(rows.values())), "All", 2, client=whole, salt="s"
    )  # type: ignore[arg-type]
    reference = _shown(whole)
    for name in CHANGED:
        pid = rows[name]["id"]
        assert (shown[pid]["context_before"], shown[pid]["context_after"]) == (
            reference[pid]["context_before"],
            reference[pid]["context_after"],
        )


def test_without_the_earlier_batch_the_notes_are_counted(tmp_path: Path) -> None:
    client = ReviewStudio()
    result = push_review(_batch2(tmp_path, _rows()), "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    assert result.unknown_neighbours == 2 * len(CHANGED)  # each passage's task in 2 queues
    notes = [d for d in _shown(client).values() if UNKNOWN_NEIGHBOUR in d.values()]
    assert len(notes) == len(CHANGED)


def test_only_the_tasks_a_push_creates_are_counted(tmp_path: Path) -> None:
    """A passage already in the queues is not sent again, so its tasks are not counted
    (they were, once per passage of the file, whatever the push created)."""
    rows = _rows()
    batch = _batch2(tmp_path, rows)
    client = ReviewStudio()
    push_review(batch, "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    again = push_review(batch, "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    assert again.unknown_neighbours == 0
    assert sum(r.created for r in again.reviewers) == 0
    # one queue lost its task of a changed passage: the next push creates that one task
    lost = rows["doc-b-p1"]["id"]
    queue = next(iter(client.tasks.values()))
    queue[:] = [t for t in queue if t["data"]["passage_id"] != lost]
    third = push_review(batch, "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    assert (sum(r.created for r in third.reviewers), third.unknown_neighbours) == (1, 1)
