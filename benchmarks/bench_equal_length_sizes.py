"""What fixed-size equal-length batches cost against the variable-size ones they replaced.

    PYTHONPATH=$PWD python benchmarks/bench_equal_length_sizes.py OUT.json [ROWS] [REPS]

A seeded sample of ROWS rows (default 3,000) of models/default.train.yaml's training rows
(needs ../shared/data, as ``make model``), each with its candidate span ranges as the
build encodes them, embedded at 1 torch thread, at fp32 and (where the CPU has it
natively) bf16, in three batchings taken in turns REPS times (default 3):
``padded`` (prelabel's: 32 texts sorted by token count, padded to the longest),
``variable`` (the training cache's batching until 5 Dec 2026: texts of one token count,
up to 32 a batch, so a batch's size depended on how many texts of that count a run had)
and ``fixed`` (the current one: exactly ``ceil(EQUAL_LENGTH_ROWS / tokens)`` texts, at
most ``EQUAL_LENGTH_MAX_TEXTS``, copies filling a short batch; its shapes depend on the
token count alone). Reports each batching's best time, the token rows it computes, and
the ratios fixed / variable and fixed / padded, with the CPU, its flags and the load.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import annotate.classifier.encoder as encoder_module
from annotate.classifier.device import native_bf16
from annotate.classifier.encoder import Encoder, length_order
from benchmarks._machine import cpu_flags, cpu_model
from benchmarks.bench_embedding_batches import build_rows


def variable_batches(lengths: list[int], batch_size: int, equal_length: bool = False):
    """The equal-length batching before 5 Dec 2026: up to ``batch_size`` texts of one
    token count, as many as the run had (padded batches unchanged)."""
    order = length_order(lengths)
    if not equal_length:
        return [order[s : s + batch_size] for s in range(0, len(order), batch_size)]
    out, start = [], 0
    for end in range(1, len(order) + 1):
        if end == len(order) or lengths[order[end]] != lengths[order[start]]:
            out += [order[s : min(s + batch_size, end)] for s in range(start, end, batch_size)]
            start = end
    return out


def token_rows(lengths: list[int], scheme: str) -> int:
    if scheme == "padded":
        return sum(len(b) * max(lengths[i] for i in b) for b in variable_batches(lengths, 32))
    if scheme == "variable":
        return sum(len(b) * lengths[b[0]] for b in variable_batches(lengths, 32, True))
    size = encoder_module.equal_length_batch_size
    cut = encoder_module.batches(lengths, 32, True)
    return sum(size(lengths[b[0]]) * lengths[b[0]] for b in cut)


def run(precision: str, texts: list[str], ranges: list, reps: int) -> dict:
    enc = Encoder(precision=precision)
    lengths = [len(x) for x in enc.tokenizer(texts, truncation=True, max_length=256)["input_ids"]]
    fixed_batches, fixed_size = encoder_module.batches, encoder_module.equal_length_batch_size
    best = {"padded": float("inf"), "variable": float("inf"), "fixed": float("inf")}
    for _ in range(reps):
        for scheme in best:
            if scheme == "variable":  # no filling: each batch as the run cut it
                encoder_module.batches = variable_batches
                encoder_module.equal_length_batch_size = lambda tokens: 0
            t0 = time.perf_counter()
            try:
                enc.encode(texts, ranges=ranges, equal_length=scheme != "padded")
            finally:
                encoder_module.batches = fixed_batches
                encoder_module.equal_length_batch_size = fixed_size
            best[scheme] = min(best[scheme], time.perf_counter() - t0)
    return {
        "best_s": {k: round(v, 2) for k, v in best.items()},
        "token_rows": {k: token_rows(lengths, k) for k in best},
        "fixed_over_variable": round(best["fixed"] / best["variable"], 3),
        "fixed_over_padded": round(best["fixed"] / best["padded"], 3),
    }


def main() -> None:
    out = Path(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
    reps = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    torch.set_num_threads(1)
    texts, ranges = build_rows(n)
    result: dict = {
        "cpu": cpu_model(),
        "flags": cpu_flags(),
        "torch": torch.__version__,
        "rows": n,
        "reps": reps,
        "load_before": list(os.getloadavg()),
    }
    precisions = ["fp32"] + (["bf16"] if native_bf16(torch.device("cpu")) else [])
    for precision in precisions:
        result[precision] = run(precision, texts, ranges, reps)
        print(precision, json.dumps(result[precision]), flush=True)
    result["load_after"] = list(os.getloadavg())
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
