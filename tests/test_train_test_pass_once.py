"""The row trainers' (``frozen``, ``finetune``) model-card test pass predicts the test
split once: the figure without the test passages that copy a training row
(``metrics.test_copies.macro_f1_without_copies``) is scored from that pass's predictions,
not from a second pass over those passages, which embedded them all again. A tiny fake
encoder (tests/test_train_progress_total.py) stands in for the real one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import annotate.classifier.encoder as encoder_module
import annotate.evaluation.evaluate as evaluate_module
from annotate.training.config import DataEntry, TrainConfig
from tests.test_train_loop import _native_rows
from tests.test_train_progress_total import _Encoder


def _write(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _config(tmp_path: Path) -> tuple[TrainConfig, int]:
    """The native rows, and another source whose test split copies 2 of their training
    passages beside 2 of its own (one document); (config, that source's test passages)."""
    own = _native_rows()
    fitted = [r for r in own if r["split"] == "train"]
    other = [
        {"doc_id": "other-0", "passage_index": i, "text": text, "labels": [label], "split": "test"}
        for i, (text, label) in enumerate(
            [
                ("The bakery in Garth now opens at seven and sells rye bread.", "none"),
                (fitted[0]["text"].upper(), fitted[0]["labels"][0]),  # copies (case folded)
                (fitted[5]["text"], fitted[5]["labels"][0]),
                ("Police said the arrests in Garth followed a week of protests.", "news_reporting"),
            ]
        )
    ]
    data = [
        DataEntry(path=str(_write(tmp_path / "own.jsonl", own))),
        DataEntry(path=str(_write(tmp_path / "other.jsonl", other))),
    ]
    return TrainConfig(name="small", data=data), len(other)


def test_the_card_predicts_the_test_split_once(
    tmp_path: Path, taxonomy: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotate.training import train

    monkeypatch.setattr(encoder_module, "Encoder", _Encoder)
    passes: list[int] = []  # passages given to each prediction pass
    real = evaluate_module.predict_passages

    def predict_passages(clf: Any, passages: Any, *args: Any, **kwargs: Any) -> Any:
        passes.append(len(passages))
        return real(clf, passages, *args, **kwargs)

    monkeypatch.setattr(evaluate_module, "predict_passages", predict_passages)
    cfg, other_test = _config(tmp_path)
    result = train(
        cfg, tmp_path / "model", taxonomy, cache_dir=tmp_path / "cache", allow_no_harmful=True
    )

    test_n = result.metrics["test"]["n"]
    assert test_n == sum(r["split"] == "test" for r in _native_rows()) + other_test
    assert passes == [test_n], passes  # one pass: the test split, once
    record = result.metrics["test_copies"]
    assert record["count"] == 2, record
    # without the copies and the near-copies (a test row of the native source is one)
    left = test_n - record["count"] - record["near_count"]
    assert record["near_count"] >= 1 and record["test_passages_without_copies"] == left, record
    assert isinstance(record["macro_f1_without_copies"], float), record
    stored = json.loads((tmp_path / "model" / "annotate_model.json").read_text())
    assert stored["metrics"]["test_copies"] == record
    assert stored["metrics"]["test"]["scored_as"] == "evaluate"
