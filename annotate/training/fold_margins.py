"""The paired interval of model - baseline AUPRC per cross-source cell.

Both sides of a fold score the same held-out rows, so their AUPRC margin is paired: each
bootstrap resample draws the rows' documents with replacement (``doc_id`` where the rows
have it, so a post and its reply, or the passages of one document, move together; else
each row alone) and scores both sides under the same weights
(:func:`annotate.evaluation.bootstrap.cluster_weights`, :func:`weighted_auprc`). A cell is
above the baseline beyond noise only when the 95 % percentile interval of the margin
excludes 0: a point estimate above the baseline's by 0.0003 on 24 positives is no
finding (reader58 #2).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from annotate.evaluation.bootstrap import ci, cluster_weights, weighted_auprc
from annotate.training.baseline import label_matrix

RESAMPLES = 1000
SEED = 0


def paired_margins(
    rows,
    model_probs: np.ndarray,
    baseline_probs: np.ndarray,
    labels: Sequence[str],
    n: int = RESAMPLES,
    seed: int = SEED,
) -> dict[str, list[float] | None]:
    """Label -> the 95 % interval [lo, hi] of model - baseline weighted AUPRC over ``n``
    paired resamples of ``rows`` (the scored rows, training-rows format; ``eval_weight``
    used where present), for each label the rows supervise with at least one positive.
    ``model_probs``/``baseline_probs``: (rows, labels) scores. None where no resample
    had both a positive and a negative."""
    names = list(labels)
    y = label_matrix(rows, len(names))
    w = rows["eval_weight"].to_numpy(float) if "eval_weight" in rows else np.ones(len(rows))
    groups = (
        rows["doc_id"].astype(str).to_numpy()
        if "doc_id" in rows
        else np.arange(len(rows)).astype(str)
    )
    rng = np.random.default_rng(seed)
    out: dict[str, Any] = {}
    for j, name in enumerate(names):
        m = y[:, j] >= 0
        yy = y[m, j]
        if not m.any() or not (yy == 1).any():
            continue
        weights, _ = cluster_weights(list(groups[m]), n, rng)
        weights *= w[m]
        d = weighted_auprc(yy, model_probs[m, j], weights) - weighted_auprc(
            yy, baseline_probs[m, j], weights
        )
        out[name] = ci(d)
    return out


def beyond_noise(interval: Sequence[float] | None) -> bool | None:
    """True when ``interval`` excludes 0, False when it holds 0, None without one."""
    if not interval:
        return None
    return bool(interval[0] > 0 or interval[1] < 0)
