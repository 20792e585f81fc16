"""Paired bootstrap of per-label metrics of two scorers on the same rows.

Resampling is by cluster (whole documents when rows share a document, else single rows):
each resample draws the clusters with replacement and turns the draw into row weights
(a row counts as often as its cluster was drawn), so every scorer is scored on the same
resample and differences between scorers are paired. Percentile intervals (Efron &
Tibshirani 1993, ch. 13). ``benchmarks/_bootstrap.py`` uses :func:`ci` too.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def ci(d: np.ndarray | Sequence[float]) -> list[float] | None:
    """The 95 % percentile interval of ``d`` (NaNs left out), rounded to 4 places; None
    when ``d`` has no finite value."""
    arr = np.asarray(d, dtype=float)
    arr = arr[np.isfinite(arr)]
    if not len(arr):
        return None
    lo, hi = np.percentile(arr, [2.5, 97.5])
    return [round(float(lo), 4), round(float(hi), 4)]


def cluster_weights(
    groups: Sequence[str], n: int, rng: np.random.Generator
) -> tuple[np.ndarray, int]:
    """(n, rows) row weights of ``n`` cluster-bootstrap resamples of ``groups`` (one
    cluster name per row), and the number of clusters: in each resample the clusters are
    drawn with replacement, as many as there are, and each row weighs the number of times
    its cluster was drawn."""
    names, inverse = np.unique(np.asarray(groups, dtype=object).astype(str), return_inverse=True)
    k = len(names)
    counts = np.stack([np.bincount(rng.integers(0, k, k), minlength=k) for _ in range(n)])
    return counts[:, inverse].astype(np.float64), k


def weighted_auprc(y: np.ndarray, p: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Average precision (sklearn's ``average_precision_score`` with ``sample_weight``)
    of scores ``p`` (rows,) against 0/1 gold ``y`` (rows,) under each row of weights
    ``w`` (resamples, rows): (resamples,), NaN where a resample has no positive or no
    negative weight (undefined there, as :func:`annotate.evaluation.metrics.auprc` is)."""
    order = np.argsort(-p, kind="mergesort")
    ps, ys, ws = p[order], y[order] > 0, w[:, order]
    # the last row of each run of tied scores: one threshold per distinct score
    last = np.r_[np.nonzero(np.diff(ps))[0], len(ps) - 1]
    tp = np.cumsum(ws * ys, axis=1)[:, last]
    fp = np.cumsum(ws * ~ys, axis=1)[:, last]
    total = tp[:, -1:]
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.where(tp + fp > 0, tp / (tp + fp), 1.0)
        recall = tp / total
    steps = np.diff(np.concatenate([np.zeros((len(w), 1)), recall], axis=1), axis=1)
    out = np.sum(steps * precision, axis=1)
    out[(total[:, 0] <= 0) | (fp[:, -1] <= 0)] = np.nan
    return out


def weighted_f1(y: np.ndarray, pred: np.ndarray, w: np.ndarray) -> np.ndarray:
    """F1 of 0/1 predictions ``pred`` (rows,) against 0/1 gold ``y`` (rows,) under each row
    of weights ``w`` (resamples, rows): (resamples,), 0 where precision and recall are 0."""
    yb, pb = y > 0, pred > 0
    tp = w @ (yb & pb).astype(float)
    fp = w @ (~yb & pb).astype(float)
    fn = w @ (yb & ~pb).astype(float)
    denom = 2 * tp + fp + fn
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denom > 0, 2 * tp / np.where(denom > 0, denom, 1), 0.0)
