"""How much the chosen thresholds, and the held-out recall and false flags they give,
move when the validation rows change: the config's threshold rule against the same rule
with ``operating_point.threshold_bootstrap`` (the median, or mean, over bootstrap
resamples of the validation rows), on the cross-source folds.

Per held-out public source: the config's model is fitted once on the other sources'
training rows (as `annotate evaluate --cross-source`, uncapped, no span head). Its
validation rows are split in halves, each source's rows apart (R seeded splits -> 2R
halves, disjoint within a split); on each half, calibration and thresholds are chosen
again with each rule (the harness's rule-variant path: ``FrozenLinear.variant``) and the
held-out rows are scored (``score_fold``). Reported per fold, label and rule: the
thresholds over the halves (sd, min, max) and, on the held-out rows, recall per label and
false-flag rates on none / news / counter-speech rows (mean, sd, min, max); the pick on
all validation rows beside them. Same fitted heads and halves for both rules (paired).

Run: ``.venv/bin/python benchmarks/threshold_stability.py CONFIG OUT.json [R [N
[SOURCE ...]]]`` (R half-splits, default 5; N resamples, default 200). Needs a warm
embedding cache ($ANNOTATE_CACHE_DIR) to be quick.
"""

import json
import logging
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from _machine import load_average, run_header

from annotate.classifier.encoder import Encoder
from annotate.taxonomy import load_taxonomy
from annotate.training.baseline import label_matrix
from annotate.training.config import load_train_config
from annotate.training.crosssource import Caps, fold_rows, held_out_sources, score_fold
from annotate.training.embedding_cache import EmbeddingCache
from annotate.training.frozen import RowFeatures, fit_frozen
from annotate.training.rows import load_rows

ROOT = Path(__file__).resolve().parent.parent


def halves(valid: pd.DataFrame, splits: int, seed: int = 0) -> list[pd.DataFrame]:
    """2 * ``splits`` halves of ``valid``: each split cuts every source's rows in two at
    random (seeded), and both halves are kept."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(splits):
        a, b = [], []
        for _, part in valid.groupby("source", sort=True):
            idx = rng.permutation(len(part))
            a.append(part.iloc[np.sort(idx[: len(part) // 2])])
            b.append(part.iloc[np.sort(idx[len(part) // 2 :])])
        out += [pd.concat(a), pd.concat(b)]
    return out


def spread(v: list[float]) -> dict[str, float]:
    a = np.asarray([x for x in v if x is not None], float)
    if not len(a):
        return {}
    return {
        "mean": round(float(a.mean()), 4),
        "sd": round(float(a.std(ddof=1)), 4) if len(a) > 1 else 0.0,
        "min": round(float(a.min()), 4),
        "max": round(float(a.max()), 4),
    }


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    config, out_path = sys.argv[1], Path(sys.argv[2])
    splits = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    n_boot = int(sys.argv[4]) if len(sys.argv) > 4 else 200
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
    rules = {
        "as trained": {},
        f"bootstrap {n_boot} median": {"threshold_bootstrap": n_boot},
        f"bootstrap {n_boot} mean": {
            "threshold_bootstrap": n_boot,
            "threshold_bootstrap_stat": "mean",
        },
    }
    wanted = sys.argv[5:] or held_out_sources(rows)
    report = {
        "config": config,
        "splits": splits,
        "bootstrap": n_boot,
        **run_header(),
        "folds": [],
    }
    for src in wanted:
        t0 = time.monotonic()
        tr, va, sc, _ = fold_rows(rows, src, Caps())
        fitted = fit_frozen(tr, va, fc, tax, feats)
        yv = label_matrix(va, len(names))
        fold = {
            "source": src,
            "n_valid": len(va),
            "valid_positives": {n: int((yv[:, j] == 1).sum()) for j, n in enumerate(names)},
            "rules": {},
        }
        parts = halves(va, splits)
        for rule, upd in rules.items():
            full = fitted.variant({"operating_point": upd}, va)
            runs = []
            for h in parts:
                v = fitted.variant({"operating_point": upd}, h)
                s = score_fold(v, sc, names, harmful)
                runs.append((v.thresholds, s, v.rules))
            full_s = score_fold(full, sc, names, harmful)
            res: dict = {"thresholds": {}, "recall": {}, "false_flags": {}}
            for n in names:
                if n == tax.none_label:
                    continue
                res["thresholds"][n] = {
                    "all_rows": full.thresholds[n],
                    "rule": full.rules[n],
                    **spread([t[n] for t, _, _ in runs]),
                    # how many halves the recall target (not the fallback) decided
                    "recall_rule_halves": sum(r[n].startswith("recall") for _, _, r in runs),
                }
            for n, e in full_s["labels"].items():
                if e.get("recall") is not None:
                    res["recall"][n] = {
                        "all_rows": e["recall"],
                        **spread([s["labels"][n]["recall"] for _, s, _ in runs]),
                    }
            for ctx, e in full_s["false_flags"].items():
                res["false_flags"][ctx] = {
                    "n": e["n"],
                    "all_rows": e["rate"],
                    **spread([s["false_flags"][ctx]["rate"] for _, s, _ in runs]),
                }
            fold["rules"][rule] = res
        fold["seconds"] = round(time.monotonic() - t0, 1)
        report["folds"].append(fold)
        print(json.dumps(fold), flush=True)
        out_path.write_text(json.dumps(report, indent=1) + "\n")
    report["finished"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    report["load_average_end"] = load_average()
    out_path.write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    main()
