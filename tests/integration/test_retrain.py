"""The whole retraining loop against a real Label Studio:

prelabel (model A) -> push -> reviewers correct the labels -> export -> `annotate train`
(base data + the export) -> prelabel with model B: its labels follow the reviewers.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.classifier import load_classifier
from annotate.corpus.export import export
from annotate.prelabeling import prelabel
from annotate.studio.client import StudioClient
from annotate.studio.push import push
from tests.conftest import project_taxonomy
from tests.test_train_loop import CORRECTED, NO_HARM, TRAINERS, _cli, _native_rows

from .helpers import choices, tasks_by_passage

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_prelabel_review_export_retrain(
    client: StudioClient, project_name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tax = project_taxonomy()
    monkeypatch.setenv("ANNOTATE_CACHE_DIR", str(tmp_path / "cache"))
    base = tmp_path / "base.jsonl"
    base.write_text("\n".join(json.dumps(r) for r in _native_rows()) + "\n")
    cfg = tmp_path / "small.train.yaml"
    # the default trainer, on this test's rows alone: the labels.yaml examples (trained on
    # by default) teach model A enough `none` to get most market notices right already
    cfg.write_text("name: small\n" + TRAINERS["frozen"][0] + "taxonomy_examples_weight: 0\n")
    model_a = tmp_path / "model-a"
    _cli(
        [
            "train",
            "--config",
            str(cfg),
            "--data",
            str(base),
            "--out",
            str(model_a),
            "--quiet",
            NO_HARM,
        ]
    )

    passages = tmp_path / "passages.jsonl"
    passages.write_text(
        "\n".join(
            json.dumps(
                {
                    "id": f"mk-{i}",
                    "text": t,
                    "doc_id": f"market-{i}",
                    "passage_index": 0,
                    "title": "Market notices",
                }
            )
            for i, t in enumerate(CORRECTED)
        )
        + "\n"
    )
    pre_a = tmp_path / "prelabels-a.jsonl"
    prelabel(passages, pre_a, model=str(model_a))
    labels_a = [json.loads(line)["labels"] for line in pre_a.read_text().splitlines()]
    assert sum(lab == ["none"] for lab in labels_a) < len(CORRECTED) // 2  # A gets them wrong

    pushed = push(pre_a, project_name, client=client)
    tasks = tasks_by_passage(client, pushed.project_id)
    me = int(client.whoami()["id"])
    for task in tasks.values():  # the reviewer corrects every passage to `none`
        client.sdk.annotations.create(
            id=task["id"], result=[choices("category", ["none"])], completed_by=me
        )
    corpus = tmp_path / "corpus"
    result = export(project_name, corpus, client=client, salt="test-salt")
    assert result.rows == len(CORRECTED)

    model_b = tmp_path / "model-b"
    _cli(
        [
            "train",
            "--config",
            str(cfg),
            "--data",
            str(base),
            "--data",
            str(corpus),
            "--out",
            str(model_b),
            "--quiet",
            NO_HARM,
        ]
    )
    pre_b = tmp_path / "prelabels-b.jsonl"
    stats = prelabel(passages, pre_b, model=str(model_b))
    rows_b = [json.loads(line) for line in pre_b.read_text().splitlines()]
    assert stats.model_version == load_classifier(model_b, tax).version
    assert {r["model_version"] for r in rows_b} == {stats.model_version}
    right_b = sum(r["labels"] == ["none"] for r in rows_b)
    assert right_b >= 0.75 * len(CORRECTED), [r["labels"] for r in rows_b]
