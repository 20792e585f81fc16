"""Thresholds (and Platt calibration) chosen on OUT-OF-SOURCE predictions instead of the
fold's in-source validation rows, measured on the cross-source folds with paired
bootstraps (issue 8: a modelling choice is kept only if the cross-source table improves).

Per outer fold (public source S held out; training and validation rows as
`annotate evaluate --cross-source` without caps):

- ``in-source`` (A, the config's operating point): the recipe fitted on the fold's
  training rows, Platt and thresholds on all of the fold's validation rows (sources the
  model trained on).
- inner leave-one-source-out: for every other labeled public source S', the same recipe
  fitted on the fold's training rows minus S' (no calibration); its logits on S''s rows
  are out-of-source predictions. Pooled over S' (the pair {S, S'} is one fit, shared by
  the folds of S and S'). Labels with fewer than ``MIN_POS`` positives in the pool (no
  other public source has them: news on the CrisisLex fold, counter-speech on the
  CrowdCounter fold, propaganda on implicit-hate, incitement on Gab, graphic violence
  everywhere) keep the in-source threshold (and calibration).
- ``oos thresholds`` (B): the full-fit model's in-source Platt applied to the pooled
  logits of S''s validation rows, thresholds there with the config's rule (bagged as
  configured); scores unchanged, only thresholds move.
- ``oos thresholds, train+valid rows`` (B2): the same on S''s training and validation
  rows (more positives: the inner model saw neither).
- ``oos Platt + thresholds`` (C): Platt refitted on the pooled validation logits too,
  then thresholds on them (monotone per label: AUPRC unchanged; the decision rules that
  compare labels' probabilities see the new calibration).
- ``oos Platt of none only`` (diagnostic): C's Platt for `none` alone, everything else
  in-source (context labels fire only when more probable than `none`).

Each variant is scored on S's scored rows with the full-fit model; paired bootstrap
against A (benchmarks/_bootstrap.py, 2,000 resamples): recall per label S has (resampling
its positives), false flags on its none / news / counter-speech rows (resampling those
rows), precision per label and false-positive rate of labels S has only as negatives
(points).

Run: ``.venv/bin/python benchmarks/threshold_out_of_source.py CONFIG OUT.json [SOURCE ...]``
(no SOURCE: every held-out public source). Needs a warm embedding cache
($ANNOTATE_CACHE_DIR) to be quick.
"""

import json
import logging
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from _bootstrap import paired_rates
from _machine import load_average, run_header

from annotate.classifier.encoder import Encoder
from annotate.classifier.head import Platt, fit_platt
from annotate.taxonomy import Taxonomy, load_taxonomy
from annotate.training.baseline import label_matrix
from annotate.training.config import OperatingPoint, load_train_config
from annotate.training.crosssource import (
    Caps,
    false_flag_rows,
    fold_rows,
    held_out_sources,
    predicted_flags,
)
from annotate.training.embedding_cache import EmbeddingCache
from annotate.training.frozen import RowFeatures, fit_frozen
from annotate.training.operating_point import bootstrap_threshold, threshold_rule
from annotate.training.rows import load_rows

ROOT = Path(__file__).resolve().parent.parent
B = 2000
MIN_POS = 5  # pooled out-of-source positives a label needs, else its in-source pick


