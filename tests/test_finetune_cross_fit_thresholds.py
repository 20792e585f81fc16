"""The fine-tune trainer kept the fallback 0.5 for labels with too few validation
positives (only the frozen trainer cross-fitted them: stop 56). It now fine-tunes the
encoder again on k folds of the training documents and fits those labels' thresholds
on the out-of-fold logits pooled with validation, as the frozen trainer does. The
fine-tune itself is a stand-in here (a fake whose logits come from the text, as
tests/test_train_cross_fit_thresholds.py's features): what is tested is the folds, by
document, and the thresholds they give."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
import torch

import annotate.training.finetune as finetune
from annotate.settings import PROJECT_ROOT
from annotate.taxonomy import load_taxonomy
from annotate.training.config import TrainConfig, fit_to_taxonomy
from tests.test_train_cross_fit_thresholds import _Feats, _rows


def test_thin_validation_labels_are_cross_fitted_by_fine_tuning_folds_of_documents(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tax = load_taxonomy(PROJECT_ROOT / "labels.yaml")
    cfg = fit_to_taxonomy(TrainConfig.model_validate({"trainer": "finetune"}), tax)
    feats = _Feats(tax.category_names)
    n = len(tax.category_names)
    trained: list[set[str]] = []

    class _Tuned(finetune.FineTuned):
        def logits(self, rows: pd.DataFrame, with_spans: bool = False, progress: Any = None):
            return 2 * feats.matrix(rows)[:, :n], [np.zeros((0, 0)) for _ in range(len(rows))]

    def fake_fine_tune(rows, cfg, tax, device, progress=None):
        trained.append(set(rows["doc_id"]))
        if progress is not None:
            progress(len(rows))
        return _Tuned(None, None, tax, cfg, torch.device("cpu"), None)

    monkeypatch.setattr(finetune, "fine_tune", fake_fine_tune)
    monkeypatch.setattr(finetune, "pick_device", lambda: torch.device("cpu"))

    def rows(split: str, counts: dict[str, int], start: int) -> pd.DataFrame:
        out = _rows(tax, split, counts, start)
        return out.assign(context="", seg=[[] for _ in range(len(out))], seg_y=None, seg_m=None)

    train = rows(
        "train",
        {"violent_threat": 16, "graphic_violence": 6, "news_reporting": 30, "none": 60},
        start=0,
    )
    valid = rows("validation", {"violent_threat": 2, "news_reporting": 8, "none": 20}, start=1000)
    heard: list[int] = []
    ftd = finetune.fit(train, valid, cfg, tax, progress=heard.append)
    src = ftd.threshold_sources

    # the model, then one fine-tune per fold; each document held out of exactly one fold
    docs = set(train["doc_id"])
    assert len(trained) == 6 and trained[0] == docs
    held_out = [docs - t for t in trained[1:]]
    assert all(held_out) and sorted(d for h in held_out for d in h) == sorted(docs)
    # the folds' fine-tunes are heard by the progress too: the stage is not silent
    assert len(heard) == 6 and sum(heard) == len(train) * 5
    # enough validation positives: fitted there, as before
    assert src["news_reporting"]["source"] == "validation"
    got = src["violent_threat"]
    assert got["source"] == "cross-fitted", got
    assert (got["validation_positives"], got["cross_fit_positives"]) == (2, 18)
    assert got["cross_fit_folds"] == 5
    assert ftd.thresholds["violent_threat"] == got["threshold"] != 0.5
    # fewer than 10 pooled positives: the fallback, as in the frozen trainer
    assert src["graphic_violence"]["source"] == "fallback"
    assert ftd.fit_info["cross_fit"]["folds"] == 5
    assert ftd.fit_info["cross_fit"]["fitted"] == ["violent_threat"]
