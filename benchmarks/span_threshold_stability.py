"""How much the evidence-span thresholds move when the validation passages change: one
max-F1 pick per span label against the same pick bagged (``operating_point.
span_threshold_bootstrap``: the mean, or median, of the picks on N stratified bootstrap
resamples of the validation segments), and half the maximal F1 instead of its arg-max
(``operating_point.span_half_max_f1``, one pick and bagged), on the config's own train /
validation / test split (the cross-source folds have no span head).

The config's model is fitted once (as `annotate train`, span head included), or its span
head is read from MODEL_DIR, a model `annotate train` built with CONFIG (the fit is
deterministic: the same head; checked: the one pick on all validation passages is the
model's stored threshold, printed beside it). Its
span-annotated validation passages are cut in halves, every source apart (R seeded cuts
-> 2R halves, as benchmarks/threshold_stability.py cuts rows); on each half the span
calibration and thresholds are chosen again with each rule, and the test split's
candidate segments are scored with them (segment-level precision / recall / F1 per span
label: a candidate segment is a true positive when its gold label is on it and its
calibrated score reaches the threshold). Reported per span label and rule: the
thresholds over the halves (sd, min, max) and the test F1 over halves, beside the pick on
all validation passages. Same fitted head and halves for every rule (paired).

Run: ``.venv/bin/python benchmarks/span_threshold_stability.py CONFIG OUT.json [R [N
[MODEL_DIR]]]`` (R cuts, default 5; N resamples, default 200). Needs a warm embedding cache
($ANNOTATE_CACHE_DIR) to be quick, filled with the same torch thread count (the cache is
kept per count: after `annotate train --threads 1`, run with OMP_NUM_THREADS=1, else
every segment is embedded again). SPAN_RULES="a,b" (environment) keeps the rules whose
name holds a or b.
"""

import json
import logging
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from _machine import load_average, run_header
from threshold_stability import halves, spread

from annotate.classifier.encoder import Encoder
from annotate.classifier.frozen_linear import WEIGHTS_FILE, LinearHead
from annotate.evaluation.metrics import threshold_table
from annotate.taxonomy import load_taxonomy
from annotate.training.config import fit_to_taxonomy, load_train_config
from annotate.training.embedding_cache import EmbeddingCache
from annotate.training.frozen import RowFeatures, _span_rows, fit_frozen
from annotate.training.operating_point import fit_span_operating_points
from annotate.training.row_training import split_rows
from annotate.training.rows import load_rows

ROOT = Path(__file__).resolve().parent.parent


