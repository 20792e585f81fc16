"""Paired, stratified bootstrap of AUPRC over one cross-source cell (shared by
crosssource_bootstrap.py and crosssource_paired.py), and a paired bootstrap of a weighted
flag rate (crosssource_paired.py, threshold_paired.py).

Positives and negatives are resampled separately (each resample keeps the cell's
positive count), the harness's sampling weights kept; every scorer is evaluated on the
same resample, so differences between scorers are paired. Percentile intervals
(Efron & Tibshirani 1993, ch. 13).

A paired rate's percentile interval alone is not a test: when all k rows on which the
sides disagree go one way, a resample misses them all with probability ~e^-k, so the
interval excludes 0 from k = 4, where the exact two-sided McNemar p is 2 * 0.5^4 = 0.125
(reader58 #1). ``paired_rates`` therefore also reports the exact McNemar test on the
discordant rows and calls a difference beyond noise only when both agree.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import binomtest
from sklearn.metrics import average_precision_score as ap

from annotate.evaluation.bootstrap import ci  # the package's; re-exported for the scripts

__all__ = ["auprc_resamples", "ci", "mcnemar_exact_p", "paired_rates"]

ALPHA = 0.05  # a paired rate differs beyond noise only at McNemar p < ALPHA


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


def mcnemar_exact_p(a_only: int, b_only: int) -> float:
    """Exact two-sided McNemar p-value from the discordant counts: rows only side a flags
    (``a_only``) and rows only side b flags (``b_only``), tested as a binomial(0.5) split of
    their sum (scipy's ``binomtest``). 1.0 when no row is discordant."""
    k = a_only + b_only
    if k == 0:
        return 1.0
    return float(binomtest(min(a_only, b_only), k, 0.5).pvalue)


def paired_rates(
    fa: np.ndarray, fb: np.ndarray, w: np.ndarray, rng: np.random.Generator, n: int = 2000
) -> dict[str, object]:
    """Two sides' weighted rates of (rows,) boolean flags ``fa`` and ``fb`` on the same
    rows (weights ``w``): ``a``, ``b`` (rounded to 4 places), ``a_only``/``b_only`` (rows
    only that side flags), ``b_minus_a_ci``, the 95 % interval of b - a over ``n``
    paired resamples of the rows, ``mcnemar_p``, the exact McNemar p on the discordant
    rows (unweighted counts), and ``beyond_noise``: True only when the interval excludes 0
    and ``mcnemar_p`` < 0.05 (a handful of discordant rows never is)."""

    def rate(f: np.ndarray, ww: np.ndarray) -> float:
        return float(np.average(f, weights=ww))

    d = []
    for _ in range(n):
        s = rng.choice(len(fa), len(fa))
        d.append(rate(fb[s], w[s]) - rate(fa[s], w[s]))
    a_only, b_only = int((fa & ~fb).sum()), int((fb & ~fa).sum())
    interval = ci(d)
    p = mcnemar_exact_p(a_only, b_only)
    return {
        "a": round(rate(fa, w), 4),
        "b": round(rate(fb, w), 4),
        "a_only": a_only,
        "b_only": b_only,
        "b_minus_a_ci": interval,
        "mcnemar_p": round(p, 4),
        "beyond_noise": bool(
            interval is not None and (interval[0] > 0 or interval[1] < 0) and p < ALPHA
        ),
    }
