"""Do lexical features help out of source? An experiment of issue 8 (not a trainer option).

On the uncapped cross-source folds (one public source held out, the rest trained on), per
held-out source and label it scores, the weighted AUPRC of

- ``recipe``: the config's frozen recipe (the default model's training, spans off),
- ``base``: the frozen-MiniLM + logistic-regression baseline,
- ``lex``: TF-IDF of word 1-2-grams and char_wb 2-5-grams + one logistic regression per
  label (class weights balanced; scikit-learn),
- ``mix_W``: ``(1 - W) * recipe + W * lex`` for W in 0.25 and 0.5 (probabilities),

and, per mixture, the paired bootstrap CI (2,000 resamples, positives and negatives apart)
of ``mix - base``. Needs ../shared/data and, to be quick, a warm embedding cache
($ANNOTATE_CACHE_DIR).

Run: ``.venv/bin/python benchmarks/crosssource_lexical.py CONFIG.train.yaml OUT.json
[SOURCE ...]``.
"""

import json
import logging
import sys
import time
from pathlib import Path

import numpy as np
from _bootstrap import auprc_resamples, ci
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
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
B = 2000
MIX = (0.25, 0.5)


def fit_lexical(train, names: list[str], seed: int):
    """Per-label logistic regressions on TF-IDF word and character n-grams of ``train``;
    returns ``predict(texts) -> (n, n_labels)``."""
    word = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=200_000)
    char = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 5), min_df=3, sublinear_tf=True, max_features=300_000
    )
    texts = list(train["text"])
    x = hstack([word.fit_transform(texts), char.fit_transform(texts)]).tocsr()
    y = label_matrix(train, len(names))
    w = train["weight"].to_numpy(float)
    models: list[LogisticRegression | float] = []
    for j in range(len(names)):
        m = y[:, j] >= 0
        yy = y[m, j]
        if not m.any() or yy.min() == yy.max():
            models.append(float(yy.mean()) if m.any() else 0.0)
            continue
        clf = LogisticRegression(C=4.0, class_weight="balanced", max_iter=3000, random_state=seed)
        clf.fit(x[m], yy, sample_weight=w[m])
        models.append(clf)

    def predict(texts: list[str]) -> np.ndarray:
        xs = hstack([word.transform(texts), char.transform(texts)]).tocsr()
        cols = [
            np.full(xs.shape[0], m) if isinstance(m, float) else m.predict_proba(xs)[:, 1]
            for m in models
        ]
        return np.stack(cols, 1)

    return predict


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    tax = load_taxonomy(ROOT / "labels.yaml")
    names = tax.category_names
    cfg = load_train_config(Path(sys.argv[1]))
    rows, _ = load_rows(cfg, tax)
    fc = cfg.model_copy(update={"frozen": cfg.frozen.model_copy(update={"spans": False})})
    enc = Encoder(cfg.encoder, precision=cfg.precision, max_length=cfg.encoder_max_length)
    feats = RowFeatures(EmbeddingCache(enc))
    embed = cached_embedder(cfg.baseline_encoder, max_length=cfg.encoder_max_length)
    rng = np.random.default_rng(0)
    out = []
    for src in sys.argv[3:] or held_out_sources(rows):
        t0 = time.monotonic()
        tr, va, sc, _ = fold_rows(rows, src, Caps())
        y = label_matrix(sc, len(names))
        w = sc["eval_weight"].to_numpy(float) if "eval_weight" in sc else np.ones(len(sc))
        p = {
            "recipe": fit_frozen(tr, va, fc, tax, feats).predict_proba(sc),
            "base": fit_baseline(tr, va, names, embed, seed=cfg.seed).predict_proba(sc),
            "lex": fit_lexical(tr, names, cfg.seed)(list(sc["text"])),
        }
        for mw in MIX:
            p[f"mix_{mw}"] = (1 - mw) * p["recipe"] + mw * p["lex"]
        for j, lab in enumerate(names):
            m = y[:, j] >= 0
            if not m.any() or y[m, j].sum() == 0:
                continue
            yy, ww = y[m, j], w[m]
            cell = {k: v[m, j] for k, v in p.items()}
            res = auprc_resamples(yy, ww, cell, rng, B)
            row = {"source": src, "label": lab, "n": int(m.sum()), "positives": int(yy.sum())}
            row.update({k: round(float(ap(yy, v, sample_weight=ww)), 4) for k, v in cell.items()})
            for k in p:
                if k != "base":
                    row[f"{k}_minus_base_ci"] = ci(res[k] - res["base"])
            out.append(row)
            print(json.dumps(row), flush=True)
        print(f"# {src}: {time.monotonic() - t0:.0f} s", flush=True)
    Path(sys.argv[2]).write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
