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

The frozen trainer refits its linear heads on each fold's rows (seconds). The fine-tune
trainer does not cross-fit: each fold would be a fine-tune of its own (measured: 5 folds
1,329 s on top of a 315 s fit), and its out-of-fold models are other models than the
one calibrated (:data:`annotate.evaluation.model_card.FINETUNE_NOT_CROSS_FITTED`). The
out-of-fold logits are kept on the model (:class:`OutOfFold`, not saved), so a copy with another
operating point (:meth:`annotate.training.frozen.FrozenLinear.variant`) refits the same
labels' thresholds on them pooled with its validation rows, without refitting a head.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
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


# fold_logits(train_idx, held_idx, cols) -> (len(held_idx), n_labels) logits of the
# held-out training rows from a model fitted on the other rows; ``cols`` (n_labels,) bool:
# the labels whose logits are used (a trainer may fit those alone)
FoldLogits = Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]


@dataclass(frozen=True)
class OutOfFold:
    """Out-of-fold logits of the scored training rows (not derived rows), for the
    labels cross-fitted: ``labels`` (names), ``logits`` (n, n_labels) float32 (only the
    columns of ``labels`` meaningful), ``y`` (n, n_labels) int8 targets (-1 outside
    ``labels``), ``target`` (n,) bool (project rows) and ``sources`` (n,) str (None: the
    trainer's thresholds use neither), ``folds``."""

    labels: tuple[str, ...]
    logits: np.ndarray
    y: np.ndarray
    target: np.ndarray | None
    sources: np.ndarray | None
    folds: int


def fallback_labels(model: Any) -> list[str]:
    """``model``'s labels whose threshold source is "fallback" (too few validation
    positives or negatives), in label order."""
    return [
        n
        for n in model.labels
        if (model.threshold_sources.get(n) or {}).get("source") == SOURCE_FALLBACK
    ]


def out_of_fold(
    labels: list[str],
    short: list[str],
    fold_logits: FoldLogits,
    y: np.ndarray,
    groups: np.ndarray,
    scored: np.ndarray,
    train_meta: dict[str, np.ndarray] | None,
) -> OutOfFold | None:
    """The out-of-fold logits of the ``short`` labels over the training rows, folds by
    document (``GroupKFold`` over ``groups`` (n,), at most :data:`CROSS_FIT_FOLDS`);
    ``y`` (n, n_labels) the training targets, ``scored`` (n,) bool the rows whose
    logits count, ``train_meta``: ``{"target": (n,), "sources": (n,)}`` (None: the
    trainer's thresholds use neither, as the fine-tune trainer's). None when there is no
    short label, fewer than 2 documents, or no scored positive of one."""
    from sklearn.model_selection import GroupKFold

    folds = min(CROSS_FIT_FOLDS, len(np.unique(groups)))
    if not short or folds < 2:
        return None
    cols = np.array([n in short for n in labels])
    y_short = np.where(cols[None, :], y, -1).astype(np.int8)
    if not (y_short[scored] == 1).any():
        return None  # no positive to score out of fold
    oof = np.zeros(y.shape, np.float32)
    for k, (tr, te) in enumerate(GroupKFold(n_splits=folds).split(y, groups=groups), 1):
        log.info("cross-fitting %s: fold %d of %d (%d rows)", ", ".join(short), k, folds, len(tr))
        oof[te] = fold_logits(tr, te, cols)
    return OutOfFold(
        tuple(short),
        oof[scored],
        y_short[scored],
        None if train_meta is None else train_meta["target"][scored],
        None if train_meta is None else train_meta["sources"][scored],
        folds,
    )


def fit_pooled(model: Any, oof: OutOfFold | None, valid: dict[str, np.ndarray]) -> list[str]:
    """Refit, on ``oof`` pooled with the validation rows, the thresholds of ``model``'s
    fallback labels that ``oof`` has logits of; returns the labels fitted (those with at
    least :data:`CROSS_FIT_MIN_POSITIVES` pooled positives). ``valid``: ``{"logits": (m,
    n_labels), "y": (m, n_labels), "target": (m,), "sources": (m,)}`` of the validation
    rows, scored by ``model`` ("target" and "sources" only where ``oof`` has them).
    Updates ``model.calibration``, ``thresholds``, ``rules`` and ``threshold_sources``
    (source "cross-fitted", with ``cross_fit_positives``, ``cross_fit_negatives`` and
    ``cross_fit_folds``)."""
    if oof is None:
        return []
    labels: list[str] = list(model.labels)
    short = [n for n in fallback_labels(model) if n in oof.labels]
    if not short:
        return []
    cols = np.array([n in short for n in labels])
    lg = np.concatenate([oof.logits, valid["logits"]])
    yy = np.concatenate([oof.y, valid["y"]]).astype(np.int8)
    yy[:, ~cols] = -1
    calibration, thresholds, rules, sources = fit_category_operating_points(
        lg,
        yy,
        labels,
        model.tax,
        model.cfg.operating_point,
        target=None if oof.target is None else np.concatenate([oof.target, valid["target"]]),
        sources=None if oof.sources is None else np.concatenate([oof.sources, valid["sources"]]),
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
            oof.folds, got["validation_positives"], got["validation_negatives"], rules[name]
        )
        model.threshold_sources[name] = {
            "source": SOURCE_CROSS_FITTED,
            "validation_positives": before["validation_positives"],
            "validation_negatives": before["validation_negatives"],
            "cross_fit_positives": got["validation_positives"],
            "cross_fit_negatives": got["validation_negatives"],
            "cross_fit_folds": oof.folds,
            "threshold": thresholds[name],
        }
        fitted.append(name)
    if fitted:
        log.info("thresholds cross-fitted over %d folds: %s", oof.folds, ", ".join(fitted))
    return fitted


def cross_fit_thresholds(
    model: Any,
    fold_logits: FoldLogits,
    y: np.ndarray,
    groups: np.ndarray,
    scored: np.ndarray,
    valid: dict[str, np.ndarray],
    train_meta: dict[str, np.ndarray] | None,
) -> list[str]:
    """Refit the thresholds of ``model``'s fallback labels (``model.threshold_sources``
    source "fallback", after its calibration on validation) on out-of-fold logits pooled
    with validation (:func:`out_of_fold`, :func:`fit_pooled`: arguments there); keeps
    the out-of-fold logits as ``model.out_of_fold`` (None when there were none) and
    returns the labels it fitted."""
    oof = out_of_fold(
        list(model.labels), fallback_labels(model), fold_logits, y, groups, scored, train_meta
    )
    model.out_of_fold = oof
    return fit_pooled(model, oof, valid)


def documents(rows: Any, sources: np.ndarray) -> np.ndarray:
    """(n,) the document of each row of ``rows`` ("source\x00doc_id"; the source alone
    without a ``doc_id`` column): the groups of the folds."""
    if "doc_id" not in rows:
        return sources
    return np.array([f"{s}\x00{d}" for s, d in zip(sources, rows["doc_id"], strict=True)])
