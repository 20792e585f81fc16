"""Cross-source cells: the paired interval of model - baseline AUPRC, and what the table
and the card say of a margin within it (reader58 #2: "11 of 11 above the baseline"
counted point estimates; 5 of the 11 margins were within noise)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from annotate.evaluation.card_values import cross_value
from annotate.training.crosssource import compare, markdown
from annotate.training.fold_margins import paired_margins

LABELS = ["violent_threat", "none"]


def _scored(n: int = 400, seed: int = 1) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.2).astype(np.int8)
    rows = pd.DataFrame(
        {
            "labels": [np.array([v, -1], np.int8) for v in y],
            "doc_id": [f"d{i // 2}" for i in range(n)],
        }
    )
    return rows, y


def test_a_clear_margin_is_beyond_noise_and_a_tiny_one_is_not() -> None:
    rows, y = _scored()
    rng = np.random.default_rng(2)
    good = y + rng.normal(0, 0.3, len(y))  # ranks threats well
    noise = rng.normal(0, 1, len(y))
    base = np.c_[noise, noise]
    clear = paired_margins(rows, np.c_[good, noise], base, LABELS)
    assert set(clear) == {"violent_threat"}  # `none` is unknown on every row
    assert clear["violent_threat"][0] > 0
    nudged = noise + 1e-3 * y  # a point estimate a hair above
    tiny = paired_margins(rows, np.c_[nudged, noise], base, LABELS)
    lo, hi = tiny["violent_threat"]
    assert lo <= 0 <= hi


def _fold(source: str, model: float, baseline: float, interval: list[float] | None) -> dict:
    cell = {"n": 100, "positives": 10}
    fold = {
        "source": source,
        "scored_rows": "test",
        "n_train": 10,
        "n_valid": 5,
        "n_scored": 100,
        "train_sources": ["x"],
        "model": {"labels": {"violent_threat": {**cell, "auprc": model}}},
        "baseline": {"labels": {"violent_threat": {**cell, "auprc": baseline}}},
    }
    if interval is not None:
        fold["margin_ci"] = {"violent_threat": interval}
    return fold


def test_the_table_and_the_card_count_cells_beyond_noise() -> None:
    folds = [
        _fold("a", 0.30, 0.20, [0.05, 0.15]),
        _fold("b", 0.2003, 0.2000, [-0.003, 0.004]),
    ]
    comp = compare(folds)
    assert [c["beyond_noise"] for c in comp] == [True, False]
    text = markdown({"caps": {}, "folds": folds, "comparison": comp})
    assert "above the baseline's in 2 of 2 (source, label)." in text
    assert "beyond noise" in text and "in 1 of 2; level within noise in 1." in text
    assert cross_value("{cross_source:above}", "above", {"comparison": comp}) == (
        "all 2 (beyond noise in 1)"
    )


def test_a_table_without_intervals_reads_as_before() -> None:
    folds = [_fold("a", 0.30, 0.20, None), _fold("b", 0.2003, 0.2000, None)]
    comp = compare(folds)
    assert all("beyond_noise" not in c for c in comp)
    assert "beyond noise" not in markdown({"caps": {}, "folds": folds, "comparison": comp})
    assert cross_value("{cross_source:above}", "above", {"comparison": comp}) == "all 2"
