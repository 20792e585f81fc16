"""Paired, stratified bootstrap of AUPRC over one cross-source cell (shared by
crosssource_bootstrap.py and crosssource_paired.py), and a paired bootstrap of a weighted
flag rate (crosssource_paired.py, threshold_paired.py).

Positives and negatives are resampled separately (each resample keeps the cell's
positive count), the harness's sampling weights kept; every scorer is evaluated on the
same resample, so differences between scorers are paired. Percentile intervals
(Efron & Tibshirani 1993, ch. 13).
"""

from __future__ import annotations

import numpy as np
from sklearn.metrics import average_precision_score as ap

from annotate.evaluation.bootstrap import ci  # the package's; re-exported for the scripts

__all__ = ["auprc_resamples", "ci", "paired_rates"]


def auprc_resamples(
    y: np.ndarray,
    w: np.ndarray,
    scores: dict[str, np.ndarray],
    rng: np.random.Generator,
    n: int = 2000,
) -> dict[str, np.ndarray]:
    """Per scorer, (n,) weighted AUPRC on ``n`` stratified resamples of the rows.

    ``y``: (rows,) 0/1 labels with at least one positive; ``w``: (rows,) weights;
    ``scores``: scorer name -> (rows,) scores."""
    idx = np.arange(len(y))
    pos, neg = idx[y == 1], idx[y == 0]
    out = {k: np.empty(n) for k in scores}
    for b in range(n):
        s = np.concatenate([rng.choice(pos, len(pos)), rng.choice(neg, len(neg))])
        for k, p in scores.items():
            out[k][b] = ap(y[s], p[s], sample_weight=w[s])
    return out


def paired_rates(
    fa: np.ndarray, fb: np.ndarray, w: np.ndarray, rng: np.random.Generator, n: int = 2000
) -> dict[str, object]:
    """Two sides' weighted rates of (rows,) boolean flags ``fa`` and ``fb`` on the same
    rows (weights ``w``): ``a``, ``b`` (rounded to 4 places), ``a_only``/``b_only`` (rows
    only that side flags) and ``b_minus_a_ci``, the 95 % interval of b - a over ``n``
    paired resamples of the rows."""

    def rate(f: np.ndarray, ww: np.ndarray) -> float:
        return float(np.average(f, weights=ww))

    d = []
    for _ in range(n):
        s = rng.choice(len(fa), len(fa))
        d.append(rate(fb[s], w[s]) - rate(fa[s], w[s]))
    return {
        "a": round(rate(fa, w), 4),
        "b": round(rate(fb, w), 4),
        "a_only": int((fa & ~fb).sum()),
        "b_only": int((fb & ~fa).sum()),
        "b_minus_a_ci": ci(d),
    }
