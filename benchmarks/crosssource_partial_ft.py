"""Cross-source folds of a fine-tuning config against the shipped frozen recipe and the
frozen-MiniLM + logistic-regression baseline, all three fitted on the SAME capped fold
rows, with paired stratified bootstraps of the AUPRC differences (fine-tuned - frozen
recipe, fine-tuned - baseline, frozen recipe - baseline) and paired bootstraps of the
false-flag rates (as benchmarks/crosssource_paired.py, which refits frozen configs only).

`annotate evaluate --cross-source` caps a fine-tuning config's public rows when it loads
them (finetune.max_rows_per_source, a plain random sample) and runs no second recipe, so
its model column cannot be set beside the frozen recipe on the same rows; here the caps
are the harness's fold caps (annotate.training.crosssource.Caps: rare positives kept
first) for every side. The fine-tuning config should set max_rows_per_source and
max_eval_rows_per_source to null (checked: both configs must load the same rows).

Per fold it writes the held-out rows' probabilities and flags of each side
(OUT_DIR/preds_<source>.npz) and the report so far (OUT_DIR/report.json).

Run (warm embedding cache: ANNOTATE_CACHE_DIR):
``python benchmarks/crosssource_partial_ft.py FT.train.yaml FROZEN.train.yaml OUT_DIR
--train-rows 1000 --valid-rows 400 [--eval-rows N] [--freeze-layers N] [--epochs E]
[SOURCE ...]``
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import time
from pathlib import Path
from typing import Any

import numpy as np
from _bootstrap import auprc_resamples, ci, paired_rates
from _machine import run_header
from sklearn.metrics import average_precision_score as ap

from annotate.classifier.encoder import Encoder
from annotate.taxonomy import load_taxonomy
from annotate.training.baseline import cached_embedder, fit_baseline, label_matrix
from annotate.training.config import fit_to_taxonomy, load_train_config
from annotate.training.crosssource import (
    Caps,
    false_flag_rows,
    fold_rows,
    held_out_sources,
    predicted_flags,
    score_fold,
)
from annotate.training.embedding_cache import EmbeddingCache
from annotate.training.finetune import fit as fit_finetune
from annotate.training.frozen import RowFeatures, fit_frozen
from annotate.training.rows import load_rows

ROOT = Path(__file__).resolve().parent.parent
B = 2000
log = logging.getLogger("crosssource_partial_ft")


class Once:
    """A fitted model whose held-out probabilities are computed once (score_fold asks for
    them twice: scores, then labels)."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.labels = model.labels
        self.thresholds = model.thresholds
        self._p: np.ndarray | None = None
        self.seconds = 0.0

    def predict_proba(self, rows: Any) -> np.ndarray:
        if self._p is None:
            t0 = time.monotonic()
            self._p = np.asarray(self.model.predict_proba(rows), dtype=np.float64)
            self.seconds = time.monotonic() - t0
        return self._p

    def predict_labels(self, rows: Any) -> list[list[str]]:
        return self.model.predict_labels(rows) if self._p is None else self.model.decide(self._p)


