"""Paired, stratified bootstrap of AUPRC differences (recipe - baseline) per cross-source
cell: the default recipe on mpnet and on MiniLM against the frozen-MiniLM + logistic
regression baseline, refitted on the capped folds of models/mpnet.cross_source.md
(2,000 resamples of each held-out source's scored rows, positives and negatives
resampled separately, the harness's sampling weights kept).

Needs ``make mpnet`` and a warm embedding cache ($ANNOTATE_CACHE_DIR) from the two
tables. Run: ``.venv/bin/python benchmarks/crosssource_bootstrap.py OUT.json``.
"""

import json
import logging
import sys
from pathlib import Path

import numpy as np
from _bootstrap import auprc_resamples, ci
from sklearn.metrics import average_precision_score as ap

from annotate.classifier.encoder import Encoder
from annotate.taxonomy import load_taxonomy
from annotate.training.baseline import cached_embedder, fit_baseline, label_matrix
from annotate.training.config import load_train_config
from annotate.training.crosssource import Caps, fold_rows, held_out_sources
from annotate.training.embedding_cache import EmbeddingCache
from annotate.training.frozen import RowFeatures, fit_frozen
from annotate.training.rows import load_rows

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    cfg = load_train_config(ROOT / "models" / "mpnet.train.yaml")
    tax = load_taxonomy(ROOT / "labels.yaml")
    names = tax.category_names
    rows, _ = load_rows(cfg, tax)
    caps = Caps(1500, 400, 600)
    fc = cfg.model_copy(update={"frozen": cfg.frozen.model_copy(update={"spans": False})})
    fm = RowFeatures(EmbeddingCache(Encoder(cfg.encoder, precision=cfg.precision, max_length=256)))
    fl = RowFeatures(
        EmbeddingCache(Encoder(cfg.baseline_encoder, precision=cfg.precision, max_length=256))
    )
    embed = cached_embedder(cfg.baseline_encoder, max_length=256)
    rng = np.random.default_rng(0)
    B = 2000
    out = []
    for src in held_out_sources(rows):
        tr, va, sc, _ = fold_rows(rows, src, caps)
        P = {
            "mpnet": fit_frozen(tr, va, fc, tax, fm).predict_proba(sc),
            "minilm": fit_frozen(tr, va, fc, tax, fl).predict_proba(sc),
            "baseline": fit_baseline(tr, va, names, embed, seed=cfg.seed).predict_proba(sc),
        }
        y = label_matrix(sc, len(names))
        w = sc["eval_weight"].to_numpy(float)
        for j, lab in enumerate(names):
            m = y[:, j] >= 0
            if not m.any() or y[m, j].sum() == 0:
                continue
            yy, ww = y[m, j], w[m]
            cell = {k: P[k][m, j] for k in P}
            base = {k: ap(yy, v, sample_weight=ww) for k, v in cell.items()}
            res = auprc_resamples(yy, ww, cell, rng, B)
            row = {"source": src, "label": lab, **{k: round(v, 4) for k, v in base.items()}}
            for k in ("mpnet", "minilm"):
                row[k + "_ci"] = ci(res[k] - res["baseline"])
            out.append(row)
            print(json.dumps(row), flush=True)
    Path(sys.argv[1]).write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
