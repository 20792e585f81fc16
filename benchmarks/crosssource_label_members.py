"""Per-label member sets of the frozen recipe on the cross-source folds: every candidate
logistic regression (:func:`annotate.training.frozen.fit_linear`, one per label, so a
member fitted on every label and then counted for some labels only is the member a
config's ``labels:`` gives) is fitted once per uncapped fold (each public source held
out, as `annotate evaluate --cross-source`) and its logits on the held-out rows saved,
with the labels, weights and the frozen-MiniLM + LR baseline's scores, to one .npz per
fold. ``--combine`` then scores named combinations (a weight per member and label) of
the saved logits against A (the members before the `none` member) and the baseline, 2,000 paired,
stratified resamples per cell (benchmarks/crosssource_members.py's fast bootstrap).

Run: ``ANNOTATE_CACHE_DIR=... .venv/bin/python benchmarks/crosssource_label_members.py
--fit DIR`` (a warm embedding cache makes it minutes), then ``--combine DIR OUT.json``.
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

import numpy as np
from _bootstrap import ci
from crosssource_members import _resamples, _subset
from sklearn.metrics import average_precision_score as ap

ROOT = Path(__file__).resolve().parent.parent
CONTEXT = ["news_reporting", "counter_speech"]
# name -> (C, sources balanced, which training rows)
CANDIDATES = {
    "c0.03": (0.03, False, "all"),
    "c0.1": (0.1, False, "all"),
    "c0.3": (0.3, False, "all"),
    "c1": (1.0, False, "all"),
    "c3": (3.0, False, "all"),
    "c10": (10.0, False, "all"),
    "c30": (30.0, False, "all"),
    "c0.1b": (0.1, True, "all"),
    "c0.3b": (0.3, True, "all"),
    "c1b": (1.0, True, "all"),
    "c3b": (3.0, True, "all"),
    "nd_c0.3": (0.3, False, "no_derived"),
    "nd_c1": (1.0, False, "no_derived"),
    "nd_c3": (3.0, False, "no_derived"),
    "nd_c10": (10.0, False, "no_derived"),
    "public_c1": (1.0, False, "public"),
}
# the members before the `none` member (models/default.train.yaml, 3 Dec 2026): member ->
# labels it counts for (None: all)
A = {"c1": None, "c0.3": None, "c0.3b": None, "c10": CONTEXT, "nd_c1": ["violent_threat"]}
NOT_CS = [
    "violent_threat",
    "incitement",
    "graphic_violence",
    "extremist_propaganda",
    "news_reporting",
    "none",
]
# name -> member -> None (every label), [labels] or {label: weight}
COMBINATIONS: dict[str, dict] = {
    # adopted: a source-balanced member for `none` only
    "A + c1b, none only": {**A, "c1b": ["none"]},
    "A + c3b, none only": {**A, "c3b": ["none"]},
    "A + c0.3b again, none only": {
        **A,
        "c0.3b": {n: 1.0 for n in NOT_CS[:-1]} | {"none": 2.0, "counter_speech": 1.0},
    },
    "A + c1b and c3b, none only": {**A, "c1b": ["none"], "c3b": ["none"]},
    # counter-speech candidates (with the `none` member)
    "+ nd_c3, counter_speech only": {**A, "c1b": ["none"], "nd_c3": ["counter_speech"]},
    "+ nd_c3, context labels only": {**A, "c1b": ["none"], "nd_c3": CONTEXT},
    "+ nd_c10, context labels only": {**A, "c1b": ["none"], "nd_c10": CONTEXT},
    "+ nd_c1 also for counter_speech": {
        **A,
        "c1b": ["none"],
        "nd_c1": ["violent_threat", "counter_speech"],
    },
    "counter_speech from c1 alone": {
        "c1": None,
        "c0.3": NOT_CS,
        "c0.3b": NOT_CS,
        "c10": ["news_reporting"],
        "nd_c1": ["violent_threat"],
        "c1b": ["none"],
    },
    "counter_speech without c0.3b": {**A, "c0.3b": NOT_CS, "c1b": ["none"]},
    "counter_speech c1 at weight 2": {
        **A,
        "c1b": ["none"],
        "c1": {n: 1.0 for n in NOT_CS} | {"counter_speech": 2.0},
    },
}


def fit(out_dir: Path) -> None:
    from annotate.classifier.encoder import Encoder
    from annotate.taxonomy import load_taxonomy
    from annotate.training.baseline import cached_embedder, fit_baseline, label_matrix
    from annotate.training.config import load_train_config
    from annotate.training.crosssource import Caps, fold_rows, held_out_sources
    from annotate.training.embedding_cache import EmbeddingCache
    from annotate.training.frozen import RowFeatures, fit_linear
    from annotate.training.rows import load_rows

    tax = load_taxonomy(ROOT / "labels.yaml")
    names = tax.category_names
    cfg = load_train_config(ROOT / "models" / "default.train.yaml")
    rows, _ = load_rows(cfg, tax)
    enc = Encoder(cfg.encoder, precision=cfg.precision, max_length=cfg.encoder_max_length)
    feats = RowFeatures(EmbeddingCache(enc))
    embed = cached_embedder(cfg.baseline_encoder, max_length=cfg.encoder_max_length)
    out_dir.mkdir(parents=True, exist_ok=True)
    for src in held_out_sources(rows):
        tr, va, sc, _ = fold_rows(rows, src, Caps())
        sc = sc.sort_values("id")
        xs = feats.matrix(sc)
        arrays = {
            "y": label_matrix(sc, len(names)),
            "w": sc["eval_weight"].to_numpy(float),
            "ids": np.array(sc["id"].astype(str)),
            "text": np.array(sc["text"].astype(str)),
            "baseline": fit_baseline(tr, va, names, embed, seed=cfg.seed).predict_proba(sc),
        }
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
            arrays["m_" + k] = head.logits(xs)
        np.savez_compressed(out_dir / f"{src}.npz", names=np.array(names), **arrays)
        print(src, len(sc), flush=True)


def combine(logits: dict[str, np.ndarray], combo: dict, names: list[str]) -> np.ndarray:
    """Weighted mean per label: ``combo`` member -> None (weight 1, every label), a list
    of labels (weight 1 for those) or a dict label -> weight."""
    num = np.zeros_like(next(iter(logits.values())), dtype=np.float64)
    den = np.zeros(len(names))
    for k, spec in combo.items():
        if spec is None:
            wt = np.ones(len(names))
        elif isinstance(spec, list):
            wt = np.array([n in spec for n in names], float)
        else:
            wt = np.array([float(spec.get(n, 0.0)) for n in names])
        num += logits[k] * wt
        den += wt
    return num / den


def score(in_dir: Path, combos: dict[str, dict], out: Path | None, n_boot: int = 2000) -> list:
    rng = np.random.default_rng(0)
    cells = []
    for f in sorted(in_dir.glob("*.npz")):
        z = np.load(f, allow_pickle=False)
        names = [str(n) for n in z["names"]]
        logits = {k[2:]: z[k] for k in z.files if k.startswith("m_")}
        y, w = z["y"], z["w"]
        scores = {"baseline": z["baseline"], "A": combine(logits, A, names)}
        scores.update({k: combine(logits, c, names) for k, c in combos.items()})
        for j, lab in enumerate(names):
            m = y[:, j] >= 0
            if not m.any() or y[m, j].sum() == 0:
                continue
            yy, ww = y[m, j], w[m]
            cell = {k: v[m, j] for k, v in scores.items()}
            row = {"source": f.stem, "label": lab, "n": int(m.sum()), "positives": int(yy.sum())}
            row["auprc"] = {
                k: round(float(ap(yy, v, sample_weight=ww)), 4) for k, v in cell.items()
            }
            if n_boot:
                res = _resamples(yy, ww, cell, rng, n_boot)
                row["minus_A_ci"] = {k: ci(res[k] - res["A"]) for k in cell if k != "A"}
                row["minus_baseline_ci"] = {k: ci(res[k] - res["baseline"]) for k in cell}
            cells.append(row)
    if out is not None:
        out.write_text(
            json.dumps(
                {
                    "A": str(A),
                    "combinations": {k: str(v) for k, v in combos.items()},
                    "cells": cells,
                },
                indent=1,
            )
            + "\n"
        )
    return cells


def none_rules(in_dir: Path) -> list[dict]:
    """AUPRC of `none` on each held-out source, A's logits: its own head (as the model
    scores it), and `none` read as the absence of every other label: the head's sigmoid
    times the product of (1 - sigmoid) of the others, or 1 - the largest other sigmoid
    (uncalibrated logits: a diagnostic, not a scoring rule of the model)."""
    out = []
    for f in sorted(in_dir.glob("*.npz")):
        z = np.load(f, allow_pickle=False)
        names = [str(n) for n in z["names"]]
        j = names.index("none")
        y, w = z["y"][:, j], z["w"]
        m = y >= 0
        if not m.any() or y[m].sum() == 0:
            continue
        logits = {k[2:]: z[k] for k in z.files if k.startswith("m_")}
        p = 1 / (1 + np.exp(-combine(logits, A, names)[m]))
        other = np.delete(p, j, axis=1)
        rules = {
            "head": p[:, j],
            "head x prod(1 - other)": p[:, j] * np.prod(1 - other, axis=1),
            "1 - max other": 1 - other.max(1),
        }
        row = {"source": f.stem, "n": int(m.sum()), "positives": int(y[m].sum())}
        row.update({k: round(float(ap(y[m], v, sample_weight=w[m])), 4) for k, v in rules.items()})
        out.append(row)
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--fit", type=Path, help="fit the candidates, one .npz per fold here")
    p.add_argument("--combine", nargs=2, type=Path, metavar=("DIR", "OUT"))
    args = p.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.fit:
        fit(args.fit)
    if args.combine:
        in_dir, out = args.combine
        cells = score(in_dir, COMBINATIONS, None)
        doc = {
            "A": str(A),
            "candidates": {k: list(v) for k, v in CANDIDATES.items()},
            "combinations": {k: str(v) for k, v in COMBINATIONS.items()},
            "cells": cells,
            "none_rules": none_rules(in_dir),
        }
        out.write_text(json.dumps(doc, indent=1) + "\n")


if __name__ == "__main__":
    main()
