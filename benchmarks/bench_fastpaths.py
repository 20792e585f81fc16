"""Candidate fast paths for the frozen encoder against the current ones (issue 11, item 5).

One process, one thread, the same length-sorted batches of 32 project passages
(data/project, as bench_roofline.py builds them), interleaved rounds, best round kept;
process CPU time (the machine is shared: the wall clock measures the neighbours).
Times the encoder's forward pass and mean pooling (no tokenizer: it is the same for
every variant; ``Encoder.encode`` rows give the whole call for the current paths).

Variants (each skipped with its reason when its kernels or packages are absent):

- ``fp32``: ``nn.Linear`` (the fp32 path on Intel and AVX2-only CPUs);
- ``fp32-mkldnn``: weights pre-packed for oneDNN with the GELU fused
  (annotate/classifier/packed_linear.py, ``fuse_gelu=True``; the fp32 path on AMD
  AVX-512 CPUs, ``annotate.classifier.device.fp32_packing_pays``);
- ``fp32-mkl``: weights pre-packed for MKL's packed SGEMM
  (``torch.ops.mkl._mkl_reorder_linear_weight`` / ``_mkl_linear``, what inductor's
  freezing pass emits for fp32 linears when MKL is there);
- ``fp32-inductor`` / ``bf16-inductor``: ``torch.compile`` with
  ``torch._inductor.config.freezing = True`` (weights packed, LayerNorm, residual adds
  and GELU fused), dynamic shapes;
- ``bf16``: bf16 weights with pre-packed oneDNN linears (the current bf16 path);
- ``bf16-gelu``: the same with the feed-forward GELU fused into its linear (oneDNN
  post-op; not bit-identical to ``bf16``);
- ``int8``: static int8 through PT2E quantisation (torchao's ``X86InductorQuantizer``,
  per-channel weights, per-tensor activations calibrated on the first batches) lowered
  by inductor to oneDNN's int8 kernels (AMX where the CPU has amx_int8); needs
  ``torchao`` importable (not an annotate dependency: put it on ``PYTHONPATH``);
- ``int8-buckets``: the same, one static graph per shape: batches padded to 32 rows
  and a multiple of 16 tokens (padding not counted in the FLOPs).

Per variant: passages per CPU second, GFLOP/s on the tokens read (padding not
counted, bench_roofline.py's formula), fraction of the ``torch.matmul`` roofline of
its precision (int8: against the bf16 one), and the minimum cosine of its pooled
embeddings to the fp32 ones.

Run: ``python benchmarks/bench_fastpaths.py [--tokens 89] [--n 512] [--rounds 3]
[--variants fp32 bf16 int8 ...]``.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from _machine import run_header  # noqa: E402
from bench_roofline import encoder_flops, matmul_rate, texts_and_inputs  # noqa: E402

VARIANTS = (
    "fp32",
    "fp32-mkldnn",
    "fp32-mkl",
    "fp32-inductor",
    "bf16",
    "bf16-gelu",
    "bf16-inductor",
    "int8",
    "int8-buckets",
)
BUCKET = 16  # int8-buckets: sequence lengths padded up to a multiple of this
MKL_ROWS_HINT = 32 * 64


class Wrapped(torch.nn.Module):
    """The encoder as (input_ids, attention_mask) -> last hidden state (export-friendly)."""

    def __init__(self, model: torch.nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return self.model(input_ids=ids, attention_mask=mask).last_hidden_state


class MklLinear(torch.nn.Module):
    """``nn.Linear`` with its fp32 weight packed once for MKL's packed SGEMM."""

    def __init__(self, linear: torch.nn.Linear) -> None:
        super().__init__()
        self.weight = linear.weight.detach().clone()
        self.bias = None if linear.bias is None else linear.bias.detach().clone()
        self.packed = torch.ops.mkl._mkl_reorder_linear_weight(self.weight, MKL_ROWS_HINT)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        rows = x.reshape(-1, x.shape[-1])
        y = torch.ops.mkl._mkl_linear(rows, self.packed, self.weight, self.bias, MKL_ROWS_HINT)
        return y.reshape(*x.shape[:-1], y.shape[-1])


def mkl_packed(model: torch.nn.Module) -> torch.nn.Module:
    for parent in list(model.modules()):
        for name, child in list(parent.named_children()):
            if isinstance(child, torch.nn.Linear):
                setattr(parent, name, MklLinear(child))
    return model


