"""The frozen-encoder baseline: mean-pooled encoder embeddings (cached on disk) and one
scikit-learn LogisticRegression per label, thresholds chosen on validation rows.

Rows are DataFrames in the training-rows format (:mod:`annotate.training.rows`):
``text`` and ``labels`` (per row an int array of 1/0/-1 in label order, -1 = the row
does not supervise that label), optional ``weight``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

Embed = Callable[[Sequence[str]], np.ndarray]  # texts -> (n, dim) float32


def label_matrix(rows, n_labels: int) -> np.ndarray:
    """(n, n_labels) int8 matrix of 1/0/-1 from the ``labels`` column."""
    if len(rows) == 0:
        return np.zeros((0, n_labels), np.int8)
    y = np.stack([np.asarray(v, dtype=np.int8) for v in rows["labels"]])
    if y.shape[1] != n_labels:
        raise ValueError(f"rows carry {y.shape[1]} labels, expected {n_labels}")
    return y


def max_f1_threshold(p: np.ndarray, y: np.ndarray) -> float:
    """The score threshold with the highest F1 on (p, y); 0.5 without positives."""
    if len(y) == 0 or y.sum() == 0:
        return 0.5
    order = np.argsort(-p, kind="stable")
    ps, ys = p[order], y[order]
    tp = np.cumsum(ys)
    k = np.arange(1, len(ys) + 1)
    f1 = 2 * tp / (k + ys.sum())
    # only cut between distinct scores
    last = np.r_[ps[1:] != ps[:-1], True]
    best = int(np.argmax(np.where(last, f1, -1)))
    return float(ps[best])


@dataclass
class BaselineModel:
    """Per-label logistic regressions over frozen embeddings."""

    labels: list[str]
    embed: Embed
    coef: np.ndarray  # (n_labels, dim); rows of labels never seen are zero
    intercept: np.ndarray  # (n_labels,)
    thresholds: dict[str, float] = field(default_factory=dict)

    def predict_proba(self, rows) -> np.ndarray:
        """(n, n_labels) float32 probabilities for the ``text`` column."""
        x = self.embed(list(rows["text"]))
        z = x @ self.coef.T + self.intercept
        return (1.0 / (1.0 + np.exp(-z))).astype(np.float32)


def fit_baseline(
    rows_train,
    rows_valid,
    labels: Sequence[str],
    embed: Embed,
    *,
    c: float = 1.0,
    seed: int = 13,
) -> BaselineModel:
    """Fit one LogisticRegression per label on the rows that supervise it (class weights
    balanced, row weights as sample weights) and choose each threshold by max F1 on the
    validation rows that supervise it. A label with one class only in training gets a
    constant score (its prior)."""
    from sklearn.linear_model import LogisticRegression

    names = list(labels)
    x = embed(list(rows_train["text"]))
    y = label_matrix(rows_train, len(names))
    w = rows_train["weight"].to_numpy(float) if "weight" in rows_train else np.ones(len(x))
    dim = x.shape[1] if x.ndim == 2 else 0
    coef = np.zeros((len(names), dim), np.float32)
    intercept = np.zeros(len(names), np.float32)
    for j in range(len(names)):
        m = y[:, j] >= 0
        yy = y[m, j]
        if m.sum() == 0 or yy.min() == yy.max():
            prior = float(yy.mean()) if m.any() else 0.0
            prior = min(max(prior, 1e-4), 1 - 1e-4)
            intercept[j] = np.log(prior / (1 - prior))
            continue
        clf = LogisticRegression(C=c, class_weight="balanced", max_iter=2000, random_state=seed)
        clf.fit(x[m], yy, sample_weight=w[m])
        coef[j] = clf.coef_[0]
        intercept[j] = clf.intercept_[0]
    model = BaselineModel(names, embed, coef, intercept)
    pv = model.predict_proba(rows_valid) if len(rows_valid) else np.zeros((0, len(names)))
    yv = label_matrix(rows_valid, len(names))
    for j, name in enumerate(names):
        m = yv[:, j] >= 0
        model.thresholds[name] = max_f1_threshold(pv[m, j], yv[m, j])
    return model


def cached_embedder(
    encoder_ref: str,
    *,
    cache_dir: Path | None = None,
    max_length: int = 256,
    progress: Callable[[int], None] | None = None,
) -> Embed:
    """Mean-pooled, L2-normalised embeddings of the frozen encoder, cached on disk
    (sqlite keyed by encoder + sha256 of the text, :class:`EmbeddingCache`): a re-run
    embeds only texts it has not seen. The encoder loads on first use."""
    from annotate.training.embedding_cache import EmbeddingCache

    state: dict[str, EmbeddingCache] = {}

    def embed(texts: Sequence[str]) -> np.ndarray:
        if "cache" not in state:
            from annotate.classifier.encoder import Encoder

            state["cache"] = EmbeddingCache(
                Encoder(encoder_ref, max_length=max_length), root=cache_dir
            )
        emb, _ = state["cache"].encode(list(texts), [[] for _ in texts], progress=progress)
        return emb

    return embed