def span_supervised(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows with span targets and candidate segments (those `_span_rows` reads)."""
    keep = [y is not None and len(s) > 0 for y, s in zip(rows["seg_y"], rows["seg"], strict=True)]
    return rows[keep].reset_index(drop=True)


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    config, out_path = sys.argv[1], Path(sys.argv[2])
    splits = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    n_boot = int(sys.argv[4]) if len(sys.argv) > 4 else 200
    tax = load_taxonomy(ROOT / "labels.yaml")
    cfg = fit_to_taxonomy(load_train_config(Path(config)), tax)
    t0 = time.monotonic()
    rows, _ = load_rows(cfg, tax)
    split = split_rows(rows)
    feats = RowFeatures(
        EmbeddingCache(
            Encoder(cfg.encoder, precision=cfg.precision, max_length=cfg.encoder_max_length)
        )
    )
    if len(sys.argv) > 5:  # the span head of a model built with this config
        from types import SimpleNamespace

        from safetensors.torch import load_file

        built = Path(sys.argv[5])
        head = LinearHead.from_tensors(load_file(str(built / WEIGHTS_FILE)), "span")
        model = SimpleNamespace(feats=feats, span_head=head)
        stored = json.loads((built / "annotate_model.json").read_text())["span_thresholds"]
    else:
        model = fit_frozen(split["train"], split["validation"], cfg, tax, feats)
        stored = {}
    names = tax.span_names
    va = span_supervised(split["validation"])
    te = _span_rows(model, span_supervised(split["test"]))
    assert te is not None and model.span_head is not None
    xt, yt, mt = te
    lt = model.span_head.logits(xt)
    op = cfg.operating_point
    rules = {
        "one pick": op.model_copy(
            update={"span_threshold_bootstrap": False, "span_half_max_f1": False}
        ),
        f"bootstrap {n_boot} mean": op.model_copy(
            update={
                "span_threshold_bootstrap": True,
                "threshold_bootstrap": n_boot,
                "threshold_bootstrap_stat": "mean",
                "span_half_max_f1": False,
            }
        ),
        f"bootstrap {n_boot} median": op.model_copy(
            update={
                "span_threshold_bootstrap": True,
                "threshold_bootstrap": n_boot,
                "threshold_bootstrap_stat": "median",
                "span_half_max_f1": False,
            }
        ),
        "one pick F1*/2": op.model_copy(
            update={"span_threshold_bootstrap": False, "span_half_max_f1": True}
        ),
        f"bootstrap {n_boot} mean F1*/2": op.model_copy(
            update={
                "span_threshold_bootstrap": True,
                "threshold_bootstrap": n_boot,
                "threshold_bootstrap_stat": "mean",
                "span_half_max_f1": True,
            }
        ),
    }
    only = [r.strip() for r in os.environ.get("SPAN_RULES", "").split(",") if r.strip()]
    if only:  # e.g. SPAN_RULES="one pick,F1*/2": the rules whose name holds one of them
        rules = {k: v for k, v in rules.items() if any(o in k for o in only)}

    segments: dict[int, tuple] = {}  # per part: its segments' logits, gold, mask (once)

    def fit_and_test(part: pd.DataFrame, rule: object) -> tuple[dict, dict]:
        if id(part) not in segments:
            xv, yv, mv = _span_rows(model, part)
            segments[id(part)] = (model.span_head.logits(xv), yv, mv)
        lv, yv, mv = segments[id(part)]
        cal, thr, _ = fit_span_operating_points(lv, yv, mv, names, rule)
        f1 = {}
        for j, n in enumerate(names):
            k = mt[:, j] > 0
            f1[n] = threshold_table(cal[n](lt[k, j]), yt[k, j], thr[n])
        return thr, f1

    parts = halves(va, splits)
    report: dict = {
        "config": config,
        "splits": splits,
        "bootstrap": n_boot,
        **run_header(),
        "validation_passages": len(va),
        "test_passages": len(span_supervised(split["test"])),
        "validation_positives": {
            n: int(sum((np.asarray(y)[:, j] > 0).sum() for y in va["seg_y"]))
            for j, n in enumerate(names)
        },
        "test_positives": {n: int(yt[mt[:, j] > 0, j].sum()) for j, n in enumerate(names)},
        "model_dir": sys.argv[5] if len(sys.argv) > 5 else None,
        "stored_span_thresholds": stored,
        "rules": {},
    }
    for rule_name, rule in rules.items():
        full_t, full_f = fit_and_test(va, rule)
        runs = [fit_and_test(h, rule) for h in parts]
        report["rules"][rule_name] = {
            n: {
                "threshold_all_rows": full_t[n],
                "threshold": spread([t[n] for t, _ in runs]),
                "test_f1_all_rows": full_f[n].get("f1"),
                "test_precision_all_rows": full_f[n].get("precision"),
                "test_recall_all_rows": full_f[n].get("recall"),
                "test_f1": spread([f[n].get("f1") for _, f in runs]),
            }
            for n in names
        }
        print(rule_name, json.dumps(report["rules"][rule_name]), flush=True)
    report["seconds"] = round(time.monotonic() - t0, 1)
    report["finished"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    report["load_average_end"] = load_average()
    out_path.write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    main()
