"""retrain56 finding 9: an export answered all `none` trained with exit 0, a headline
"macro F1 1.0" and no word that the harmful heads learnt from labels.yaml's examples
alone; training now warns loudly when no training passage of the data has a harmful
label (derived rows do not count). The headline is tests/test_train_out.py's."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from annotate.settings import PROJECT_ROOT
from annotate.taxonomy import load_taxonomy
from annotate.training.harmful_rows import harmful_passage_counts, warn_if_no_harmful_passages


def _rows(tax, labelled: list[tuple[str, str]]) -> pd.DataFrame:
    names = tax.category_names
    recs = []
    for source, label in labelled:
        y = np.zeros(len(names), np.int8)
        y[names.index(label)] = 1
        recs.append({"source": source, "labels": y})
    return pd.DataFrame(recs)


def test_no_harmful_passage_is_warned_about_loudly(caplog) -> None:
    tax = load_taxonomy(PROJECT_ROOT / "labels.yaml")
    # every passage `none`; the harmful positives are labels.yaml's examples alone
    rows = _rows(tax, [("onelabel-export", "none")] * 10 + [("labels.yaml", "violent_threat")])
    assert harmful_passage_counts(rows, tax)["violent_threat"] == 0
    with caplog.at_level(logging.WARNING):
        assert warn_if_no_harmful_passages(rows, tax)
    assert "NO training passage of the data has a harmful label (violent_threat, " in caplog.text
    assert "do not prelabel with it" in caplog.text
    # one harmful passage of the data: no word (the card names the labels it lacks)
    caplog.clear()
    one = _rows(tax, [("onelabel-export", "none"), ("onelabel-export", "incitement")])
    with caplog.at_level(logging.WARNING):
        assert not warn_if_no_harmful_passages(one, tax)
    assert caplog.text == ""
