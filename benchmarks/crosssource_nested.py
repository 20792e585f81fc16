"""Cross-source table of the member choice: the fixed members of models/default.train.yaml
against ``frozen.select: nested-loso`` (per label, and one choice for all labels), all
three from the same fitted candidates on the same folds, beside the frozen-MiniLM +
logistic regression baseline; with a paired, stratified bootstrap of each AUPRC
difference (2,000 resamples of the held-out source's scored rows, positives and
negatives resampled separately).

Within each outer fold (one public source held out, every row of the others, no caps)
the nested choice sees only that fold's training rows (annotate.training.member_select);
the held-out source is scored once per side. AUPRC of raw logits (Platt scaling is
monotone, so it equals the harness's AUPRC of calibrated scores).

Needs a warm embedding cache ($ANNOTATE_CACHE_DIR). Run:
``.venv/bin/python benchmarks/crosssource_nested.py OUT.json [SOURCE ...]``.
"""

import json
import logging
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import average_precision_score as ap

from annotate.classifier.encoder import Encoder
from annotate.taxonomy import load_taxonomy
from annotate.training import member_select as ms
from annotate.training.baseline import cached_embedder, fit_baseline, label_matrix
from annotate.training.config import load_train_config
from annotate.training.crosssource import Caps, fold_rows, held_out_sources
from annotate.training.embedding_cache import EmbeddingCache
from annotate.training.frozen import RowFeatures, fit_candidate
from annotate.training.rows import load_rows

ROOT = Path(__file__).resolve().parent.parent
B = 2000


def boot(yy, scores, rng):
    """Percentile 95% intervals of the paired differences of AUPRC, and the share of
    resamples where the first side is above the second, for the pairs of ``scores``."""
    idx = np.arange(len(yy))
    pos, neg = idx[yy == 1], idx[yy == 0]
    pairs = [
        ("nested", "baseline"),
        ("default", "baseline"),
        ("nested", "default"),
        ("global", "baseline"),
    ]
    d = {p: [] for p in pairs}
    for _ in range(B):
        s = np.concatenate([rng.choice(pos, len(pos)), rng.choice(neg, len(neg))])
        a = {k: ap(yy[s], v[s]) for k, v in scores.items()}
        for p in pairs:
            d[p].append(a[p[0]] - a[p[1]])
    out = {}
    for p, v in d.items():
        lo, hi = np.percentile(v, [2.5, 97.5])
        out[f"{p[0]}-{p[1]}"] = {
            "ci": [round(lo, 4), round(hi, 4)],
            "p_above": round(float(np.mean(np.array(v) > 0)), 3),
        }
    return out


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    cfg = load_train_config(ROOT / "models" / "default.train.yaml")
    tax = load_taxonomy(ROOT / "labels.yaml")
    names = tax.category_names
    fz = cfg.frozen
    cands = fz.candidates
    default = tuple(sorted(next(i for i, c in enumerate(cands) if c == m) for m in fz.members))
    combos = ms.combinations(len(cands), fz.max_members)
    rows, _ = load_rows(cfg, tax)
    feats = RowFeatures(
        EmbeddingCache(Encoder(cfg.encoder, precision=cfg.precision, max_length=256))
    )
    embed = cached_embedder(cfg.baseline_encoder, max_length=256)
    rng = np.random.default_rng(0)
    only = sys.argv[2:]
    out = {"candidates": [c.model_dump() for c in cands], "default": default, "folds": []}
    for src in held_out_sources(rows):
        if only and src not in only:
            continue
        t0 = time.time()
        tr, va, sc, which = fold_rows(rows, src, Caps())
        ys = label_matrix(sc, len(names))
        if not any((ys[:, j] == 1).any() and (ys[:, j] == 0).any() for j in range(len(names))):
            continue  # no AUPRC cell (stormfront: negatives only)
        x, y = feats.matrix(tr), label_matrix(tr, len(names))
        w, s = tr["weight"].to_numpy(float), tr["source"].astype(str).to_numpy()
        cells = ms.inner_cells(
            x,
            y,
            w,
            s,
            held_out_sources(tr),
            lambda k, *a: fit_candidate(cfg, k, *a),
            len(cands),
            combos,
        )
        per = ms.choose(cells, len(names), combos, default, per_label=True)
        glob = ms.choose(cells, len(names), combos, default, per_label=False)
        t1 = time.time()
        xs = feats.matrix(sc)
        logits = [fit_candidate(cfg, k, x, y, w, s).logits(xs) for k in range(len(cands))]
        base = fit_baseline(tr, va, names, embed, seed=cfg.seed).predict_proba(sc)
        fold = {
            "source": src,
            "scored": which,
            "n_train": len(tr),
            "chosen": {names[j]: [list(per.combos[j]), per.scope[j]] for j in range(len(names))},
            "chosen_global": list(glob.combos[0]),
            "inner": [
                {
                    "source": c.source,
                    "label": names[c.label],
                    "positives": c.positives,
                    "reference": round(float(c.auprc[0]), 4),
                    "default": round(float(c.auprc[combos.index(default)]), 4),
                    "chosen": round(float(c.auprc[combos.index(per.combos[c.label])]), 4),
                    "best": round(float(c.auprc.max()), 4),
                }
                for c in cells
            ],
            "seconds_inner": round(t1 - t0, 1),
            "seconds_outer": round(time.time() - t1, 1),
            "cells": [],
        }
        for j, lab in enumerate(names):
            m = ys[:, j] >= 0
            yy = ys[m, j]
            if not m.any() or yy.sum() == 0 or yy.min() == 1:
                continue
            cand = [lg[m, j] for lg in logits]
            scores = {
                "baseline": base[m, j],
                "default": ms.combo_logits(cand, default),
                "nested": ms.combo_logits(cand, per.combos[j]),
                "global": ms.combo_logits(cand, glob.combos[j]),
                **{f"cand{k}": cand[k] for k in range(len(cands))},
            }
            cell = {"label": lab, "n": int(m.sum()), "positives": int(yy.sum())}
            cell.update({k: round(float(ap(yy, v)), 4) for k, v in scores.items()})
            main_scores = {k: scores[k] for k in ("baseline", "default", "nested", "global")}
            cell["bootstrap"] = boot(yy, main_scores, rng)
            fold["cells"].append(cell)
            print(json.dumps({"source": src, **cell}), flush=True)
        out["folds"].append(fold)
        Path(sys.argv[1]).write_text(json.dumps(out, indent=1) + "\n")
        print(json.dumps({k: v for k, v in fold.items() if k != "cells"}), flush=True)


if __name__ == "__main__":
    main()