def pooled_operating_points(
    lg: np.ndarray,
    y: np.ndarray,
    base_cal: dict[str, Platt],
    base_thr: dict[str, float],
    tax: Taxonomy,
    op: OperatingPoint,
    refit_platt: bool,
) -> tuple[dict[str, Platt], dict[str, float], dict[str, str]]:
    """Calibration and thresholds from pooled out-of-source logits ``lg`` (n, labels) and
    targets ``y`` (1/0/-1) with the rule of ``op`` (as fit_category_operating_points);
    labels with fewer than MIN_POS pooled positives keep ``base_cal`` / ``base_thr``."""
    cal, thr, how = dict(base_cal), dict(base_thr), {}
    for j, name in enumerate(tax.category_names):
        k = y[:, j] >= 0
        npos, nneg = int((y[k, j] == 1).sum()), int((y[k, j] == 0).sum())
        if npos < MIN_POS:
            how[name] = f"in-source ({npos} pooled positives)"
            continue
        if refit_platt:
            cal[name] = fit_platt(lg[k, j], y[k, j])
        if name == tax.none_label:
            continue
        rule_kw = threshold_rule(op, tax, name)
        t, rule = bootstrap_threshold(
            cal[name](lg[k, j]),
            y[k, j],
            op.threshold_bootstrap,
            (op.threshold_bootstrap_seed, j),
            stat=op.threshold_bootstrap_stat,
            **rule_kw,
        )
        thr[name] = round(float(t), 4)
        how[name] = f"out-of-source ({npos} pos / {nneg} neg): {rule}"
    return cal, thr, how


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    config, out_path = sys.argv[1], Path(sys.argv[2])
    tax = load_taxonomy(ROOT / "labels.yaml")
    names, harmful = tax.category_names, list(tax.harmful)
    cfg = load_train_config(Path(config))
    op = cfg.operating_point
    rows, _ = load_rows(cfg, tax)
    fc = cfg.model_copy(update={"frozen": cfg.frozen.model_copy(update={"spans": False})})
    feats = RowFeatures(
        EmbeddingCache(
            Encoder(cfg.encoder, precision=cfg.precision, max_length=cfg.encoder_max_length)
        )
    )
    public = held_out_sources(rows)
    rng = np.random.default_rng(0)
    report: dict[str, Any] = {
        "config": config,
        "min_pooled_positives": MIN_POS,
        **run_header(),
        "folds": [],
        "rows": [],
    }
    inner_heads: dict[frozenset[str], Any] = {}
    n_fits = 0
    for src in sys.argv[3:] or public:
        t0 = time.monotonic()
        tr, va, sc, which = fold_rows(rows, src, Caps())
        full = fit_frozen(tr, va, fc, tax, feats)
        n_fits += 1
        pools: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {"valid": [], "all": []}
        inner_seconds = []
        for s2 in public:
            if s2 == src:
                continue
            key = frozenset({src, s2})
            if key not in inner_heads:
                t1 = time.monotonic()
                inner = fit_frozen(tr[tr["source"] != s2], va.iloc[:0], fc, tax, feats)
                inner_heads[key] = inner.head
                inner_seconds.append(round(time.monotonic() - t1, 1))
                n_fits += 1
            head = inner_heads[key]
            for pool, part in (
                ("valid", va[va["source"] == s2]),
                ("all", rows[(rows["source"] == s2) & (rows["split"] != "test")]),
            ):
                pools[pool].append(
                    (head.logits(feats.matrix(part)), label_matrix(part, len(names)))
                )
        models = {"in-source": full}
        fold_info: dict[str, Any] = {
            "source": src,
            "scored_rows": which,
            "n_scored": len(sc),
            "n_train": len(tr),
            "n_valid": len(va),
            "full_fit_seconds": full.fit_info["seconds"],
            "inner_fit_seconds": inner_seconds,
            "thresholds": {"in-source": dict(full.thresholds)},
            "how": {},
        }
        for variant, pool, refit in (
            ("oos thresholds", "valid", False),
            ("oos thresholds, train+valid rows", "all", False),
            ("oos Platt + thresholds", "valid", True),
        ):
            lg = np.concatenate([p[0] for p in pools[pool]])
            y = np.concatenate([p[1] for p in pools[pool]])
            cal, thr, how = pooled_operating_points(
                lg, y, full.calibration, full.thresholds, tax, op, refit
            )
            models[variant] = replace(full, calibration=cal, thresholds=thr)
            fold_info["thresholds"][variant] = thr
            fold_info["how"][variant] = how
        # diagnostic: only `none` recalibrated out of source (the context labels fire only
        # when more probable than none), every threshold and other Platt in-source
        none_cal = models["oos Platt + thresholds"].calibration[tax.none_label]
        models["oos Platt of none only"] = replace(
            full, calibration={**full.calibration, tax.none_label: none_cal}
        )
        fold_info["platt"] = {
            k: {n: [round(c.a, 4), round(c.b, 4)] for n, c in m.calibration.items()}
            for k, m in models.items()
        }
        flags = {
            k: predicted_flags(m, sc, np.asarray(m.predict_proba(sc), np.float64))
            for k, m in models.items()
        }
        y = label_matrix(sc, len(names))
        w = sc["eval_weight"].to_numpy(float)
        fa = flags["in-source"]
        for variant in list(models)[1:]:
            fb = flags[variant]
            for j, lab in enumerate(names):
                m = y[:, j] >= 0
                if lab == tax.none_label or not m.any():
                    continue
                idx = np.flatnonzero(y[:, j] == 1)
                row: dict[str, Any] = {"source": src, "variant": variant, "label": lab}
                if len(idx):
                    row["positives"] = len(idx)
                    row["recall"] = paired_rates(fa[idx, j], fb[idx, j], w[idx], rng, B)
                    # on the rows that supervise the label, as the cross-source table
                    row["precision"] = {
                        k: (
                            round(
                                float(w[f[:, j] & (y[:, j] == 1)].sum() / w[f[:, j] & m].sum()), 4
                            )
                            if (f[:, j] & m).any()
                            else None
                        )
                        for k, f in (("a", fa), ("b", fb))
                    }
                else:
                    neg = np.flatnonzero(m)
                    row["negatives"] = len(neg)
                    row["false_positive_rate"] = paired_rates(
                        fa[neg, j], fb[neg, j], w[neg], rng, B
                    )
                row["threshold_a"] = models["in-source"].thresholds[lab]
                row["threshold_b"] = models[variant].thresholds[lab]
                report["rows"].append(row)
                print(json.dumps(row), flush=True)
            sels, h, neg_h = false_flag_rows(y, names, harmful)
            fla, flb = (fa[:, h] & neg_h).any(1), (fb[:, h] & neg_h).any(1)
            for ctx, sel in sels.items():
                idx = np.flatnonzero(sel)
                row = {
                    "source": src,
                    "variant": variant,
                    "false_flags": ctx,
                    "n": len(idx),
                    **paired_rates(fla[idx], flb[idx], w[idx], rng, B),
                }
                report["rows"].append(row)
                print(json.dumps(row), flush=True)
        fold_info["seconds"] = round(time.monotonic() - t0, 1)
        fold_info["load_average"] = load_average()
        report["folds"].append(fold_info)
        print(json.dumps({k: fold_info[k] for k in ("source", "seconds", "thresholds")}))
        report["fits"] = n_fits
        out_path.write_text(json.dumps(report, indent=1) + "\n")
    report["finished"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    report["load_average_end"] = load_average()
    out_path.write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    main()