def pooled(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    m = mask.unsqueeze(-1).to(torch.float32)
    emb = (hidden.float() * m).sum(1) / m.sum(1).clamp(min=1)
    return torch.nn.functional.normalize(emb, dim=-1)


def inductor(model: torch.nn.Module) -> Callable:
    import torch._inductor.config as icfg

    icfg.freezing = True
    return torch.compile(Wrapped(model).eval(), dynamic=True)


def int8_model(
    model: torch.nn.Module, calib: list[tuple[torch.Tensor, torch.Tensor]], static: bool = False
):
    """Static int8 (PT2E + X86InductorQuantizer) compiled by inductor, dynamic shapes;
    ``static``: one graph per input shape instead (callers bucket the shapes)."""
    import torch._inductor.config as icfg
    import torchao.quantization.pt2e.quantizer.x86_inductor_quantizer as xiq
    from torchao.quantization.pt2e.quantize_pt2e import convert_pt2e, prepare_pt2e

    # torchao 0.18's linear+GELU partition matcher fails on torch 2.13's exported BERT
    # graph (IndexError in _get_output_nodes_of_partitions): annotate linears alone
    xiq.X86InductorQuantizer._annotate_linear_unary = lambda *a, **k: None
    icfg.freezing = True
    batch, seq = torch.export.Dim("batch", min=1, max=1024), torch.export.Dim("seq", min=2, max=512)
    dyn = {"ids": {0: batch, 1: seq}, "mask": {0: batch, 1: seq}}
    with torch.no_grad():
        graph = torch.export.export(Wrapped(model).eval(), calib[0], dynamic_shapes=dyn).module()
        quantizer = xiq.X86InductorQuantizer()
        quantizer.set_global(xiq.get_default_x86_inductor_quantization_config())
        prepared = prepare_pt2e(graph, quantizer)
        for ids, mask in calib:
            prepared(ids, mask)
        if static:
            torch._dynamo.config.cache_size_limit = 64
            torch._dynamo.config.automatic_dynamic_shapes = False
        return torch.compile(convert_pt2e(prepared), dynamic=not static)


def bucketed(engine: Callable) -> Callable:
    """``engine`` on inputs padded to 32 rows and a multiple of :data:`BUCKET` tokens (a
    few static shapes), the padding sliced off its output."""

    def run(ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        rows, width = ids.shape
        wide = -(-width // BUCKET) * BUCKET
        pid = torch.zeros(max(rows, 32), wide, dtype=ids.dtype)
        pmask = torch.zeros_like(pid)
        pid[:rows, :width], pmask[:rows, :width] = ids, mask
        return engine(pid, pmask)[:rows, :width]

    return run


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=512, help="passages")
    ap.add_argument("--tokens", type=int, default=0, help="passages joined to ~this many tokens")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--calib", type=int, default=8, help="int8 calibration batches")
    ap.add_argument("--variants", nargs="*", default=list(VARIANTS), choices=VARIANTS)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / ".work" / "fastpaths.json")
    args = ap.parse_args()
    torch.set_num_threads(1)

    from annotate.classifier.device import cpu_has_bf16
    from annotate.classifier.encoder import Encoder, bf16_weights
    from annotate.classifier.packed_linear import PACK_ENV, pack_linears

    header = run_header()
    texts, _ = texts_and_inputs(args.n, args.tokens)
    os.environ[PACK_ENV] = "0"  # the nn.Linear model every variant starts from
    enc = Encoder(precision="fp32")
    os.environ.pop(PACK_ENV)
    tok = enc._tokenize(texts, False)
    lengths = [len(x) for x in tok["input_ids"]]
    order = sorted(range(len(texts)), key=lambda i: lengths[i])
    batches = []
    for s in range(0, len(order), 32):
        b = enc._collate(tok, order[s : s + 32])
        batches.append((torch.from_numpy(b["input_ids"]), torch.from_numpy(b["attention_mask"])))
    cfg = enc.model.config
    shape = (cfg.num_hidden_layers, cfg.hidden_size, cfg.intermediate_size)
    flops = sum(encoder_flops(n, *shape) for n in lengths)
    mean_tokens = sum(lengths) / len(lengths)
    rows_per_batch = int(32 * mean_tokens)
    bf16_native = cpu_has_bf16()
    precisions = ["fp32"] + (["bf16"] if bf16_native else [])
    roof_before = {
        p: matmul_rate(p, rows_per_batch, *shape[1:], 3.0)["cpu_gflops"] for p in precisions
    }

    base = enc.model
    engines: dict[str, Callable] = {}
    skipped: dict[str, str] = {}
    setup_cpu: dict[str, float] = {}
    for name in args.variants:
        t0 = time.process_time()
        try:
            if name == "fp32":
                engines[name] = Wrapped(base).eval()
            elif name == "fp32-mkldnn":
                m = copy.deepcopy(base)
                if not pack_linears(m, fuse_gelu=True):
                    raise RuntimeError("oneDNN packing unavailable")
                engines[name] = Wrapped(m).eval()
            elif name == "fp32-mkl":
                engines[name] = Wrapped(mkl_packed(copy.deepcopy(base))).eval()
            elif name == "fp32-inductor":
                engines[name] = inductor(copy.deepcopy(base))
            elif not bf16_native and name in ("bf16", "bf16-gelu", "bf16-inductor"):
                raise RuntimeError("no native bf16 on this CPU")
            elif name == "bf16":
                m = bf16_weights(copy.deepcopy(base))
                pack_linears(m)
                engines[name] = Wrapped(m).eval()
            elif name == "bf16-gelu":
                m = bf16_weights(copy.deepcopy(base))
                pack_linears(m, fuse_gelu=True)
                engines[name] = Wrapped(m).eval()
            elif name == "bf16-inductor":
                engines[name] = inductor(bf16_weights(copy.deepcopy(base)))
            elif name == "int8":
                engines[name] = int8_model(copy.deepcopy(base), batches[: args.calib])
            elif name == "int8-buckets":
                model = int8_model(copy.deepcopy(base), batches[: args.calib], static=True)
                engines[name] = bucketed(model)
                with torch.inference_mode():  # compile every bucket before timing
                    for ids, mask in batches:
                        engines[name](ids, mask)
            with torch.inference_mode():
                engines[name](*batches[0])  # warm (compiles)
                engines[name](*batches[-1])
        except Exception as exc:  # a probe: report and go on
            engines.pop(name, None)
            skipped[name] = f"{type(exc).__name__}: {str(exc)[:200]}"
        setup_cpu[name] = time.process_time() - t0

    def run(engine: Callable) -> list[torch.Tensor]:
        with torch.inference_mode():
            return [pooled(engine(ids, mask), mask) for ids, mask in batches]

    ref = run(engines["fp32"]) if "fp32" in engines else run(Wrapped(base).eval())
    cosine = {}
    for name, engine in engines.items():
        out = run(engine)
        cosine[name] = min(float((o * r).sum(-1).min()) for o, r in zip(out, ref, strict=True))
    best = {name: float("inf") for name in engines}
    for _ in range(args.rounds):
        for name, engine in engines.items():
            t0 = time.process_time()
            run(engine)
            best[name] = min(best[name], time.process_time() - t0)
    # the whole call of the current paths (tokenizer, collation, pooling included)
    encode_rows = {}
    for prec in precisions:
        e = Encoder(precision=prec)
        e.encode(texts[:64])
        t = float("inf")
        for _ in range(args.rounds):
            t0 = time.process_time()
            e.encode(texts)
            t = min(t, time.process_time() - t0)
        encode_rows[f"Encoder.encode {prec}"] = t
    roof_after = {
        p: matmul_rate(p, rows_per_batch, *shape[1:], 3.0)["cpu_gflops"] for p in precisions
    }
    roof = {p: (roof_before[p] + roof_after[p]) / 2 for p in precisions}
    header2 = run_header()

    def precision_of(name: str) -> str:
        low = name.startswith(("bf16", "int8"))
        return "bf16" if low and bf16_native else "fp32"

    rows = []
    for name, t in list(best.items()) + list(encode_rows.items()):
        gflops = flops / t / 1e9
        key = name.split()[-1] if name.startswith("Encoder") else name
        prec = precision_of(key)
        rows.append(
            {
                "variant": name,
                "passages_per_cpu_s": len(texts) / t,
                "gflops_cpu": gflops,
                "roofline": prec,
                "fraction": gflops / roof[prec],
                "fraction_of_fp32": gflops / roof["fp32"],
                "min_cosine_to_fp32": cosine.get(key),
                "setup_cpu_s": setup_cpu.get(name),
            }
        )
    result = {
        "before": header,
        "after": header2,
        "passages": len(texts),
        "mean_tokens": mean_tokens,
        "roofline_cpu_gflops": {"before": roof_before, "after": roof_after, "mean": roof},
        "rows": rows,
        "skipped": skipped,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2))
    print(
        f"{len(texts)} passages, {mean_tokens:.1f} tokens; roofline (CPU GFLOP/s) "
        + ", ".join(f"{p} {roof_before[p]:.0f} -> {roof_after[p]:.0f}" for p in precisions)
    )
    load = (header["load_average_start"], header2["load_average_start"])
    print(f"load {load[0]} -> {load[1]}; flags {header['cpu_flags']}")
    print(
        "| variant | passages / CPU s | GFLOP/s | fraction (own roofline) | of fp32 roofline "
        "| min cosine to fp32 | setup CPU s |"
    )
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        cos = "-" if r["min_cosine_to_fp32"] is None else f"{r['min_cosine_to_fp32']:.5f}"
        setup = "-" if r["setup_cpu_s"] is None else f"{r['setup_cpu_s']:.1f}"
        print(
            f"| {r['variant']} | {r['passages_per_cpu_s']:.1f} | {r['gflops_cpu']:.1f} | "
            f"{r['fraction']:.2f} ({r['roofline']}) | {r['fraction_of_fp32']:.2f} | {cos} "
            f"| {setup} |"
        )
    for name, why in skipped.items():
        print(f"skipped {name}: {why}")


if __name__ == "__main__":
    main()
