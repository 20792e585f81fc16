"""Paired, stratified bootstrap of the AUPRC difference between two training configs on
the cross-source folds (config B - config A, each refitted on its own rows with one public
source held out; the same held-out rows scored by both), beside each config's margin over
its frozen-MiniLM + logistic-regression baseline (refitted on the same fold).

2,000 resamples of each held-out source's scored rows, positives and negatives resampled
separately, the harness's sampling weights kept (as benchmarks/crosssource_bootstrap.py).
Uncapped folds, as `annotate evaluate --cross-source` without caps. Needs a warm embedding
cache ($ANNOTATE_CACHE_DIR) to be quick.

Run: ``.venv/bin/python benchmarks/crosssource_paired.py A.train.yaml B.train.yaml OUT.json
[SOURCE ...] [--b-precision P]`` (no SOURCE: every held-out public source;
``--b-precision onnx-int8``: config B at that encoder precision, e.g. A's own config file
given twice to compare a precision on the same folds; ``--train-per-source N
--valid-per-source M``: capped folds (:class:`Caps`, seeded; the scored rows stay uncapped)
where CPU time is short; ``--labels-from b``: the held-out rows scored with config B's
labels, not A's, for a mapping change that makes some held-out labels unknown: the same
rows must be scored by both; ``--a-grammar FILE``: side A reads threats with the threat
grammar module at FILE, e.g. main's ``git show main:annotate/classifier/threat_grammar.py
> /tmp/tg_main.py``, and B with this checkout's: a grammar change compared on the same
folds with one config given twice, its fold models identical on both sides). Per fold,
also the two sides' fitted models on the project's own
passages (data/project rows, training rows of every fold; those both configs have): max
and mean |p_B - p_A| and the passages whose label sets differ; and the same |p_B - p_A|
on the scored rows. Per cell, each side's fitted threshold and weighted recall and
precision at its decision rules and at the threshold alone (``*_raw``: on the CrowdCounter
fold counter_speech recall is 0.10 with the rules, 0.38 without, at precision ~0.91).
"""

import argparse
import contextlib
import importlib.util
import json
import logging
import time
from pathlib import Path

import numpy as np
import pandas as pd
from _bootstrap import auprc_resamples, ci, paired_rates
from sklearn.metrics import average_precision_score as ap

import annotate.training.frozen as frozen_module
from annotate.classifier.encoder import Encoder
from annotate.taxonomy import load_taxonomy
from annotate.training.baseline import cached_embedder, fit_baseline, label_matrix
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


def operating_point(
    side: str,
    flagged: np.ndarray,
    scores: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    thresholds: dict[str, float],
    label: str,
) -> dict[str, float | None]:
    """Weighted recall and precision of one side's label on a cell's rows, at its decision
    rules (``flagged``: the labels it gives) and at its threshold alone (``_raw``: no
    rule such as context_yields_to_none); the threshold as fitted on the fold."""
    t = thresholds.get(label, float("nan"))
    pos = float(w[y == 1].sum())
    out: dict[str, float | None] = {f"{side}_threshold": round(float(t), 4)}
    for suffix, given in (("", flagged.astype(bool)), ("_raw", scores >= t)):
        tp = float(w[given & (y == 1)].sum())
        out[f"{side}_recall{suffix}"] = round(tp / pos, 4) if pos else None
        out[f"{side}_precision{suffix}"] = (
            round(tp / float(w[given].sum()), 4) if given.any() else None
        )
    return out


