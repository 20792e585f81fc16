"""What a second, bf16 calibration of the default model would change (issue 11, item 5).

The default model's category heads fitted as ``make model`` fits them (fp32, the warm
cache's embeddings; evidence spans left out: ``frozen.spans`` off, the category head and
its calibration do not depend on them), then Platt scaling and thresholds fitted again
on the same validation rows embedded at native bf16 (the best a bf16 calibration could
be on this CPU) and at simulated bf16 (benchmarks/_bf16_sim.py: computable on any CPU,
the idea measured). Scores of project passages (seeded sample) and the regression
fixtures at native bf16 with each calibration, against fp32 scores with the fp32
calibration: max |dp|, mean |dp|, the largest per-label mean dp, label sets differing.

Needs a CPU with native bf16 and ../shared/data. The bf16 and simulated embeddings are
cached under ``--cache`` (their own sqlite files: the cache key holds the precision,
"bf16" or "bf16-sim"), never in the shared fp32 cache. Run:
``ANNOTATE_CACHE_DIR=... python benchmarks/bf16_calibration_oracle.py --threads 2
--cache /tmp/bf16cal --json benchmarks/results/bf16_calibration_oracle.json``
(``--threads``: the count the warm fp32 cache was filled with; its key holds it).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("ANNOTATE_PRECISION", "fp32")  # as `make model`

from bench_bf16_sim import SimulatedEncoder, texts_of  # noqa: E402

from annotate.classifier.device import cpu_has_bf16  # noqa: E402
from annotate.classifier.encoder import Encoder  # noqa: E402
from annotate.classifier.head import calibrate_columns  # noqa: E402
from annotate.classifier.threads import use_threads  # noqa: E402
from annotate.taxonomy import load_taxonomy  # noqa: E402
from annotate.training.config import check_config, fit_to_taxonomy, load_train_config  # noqa: E402
from annotate.training.embedding_cache import EmbeddingCache  # noqa: E402
from annotate.training.frozen import RowFeatures, _label_rows, calibrate, fit_frozen  # noqa: E402
from annotate.training.row_training import split_rows  # noqa: E402
from annotate.training.rows import load_rows  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--cache", type=Path, required=True, help="folder for bf16/simulated caches")
    ap.add_argument("--n", type=int, default=600, help="project passages scored")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    if not cpu_has_bf16():
        sys.exit("needs a CPU with native bf16 (avx512_bf16 or amx_bf16)")
    use_threads(args.threads)
    tax = load_taxonomy(None)
    cfg = fit_to_taxonomy(load_train_config(ROOT / "models" / "default.train.yaml"), tax)
    check_config(cfg, tax)
    cfg = cfg.model_copy(update={"frozen": cfg.frozen.model_copy(update={"spans": False})})
    rows, _ = load_rows(cfg, tax)
    split = split_rows(rows)
    enc32 = Encoder(cfg.encoder, precision=cfg.precision, max_length=cfg.encoder_max_length)
    m32 = fit_frozen(
        split["train"], split["validation"], cfg, tax, RowFeatures(EmbeddingCache(enc32))
    )
    shipped = json.loads((ROOT / "models" / "default" / "annotate_model.json").read_text())
    same = (
        all(
            m32.calibration[k].a == v["a"] and m32.calibration[k].b == v["b"]
            for k, v in shipped["calibration"].items()
        )
        and m32.thresholds == shipped["thresholds"]
    )
    print(f"fp32 calibration and thresholds equal to models/default's: {same}")
    valid = _label_rows(split["validation"])
    models = {"fp32": m32}
    out: dict = {"validation_rows": len(valid), "equal_to_shipped": same, "calibrations": {}}
    engines = {
        "bf16": Encoder(cfg.encoder, precision="bf16", max_length=cfg.encoder_max_length),
        "bf16-sim": SimulatedEncoder(max_length=cfg.encoder_max_length),
    }
    for name, enc in engines.items():
        feats = RowFeatures(EmbeddingCache(enc, root=args.cache))
        m = replace(m32, feats=feats, calibration={}, thresholds={}, rules={}, threshold_sources={})
        t = time.process_time()
        calibrate(m, valid)
        out[f"cpu_seconds_calibrate_{name}"] = round(time.process_time() - t, 1)
        models[name] = m
    for k in m32.labels:
        out["calibrations"][k] = {
            n: {"a": m.calibration[k].a, "b": m.calibration[k].b, "threshold": m.thresholds[k]}
            for n, m in models.items()
        }
        print(k, {n: [round(x, 4) for x in v.values()] for n, v in out["calibrations"][k].items()})
    project = texts_of(sorted((ROOT / "data" / "project").glob("*.jsonl")))
    pick = np.random.default_rng(0).choice(len(project), min(args.n, len(project)), replace=False)
    sets = {
        "project": [project[i] for i in pick],
        "fixtures": texts_of(sorted((ROOT / "tests" / "fixtures").glob("regression_*.jsonl"))),
    }
    out["scores"] = {}
    for set_name, texts in sets.items():
        x32 = enc32.encode(texts).embeddings
        x16 = engines["bf16"].encode(texts).embeddings

        def scores(x, m):
            p = calibrate_columns(m.head.logits(x), m.labels, m.calibration)
            return p, m.decide(p)

        p_ref, l_ref = scores(x32, m32)
        for what, (x, cal) in {
            "native bf16, fp32 calibration": (x16, "fp32"),
            "native bf16, native-bf16 calibration": (x16, "bf16"),
            "native bf16, simulated-bf16 calibration": (x16, "bf16-sim"),
        }.items():
            p, lab = scores(x, models[cal])
            d = p - p_ref
            r = {
                "max_abs_dp": float(np.abs(d).max()),
                "mean_abs_dp": float(np.abs(d).mean()),
                "max_label_mean_dp": float(np.abs(d.mean(0)).max()),
                "label_sets_differing": int(sum(a != b for a, b in zip(lab, l_ref, strict=True))),
                "rows": len(texts),
            }
            out["scores"][f"{set_name}: {what}"] = r
            print(
                f"{set_name}: {what:42s} vs fp32: max|dp| {r['max_abs_dp']:.5f} mean|dp| "
                f"{r['mean_abs_dp']:.2e} label mean dp {r['max_label_mean_dp']:.1e} label sets "
                f"differing {r['label_sets_differing']}/{r['rows']}"
            )
    if args.json:
        args.json.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
