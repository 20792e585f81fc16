"""Paired bootstrap, on the held-out rows of each cross-source fold, of what a threshold
rule changes: the config's operating point (A) against it with other ``operating_point``
settings (B), both chosen on all of the fold's validation rows of one fitted model (the
harness's rule-variant path), so only the thresholds differ. Per label the held-out
source has: recall of A and B and B - A with a 95 % interval over 2,000 resamples of its
positives; per false-flag row kind (none / news / counter-speech): rates and B - A with
an interval over resamples of those rows (as benchmarks/crosssource_paired.py), and the
rows only A or only B flags.

Run: ``.venv/bin/python benchmarks/threshold_paired.py CONFIG OUT.json 'B-SETTINGS-JSON'
[SOURCE ...]``, e.g. ``'{"threshold_bootstrap": 200, "threshold_bootstrap_stat":
"mean"}'``. Needs a warm embedding cache ($ANNOTATE_CACHE_DIR) to be quick.
"""

import json
import logging
import sys
import time
from pathlib import Path

import numpy as np
from _bootstrap import paired_rates
from _machine import load_average, run_header

from annotate.classifier.encoder import Encoder
from annotate.taxonomy import load_taxonomy
from annotate.training.baseline import label_matrix
from annotate.training.config import load_train_config
from annotate.training.crosssource import (
    Caps,
    false_flag_rows,
    fold_rows,
    held_out_sources,
    predicted_flags,
)
from annotate.training.embedding_cache import EmbeddingCache
from annotate.training.frozen import RowFeatures, fit_frozen
from annotate.training.rows import load_rows

ROOT = Path(__file__).resolve().parent.parent
B = 2000


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    config, out_path, b_settings = sys.argv[1], Path(sys.argv[2]), json.loads(sys.argv[3])
    tax = load_taxonomy(ROOT / "labels.yaml")
    names, harmful = tax.category_names, list(tax.harmful)
    cfg = load_train_config(Path(config))
    rows, _ = load_rows(cfg, tax)
    fc = cfg.model_copy(update={"frozen": cfg.frozen.model_copy(update={"spans": False})})
    feats = RowFeatures(
        EmbeddingCache(
            Encoder(cfg.encoder, precision=cfg.precision, max_length=cfg.encoder_max_length)
        )
    )
    rng = np.random.default_rng(0)
    report = {
        "config": config,
        "b": b_settings,
        **run_header(),
        "rows": [],
    }
    for src in sys.argv[4:] or held_out_sources(rows):
        tr, va, sc, _ = fold_rows(rows, src, Caps())
        fitted = fit_frozen(tr, va, fc, tax, feats)
        models = {
            "a": fitted.variant({"operating_point": {}}, va),
            "b": fitted.variant({"operating_point": b_settings}, va),
        }
        flags = {
            k: predicted_flags(m, sc, np.asarray(m.predict_proba(sc), np.float64))
            for k, m in models.items()
        }
        y = label_matrix(sc, len(names))
        w = sc["eval_weight"].to_numpy(float)
        for j, lab in enumerate(names):
            idx = np.flatnonzero(y[:, j] == 1)
            if lab == tax.none_label or not len(idx):
                continue
            row = {
                "source": src,
                "recall": lab,
                "positives": len(idx),
                "threshold_a": models["a"].thresholds[lab],
                "threshold_b": models["b"].thresholds[lab],
                **paired_rates(flags["a"][idx, j], flags["b"][idx, j], w[idx], rng, B),
            }
            report["rows"].append(row)
            print(json.dumps(row), flush=True)
        sels, h, neg_h = false_flag_rows(y, names, harmful)
        flagged = {k: (f[:, h] & neg_h).any(1) for k, f in flags.items()}
        for ctx, sel in sels.items():
            idx = np.flatnonzero(sel)
            row = {
                "source": src,
                "false_flags": ctx,
                "n": len(idx),
                **paired_rates(flagged["a"][idx], flagged["b"][idx], w[idx], rng, B),
            }
            report["rows"].append(row)
            print(json.dumps(row), flush=True)
        out_path.write_text(json.dumps(report, indent=1) + "\n")
    report["finished"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    report["load_average_end"] = load_average()
    out_path.write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    main()
