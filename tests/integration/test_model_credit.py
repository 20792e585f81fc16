"""Export credits the prediction a reviewer started from, against the real server
(issue 12, item 2): after a re-push with a newer model, the newer model is credited.
Each annotation records whether it started from a prediction (Label Studio's
``parent_prediction``; audit49 A1), and the audit report counts only those as started
from the model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from annotate.corpus.export import export
from annotate.studio.client import StudioClient
from annotate.studio.push import push

from .helpers import PRELABELS, tasks_by_passage

pytestmark = pytest.mark.integration


def newer_model(path: Path) -> None:
    """model-2: the lion post becomes propaganda and incitement (model-1: propaganda)."""
    rows = [json.loads(line) for line in PRELABELS.read_text().splitlines() if line.strip()]
    for r in rows:
        r["model_version"] = "fixture-model-2"
        if r["id"] == "doc-b-p1":
            r["scores"] = {**r["scores"], "extremist_propaganda": 0.97, "incitement": 0.9}
            r["labels"] = ["incitement", "extremist_propaganda"]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))


def read_rows(out: Path) -> dict[str, dict[str, Any]]:
    return {
        r["id"]: r
        for split in ("train", "validation", "test")
        for line in (out / "jsonl" / f"{split}.jsonl").read_text().splitlines()
        for r in [json.loads(line)]
    }


def test_the_newer_models_prediction_is_credited_after_a_repush(
    client: StudioClient, project_name: str, tmp_path: Path
) -> None:
    first = push(PRELABELS, project_name, client=client)
    newer_model(tmp_path / "v2.jsonl")
    push(tmp_path / "v2.jsonl", project_name, client=client)
    tasks = tasks_by_passage(client, first.project_id)
    admin = int(client.whoami()["id"])

    lion = client.sdk.tasks.get(str(tasks["doc-b-p1"]["id"]))
    v2 = next(p for p in lion.predictions if p.model_version == "fixture-model-2")
    # the reviewer accepts model-2's pre-annotation as shown (the labeling view records
    # the prediction it started from)
    client.sdk.annotations.create(
        id=lion.id, result=v2.result, completed_by=admin, parent_prediction=v2.id
    )

    threat = client.sdk.tasks.get(str(tasks["doc-a-p1"]["id"]))
    v2t = next(p for p in threat.predictions if p.model_version == "fixture-model-2")
    # the reviewer keeps categories and spans and adds a severity: the model suggests none
    # for a harmful passage (stop 48 F19), so it does not disagree; the answer records no
    # starting prediction (made through the API without it)
    assert not [r for r in v2t.result if r["from_name"] == "severity"]
    severity = {"from_name": "severity", "to_name": "passage", "type": "choices"}
    raised = [*v2t.result, {**severity, "value": {"choices": ["critical"]}}]
    client.sdk.annotations.create(id=threat.id, result=raised, completed_by=admin)

    result = export(project_name, tmp_path / "out", client=client, salt="s")
    rows = read_rows(tmp_path / "out")
    lion_row = rows["doc-b-p1"]
    assert lion_row["model_version"] == "fixture-model-2"
    assert lion_row["annotations"][0]["model_version"] == "fixture-model-2"
    # model-2's categories, not model-1's
    assert lion_row["model_labels"] == ["incitement", "extremist_propaganda"]
    assert lion_row["model_severity"] == ""
    assert lion_row["model_agreed"] is True and lion_row["annotations"][0]["agrees_with_model"]
    assert lion_row["model_spans"] == lion_row["spans"] != []
    assert lion_row["annotations"][0]["parent_prediction"] == v2.id
    assert lion_row["annotations"][0]["started_from_prediction"] is True

    threat_row = rows["doc-a-p1"]
    assert threat_row["model_version"] == "fixture-model-2"
    assert threat_row["labels"] == threat_row["model_labels"]
    assert threat_row["severity"] == "critical" and threat_row["model_severity"] == ""
    assert threat_row["model_agreed"] is True
    # the task showed model-2's pre-labels; the answer records starting from none
    assert threat_row["annotations"][0]["model_version"] == "fixture-model-2"
    assert threat_row["annotations"][0]["parent_prediction"] is None
    assert threat_row["annotations"][0]["started_from_prediction"] is False
    mine = json.loads((tmp_path / "out" / "report" / "report.json").read_text())["reviewer_answers"]
    (me,) = mine.values()
    assert me["started_from"] == {"fixture-model-2": 1} and me["no_start_recorded"] == 1

    assert result.manifest["model_versions"] == ["fixture-model-1", "fixture-model-2"]
    assert result.manifest["model_versions_credited"] == ["fixture-model-2"]
    assert result.manifest["model_versions_shown"] == ["fixture-model-2"]
    # one answer records starting from model-2's prediction, the other none
    assert result.manifest["model_versions_started_from"] == {"fixture-model-2": 1}
