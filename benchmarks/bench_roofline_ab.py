"""Pre-label engines against the matmul roofline, interleaved in one process (issue 11, item 5).

bench_roofline.py measures the roofline before and after the engines, minutes apart; on a
shared machine the load changes in between, and a fraction then says as much about the
neighbours as about the engine. Here every round measures the roofline -- ``torch.matmul``
at the model's GEMM shapes, fp32 and (where native) bf16, bench_roofline's
:func:`~bench_roofline.matmul_rate` -- and right after it each engine once, in an order
that alternates between rounds; each engine's fraction is taken against the roofline of
its own round, and the medians over the rounds are reported (with the load average of
each round). Process CPU time, one thread unless ``--threads``.

Engines (``--engines``; each on the same passages, bench_roofline's
:func:`~bench_roofline.texts_and_inputs`):

- ``encoder-fp32`` / ``encoder-bf16``: ``Encoder.encode`` (tokenizer, sort, batches,
  forward pass, pooling);
- ``model-auto`` / ``model-fp32`` / ``model-bf16``: the default model's ``predict()``
  (``--model``: another model directory);
- ``prelabel-auto`` / ``prelabel-fp32`` / ``prelabel-bf16``: the whole ``prelabel()``
  call (read a JSONL file, group documents, predict, write); ``prelabel-flagauto``: at
  ``auto`` by the rule before the bf16 speed measurement (native bf16 by the flags taken
  as faster: ``ANNOTATE_BF16_FASTER=1`` while it loads); ``--unrecorded``: the model rows
  run a copy of the model whose record names no calibration precision, so that ``auto``
  is decided by the measurement (:mod:`annotate.classifier.bf16_speed`; the result's
  ``auto_choice`` says what it chose and why);
- ``...-fp32packed``: fp32 with the linear layers pre-packed for oneDNN, GELU fused
  (:mod:`annotate.classifier.packed_linear`), whatever
  :func:`annotate.classifier.device.fp32_packing_pays` says of this CPU: the rule's A/B;
- ``...-compiled``: the same with ``ANNOTATE_COMPILE=1`` (inductor, freezing, dynamic
  shapes; compiled in the warm-up pass, whose FLOPs are the eager twin's: a hook would
  change the graph);
- ``pipeline-fp32``: ``transformers.pipeline("text-classification")`` at batch size 32 on
  bench_prelabel's bare sequence classifier (the same MiniLM-L6 encoder and a 7-label
  head), the baseline issue 11 sets prelabel against; each row's ``x_pipeline`` is the
  median over rounds of its passages/s over the pipeline's in the same round.

FLOPs are counted on the tokens the model reads (bench_roofline's
:class:`~bench_roofline.FlopCounter`: a forward pre-hook reads each batch's mask,
padding not counted) in a warm-up pass; a bf16 row's fraction is against the bf16
roofline, an fp32 row's against the fp32 one (column ``of best``: against the machine's
best dense rate, the precision whose median roofline is higher: bf16 on AMX, fp32 on a
CPU whose avx512_bf16 runs slower than its fp32, as on a Sapphire Rapids without AMX).
Also the max |dp| of each model row's scores against ``model-fp32`` (or ``model-auto``
where that ran fp32) where both ran, per label too, and for each ``prelabel-*`` row the
number of rows whose label set differs from ``prelabel-fp32``'s (or ``prelabel-auto``'s
where that ran fp32).

Run: ``OMP_NUM_THREADS=1 python benchmarks/bench_roofline_ab.py [--tokens 89] [--n 256]
[--rounds 5] [--engines ...] [--json PATH]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / ".work"
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from _machine import run_header  # noqa: E402
from bench_roofline import FlopCounter, matmul_rate, texts_and_inputs  # noqa: E402

ENGINES = (
    "encoder-fp32",
    "encoder-fp32packed",
    "encoder-bf16",
    "model-auto",
    "model-fp32",
    "model-fp32packed",
    "model-bf16",
    "prelabel-auto",
    "prelabel-flagauto",
    "prelabel-fp32",
    "prelabel-fp32packed",
    "prelabel-bf16",
    "encoder-bf16-compiled",
    "model-bf16-compiled",
    "prelabel-bf16-compiled",
    "pipeline-fp32",
)


def median(xs: list[float]) -> float:
    return float(statistics.median(xs)) if xs else float("nan")


def round_fractions(gflop: float, rounds: list[dict], name: str, precision: str) -> list[float]:
    """Per round, the engine ``name``'s rate (``gflop`` per pass over its round's CPU
    seconds) as a fraction of the roofline of ``precision`` measured in the same round."""
    return [gflop / rd["cpu_s"][name] / rd["roofline"][precision] for rd in rounds]


def round_speedups(rounds: list[dict], name: str, baseline: str) -> list[float]:
    """Per round, engine ``name``'s passages/s over ``baseline``'s (both passes are of the
    same passages, so the ratio of CPU seconds the other way round)."""
    return [rd["cpu_s"][baseline] / rd["cpu_s"][name] for rd in rounds]


def best_precision(rates: dict[str, float]) -> str:
    """The precision of the machine's best dense matmul rate (``rates``: precision ->
    GFLOP/s): native bf16 is not always faster than fp32 (avx512_bf16 without AMX)."""
    return max(rates, key=lambda p: rates[p])


def label_sets_differ(a: Path, b: Path) -> list[int]:
    """[rows whose label set differs, rows compared] between two prelabel outputs ``a``
    and ``b`` (JSONL, rows matched by ``id``, each row's ``labels`` list compared as a
    set)."""

    def sets(path: Path) -> dict[str, frozenset[str]]:
        rows = (json.loads(line) for line in path.read_text().splitlines() if line.strip())
        return {str(r["id"]): frozenset(r.get("labels") or []) for r in rows}

    sa, sb = sets(a), sets(b)
    common = sa.keys() & sb.keys()
    return [sum(sa[k] != sb[k] for k in common), len(common)]


LABELS: list[str] = []  # the model rows' score columns, in ``predict()``'s order


def unrecorded_copy(model: Path | None) -> Path:
    """A copy of ``model`` (None: the default) under benchmarks/.work whose
    ``annotate_model.json`` says ``training.precision: auto`` (no calibration precision
    recorded, as a transformers model or an older record): same weights and heads."""
    import shutil

    from annotate.settings import default_model_dir

    src = model or default_model_dir()
    dst = WORK / f"{src.name}_unrecorded"
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst)
    cfg = json.loads((dst / "annotate_model.json").read_text())
    cfg.setdefault("training", {})["precision"] = "auto"
    cfg.pop("precision", None)
    (dst / "annotate_model.json").write_text(json.dumps(cfg, indent=1))
    return dst


def build(names: list[str], n: int, tokens: int, model: Path | None) -> dict:
    """name -> (precision run at, roots for the FLOP hook, run callable returning scores or
    None, the classifier's precision_choice or None, the JSONL a prelabel row writes or
    None)."""
    import numpy as np

    from annotate.classifier import load_classifier
    from annotate.classifier.encoder import Encoder
    from annotate.prelabeling import prelabel
    from annotate.taxonomy import load_taxonomy

    tax = load_taxonomy(ROOT / "labels.yaml")
    texts, inputs = texts_and_inputs(n, tokens)
    src = WORK / f"roofline_ab_{n}_{tokens}.jsonl"
    WORK.mkdir(parents=True, exist_ok=True)
    with src.open("w") as fh:
        for p in inputs:
            row = {"id": p.id, "text": p.text, "doc_id": p.doc_id, "passage_index": p.passage_index}
            fh.write(json.dumps(row) + "\n")
    out: dict[str, tuple[Any, ...]] = {}
    for name in names:
        kind, precision = name.split("-")[:2]
        if kind == "pipeline":
            from _measure import text_pipeline
            from bench_prelabel import build_seqcls

            pipe = text_pipeline(build_seqcls(WORK / "seqcls", tax.category_names))
            out[name] = (
                "fp32",
                [pipe.model],
                lambda pipe=pipe: pipe(texts, batch_size=32) and None,
                None,
                None,
            )
            continue
        compiled = name.endswith("-compiled")
        if compiled:
            os.environ["ANNOTATE_COMPILE"] = "1"
        # auto: measured (no override); flagauto: the rule by flags alone
        forced = os.environ.pop("ANNOTATE_BF16_FASTER", None)
        packed = precision == "fp32packed"
        if packed:
            import annotate.classifier.encoder as encoder_mod

            pays = encoder_mod.fp32_packing_pays
            encoder_mod.fp32_packing_pays = lambda: True
            precision = "fp32"
        if precision == "flagauto":
            os.environ["ANNOTATE_BF16_FASTER"] = "1"
            precision = "auto"
        try:
            if kind == "encoder":
                enc = Encoder(precision=precision)
            else:
                clf = load_classifier(model, tax, precision=precision)
        finally:
            if packed:
                encoder_mod.fp32_packing_pays = pays
            os.environ.pop("ANNOTATE_COMPILE", None)
            os.environ.pop("ANNOTATE_BF16_FASTER", None)
            if forced is not None:
                os.environ["ANNOTATE_BF16_FASTER"] = forced
        if kind == "encoder":
            roots = [] if compiled else [enc.model]
            out[name] = (
                enc.precision,
                roots,
                lambda enc=enc: enc.encode(texts) and None,
                enc.precision_choice,
                None,
            )
            continue
        enc = getattr(clf, "encoder", None)
        used = getattr(enc, "precision", None) or getattr(clf, "precision", precision)
        roots = [*vars(clf).values(), *(getattr(v, "model", None) for v in vars(clf).values())]
        roots = [] if compiled else roots
        written = None
        if kind == "model":

            def run(clf=clf):
                got = clf.predict(inputs)
                if got and not LABELS:
                    LABELS.extend(got[0].scores)
                return np.array([list(pr.scores.values()) for pr in got])

        else:
            written = WORK / f"roofline_ab_{name}.out.jsonl"

            def run(clf=clf, written=written):
                prelabel(src, written, classifier=clf, taxonomy=tax)

        out[name] = (used, roots, run, getattr(enc or clf, "precision_choice", None), written)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=256, help="passages per engine pass")
    ap.add_argument("--tokens", type=int, default=89, help="0: project passages as written")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--rate-seconds", type=float, default=1.5, help="per roofline measurement")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--engines", nargs="*", default=list(ENGINES), choices=ENGINES)
    ap.add_argument("--model", type=Path, default=None, help="model directory (default model)")
    ap.add_argument("--json", type=Path, default=WORK / "roofline_ab.json")
    ap.add_argument(
        "--unrecorded",
        action="store_true",
        help="model rows on a copy recording no calibration precision (auto measures)",
    )
    args = ap.parse_args()

    import numpy as np
    import torch

    from annotate.classifier.device import cpu_has_bf16

    torch.set_num_threads(args.threads)
    bf16 = cpu_has_bf16()
    names = [e for e in args.engines if bf16 or not e.endswith(("bf16", "flagauto"))]
    model = unrecorded_copy(args.model) if args.unrecorded else args.model
    engines = build(names, args.n, args.tokens, model)
    res: dict[str, Any] = run_header() | {
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "native_bf16": bf16,
        "n": args.n,
        "tokens_target": args.tokens,
        "rounds": [],
        "unrecorded": args.unrecorded,
        "auto_choice": {k: v[3] for k, v in engines.items() if v[3] is not None},
    }
    flops: dict[str, float] = {}
    scores: dict[str, Any] = {}
    for name, (_, roots, run, _, _) in engines.items():
        counter = FlopCounter(roots)
        scores[name] = run()  # warm: every batch shape once; FLOPs counted
        counter.remove()
        flops[name] = counter.flops or flops.get(name.removesuffix("-compiled"), 0.0)
        res.setdefault("tokens_read", {})[name] = counter.tokens
        res.setdefault("padding_efficiency", {})[name] = counter.tokens / max(counter.padded, 1)
    read = [t for t in res["tokens_read"].values() if t]  # compiled rows: not hooked
    mean_tokens = max(1, round(sum(read) / max(1, len(read)) / args.n))
    rows = 32 * mean_tokens  # a batch of 32 passages: the GEMMs' row count
    order = list(engines)
    for r in range(args.rounds):
        rnd: dict[str, Any] = {"load": os.getloadavg()[0], "roofline": {}, "cpu_s": {}}
        for p in ["fp32", "bf16"] if bf16 else ["fp32"]:
            rnd["roofline"][p] = matmul_rate(p, rows, 384, 1536, args.rate_seconds)["cpu_gflops"]
        for name in order if r % 2 == 0 else order[::-1]:
            t0 = time.process_time()
            engines[name][2]()
            rnd["cpu_s"][name] = time.process_time() - t0
        res["rounds"].append(rnd)
        print(
            f"round {r}: load {rnd['load']:.1f}, roofline "
            + ", ".join(f"{p} {v:.0f}" for p, v in rnd["roofline"].items())
            + " | "
            + ", ".join(f"{k} {args.n / v:.1f}/s" for k, v in rnd["cpu_s"].items()),
            flush=True,
        )
    res["roofline_median"] = {
        p: median([rd["roofline"][p] for rd in res["rounds"]]) for p in res["rounds"][0]["roofline"]
    }
    best = best_precision(res["roofline_median"])
    summary: dict[str, Any] = {}
    ref = scores.get("model-fp32")
    if ref is None and "model-auto" in engines and engines["model-auto"][0] == "fp32":
        ref = scores.get("model-auto")  # an fp32-calibrated model runs fp32 under auto
    ref_rows = engines["prelabel-fp32"][4] if "prelabel-fp32" in engines else None
    if ref_rows is None and "prelabel-auto" in engines and engines["prelabel-auto"][0] == "fp32":
        ref_rows = engines["prelabel-auto"][4]
    for name, (used, _, _, _, written) in engines.items():
        p = "bf16" if used.endswith("bf16") else "fp32"
        fr = round_fractions(flops[name] / 1e9, res["rounds"], name, p)
        fb = round_fractions(flops[name] / 1e9, res["rounds"], name, best)
        row = {
            "precision": used,
            "passages_per_cpu_s": median([args.n / rd["cpu_s"][name] for rd in res["rounds"]]),
            "gflop_per_passage": flops[name] / 1e9 / args.n,
            "fraction": median(fr),
            "fraction_range": [min(fr), max(fr)],
            "fraction_of_best": median(fb),
        }
        if "pipeline-fp32" in engines:
            row["x_pipeline"] = median(round_speedups(res["rounds"], name, "pipeline-fp32"))
        got = scores.get(name)
        if ref is not None and isinstance(got, np.ndarray) and got.shape == ref.shape:
            row["max_abs_dp_vs_fp32"] = float(np.abs(got - ref).max())
            per = np.abs(got - ref).max(axis=0)
            names = LABELS or [str(i) for i in range(len(per))]
            row["max_abs_dp_per_label"] = {k: float(v) for k, v in zip(names, per, strict=False)}
        if ref_rows is not None and written is not None and written != ref_rows:
            row["label_sets_differ_vs_fp32"] = label_sets_differ(written, ref_rows)
        summary[name] = row
    res["best"] = best
    res["summary"] = summary
    res["load_after"] = os.getloadavg()[0]
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(res, indent=1))
    print(
        "\n| engine | precision | passages / CPU s | fraction of its roofline (median [range]) "
        f"| of the best ({best}) | max abs dp vs fp32 | x pipeline |\n|---|---|---|---|---|---|---|"
    )
    for name, row in summary.items():
        lo, hi = row["fraction_range"]
        dp = row.get("max_abs_dp_vs_fp32")
        print(
            f"| {name} | {row['precision']} | {row['passages_per_cpu_s']:.1f} | "
            f"{row['fraction']:.2f} [{lo:.2f}-{hi:.2f}] | {row['fraction_of_best']:.2f} | "
            + (f"{dp:.4f} |" if dp is not None else "- |")
            + (f" {row['x_pipeline']:.2f} |" if "x_pipeline" in row else " - |")
        )
    for name, row in summary.items():
        if "max_abs_dp_per_label" in row or "label_sets_differ_vs_fp32" in row:
            per = row.get("max_abs_dp_per_label", {})
            print(
                f"{name} vs fp32: max |dp| per label "
                + ", ".join(f"{k} {v:.2g}" for k, v in per.items())
                + (
                    "; label sets differ on {} of {} rows".format(*row["label_sets_differ_vs_fp32"])
                    if "label_sets_differ_vs_fp32" in row
                    else ""
                )
            )
    print(
        "roofline (CPU GFLOP/s, median): "
        + ", ".join(f"{p} {v:.0f}" for p, v in res["roofline_median"].items())
        + f"; GEMM rows {rows}; written {args.json}"
    )


if __name__ == "__main__":
    main()
