"""A re-push of the same passages pre-labelled by a newer model (passJ54 M3): each task
already there gets the new model's prediction, and its grid columns (`model_version`,
`model_labels`, `model_scores`) now follow the pre-annotation shown; they kept the first
push's values (the grid said `counter_speech` where the pre-annotation shown was the new
model's `none`). Task ids, the reviewers' answers, the passage text, priority and the
other task fields stay as they were."""

from __future__ import annotations

import json

import pytest

from annotate.studio.client import StudioClient
from annotate.studio.push import push

from .helpers import PRELABELS, give_answer, new_reviewer, tasks_by_passage

pytestmark = pytest.mark.integration

MODEL_FIELDS = ("model_version", "model_labels", "model_scores")


def _newer(rows: list[dict]) -> list[dict]:
    """Each row pre-labelled `none` (scores to match) by fixture-model-2."""
    out = []
    for r in rows:
        scores = {k: 0.01 for k in r["scores"]} | {"none": 0.97}
        out.append({**r, "model_version": "fixture-model-2", "labels": ["none"], "scores": scores})
    return out


def test_repush_with_a_newer_model_moves_the_grid_columns_to_it(
    client: StudioClient, project_name: str, tmp_path
) -> None:
    rows = [json.loads(line) for line in PRELABELS.read_text().splitlines() if line.strip()]
    first = push(PRELABELS, project_name, client=client, batch_size=4)
    before = tasks_by_passage(client, first.project_id)
    # a reviewer answered one task before the re-push
    reviewer = new_reviewer(client)
    answered = before["doc-a-p1"]["id"]
    give_answer(client, answered, reviewer, ["violent_threat"], "severe")

    newer = tmp_path / "newer.jsonl"
    newer.write_text("".join(json.dumps(r) + "\n" for r in _newer(rows)))
    second = push(newer, project_name, client=client, batch_size=4)
    assert (second.created, second.predictions_added) == (0, len(rows))

    after = tasks_by_passage(client, first.project_id)
    assert {p: t["id"] for p, t in after.items()} == {p: t["id"] for p, t in before.items()}
    for pid, task in after.items():
        data, old = task["data"], before[pid]["data"]
        assert data["model_version"] == "fixture-model-2", pid
        assert data["model_labels"] == ["none"], pid
        assert data["model_scores"]["none"] == pytest.approx(0.97), pid
        # every other field as the first push left it
        assert {k: v for k, v in data.items() if k not in MODEL_FIELDS} == {
            k: v for k, v in old.items() if k not in MODEL_FIELDS
        }, pid
    assert second.task_data_updated == len(rows)
    # the reviewer's answer is still there, untouched
    anns = client.sdk.annotations.list(id=answered)
    assert len(anns) == 1 and anns[0].result[0]["value"]["choices"] == ["violent_threat"]

    # pushed again: nothing to add, nothing to change
    third = push(newer, project_name, client=client, batch_size=4)
    assert (third.predictions_added, third.task_data_updated) == (0, 0)