def main() -> None:
    ap_ = argparse.ArgumentParser()
    ap_.add_argument("ft_config")
    ap_.add_argument("frozen_config")
    ap_.add_argument("out_dir")
    ap_.add_argument("sources", nargs="*")
    ap_.add_argument("--train-rows", type=int)
    ap_.add_argument("--valid-rows", type=int)
    ap_.add_argument("--eval-rows", type=int)
    ap_.add_argument("--freeze-layers", type=int)
    ap_.add_argument("--epochs", type=float)
    ap_.add_argument("--no-frozen", action="store_true", help="fine-tuned and baseline only")
    args = ap_.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tax = load_taxonomy(ROOT / "labels.yaml")
    names = tax.category_names
    cfg_ft = fit_to_taxonomy(load_train_config(Path(args.ft_config)), tax)
    upd = {}
    if args.freeze_layers is not None:
        upd["freeze_layers"] = args.freeze_layers
    if args.epochs is not None:
        upd["epochs"] = args.epochs
    if upd:
        cfg_ft = cfg_ft.model_copy(update={"finetune": cfg_ft.finetune.model_copy(update=upd)})
    ft = cfg_ft.finetune
    if ft.max_rows_per_source is not None or ft.max_eval_rows_per_source is not None:
        raise SystemExit("set finetune.max_rows_per_source/max_eval_rows_per_source to null")
    cfg_fr = fit_to_taxonomy(load_train_config(Path(args.frozen_config)), tax)
    rows, _ = load_rows(cfg_ft, tax)
    rows_fr, _ = load_rows(cfg_fr, tax) if not args.no_frozen else (rows, None)
    if list(rows["id"]) != list(rows_fr["id"]):
        raise SystemExit("the two configs load different rows")
    fc = cfg_fr.model_copy(update={"frozen": cfg_fr.frozen.model_copy(update={"spans": False})})
    enc = Encoder(cfg_fr.encoder, precision=cfg_fr.precision, max_length=cfg_fr.encoder_max_length)
    feats = RowFeatures(EmbeddingCache(enc))
    embed = cached_embedder(cfg_ft.baseline_encoder, max_length=cfg_ft.encoder_max_length)
    caps = Caps(args.train_rows, args.valid_rows, args.eval_rows)
    wanted = args.sources or held_out_sources(rows)
    report: dict[str, Any] = {
        "header": run_header(),
        "ft_config": args.ft_config,
        "frozen_config": args.frozen_config,
        "finetune": ft.model_dump(),
        "caps": caps.__dict__,
        "torch_threads": int(__import__("torch").get_num_threads()),
        "folds": [],
    }
    rng = np.random.default_rng(0)
    for src in wanted:
        tr, va, sc, which = fold_rows(rows, src, caps)
        fold: dict[str, Any] = {
            "source": src,
            "scored_rows": which,
            "n_train": len(tr),
            "n_valid": len(va),
            "n_scored": len(sc),
            "load_at_start": os.getloadavg(),
        }
        fitted: dict[str, Any] = {}
        sides = [
            (
                "ft",
                lambda tr=tr, va=va: fit_finetune(
                    tr.reset_index(drop=True), va.reset_index(drop=True), cfg_ft, tax
                ),
            ),
            ("frozen", lambda tr=tr, va=va: fit_frozen(tr, va, fc, tax, feats)),
            ("base", lambda tr=tr, va=va: fit_baseline(tr, va, names, embed, seed=cfg_ft.seed)),
        ]
        for side, make in sides:
            if side == "frozen" and args.no_frozen:
                continue
            log.info("fold %s: fitting %s on %d rows (%d validation)", src, side, len(tr), len(va))
            t0 = time.monotonic()
            m = make()
            m = Once(m) if side == "ft" else m
            fit_s = time.monotonic() - t0
            fold[side] = score_fold(m, sc, names, list(tax.harmful))
            fold[side]["fit_seconds"] = round(fit_s, 1)
            if side == "ft":
                fold[side]["predict_seconds"] = round(m.seconds, 1)
                fold[side]["fit_info"] = m.model.fit_info
            fitted[side] = m
            log.info("fold %s: %s fitted in %.0f s", src, side, fit_s)
        y = label_matrix(sc, len(names))
        w = sc["eval_weight"].to_numpy(float)
        P = {k: np.asarray(m.predict_proba(sc), dtype=np.float64) for k, m in fitted.items()}
        F = {k: predicted_flags(m, sc, P[k]) for k, m in fitted.items()}
        np.savez_compressed(
            out / f"preds_{src}.npz",
            ids=np.asarray(sc["id"].astype(str)),
            y=y,
            w=w,
            **{f"p_{k}": v for k, v in P.items()},
            **{f"f_{k}": v for k, v in F.items()},
        )
        pairs = [
            (a, b)
            for a, b in (("frozen", "ft"), ("base", "ft"), ("base", "frozen"))
            if a in P and b in P
        ]
        cells = []
        for j, lab in enumerate(names):
            msk = y[:, j] >= 0
            if not msk.any() or y[msk, j].sum() == 0:
                continue
            yy, ww = y[msk, j], w[msk]
            cell = {k: P[k][msk, j] for k in P}
            res = auprc_resamples(yy, ww, cell, rng, B)
            row: dict[str, Any] = {"label": lab, "n": int(msk.sum()), "positives": int(yy.sum())}
            row.update({k: round(float(ap(yy, v, sample_weight=ww)), 4) for k, v in cell.items()})
            for a, b in pairs:
                row[f"{b}_minus_{a}_ci"] = ci(res[b] - res[a])
            cells.append(row)
        fold["auprc_paired"] = cells
        sels, h, neg_h = false_flag_rows(y, names, list(tax.harmful))
        fl = {k: (F[k][:, h] & neg_h).any(1) for k in F}
        fold["false_flags_paired"] = {
            ctx: {
                f"{b}_vs_{a}": paired_rates(fl[a][sel], fl[b][sel], w[sel], rng, B)
                for a, b in pairs
            }
            for ctx, sel in sels.items()
        }
        report["folds"].append(fold)
        (out / "report.json").write_text(json.dumps(report, indent=1, default=float) + "\n")
        log.info("fold %s done: %s", src, json.dumps(cells))


if __name__ == "__main__":
    main()
