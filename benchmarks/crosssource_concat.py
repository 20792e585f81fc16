"""Cross-source table of the default recipe on concatenated [MiniLM-L6 ; mpnet] sentence
embeddings (each mean-pooled and L2-normalised by its own encoder), beside the frozen
MiniLM + logistic-regression baseline on the same folds (an experiment of issue 8,
item 4; the features are not a trainer option).

Needs ``make mpnet`` and ../shared/data. Run (caps as in models/mpnet.cross_source.md):
``.venv/bin/python benchmarks/crosssource_concat.py OUT 1500 400 600`` (training rows
per source, validation rows per source, scored rows); writes OUT/cross_source.{json,md}.
Embeddings come from the embedding cache ($ANNOTATE_CACHE_DIR), so run it after the
two single-encoder tables have filled it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from annotate.classifier.encoder import Encoder
from annotate.taxonomy import load_taxonomy
from annotate.training.baseline import cached_embedder, fit_baseline
from annotate.training.config import load_train_config
from annotate.training.crosssource import Caps, cross_source, write_report
from annotate.training.embedding_cache import EmbeddingCache
from annotate.training.frozen import RowFeatures, fit_frozen
from annotate.training.rows import load_rows

ROOT = Path(__file__).resolve().parent.parent


class _Dim:
    def __init__(self, dim: int) -> None:
        self.dim = dim


class ConcatCache:
    """Two embedding caches read as one: features side by side (dims add up)."""

    def __init__(self, a: EmbeddingCache, b: EmbeddingCache) -> None:
        self.a, self.b = a, b
        self.encoder = _Dim(a.encoder.dim + b.encoder.dim)

    def encode(self, texts, ranges, progress=None):
        ea, sa = self.a.encode(texts, ranges, progress)
        eb, sb = self.b.encode(texts, ranges, progress)
        segs = [np.concatenate([x, y], 1) for x, y in zip(sa, sb, strict=True)]
        return np.concatenate([ea, eb], 1), segs


def main() -> None:
    out = Path(sys.argv[1])
    caps = Caps(*(int(x) for x in sys.argv[2:5]))
    cfg = load_train_config(ROOT / "models" / "mpnet.train.yaml")
    tax = load_taxonomy(ROOT / "labels.yaml")
    rows, _ = load_rows(cfg, tax)
    ml = cfg.encoder_max_length
    feats = RowFeatures(
        ConcatCache(
            EmbeddingCache(Encoder(cfg.baseline_encoder, precision=cfg.precision, max_length=ml)),
            EmbeddingCache(Encoder(cfg.encoder, precision=cfg.precision, max_length=ml)),
        )
    )
    fold_cfg = cfg.model_copy(update={"frozen": cfg.frozen.model_copy(update={"spans": False})})
    embed = cached_embedder(cfg.baseline_encoder, max_length=ml)
    names = tax.category_names
    report = cross_source(
        rows,
        names,
        tax.harmful,
        fit_model=lambda tr, va: fit_frozen(tr, va, fold_cfg, tax, feats),
        fit_baseline=lambda tr, va: fit_baseline(tr, va, names, embed, seed=cfg.seed),
        caps=caps,
    )
    report.update(
        trainer="frozen",
        encoder=f"[{cfg.baseline_encoder} ; {cfg.encoder}]",
        baseline_encoder=cfg.baseline_encoder,
    )
    write_report(report, out)
    wins = sum(c["model_wins"] for c in report["comparison"])
    print(f"model AUPRC above the baseline's in {wins} of {len(report['comparison'])}")


if __name__ == "__main__":
    main()
