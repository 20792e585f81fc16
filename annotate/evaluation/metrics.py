"""Metrics shared by `annotate train` (the model card) and `annotate evaluate`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


def f_beta(precision: float, recall: float, beta: float = 1.0) -> float:
    """F-beta of a precision and a recall in [0, 1] (beta 2 weighs recall twice); 0 when
    both are 0."""
    if not precision + recall:
        return 0.0
    if beta == 1.0:
        return 2 * precision * recall / (precision + recall)
    b2 = beta * beta
    return (1 + b2) * precision * recall / (b2 * precision + recall)


def prf(tp: float, fp: float, fn: float) -> tuple[float, float, float]:
    """Precision, recall and F1 from true-positive, false-positive and false-negative
    counts (or weights); a ratio with a zero denominator is 0."""
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    return prec, rec, f_beta(prec, rec)


def defined_prf(tp: float, fp: float, fn: float) -> tuple[float | None, ...]:
    """:func:`prf` with None where the figure is undefined, as scikit-learn's
    ``zero_division`` warning says: precision without a predicted positive (tp + fp = 0),
    recall and F1 without a gold positive (tp + fn = 0; F1 is then a precision-only
    figure that says nothing of the label). Returns (precision, recall, F1)."""
    prec, rec, f1 = prf(tp, fp, fn)
    return (
        prec if tp + fp else None,
        rec if tp + fn else None,
        f1 if tp + fn else None,
    )


def _round(v: float | None) -> float | None:
    return None if v is None else round(v, 4)


def pr_at(
    p: np.ndarray, y: np.ndarray, t: float, w: np.ndarray | None = None
) -> tuple[float, float, float]:
    """Precision, recall, F1 of scores ``p`` (n,) against 0/1 gold ``y`` (n,) at
    threshold ``t`` (a score >= t is a positive), optionally with row weights ``w`` (n,)."""
    pred = p >= t
    w = np.ones(len(p)) if w is None else w
    tp = float(np.sum(w * (pred & (y > 0))))
    fp = float(np.sum(w * (pred & (y == 0))))
    fn = float(np.sum(w * (~pred & (y > 0))))
    return prf(tp, fp, fn)


def expected_calibration_error(p: np.ndarray, y: np.ndarray, bins: int = 10) -> float:
    """ECE over equal-width probability bins (p and y flattened)."""
    p = p.ravel()
    y = y.ravel()
    if len(p) == 0:
        return float("nan")
    edges = np.linspace(0, 1, bins + 1)
    ece = 0.0
    for i in range(bins):
        sel = (p >= edges[i]) & ((p < edges[i + 1]) if i < bins - 1 else (p <= 1))
        if sel.any():
            ece += sel.mean() * abs(p[sel].mean() - y[sel].mean())
    return float(ece)


def reliability(p: np.ndarray, y: np.ndarray, bins: int = 10) -> list[tuple[float, float, int]]:
    edges = np.linspace(0, 1, bins + 1)
    out = []
    for i in range(bins):
        sel = (p >= edges[i]) & ((p < edges[i + 1]) if i < bins - 1 else (p <= 1))
        if sel.any():
            out.append((float(p[sel].mean()), float(y[sel].mean()), int(sel.sum())))
    return out


def auprc(p: np.ndarray, y: np.ndarray) -> float | None:
    if y.sum() == 0 or y.sum() == len(y):
        return None
    from sklearn.metrics import average_precision_score

    return float(average_precision_score(y, p))


def classification_report(
    probs: np.ndarray,
    gold: np.ndarray,
    known: np.ndarray,
    pred: np.ndarray,
    labels: Sequence[str],
    harmful: Sequence[str],
    context: Sequence[str],
) -> dict[str, Any]:
    """Per-label and context-vs-harmful metrics.

    ``probs`` (n, L) calibrated scores; ``gold``/``known``/``pred`` (n, L) 0/1 arrays:
    gold labels, which labels each row supervises, predicted labels at thresholds.
    Undefined figures are None, not 0 (:func:`defined_prf`): a label's recall and F1
    without a gold positive, its precision when it was predicted on no passage.
    """
    names = list(labels)
    per_label: dict[str, Any] = {}
    for j, name in enumerate(names):
        m = known[:, j] > 0
        y = gold[m, j]
        p = probs[m, j]
        pr = pred[m, j]
        tp = int(np.sum((pr > 0) & (y > 0)))
        fp = int(np.sum((pr > 0) & (y == 0)))
        fn = int(np.sum((pr == 0) & (y > 0)))
        prec, rec, f1 = defined_prf(tp, fp, fn)
        per_label[name] = {
            "support": int(y.sum()),
            "n": int(m.sum()),
            "predicted": tp + fp,
            "precision": _round(prec),
            "recall": _round(rec),
            "f1": _round(f1),
            "auprc": None if (a := auprc(p, y)) is None else round(a, 4),
            "ece": round(expected_calibration_error(p, y), 4) if m.any() else None,
        }
    h_idx = [names.index(h) for h in harmful]
    any_harm_pred = pred[:, h_idx].max(1) > 0 if h_idx else np.zeros(len(pred), bool)
    gold_harm = gold[:, h_idx].max(1) > 0 if h_idx else np.zeros(len(pred), bool)
    ctx: dict[str, Any] = {}
    for c in context:
        j = names.index(c)
        m = (known[:, j] > 0) & (gold[:, j] > 0)
        clean = m & ~gold_harm  # gold context passages with no harmful gold label
        by_label = {
            h: round(float(pred[clean, names.index(h)].mean()), 4) if clean.any() else None
            for h in harmful
        }
        ctx[c] = {
            "n": int(clean.sum()),
            "false_flag_rate": round(float(any_harm_pred[clean].mean()), 4)
            if clean.any()
            else None,
            "harmful_label_rate": by_label,
        }
    known_all = known.min(1) > 0
    mf = [v["f1"] for v in per_label.values() if v["support"] > 0]
    ece_all = expected_calibration_error(probs[known > 0], gold[known > 0])  # nan: no rows
    return {
        "per_label": per_label,
        "macro_f1": round(float(np.mean(mf)), 4) if mf else None,
        "ece": None if np.isnan(ece_all) else round(ece_all, 4),
        "context_confusion": ctx,
        "n": len(probs),
        "n_fully_labeled": int(known_all.sum()),
    }


def threshold_table(p: np.ndarray, y: np.ndarray, t: float) -> dict[str, float | None]:
    """Threshold ``t`` and the precision, recall and F1 of scores ``p`` (n,) against 0/1
    gold ``y`` (n,) at it (a score >= t is a positive), rounded to 4 places; None where
    undefined (:func:`defined_prf`: precision with nothing at or above ``t``, recall and
    F1 without a gold positive), not 0."""
    pred = p >= t
    tp = float(np.sum(pred & (y > 0)))
    fp = float(np.sum(pred & (y == 0)))
    fn = float(np.sum(~pred & (y > 0)))
    prec, rec, f1 = defined_prf(tp, fp, fn)
    return {
        "threshold": round(t, 4),
        "precision": _round(prec),
        "recall": _round(rec),
        "f1": _round(f1),
    }
