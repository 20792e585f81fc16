"""Pre-label throughput with all-mpnet-base-v2 (``pkg:all-mpnet-base-v2``) against the
MiniLM-L6 default and ``transformers.pipeline``, in one run.

Engines, on the same project-written passages (as in bench_prelabel.py):

1. ``transformers.pipeline("text-classification", top_k=None, function_to_apply="sigmoid")``
   on an ``MPNetForSequenceClassification`` built from the mpnet encoder with a fresh
   7-label head (random head: speed only), batch size 1 and 32;
2. annotate's engine on that same directory (``load_classifier``, precision auto);
3. a frozen-linear model on mpnet (``annotate.frozen-linear.v1``: one encoder pass, the
   category head, candidate-segment pooling and the span head): ``--mpnet-model DIR``
   when given, else a speed-only copy of models/default with the encoder set to mpnet
   and random heads of the right shapes (same computation as a trained one);
4. models/default (frozen MiniLM-L6 + logistic regressions + span head);
5. the pipeline on the MiniLM-L6 sequence-classification model of bench_prelabel.py,
   for the default's own speed goal.

Needs ``make mpnet``. Run: ``.venv/bin/python benchmarks/bench_mpnet.py [--n 200]``;
writes benchmarks/.work/mpnet.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

from _machine import cpu_flags, isa_caps, load_average
from _measure import build_seqcls_from, text_pipeline, timed
from bench_prelabel import ROOT, WORK, build_seqcls, machine, passages


def build_mpnet_seqcls(path: Path, labels: list[str]) -> Path:
    """MPNetForSequenceClassification = the mpnet encoder + a fresh 7-label head."""
    if (path / "config.json").is_file():
        return path
    from annotate.classifier.encoder import resolve_encoder_ref
    from annotate.classifier.packaged import MPNET

    return build_seqcls_from(resolve_encoder_ref(MPNET.ref), path, labels)


def speed_only_frozen(src: Path, out: Path, encoder: str, dim: int) -> Path:
    """A copy of the frozen-linear model ``src`` on ``encoder`` (``dim``-d), its heads
    replaced by seeded random ones of the right shapes (speed only)."""
    import numpy as np
    import torch
    from safetensors.torch import load_file, save_file

    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    conf = json.loads((src / "annotate_model.json").read_text())
    old = int(conf["encoder_dim"])
    conf.update(encoder=encoder, encoder_dim=dim, name=f"speed-only-{encoder}")
    rng = np.random.default_rng(0)
    tensors = {}
    for k, v in load_file(str(src / "linear.safetensors")).items():
        shape = [dim * (s // old) + s % old if s >= old else s for s in v.shape]
        a = rng.normal(0, 0.05, shape) if k.endswith("coef") else np.zeros(shape)
        if k.endswith("std"):
            a = np.ones(shape)
        tensors[k] = torch.from_numpy(a.astype(np.float32))
    save_file(tensors, str(out / "linear.safetensors"), metadata={"kind": conf["kind"]})
    (out / "annotate_model.json").write_text(json.dumps(conf, indent=2) + "\n")
    return out


def rate(clf, inputs) -> float:
    secs, _ = timed(lambda: clf.predict(inputs), warm=lambda: clf.predict(inputs[:8]))
    return round(len(inputs) / secs, 1)


def pipe_rates(model_dir: Path, texts: list[str]) -> dict[str, float]:
    pipe = text_pipeline(model_dir)
    out = {}
    for bs in (1, 32):
        secs, _ = timed(lambda bs=bs: pipe(texts, batch_size=bs), warm=lambda: pipe(texts[:8]))
        out[f"bs{bs}"] = round(len(texts) / secs, 1)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200, help="passages per engine")
    ap.add_argument("--mpnet-model", type=Path, help="a trained frozen-linear model on mpnet")
    args = ap.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    import numpy as np

    from annotate.classifier import PassageInput, load_classifier
    from annotate.classifier.packaged import MPNET
    from annotate.taxonomy import load_taxonomy

    tax = load_taxonomy(ROOT / "labels.yaml")
    rows = passages(args.n)
    texts = [r["text"] for r in rows]
    inputs = [
        PassageInput(
            id=r["id"], text=r["text"], doc_id=r["doc_id"], passage_index=r["passage_index"]
        )
        for r in rows
    ]
    res: dict = {
        "machine": machine(),
        "cpu_flags": cpu_flags(),
        "isa_caps": isa_caps(),
        "load_before": load_average(),
        "n": args.n,
    }
    mp_seq = build_mpnet_seqcls(WORK / "seqcls-mpnet", tax.category_names)
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(mp_seq))
    res["mean_tokens_mpnet"] = round(float(np.mean([len(tok(t)["input_ids"]) for t in texts])), 1)
    res["pipeline_mpnet"] = pipe_rates(mp_seq, texts)
    clf = load_classifier(mp_seq, tax, precision="auto", batch_size=32)
    res["engine_mpnet_seqcls"] = rate(clf, inputs)
    res["engine_mpnet_precision"] = clf.precision
    del clf
    model = args.mpnet_model or speed_only_frozen(
        ROOT / "models" / "default", WORK / "frozen-mpnet-speed", MPNET.ref, 768
    )
    clf = load_classifier(model, tax)
    res["frozen_mpnet"] = rate(clf, inputs)
    res["frozen_mpnet_model"] = clf.version
    del clf
    clf = load_classifier(None, tax)
    res["default_minilm"] = rate(clf, inputs)
    res["default_model"] = clf.version
    del clf
    res["pipeline_minilm"] = pipe_rates(build_seqcls(WORK / "seqcls", tax.category_names), texts)
    res["load_after"] = load_average()
    best_mp = max(res["pipeline_mpnet"].values())
    best_ml = max(res["pipeline_minilm"].values())
    res["frozen_mpnet_vs_best_pipeline_mpnet"] = round(res["frozen_mpnet"] / best_mp, 2)
    res["default_minilm_vs_best_pipeline_minilm"] = round(res["default_minilm"] / best_ml, 2)
    res["default_minilm_vs_frozen_mpnet"] = round(res["default_minilm"] / res["frozen_mpnet"], 2)
    (WORK / "mpnet.json").write_text(json.dumps(res, indent=2) + "\n")
    print(json.dumps(res, indent=1), file=sys.stderr)
    print(f"\nMachine: {res['machine']}; flags {', '.join(res['cpu_flags'])}")
    print(f"load average before {res['load_before']}, after {res['load_after']}\n")
    print(f"| engine ({args.n} passages, ~{res['mean_tokens_mpnet']} mpnet tokens) | passages/s |")
    print("|---|---|")
    pm, pl = res["pipeline_mpnet"], res["pipeline_minilm"]
    print(f"| `pipeline(...)` on mpnet, batch size 1 / 32 | {pm['bs1']} / {pm['bs32']} |")
    print(f"| annotate engine on the same mpnet model | {res['engine_mpnet_seqcls']} |")
    print(f"| frozen-linear on mpnet (`{res['frozen_mpnet_model']}`) | {res['frozen_mpnet']} |")
    print(f"| default (`{res['default_model']}`, MiniLM-L6) | {res['default_minilm']} |")
    print(f"| `pipeline(...)` on MiniLM-L6, batch size 1 / 32 | {pl['bs1']} / {pl['bs32']} |")


if __name__ == "__main__":
    main()