@contextlib.contextmanager
def _grammar(path: str | None):
    """The frozen trainer reads threats with the threat grammar module at ``path`` (its
    floor, precision and keep rule) while the block runs; None: the checkout's own."""
    if path is None:
        yield
        return
    spec = importlib.util.spec_from_file_location("_threat_grammar_a", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    names = ("with_threat_floor", "rule_precision", "keep_threat")
    saved = {n: getattr(frozen_module, n) for n in names}
    try:
        for n in names:
            setattr(frozen_module, n, getattr(mod, n))
        yield
    finally:
        for n, f in saved.items():
            setattr(frozen_module, n, f)


def _side(path: str, tax, precision: str | None = None):
    cfg = load_train_config(Path(path))
    if precision is not None:
        cfg = cfg.model_copy(update={"precision": precision})
    rows, _ = load_rows(cfg, tax)
    fc = cfg.model_copy(update={"frozen": cfg.frozen.model_copy(update={"spans": False})})
    enc = Encoder(cfg.encoder, precision=cfg.precision, max_length=cfg.encoder_max_length)
    feats = RowFeatures(EmbeddingCache(enc))
    embed = cached_embedder(cfg.baseline_encoder, max_length=cfg.encoder_max_length)
    return cfg, fc, rows, feats, embed


def main() -> None:
    ap_ = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap_.add_argument("a")
    ap_.add_argument("b")
    ap_.add_argument("out")
    ap_.add_argument("sources", nargs="*")
    ap_.add_argument("--b-precision", help="config B at this encoder precision (e.g. onnx-int8)")
    ap_.add_argument("--train-per-source", type=int, help="cap on training rows per source")
    ap_.add_argument("--valid-per-source", type=int, help="cap on validation rows per source")
    ap_.add_argument(
        "--labels-from",
        choices=("a", "b"),
        default="a",
        help="whose mapping's labels score the held-out rows (both sides scored alike)",
    )
    ap_.add_argument(
        "--a-grammar",
        type=Path,
        help="side A reads threats with the threat grammar module at this file",
    )
    args = ap_.parse_args()
    logging.basicConfig(level=logging.WARNING)
    tax = load_taxonomy(ROOT / "labels.yaml")
    names = tax.category_names
    sides = {"a": _side(args.a, tax), "b": _side(args.b, tax, args.b_precision)}
    caps = Caps(train_per_source=args.train_per_source, valid_per_source=args.valid_per_source)
    wanted = args.sources or held_out_sources(sides["a"][2])
    for k, (_, _, rows, feats, _) in sides.items():
        t0, c0 = time.perf_counter(), time.process_time()
        # every row the folds read (and the project's own) embedded up front, timed
        need = [rows[~rows["public"].astype(bool)]]
        need += [part for src in wanted for part in fold_rows(rows, src, caps)[:3]]
        need_rows = pd.concat(need).drop_duplicates("id")
        feats.matrix(need_rows)
        info = {
            "side": k,
            "config": getattr(args, k),
            "precision": feats.cache.encoder.precision,
            "rows": len(rows),
            "rows_embedded": len(need_rows),
            "caps": [args.train_per_source, args.valid_per_source],
            "labels_from": args.labels_from,
            "grammar": str(args.a_grammar) if k == "a" and args.a_grammar else "checkout",
            "embed_wall_s": round(time.perf_counter() - t0, 1),
            "embed_cpu_s": round(time.process_time() - c0, 1),
        }
        print(json.dumps(info), flush=True)
    # one config file on both sides (B at another precision): the baseline is the same
    same_base = Path(args.a).resolve() == Path(args.b).resolve()
    rng = np.random.default_rng(0)
    # the project passages both configs have (a config adding project data has more)
    ids = [set(r.loc[~r["public"].astype(bool), "id"]) for _, _, r, _, _ in sides.values()]
    common = ids[0] & ids[1]
    out = []
    for src in wanted:
        P, F, sc_ids, y, w = {}, {}, None, None, None
        PP: dict[str, np.ndarray] = {}
        FP: dict[str, np.ndarray] = {}
        thresholds: dict[str, dict[str, float]] = {}
        for k, (cfg, fc, rows, feats, embed) in sides.items():
            tr, va, sc, _ = fold_rows(rows, src, caps)
            sc = sc.sort_values("id")
            if sc_ids is None:
                sc_ids = list(sc["id"])
            elif list(sc["id"]) != sc_ids:
                raise SystemExit(f"{src}: the two configs score different held-out rows")
            if k == args.labels_from:
                y, w = label_matrix(sc, len(names)), sc["eval_weight"]
            with _grammar(str(args.a_grammar) if k == "a" and args.a_grammar else None):
                fitted = fit_frozen(tr, va, fc, tax, feats)
                thresholds[k] = dict(fitted.thresholds)
                P[k] = fitted.predict_proba(sc)
                F[k] = predicted_flags(fitted, sc, np.asarray(P[k], dtype=np.float64))
                proj = rows[~rows["public"].astype(bool)]
                proj = proj[proj["id"].isin(common)].sort_values("id")
                pp = np.asarray(fitted.predict_proba(proj), dtype=np.float64)
                PP[k], FP[k] = pp, predicted_flags(fitted, proj, pp)
            if k == "b" and same_base:  # same rows, encoder, seed: A's baseline refit
                P["b_base"] = P["a_base"]
            else:
                base = fit_baseline(tr, va, names, embed, seed=cfg.seed)
                P[k + "_base"] = base.predict_proba(sc)
        w = w.to_numpy(float)
        dp, dpp = np.abs(P["b"] - P["a"]), np.abs(PP["b"] - PP["a"])
        row = {
            "source": src,
            "agreement": "b vs a",
            "scored_rows": len(dp),
            "scored_max_abs_dp": round(float(dp.max()), 5),
            "scored_mean_abs_dp": round(float(dp.mean()), 5),
            "scored_label_sets_differ": int((F["b"] != F["a"]).any(1).sum()),
            "project_rows": len(dpp),
            "project_max_abs_dp": round(float(dpp.max()), 5),
            "project_mean_abs_dp": round(float(dpp.mean()), 5),
            "project_label_sets_differ": int((FP["b"] != FP["a"]).any(1).sum()),
        }
        out.append(row)
        print(json.dumps(row), flush=True)
        for j, lab in enumerate(names):
            m = y[:, j] >= 0
            if not m.any() or y[m, j].sum() == 0:
                continue
            yy, ww = y[m, j], w[m]
            cell = {k: P[k][m, j] for k in P}
            point = {k: ap(yy, v, sample_weight=ww) for k, v in cell.items()}
            res = auprc_resamples(yy, ww, cell, rng, B)
            d = {
                "b_minus_a": res["b"] - res["a"],
                "a_minus_base": res["a"] - res["a_base"],
                "b_minus_base": res["b"] - res["b_base"],
            }
            row = {"source": src, "label": lab, "n": int(m.sum()), "positives": int(yy.sum())}
            row.update({k: round(float(v), 4) for k, v in point.items()})
            row.update({k + "_ci": ci(v) for k, v in d.items()})
            for k in ("a", "b"):
                row.update(operating_point(k, F[k][m, j], cell[k], yy, ww, thresholds[k], lab))
            out.append(row)
            print(json.dumps(row), flush=True)
        sels, h, neg_h = false_flag_rows(y, names, list(tax.harmful))
        flagged = {k: (F[k][:, h] & neg_h).any(1) for k in F}
        for ctx, sel in sels.items():
            idx = np.flatnonzero(sel)
            row = {
                "source": src,
                "false_flags": ctx,
                "n": len(idx),
                **paired_rates(flagged["a"][idx], flagged["b"][idx], w[idx], rng, B),
            }
            out.append(row)
            print(json.dumps(row), flush=True)
    Path(args.out).write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
