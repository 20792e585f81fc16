"""The fine-tune trainer keeps the fallback 0.5 for labels with too few validation
positives (the frozen trainer cross-fits them). Cross-fitting it was measured (stop 57,
a 258-passage export): 5 more fine-tunes, 1,329 s on top of a 315 s fit, and macro F1
0.446 -> 0.401 on 93 passages reviewed later; so it stays off, and `annotate train` and
the card now say why, naming the frozen trainer as the way to get them cross-fitted. The
fine-tune itself is a stand-in here (logits from the text, as
tests/test_train_cross_fit_thresholds.py's features)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
import torch

import annotate.training.finetune as finetune
from annotate.evaluation.model_card import finetune_fallback_said, uncalibrated_lines
from annotate.settings import PROJECT_ROOT
from annotate.taxonomy import load_taxonomy
from annotate.training.config import TrainConfig, fit_to_taxonomy
from tests.test_train_cross_fit_thresholds import _Feats, _rows


def test_a_fine_tune_is_run_once_and_thin_labels_keep_the_fallback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tax = load_taxonomy(PROJECT_ROOT / "labels.yaml")
    cfg = fit_to_taxonomy(TrainConfig.model_validate({"trainer": "finetune"}), tax)
    feats = _Feats(tax.category_names)
    n = len(tax.category_names)
    tuned: list[int] = []

    class _Tuned(finetune.FineTuned):
        def logits(self, rows: pd.DataFrame, with_spans: bool = False, progress: Any = None):
            return 2 * feats.matrix(rows)[:, :n], [np.zeros((0, 0)) for _ in range(len(rows))]

    def fake_fine_tune(rows, cfg, tax, device, progress=None):
        tuned.append(len(rows))
        return _Tuned(None, None, tax, cfg, torch.device("cpu"), None)

    monkeypatch.setattr(finetune, "fine_tune", fake_fine_tune)
    monkeypatch.setattr(finetune, "pick_device", lambda: torch.device("cpu"))

    def rows(split: str, counts: dict[str, int], start: int) -> pd.DataFrame:
        out = _rows(tax, split, counts, start)
        return out.assign(context="", seg=[[] for _ in range(len(out))], seg_y=None, seg_m=None)

    train = rows("train", {"violent_threat": 16, "news_reporting": 30, "none": 60}, start=0)
    valid = rows("validation", {"violent_threat": 2, "news_reporting": 8, "none": 20}, start=1000)
    ftd = finetune.fit(train, valid, cfg, tax)
    assert tuned == [len(train)]  # no fold fine-tunes
    assert ftd.threshold_sources["news_reporting"]["source"] == "validation"
    assert ftd.threshold_sources["violent_threat"]["source"] == "fallback"
    assert ftd.thresholds["violent_threat"] == 0.5


def test_train_and_the_card_say_why_a_fine_tuned_model_was_not_cross_fitted() -> None:
    config: dict[str, Any] = {
        "labels": ["violent_threat", "none"],
        "harmful": ["violent_threat"],
        "calibration": {},
        "training": {"trainer": "finetune"},
        "metrics": {
            "threshold_sources": {
                "violent_threat": {
                    "source": "fallback",
                    "validation_positives": 2,
                    "validation_negatives": 20,
                    "threshold": 0.5,
                }
            }
        },
    }
    said = finetune_fallback_said(config)
    assert said.startswith("the fine-tune trainer does not cross-fit thresholds"), said
    assert "0.401 cross-fitted" in said and "Train with `trainer: frozen`" in said
    assert any(
        line.startswith("**Not cross-fitted**: The fine-tune")
        for line in (uncalibrated_lines(config))
    )
    # the frozen trainer, or no fallback label: nothing to explain
    config["training"]["trainer"] = "frozen"
    assert finetune_fallback_said(config) == ""
    config["training"]["trainer"] = "finetune"
    config["metrics"]["threshold_sources"]["violent_threat"]["source"] = "validation"
    assert finetune_fallback_said(config) == ""
