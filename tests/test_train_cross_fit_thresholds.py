"""A small first export (80/10/10 split) leaves a harmful label 0-4 validation
positives: its threshold fell back to 0.5 on uncalibrated scores, and the retrained
model was worse than the default (retrain56 finding 1). Such a label's threshold is now
fitted on out-of-fold predictions over the training documents (grouped k-fold) pooled
with validation, recorded as "cross-fitted" with the positives it saw; labels with
enough validation positives are fitted on validation as before."""

from __future__ import annotations

import numpy as np
import pandas as pd

from annotate.settings import PROJECT_ROOT
from annotate.taxonomy import load_taxonomy
from annotate.training.config import TrainConfig, fit_to_taxonomy
from annotate.training.frozen import fit_frozen


class _Feats:
    """Features from the text: ``"<label> <k>"`` -> the label's direction plus noise."""

    def __init__(self, names: list[str]) -> None:
        self.names = names

    def matrix(self, rows: pd.DataFrame) -> np.ndarray:
        out = []
        for t in rows["text"]:
            label, k = t.split()
            rng = np.random.default_rng(int(k))
            v = rng.normal(0, 0.6, len(self.names) + 4)
            v[self.names.index(label)] += 1.5
            out.append(v)
        return np.array(out, np.float32)


def _rows(tax, split: str, counts: dict[str, int], start: int, per_doc: int = 2) -> pd.DataFrame:
    names = tax.category_names
    recs, k = [], start
    for label, n in counts.items():
        for i in range(n):
            lab = np.zeros(len(names), np.int8)
            lab[names.index(label)] = 1
            recs.append(
                {
                    "text": f"{label} {k}",
                    "labels": lab,
                    "weight": 1.0,
                    "source": "export",
                    "public": False,
                    "doc_id": f"{split}-{label}-{i // per_doc}",
                    "split": split,
                }
            )
            k += 1
    return pd.DataFrame(recs)


def test_thin_validation_labels_are_cross_fitted_by_document() -> None:
    tax = load_taxonomy(PROJECT_ROOT / "labels.yaml")
    cfg = fit_to_taxonomy(
        TrainConfig.model_validate(
            {"threat_grammar": None, "frozen": {"spans": False}, "page_furniture_none": False}
        ),
        tax,
    )
    train = _rows(
        tax,
        "train",
        {"violent_threat": 16, "graphic_violence": 6, "news_reporting": 30, "none": 60},
        start=0,
    )
    valid = _rows(
        tax, "validation", {"violent_threat": 2, "news_reporting": 8, "none": 20}, start=1000
    )
    model = fit_frozen(train, valid, cfg, tax, _Feats(tax.category_names))
    src = model.threshold_sources

    # enough validation positives: fitted there, as before
    assert src["news_reporting"]["source"] == "validation"
    # 2 validation positives: cross-fitted over the 8 training documents of the label
    got = src["violent_threat"]
    assert got["source"] == "cross-fitted", got
    assert (got["validation_positives"], got["cross_fit_positives"]) == (2, 18)
    assert got["cross_fit_folds"] == 5
    assert model.thresholds["violent_threat"] == got["threshold"] != 0.5
    assert model.rules["violent_threat"].startswith(
        "cross-fitted (5 folds by document; 18 positives, "
    )
    # a label no passage has stays the fallback; so does one with fewer than 10 pooled
    # positives (recall >= 0.9 on them is "catch every one": the lowest positive's score)
    assert src["incitement"]["source"] == "fallback"
    assert src["graphic_violence"]["source"] == "fallback"
    assert model.thresholds["graphic_violence"] == 0.5


def _fitted():
    tax = load_taxonomy(PROJECT_ROOT / "labels.yaml")
    cfg = fit_to_taxonomy(
        TrainConfig.model_validate(
            {"threat_grammar": None, "frozen": {"spans": False}, "page_furniture_none": False}
        ),
        tax,
    )
    train = _rows(
        tax,
        "train",
        {"violent_threat": 16, "graphic_violence": 6, "news_reporting": 30, "none": 60},
        start=0,
    )
    valid = _rows(
        tax, "validation", {"violent_threat": 2, "news_reporting": 8, "none": 20}, start=1000
    )
    return fit_frozen(train, valid, cfg, tax, _Feats(tax.category_names)), valid


def test_a_variant_cross_fits_the_same_labels_on_the_kept_out_of_fold_logits() -> None:
    """The cross-source table's rule variants (FrozenLinear.variant) chose thresholds
    on validation alone: a label cross-fitted at fit time fell back to 0.5 there."""
    model, valid = _fitted()
    before = (dict(model.thresholds), dict(model.calibration), dict(model.threshold_sources))
    assert model.out_of_fold is not None and "violent_threat" in model.out_of_fold.labels

    # max F1 for harmful labels too (no recall floor): another threshold, still cross-fitted
    var = model.variant({"operating_point": {"harmful_min_recall": None}}, valid)
    got = var.threshold_sources["violent_threat"]
    assert got["source"] == "cross-fitted", got
    assert got["cross_fit_positives"] == 18 and got["cross_fit_folds"] == 5
    assert var.thresholds["violent_threat"] == got["threshold"] != 0.5
    assert var.rules["violent_threat"].startswith("cross-fitted (5 folds by document; ")
    # fewer than 10 pooled positives: the fallback there too; validation-fitted as before
    assert var.threshold_sources["graphic_violence"]["source"] == "fallback"
    assert var.threshold_sources["news_reporting"]["source"] == "validation"
    # the same operating point gives the same thresholds as the fit
    same = model.variant({"operating_point": {}}, valid)
    assert same.thresholds == model.thresholds
    # the model the variants were made from is untouched (its calibration included)
    assert (model.thresholds, model.threshold_sources) == (before[0], before[2])
    assert all(model.calibration[n] is p for n, p in before[1].items())


def test_training_and_the_card_say_which_labels_were_cross_fitted() -> None:
    from annotate.evaluation.model_card import cross_fitted_said, uncalibrated_lines

    config = {
        "labels": ["violent_threat", "incitement", "none"],
        "harmful": ["violent_threat", "incitement"],
        "calibration": {},
        "metrics": {
            "threshold_sources": {
                "violent_threat": {
                    "source": "cross-fitted",
                    "validation_positives": 2,
                    "validation_negatives": 20,
                    "cross_fit_positives": 18,
                    "cross_fit_negatives": 110,
                    "cross_fit_folds": 5,
                    "threshold": 0.41,
                },
                "incitement": {"source": "validation", "validation_positives": 9},
            }
        },
    }
    said = cross_fitted_said(config)
    assert said.startswith(
        "the threshold of violent_threat (2 validation positives; 18 positives out of fold "
        "and in validation) was fitted on out-of-fold predictions over the training "
        "documents (5 folds by document)"
    ), said
    assert any(
        line.startswith("**Cross-fitted thresholds**: The threshold of violent_threat")
        for line in uncalibrated_lines(config)
    )
    config["metrics"]["threshold_sources"]["violent_threat"]["source"] = "validation"
    assert cross_fitted_said(config) == ""
