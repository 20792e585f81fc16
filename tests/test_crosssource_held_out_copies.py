"""Cross-source folds drop training and validation rows that copy a held-out scored row
(reader58 #5: Gab posts also sat in implicit-hate's training rows, so the Gab fold
trained on texts it scored)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from annotate.training.crosssource import Caps, fold_rows, markdown, split_fold
from annotate.training.fold_copies import held_out_copies, key

LONG = (
    "they keep saying the march will go ahead on saturday and that everyone from the "
    "northern towns should bring their friends and block the bridge until they listen"
)


def _row(text: str, source: str, split: str) -> dict:
    return {
        "text": text,
        "source": source,
        "public": True,
        "split": split,
        "labels": np.array([1, 0], np.int8),
        "weight": 1.0,
    }


def _rows() -> pd.DataFrame:
    held = [_row(t, "gab", "test") for t in ("Burn them ALL down!!", LONG, "see you at noon")]
    other = [
        _row("@someone burn them all down https://t.co/x", "implicit", "train"),  # exact
        _row(LONG.replace("listen", "hear us"), "storm", "validation"),  # near
        _row("the weather is lovely today", "implicit", "train"),
        _row("a quiet evening at home", "storm", "validation"),
        _row("  ", "storm", "train"),  # an empty key matches nothing
    ]
    return pd.DataFrame(held + other)


def test_key_folds_case_links_mentions_and_punctuation() -> None:
    assert key("RT @a: Burn them ALL down!! http://x.y") == "burn them all down"
    assert key("https://only.a/link") == ""


def test_copies_of_scored_rows_leave_the_fold() -> None:
    fold = split_fold(_rows(), "gab", Caps())
    fit = set(fold.train["text"]) | set(fold.valid["text"])
    assert fit == {"the weather is lovely today", "a quiet evening at home", "  "}
    assert fold.copies == {
        "exact": 1,
        "near": 1,
        "by_split": {"train": 1, "validation": 1},
        "by_source": {"implicit": 1, "storm": 1},
    }
    train, valid, scored, which = fold_rows(_rows(), "gab", Caps())
    assert len(train) == 2 and len(valid) == 1 and len(scored) == 3 and which == "all"


def test_masks_mark_exact_and_near_apart() -> None:
    exact, near = held_out_copies(
        ["burn them all down.", LONG + " now", "other"], [LONG, "Burn them all down"]
    )
    assert exact.tolist() == [True, False, False]
    assert near.tolist() == [False, True, False]


def test_the_table_says_what_was_dropped() -> None:
    fold = {
        "source": "gab",
        "scored_rows": "test",
        "n_train": 2,
        "n_valid": 1,
        "n_scored": 3,
        "train_sources": ["implicit"],
        "held_out_copies_dropped": {
            "exact": 1,
            "near": 1,
            "by_split": {"train": 1, "validation": 1},
            "by_source": {"implicit": 1, "storm": 1},
        },
    }
    text = markdown({"caps": {}, "folds": [fold]})
    assert "copy a scored row of the held-out source" in text
    assert "gab 1 / 1 (implicit 1, storm 1)" in text
    del fold["held_out_copies_dropped"]
    assert "copy a scored row" not in markdown({"caps": {}, "folds": [fold]})
