"""`annotate evaluate --model default --model models/b12 --split test` on 18 passages
showed 0.000 for the precision, recall and F1 of labels no passage had (and precision
of labels no passage was given): undefined figures read as measured failures. They are
null in report.json and "–" in report.md, with a footnote; a label with fewer than 5
positives is starred; "1 passages" reads "1 passage"."""

from __future__ import annotations

import numpy as np

from annotate.evaluation.evaluate import _markdown
from annotate.evaluation.metrics import classification_report
from annotate.evaluation.model_card import FEW_NOTE, UNDEFINED_NOTE, metrics_table
from annotate.settings import PROJECT_ROOT
from annotate.taxonomy import load_taxonomy

LABELS = ["violent_threat", "extremist_propaganda", "news_reporting", "none"]


def _report():
    """4 passages: news on 2 (both found), none on 2; propaganda predicted on 3 with no
    gold propaganda; violent_threat neither in the gold nor predicted."""
    gold = np.array([[0, 0, 1, 0], [0, 0, 1, 0], [0, 0, 0, 1], [0, 0, 0, 1]], np.float32)
    pred = np.array([[0, 1, 1, 0], [0, 1, 1, 0], [0, 1, 0, 0], [0, 0, 0, 1]], np.float32)
    probs = np.clip(pred * 0.8 + 0.1, 0, 1)
    known = np.ones_like(gold)
    return classification_report(
        probs, gold, known, pred, LABELS, ["violent_threat", "extremist_propaganda"], []
    )


def test_undefined_figures_are_none_not_zero():
    per = _report()["per_label"]
    # no gold positive, never predicted: nothing is defined
    assert {k: per["violent_threat"][k] for k in ("precision", "recall", "f1")} == {
        "precision": None,
        "recall": None,
        "f1": None,
    }
    # no gold positive, predicted 3 times: precision 0 is a measurement, recall/F1 are not
    prop = per["extremist_propaganda"]
    assert (prop["precision"], prop["recall"], prop["f1"], prop["predicted"]) == (
        0.0,
        None,
        None,
        3,
    )
    # defined figures are unchanged
    assert (per["news_reporting"]["precision"], per["news_reporting"]["recall"]) == (1.0, 1.0)
    assert per["none"]["recall"] == 0.5
    # the macro F1 is over the labels with positives only, as before
    assert abs(_report()["macro_f1"] - (1.0 + 2 / 3) / 2) < 1e-3


def test_the_table_shows_a_dash_with_a_footnote_and_stars_few_positives():
    lines = metrics_table(_report(), LABELS)
    assert "| violent_threat | 0 | – | – | – | – |" in "\n".join(lines)
    assert "| extremist_propaganda | 0 | 0.000 | – | – | – |" in "\n".join(lines)
    # 2 positives each: starred as too few to read much into
    assert any(line.startswith("| news_reporting | 2\\* | 1.000 | 1.000 |") for line in lines)
    assert lines[-3:] == [UNDEFINED_NOTE, "", FEW_NOTE]
    assert UNDEFINED_NOTE.startswith("– undefined, not 0")
    # no footnote where nothing is undefined or starred
    rep = _report()
    rep["per_label"] = {"news_reporting": {**rep["per_label"]["news_reporting"], "support": 9}}
    assert metrics_table(rep, ["news_reporting"])[-1].startswith("| news_reporting | 9 |")


def test_the_report_says_one_passage():
    tax = load_taxonomy(PROJECT_ROOT / "labels.yaml")
    rep = {
        **_report(),
        "model_version": "m@1",
        "split": "test",
        "data": [{"kind": "export"}],
        "n": 1,
        "by_source": {},
    }
    md = _markdown(rep, LABELS, tax)
    assert "; 1 passage. Thresholds" in md and "1 passages" not in md
