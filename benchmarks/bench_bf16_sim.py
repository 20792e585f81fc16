"""Can a bf16 calibration be fitted on *simulated* bf16 embeddings (issue 11, item 5)?

The default model is calibrated at fp32, so ``precision: auto`` runs it at fp32 even on
CPUs with native bf16 (1.6-2x faster there). A calibration for bf16 computed at build
time must be computable on any CPU (``make model`` gives the same model everywhere), so
the idea measured here: simulate native CPU bf16 at fp32 (benchmarks/_bf16_sim.py) and
calibrate on that. It pays only if (1) the simulation is much closer to native bf16 than
fp32 is (target: max |dp| <= 0.002 on the default model's scores), and (2) a bf16
calibration changes what bf16 scores are by more than noise.

One process, one thread, on the same passages (``--n`` project passages, seeded sample
of data/project/*.jsonl, and the regression fixtures tests/fixtures/regression_*.jsonl):
embeddings at fp32 (the encoder's fp32 path), native bf16 (the encoder's bf16 path;
only where the CPU has native bf16, :func:`annotate.classifier.device.cpu_has_bf16`),
simulated bf16 and simulated bf16 with torch's own attention kernel (diagnosis), each in
padded batches of 32 (as prelabel) and in equal-length batches (as the training cache).
Per pair: mean 1 - cosine, min cosine, the default model's category scores max |dp|,
mean |dp|, label sets differing (models/default's rules without the passage rules:
``apply_labels``). Then (2): per label, the mean logit shift of native bf16 and of the
simulation from fp32, and the scores of native bf16 with the fp32 calibration against
those with each label's Platt intercept moved by the shift (the bf16 calibration a
Platt refit on the same validation rows would give: the slope moves by less than the
shift's spread), the shift estimated on half A of the passages and measured on half B.

Run: ``OMP_NUM_THREADS=1 python benchmarks/bench_bf16_sim.py [--n 600] [--json PATH]``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import torch  # noqa: E402
from _bf16_sim import round_weights, simulated_bf16  # noqa: E402

from annotate.classifier.device import cpu_flags, cpu_has_bf16  # noqa: E402
from annotate.classifier.encoder import Encoder  # noqa: E402
from annotate.classifier.head import Platt, apply_labels, calibrate_columns  # noqa: E402
from annotate.classifier.packed_linear import PACK_ENV  # noqa: E402

MODEL = ROOT / "models" / "default"


class SimulatedEncoder(Encoder):
    """The packaged encoder at fp32 with bf16-rounded weights, unpacked linears (the
    GELU stays its own op) and every op rounded to bf16 (:func:`simulated_bf16`);
    ``precision`` "bf16-sim"."""

    def __init__(self, native_attention: bool = False, **kw) -> None:
        before = os.environ.get(PACK_ENV)
        os.environ[PACK_ENV] = "0"
        try:
            super().__init__(precision="fp32", compile=False, **kw)
        finally:
            if before is None:
                os.environ.pop(PACK_ENV, None)
            else:
                os.environ[PACK_ENV] = before
        round_weights(self.model)
        self.native_attention = native_attention
        # its own name: an embedding cache keyed by precision never mixes its vectors
        # with fp32 ones (annotate.training.embedding_cache._encoder_key)
        self.precision = "bf16-sim"

    def _hidden(self, batch, precision):
        with simulated_bf16(self.native_attention):
            return super()._hidden(batch, precision)


def texts_of(paths: list[Path]) -> list[str]:
    return [json.loads(line)["text"] for p in paths for line in p.open() if line.strip()]


def head():
    from safetensors.numpy import load_file

    cfg = json.loads((MODEL / "annotate_model.json").read_text())
    w = load_file(str(MODEL / "linear.safetensors"))

    def logits(x: np.ndarray) -> np.ndarray:
        return ((x - w["cat.mean"]) / w["cat.std"]) @ w["cat.coef"].T + w["cat.intercept"]

    def probs(lg: np.ndarray, shift: np.ndarray | None = None) -> np.ndarray:
        cal = {}
        for j, k in enumerate(cfg["labels"]):
            a, b = cfg["calibration"][k]["a"], cfg["calibration"][k]["b"]
            cal[k] = Platt(a, b - (a * float(shift[j]) if shift is not None else 0.0))
        return calibrate_columns(lg, cfg["labels"], cal)

    def labels(p: np.ndarray) -> list[list[str]]:
        return apply_labels(
            p,
            cfg["labels"],
            cfg["thresholds"],
            cfg["none_label"],
            cfg["yield_to_none"],
            cfg["yield_to_context"],
            cfg["context"],
        )

    return cfg["labels"], logits, probs, labels


def compare(a: np.ndarray, b: np.ndarray, logits, probs, labels) -> dict[str, float]:
    cos = np.sum(a * b, 1)
    pa, pb = probs(logits(a)), probs(logits(b))
    la, lb = labels(pa), labels(pb)
    return {
        "mean_1_minus_cos": float(np.mean(1 - cos)),
        "min_cos": float(cos.min()),
        "max_abs_dp": float(np.abs(pa - pb).max()),
        "mean_abs_dp": float(np.abs(pa - pb).mean()),
        "label_sets_differing": int(sum(x != y for x, y in zip(la, lb, strict=True))),
        "rows": len(a),
    }


def layer_agreement(texts: list[str]) -> dict[str, dict[str, float]]:
    """Share of (token, feature) values bit-equal between the native bf16 model and its
    simulation (``sim``), and between native bf16 and the fp32 model's values rounded to
    bf16 (``fp32_rounded``: the share two unrelated roundings agree), after the
    embeddings and each layer's attention and output, on one padded batch of ``texts``
    (padding tokens left out): where the simulation parts from native bf16."""
    from transformers import AutoModel, AutoTokenizer

    from annotate.classifier.encoder import PACKAGED_ENCODER, resolve_encoder_ref

    path = resolve_encoder_ref(PACKAGED_ENCODER)
    tok = AutoTokenizer.from_pretrained(path)
    batch = tok(texts, padding=True, truncation=True, max_length=256, return_tensors="pt")
    native = AutoModel.from_pretrained(path).eval().to(torch.bfloat16)
    sim = round_weights(AutoModel.from_pretrained(path).eval())
    fp32 = AutoModel.from_pretrained(path).eval()
    seen: dict[str, dict[str, torch.Tensor]] = {"native": {}, "sim": {}, "fp32": {}}
    for tag, model in (("native", native), ("sim", sim), ("fp32", fp32)):
        for name, mod in model.named_modules():
            if name == "embeddings" or name.endswith((".attention", ".output")):
                if ".attention.output" in name:
                    continue

                def hook(m, i, o, tag=tag, name=name):
                    o = o[0] if isinstance(o, tuple) else o
                    seen[tag][name] = o.float().clone()

                mod.register_forward_hook(hook)
    with torch.inference_mode():
        with torch.autocast("cpu", dtype=torch.bfloat16):
            native(**batch)
        with simulated_bf16():
            sim(**batch)
        fp32(**batch)
    valid = batch["attention_mask"].bool()
    rounded = {k: v.to(torch.bfloat16).float() for k, v in seen["fp32"].items()}
    return {
        name: {
            "sim": float((a[valid] == seen["sim"][name][valid]).float().mean()),
            "fp32_rounded": float((a[valid] == rounded[name][valid]).float().mean()),
        }
        for name, a in seen["native"].items()
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=600, help="project passages (seeded sample)")
    ap.add_argument("--json", type=Path, help="write the results here")
    args = ap.parse_args()
    torch.set_num_threads(1)
    project = texts_of(sorted((ROOT / "data" / "project").glob("*.jsonl")))
    pick = np.random.default_rng(0).choice(len(project), min(args.n, len(project)), replace=False)
    sets = {
        "project": [project[i] for i in pick],
        "fixtures": texts_of(sorted((ROOT / "tests" / "fixtures").glob("regression_*.jsonl"))),
    }
    native = cpu_has_bf16()
    engines = {"fp32": Encoder(precision="fp32", compile=False)}
    if native:
        engines["bf16"] = Encoder(precision="bf16", compile=False)
    engines["sim"] = SimulatedEncoder()
    engines["sim-native-attention"] = SimulatedEncoder(native_attention=True)
    names, logits, probs, labels = head()
    out: dict = {
        "cpu_flags": sorted(f for f in cpu_flags() if "avx512" in f or "amx" in f or f == "avx2"),
        "torch": torch.__version__,
        "native_bf16": native,
        "cpu_seconds": {},
        "pairs": {},
    }
    emb: dict[tuple[str, str, str], np.ndarray] = {}
    for set_name, texts in sets.items():
        for eng, enc in engines.items():
            for batching in ("padded", "equal"):
                t = time.process_time()
                emb[set_name, eng, batching] = enc.encode(
                    texts, equal_length=batching == "equal"
                ).embeddings
                secs = time.process_time() - t
                out["cpu_seconds"][f"{set_name}/{eng}/{batching}"] = round(secs, 2)
                print(f"{set_name} {eng} {batching}: {len(texts)} texts, {secs:.1f} CPU s")
    ref = "bf16" if native else "sim"
    for set_name in sets:
        for eng in engines:
            for batching in ("padded", "equal"):
                if (eng, batching) == (ref, "padded"):
                    continue
                key = f"{set_name}: {eng}/{batching} vs {ref}/padded"
                a, b = emb[set_name, eng, batching], emb[set_name, ref, "padded"]
                r = compare(a, b, logits, probs, labels)
                out["pairs"][key] = r
                print(
                    f"{key:52s} 1-cos {r['mean_1_minus_cos']:.2e} min cos {r['min_cos']:.6f} "
                    f"max|dp| {r['max_abs_dp']:.5f} mean|dp| {r['mean_abs_dp']:.2e} "
                    f"label sets differing {r['label_sets_differing']}/{r['rows']}"
                )
    if native:  # (2): what a bf16 calibration could change
        lf = logits(emb["project", "fp32", "equal"])
        lb = logits(emb["project", "bf16", "padded"])
        ls = logits(emb["project", "sim", "equal"])
        half_a = np.arange(len(lf)) < len(lf) // 2
        half_b = ~half_a
        out["logit_shift_from_fp32"] = {
            n: {
                "native_mean": float((lb - lf)[:, j].mean()),
                "native_sd": float((lb - lf)[:, j].std()),
                "sim_mean": float((ls - lf)[:, j].mean()),
            }
            for j, n in enumerate(names)
        }
        for n, s in out["logit_shift_from_fp32"].items():
            print(
                f"logit shift {n:22s} native {s['native_mean']:+.4f} (sd {s['native_sd']:.4f}) "
                f"sim {s['sim_mean']:+.4f}"
            )
        pf = probs(lf)
        lab_f = labels(pf)
        out["calibration_shift"] = {}
        for what, shift in (
            ("fp32 calibration", None),
            ("bf16 calibration from native shift", (lb - lf)[half_a].mean(0)),
            ("bf16 calibration from simulated shift", (ls - lf)[half_a].mean(0)),
        ):
            pb = probs(lb, shift)
            d = (pb - pf)[half_b]
            lab_b = labels(pb)
            r = {
                "max_abs_dp": float(np.abs(d).max()),
                "mean_abs_dp": float(np.abs(d).mean()),
                "max_abs_mean_signed_dp": float(np.abs(d.mean(0)).max()),
                "label_sets_differing": int(sum(lab_f[i] != lab_b[i] for i in np.where(half_b)[0])),
                "rows": int(half_b.sum()),
            }
            out["calibration_shift"][what] = r
            print(
                f"native bf16, {what:38s} vs fp32 (half B): max|dp| {r['max_abs_dp']:.5f} "
                f"mean|dp| {r['mean_abs_dp']:.2e} largest label mean dp "
                f"{r['max_abs_mean_signed_dp']:.1e} label sets differing "
                f"{r['label_sets_differing']}/{r['rows']}"
            )
    if native:
        out["bit_equal_share_by_layer"] = layer_agreement(sets["project"][:8])
        for name, share in out["bit_equal_share_by_layer"].items():
            print(
                f"bit-equal with native bf16 after {name}: simulated {share['sim']:.3f}, "
                f"fp32 rounded to bf16 {share['fp32_rounded']:.3f}"
            )
    if args.json:
        args.json.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
