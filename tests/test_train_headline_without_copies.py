"""train's headline counted test passages it warned are copies of training rows (passJ
L2: "macro F1 0.5667 on 11,620 test passages", then "188 of 11,620 ... are copies"),
with no figure without them. Both trainers now record the test macro F1 without the
copies (``metrics.test_copies.macro_f1_without_copies``), and the headline, the warning
and the card give it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.cli.train import split_headline
from annotate.training import TrainConfig, train
from annotate.training.held_out_copies import copy_warning
from tests.test_encoder_head_test_copies import FITTED, PLACES, _write


def test_the_headline_and_warning_give_the_figure_without_copies() -> None:
    record = {
        "count": 27,
        "test_passages": 11620,
        "near_count": 161,
        "macro_f1_without_copies": 0.5612,
        "test_passages_without_copies": 11432,
    }
    metrics = {"test": {"macro_f1": 0.5667, "n": 11620, "per_label": {}}, "test_copies": record}
    summary, _ = split_headline(metrics)
    assert summary == (
        "macro F1 0.5667 on 11,620 test passages; 0.5612 on the 11,432 that are no copy of "
        "a training or validation row"
    )
    assert "without them, macro F1 0.5612 on 11,432 test passages" in copy_warning(record)


@pytest.mark.slow
@pytest.mark.parametrize("trainer", ["frozen", "encoder-head"])
def test_both_trainers_record_the_test_figure_without_copies(
    trainer: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, taxonomy
) -> None:
    monkeypatch.setenv("ANNOTATE_CACHE_DIR", str(tmp_path / "cache"))
    own = [
        {"doc_id": f"a{d}-{k}", "text": t.format(p=p), "labels": [label], "split": split}
        for d, p in enumerate(PLACES)
        for k, (split, t, label) in enumerate(FITTED)
    ]
    texts = [
        own[0]["text"].upper(),  # copies of fitted rows
        own[5]["text"],
        "The bakery in Garth now opens at seven and sells rye bread.",
        "Police said the arrests in Garth followed a week of protests downtown.",
    ]
    labels = ["none", "news_reporting", "none", "news_reporting"]
    other = [
        {"doc_id": f"b{i}", "text": t, "labels": [lab], "split": "test"}
        for i, (t, lab) in enumerate(zip(texts, labels, strict=True))
    ]
    cfg = TrainConfig(
        name="t",
        trainer=trainer,
        data=[
            {"path": str(_write(tmp_path / "own.jsonl", own))},
            {"path": str(_write(tmp_path / "other.jsonl", other))},
        ],
    )
    result = train(cfg, tmp_path / "model", taxonomy, allow_no_harmful=True)
    record = result.metrics["test_copies"]
    assert record["count"] == 2, record
    assert record["test_passages_without_copies"] == 2, record
    assert isinstance(record["macro_f1_without_copies"], float), record
    stored = json.loads((tmp_path / "model" / "annotate_model.json").read_text())
    assert stored["metrics"]["test_copies"] == record
    card = (tmp_path / "model" / "model_card.md").read_text(encoding="utf-8")
    assert "without them, macro F1" in card
