"""Candidate members of the frozen recipe on the cross-source folds, fitted once and
averaged in any combination: per fold (each public source held out, uncapped, as
`annotate evaluate --cross-source`), every candidate logistic regression of
:func:`annotate.training.frozen.fit_linear` is fitted on the fold's training rows (or a
subset of them) and its logits on the held-out rows kept; a combination is the weighted
mean of its members' logits, per label (a member may count for some labels only). The
AUPRC of each combination, of A (the shipped members) and of the frozen-MiniLM + LR
baseline is bootstrapped per cell (2,000 paired, stratified resamples of the held-out
rows, benchmarks/_bootstrap.py). AUPRC is rank-based, so the logits stand for the
calibrated scores (Platt scaling is monotone per label).

Candidates: C 0.1 / 0.3 / 1 / 3 / 10 on every training row; C 0.3 / 1 with every source
weighing the same; C 1 / 0.3 / 1 balanced on the public rows only (no project data, no
span or taxonomy examples: the issue's baseline's data); C 1 without the derived rows
(span and taxonomy examples).

Run: ``ANNOTATE_CACHE_DIR=... .venv/bin/python benchmarks/crosssource_members.py OUT.json``
(a warm embedding cache makes it minutes).
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

import numpy as np
from _bootstrap import ci
from sklearn.metrics import average_precision_score as ap

from annotate.classifier.encoder import Encoder
from annotate.taxonomy import load_taxonomy
from annotate.training.baseline import cached_embedder, fit_baseline, label_matrix
from annotate.training.config import load_train_config
from annotate.training.crosssource import Caps, fold_rows, held_out_sources
from annotate.training.embedding_cache import EmbeddingCache
from annotate.training.frozen import RowFeatures, fit_linear
from annotate.training.rows import load_rows

ROOT = Path(__file__).resolve().parent.parent
CONTEXT = ["news_reporting", "counter_speech"]
# name -> (C, sources balanced, which training rows)
CANDIDATES = {
    "c0.1": (0.1, False, "all"),
    "c0.3": (0.3, False, "all"),
    "c1": (1.0, False, "all"),
    "c3": (3.0, False, "all"),
    "c10": (10.0, False, "all"),
    "c0.3b": (0.3, True, "all"),
    "c1b": (1.0, True, "all"),
    "public_c1": (1.0, False, "public"),
    "public_c0.3": (0.3, False, "public"),
    "public_c1b": (1.0, True, "public"),
    "no_derived_c1": (1.0, False, "no_derived"),
}
A = {"c1": 1, "c0.3": 1, "c0.3b": 1}
# name -> {member: weight}, or (members, {member: labels it counts for})
COMBINATIONS = {
    "A + public_c1": {**A, "public_c1": 1},
    "A + public_c1 at weight 1/2": {"c1": 2, "c0.3": 2, "c0.3b": 2, "public_c1": 1},
    "A + no_derived_c1": {**A, "no_derived_c1": 1},
    "A with c1 at weight 2": {"c1": 2, "c0.3": 1, "c0.3b": 1},
    "A + c3 + c0.1": {**A, "c3": 1, "c0.1": 1},
    "A + c3, context labels only": ({**A, "c3": 1}, {"c3": CONTEXT}),
    "A + c10, context labels only": ({**A, "c10": 1}, {"c10": CONTEXT}),
}


def _resamples(
    y: np.ndarray, w: np.ndarray, scores: dict[str, np.ndarray], rng: np.random.Generator, n: int
) -> dict[str, np.ndarray]:
    """As ``_bootstrap.auprc_resamples`` (the same resamples from the same ``rng``, the same
    values to 1e-15), fast: a resample is a count per row, so each scorer's rows are
    sorted once and its weighted average precision is a cumulative sum over them (ties
    in score are one threshold, as in scikit-learn)."""
    idx = np.arange(len(y))
    pos, neg = idx[y == 1], idx[y == 0]
    sorted_ = {}
    for k, p in scores.items():
        o = np.argsort(-p, kind="stable")
        sorted_[k] = (o, np.r_[p[o][1:] != p[o][:-1], True])
    out = {k: np.empty(n) for k in scores}
    for b in range(n):
        s = np.concatenate([rng.choice(pos, len(pos)), rng.choice(neg, len(neg))])
        cnt = np.bincount(s, minlength=len(y)) * w
        for k, (o, last) in sorted_.items():
            c = cnt[o]
            tp, tot = np.cumsum(c * y[o])[last], np.cumsum(c)[last]
            tp, tot = tp[tot > 0], tot[tot > 0]
            out[k][b] = float(np.sum(np.diff(np.r_[0.0, tp / tp[-1]]) * (tp / tot)))
    return out


def _subset(rows, which: str):
    if which == "public":
        return rows[rows["public"].astype(bool)]
    if which == "no_derived":
        src = rows["source"].astype(str)
        return rows[~src.str.endswith(":spans") & (src != "labels.yaml")]
    return rows


def _combine(logits: dict[str, np.ndarray], combo, names: list[str]) -> np.ndarray:
    weights, only = combo if isinstance(combo, tuple) else (combo, {})
    num = np.zeros_like(next(iter(logits.values())))
    den = np.zeros(len(names))
    for k, w in weights.items():
        counts = np.array([n in only.get(k, names) for n in names], float) * w
        num += logits[k] * counts
        den += counts
    return num / den


def main() -> None:
    ap_ = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap_.add_argument("out")
    ap_.add_argument("--config", default=str(ROOT / "models" / "default.train.yaml"))
    args = ap_.parse_args()
    logging.basicConfig(level=logging.WARNING)
    tax = load_taxonomy(ROOT / "labels.yaml")
    names = tax.category_names
    cfg = load_train_config(Path(args.config))
    rows, _ = load_rows(cfg, tax)
    enc = Encoder(cfg.encoder, precision=cfg.precision, max_length=cfg.encoder_max_length)
    feats = RowFeatures(EmbeddingCache(enc))
    embed = cached_embedder(cfg.baseline_encoder, max_length=cfg.encoder_max_length)
    rng = np.random.default_rng(0)
    out = []
    for src in held_out_sources(rows):
        tr, va, sc, _ = fold_rows(rows, src, Caps())
        sc = sc.sort_values("id")
        y, w, xs = label_matrix(sc, len(names)), sc["eval_weight"].to_numpy(float), feats.matrix(sc)
        logits = {}
        for k, (c, balanced, which) in CANDIDATES.items():
            r = _subset(tr, which)
            groups = r["source"].astype(str).to_numpy() if balanced else None
            head = fit_linear(
                feats.matrix(r),
                label_matrix(r, len(names)),
                r["weight"].to_numpy(float),
                c,
                cfg.seed,
                groups,
            )
            logits[k] = head.logits(xs)
        base = fit_baseline(tr, va, names, embed, seed=cfg.seed).predict_proba(sc)
        scores = {"baseline": base, "A": _combine(logits, A, names)}
        scores.update({k: logits[k] for k in CANDIDATES})
        scores.update({k: _combine(logits, c, names) for k, c in COMBINATIONS.items()})
        for j, lab in enumerate(names):
            m = y[:, j] >= 0
            if not m.any() or y[m, j].sum() == 0:
                continue
            yy, ww = y[m, j], w[m]
            cell = {k: v[m, j] for k, v in scores.items()}
            res = _resamples(yy, ww, cell, rng, 2000)
            row = {"source": src, "label": lab, "n": int(m.sum()), "positives": int(yy.sum())}
            row["auprc"] = {
                k: round(float(ap(yy, v, sample_weight=ww)), 4) for k, v in cell.items()
            }
            row["minus_A_ci"] = {k: ci(res[k] - res["A"]) for k in cell if k != "A"}
            row["minus_baseline_ci"] = {k: ci(res[k] - res["baseline"]) for k in cell}
            out.append(row)
            print(json.dumps({k: row[k] for k in ("source", "label", "auprc")}), flush=True)
    Path(args.out).write_text(
        json.dumps(
            {"combinations": {k: str(v) for k, v in COMBINATIONS.items()}, "cells": out}, indent=1
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
