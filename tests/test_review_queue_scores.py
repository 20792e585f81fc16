"""A reviewer's queue shows the model's labels, never its confidence: Label Studio drew
each prediction's score on its tab ("93.00%") and in the grid's "Prediction score"
column, and each evidence span's in the Regions panel (0.81), so reviewers read how sure
the model was before answering (stop 46 ui pass). The plain push (the lead's project)
keeps them; tests/integration/test_browser_layout.py checks both in a browser."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from annotate.review.fanout import push_review
from annotate.review.view import REVIEWER_HIDDEN_COLUMNS, grid_view, without_scores
from tests.conftest import FIXTURES, project_taxonomy
from tests.test_review_fanout import ReviewStudio

PRELABELS = FIXTURES / "prelabels.jsonl"


def _scored(task: dict[str, Any]) -> list[Any]:
    """Every score a task's predictions carry, their results' too."""
    preds = task.get("predictions") or []
    return [p["score"] for p in preds if "score" in p] + [
        r["score"] for p in preds for r in p["result"] if "score" in r
    ]


def test_queues_get_the_models_labels_without_its_scores(tmp_path: Path) -> None:
    client = ReviewStudio()
    push_review(PRELABELS, "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    queued = [t for tasks in client.tasks.values() for t in tasks]
    assert queued and all(_scored(t) == [] for t in queued)
    # the labels stay: the news passage's category and its quoted words
    news = [t for t in queued if t["data"]["passage_id"] == "doc-a-p0"]
    results = [r for t in news for p in t["predictions"] for r in p["result"]]
    assert {"choices": ["news_reporting"]} in [r["value"] for r in results]
    assert any(r["type"] == "labels" for r in results)
    # a newer model's predictions added to tasks already queued: no scores either
    rows = [json.loads(line) for line in PRELABELS.read_text().splitlines() if line.strip()]
    newer = tmp_path / "newer.jsonl"
    newer.write_text("".join(json.dumps({**r, "model_version": "m2"}) + "\n" for r in rows))
    push_review(newer, "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    queued = [t for tasks in client.tasks.values() for t in tasks]
    assert {p["model_version"] for t in queued for p in t["predictions"]} == {
        "fixture-model-1",
        "m2",
    }
    assert all(_scored(t) == [] for t in queued)


def test_a_queues_grid_hides_the_score_columns_and_still_orders_by_priority() -> None:
    tax = project_taxonomy()
    queue = grid_view(tax, by_priority=True, reviewer=True)
    lead = grid_view(tax, by_priority=True)
    for mode in ("explore", "labeling"):
        assert set(REVIEWER_HIDDEN_COLUMNS) <= set(queue["hiddenColumns"][mode])
        assert not set(REVIEWER_HIDDEN_COLUMNS) & set(lead["hiddenColumns"][mode])
    assert queue["ordering"] == lead["ordering"] == ["-tasks:data.priority"]


def test_without_scores_leaves_the_prediction_it_copies() -> None:
    pred = {"model_version": "m", "score": 0.9, "result": [{"id": "a", "score": 0.8}]}
    assert without_scores(pred) == {"model_version": "m", "result": [{"id": "a"}]}
    assert pred == {"model_version": "m", "score": 0.9, "result": [{"id": "a", "score": 0.8}]}
