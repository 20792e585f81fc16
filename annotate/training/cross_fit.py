"""Thresholds of labels whose validation split is too thin, fitted on out-of-fold
predictions over the training documents (cross-fitting).

A small first export (a few hundred passages, the export's 80/10/10 split) leaves a
harmful label 0-4 validation positives: below ``operating_point.min_validation_positives``
its threshold would be the fallback 0.5 on uncalibrated scores. For such a label the
frozen-linear heads are fitted again on k-1 of k folds of the training rows, grouped by
document (scikit-learn's ``GroupKFold``: the passages of one document never straddle
folds, as the export keeps them in one split), and score the held-out fold; those
out-of-fold logits of the training passages, pooled with the validation passages' logits
of the full model, fit the label's Platt calibration and threshold exactly as validation
alone would (:func:`annotate.training.operating_point.fit_category_operating_points`).
The label's threshold source is then ``"cross-fitted"`` with the positives and negatives
it saw; a label with fewer than :data:`CROSS_FIT_MIN_POSITIVES` pooled positives keeps
the fallback.

Labels with enough validation positives are untouched: the default model (hundreds of
validation positives per label) is built exactly as before. Span, taxonomy and sentence
examples (derived rows) train every fold but are not scored: they are fragments, not
passages a threshold applies to.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import numpy as np

from annotate.classifier.head import Platt
from annotate.training.operating_point import (
    SOURCE_FALLBACK,
    SOURCE_VALIDATION,
    fit_category_operating_points,
)

log = logging.getLogger(__name__)

SOURCE_CROSS_FITTED = "cross-fitted"  # out-of-fold training predictions + validation
CROSS_FIT_FOLDS = 5  # at most; fewer when the training rows hold fewer documents
# pooled positives (out of fold + validation) a cross-fitted threshold needs: below 10,
# the harmful labels' recall >= 0.9 target means "catch every one", the threshold the
# lowest positive's out-of-fold score. Measured on a 258-passage export (retrain56
# corpus1, 93 later-reviewed passages held out): graphic_violence cross-fitted on 5
# positives got threshold 0.27 and 20 false flags (F1 0.857 -> 0.296).
CROSS_FIT_MIN_POSITIVES = 10


def cross_fit_rule(folds: int, n_pos: int, n_neg: int, rule: str) -> str:
    """The threshold rule recorded for a cross-fitted label, e.g. "cross-fitted (5 folds
    by document; 14 positives, 190 negatives out of fold and in validation): max F1 ...\""""
    from annotate._util.plural import counted

    return (
        f"cross-fitted ({folds} folds by document; {counted(n_pos, 'positive')}, "
        f"{counted(n_neg, 'negative')} out of fold and in validation): {rule}"
    )


def cross_fit_thresholds(
    model: Any,
    fit_head: Callable[[np.ndarray, np.ndarray], Any],
    x: np.ndarray,
    y: np.ndarray,
    groups: np.ndarray,
    scored: np.ndarray,
    valid: dict[str, np.ndarray],
    train_meta: dict[str, np.ndarray],
) -> list[str]:
    """Refit the thresholds of ``model``'s fallback labels (``model.threshold_sources``
    source "fallback") on out-of-fold logits; returns the labels it fitted.

    ``fit_head(rows, y)``: the model's head fitted on training rows ``rows`` (int index
    array) with targets ``y`` (n_rows, n_labels; -1 = not supervised); ``x`` (n, dim) the
    training features, ``y`` (n, n_labels) their targets, ``groups`` (n,) their
    documents, ``scored`` (n,) bool the rows whose out-of-fold logits count (not derived
    rows). ``valid``: ``{"logits": (m, n_labels), "y": (m, n_labels), "target": (m,),
    "sources": (m,)}`` of the validation rows; ``train_meta``: ``{"target": (n,),
    "sources": (n,)}``. Updates ``model.calibration``, ``thresholds``, ``rules`` and
    ``threshold_sources`` (source "cross-fitted", with ``cross_fit_positives``,
    ``cross_fit_negatives`` and ``cross_fit_folds``)."""
    from sklearn.model_selection import GroupKFold

    labels: list[str] = list(model.labels)
    short = [
        n for n in labels if (model.threshold_sources.get(n) or {}).get("source") == SOURCE_FALLBACK
    ]
    folds = min(CROSS_FIT_FOLDS, len(np.unique(groups)))
    if not short or folds < 2:
        return []
    cols = np.array([n in short for n in labels])
    y_short = np.where(cols[None, :], y, -1).astype(y.dtype)
    if not (y_short[scored] == 1).any():
        return []  # no positive to score out of fold
    oof = np.zeros(y.shape, np.float32)
    for tr, te in GroupKFold(n_splits=folds).split(x, groups=groups):
        oof[te] = fit_head(tr, y_short).logits(x[te])
    lg = np.concatenate([oof[scored], valid["logits"]])
    yy = np.concatenate([np.where(cols[None, :], y[scored], -1), valid["y"]]).astype(np.int8)
    yy[:, ~cols] = -1
    calibration, thresholds, rules, sources = fit_category_operating_points(
        lg,
        yy,
        labels,
        model.tax,
        model.cfg.operating_point,
        target=np.concatenate([train_meta["target"][scored], valid["target"]]),
        sources=np.concatenate([train_meta["sources"][scored], valid["sources"]]),
    )
    fitted = []
    for name in short:
        got = sources[name]
        if got["source"] != SOURCE_VALIDATION or got["validation_positives"] < (
            CROSS_FIT_MIN_POSITIVES
        ):
            continue
        before = model.threshold_sources[name]
        model.calibration[name] = calibration.get(name, Platt())
        model.thresholds[name] = thresholds[name]
        model.rules[name] = cross_fit_rule(
            folds, got["validation_positives"], got["validation_negatives"], rules[name]
        )
        model.threshold_sources[name] = {
            "source": SOURCE_CROSS_FITTED,
            "validation_positives": before["validation_positives"],
            "validation_negatives": before["validation_negatives"],
            "cross_fit_positives": got["validation_positives"],
            "cross_fit_negatives": got["validation_negatives"],
            "cross_fit_folds": folds,
            "threshold": thresholds[name],
        }
        fitted.append(name)
    if fitted:
        log.info("thresholds cross-fitted over %d folds: %s", folds, ", ".join(fitted))
    return fitted
