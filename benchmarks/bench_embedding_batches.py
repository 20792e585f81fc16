"""Whether a text's embedding depends on its batch, and what equal-length batches cost.

    PYTHONPATH=$PWD python benchmarks/bench_embedding_batches.py OUT.json [N] [REPS] [ROWS]

Part 1 (bitwise equality, fp32): N texts of the project's own data (data/project) are
embedded alone, in padded batches of 32 sorted by token count (``Encoder.encode``, the
prelabel path), and in batches of one token count (``equal_length=True``, what the
training cache stores), each over all N and over every second text (other neighbours),
at 1 and at 2 torch threads; it counts the embeddings bitwise equal to the one of the
text alone (1 thread) or to the same scheme at 1 thread.

Part 2 (speed, 1 thread): a seeded sample of ROWS rows (default 4 N; N 0: part 2
only) of models/default.train.yaml's
training rows (needs ../shared/data, as ``make model``), each text with its candidate
span ranges as the build encodes them, embedded padded and equal-length in turns, REPS
times; the best time of each and the ratio. Results are written to OUT.json with the
CPU, its flags and the load average.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotate.classifier.encoder import Encoder
from benchmarks._machine import cpu_flags, cpu_model

ROOT = Path(__file__).resolve().parent.parent


def project_texts(n: int) -> list[str]:
    texts = []
    for f in sorted((ROOT / "data" / "project").glob("*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(json.loads(line)["text"])
    texts = list(dict.fromkeys(texts))
    random.Random(0).shuffle(texts)
    return texts[:n]


def equality(n: int) -> dict:
    texts = project_texts(n)
    half = list(range(0, len(texts), 2))
    out: dict = {"texts": len(texts)}
    runs: dict[tuple[int, str, str], np.ndarray] = {}
    for threads in (1, 2):
        torch.set_num_threads(threads)
        enc = Encoder(precision="fp32")
        runs[threads, "alone", "all"] = np.concatenate(
            [enc.encode([t], equal_length=True).embeddings for t in texts]
        )
        for scheme, eq in (("padded", False), ("equal_length", True)):
            runs[threads, scheme, "all"] = enc.encode(texts, equal_length=eq).embeddings
            sub = enc.encode([texts[i] for i in half], equal_length=eq).embeddings
            full = np.zeros_like(runs[threads, scheme, "all"])
            full[half] = sub
            runs[threads, scheme, "half"] = full
    torch.set_num_threads(1)
    alone = runs[1, "alone", "all"]

    def same(a: np.ndarray, b: np.ndarray, rows: list[int]) -> int:
        return int(np.all(a[rows] == b[rows], axis=1).sum())

    every = list(range(len(texts)))
    for threads in (1, 2):
        for scheme in ("padded", "equal_length"):
            key = f"{scheme}_{threads}t"
            all_, sub = runs[threads, scheme, "all"], runs[threads, scheme, "half"]
            out[key] = {
                "all_vs_alone_1t": same(all_, alone, every),
                "half_vs_all": f"{same(sub, all_, half)}/{len(half)}",
                "max_abs_diff_vs_alone_1t": float(np.abs(all_ - alone).max()),
            }
    for scheme in ("alone", "padded", "equal_length"):
        a, b = runs[1, scheme, "all"], runs[2, scheme, "all"]
        out[f"{scheme}_1t_vs_2t"] = same(a, b, every)
    return out


def build_rows(n: int) -> tuple[list[str], list[list[tuple[int, int]]]]:
    from annotate.taxonomy import load_taxonomy
    from annotate.training.config import load_train_config
    from annotate.training.rows import load_rows

    rows, _ = load_rows(load_train_config(ROOT / "models" / "default.train.yaml"), load_taxonomy())
    pick = sorted(random.Random(0).sample(range(len(rows)), n))
    texts = rows["text"].iloc[pick].tolist()
    ranges = [[(a, b) for a, b, _ in s] for s in rows["seg"].iloc[pick].tolist()]
    return texts, ranges


def speed(n: int, reps: int) -> dict:
    torch.set_num_threads(1)
    texts, ranges = build_rows(n)
    enc = Encoder(precision="fp32")
    lengths = [len(x) for x in enc.tokenizer(texts, truncation=True, max_length=256)["input_ids"]]
    best = {"padded": float("inf"), "equal_length": float("inf")}
    for _ in range(reps):
        for scheme, eq in (("padded", False), ("equal_length", True)):
            t0 = time.perf_counter()
            enc.encode(texts, ranges=ranges, equal_length=eq)
            best[scheme] = min(best[scheme], time.perf_counter() - t0)
    return {
        "rows": n,
        "reps": reps,
        "distinct_token_counts": len(set(lengths)),
        "tokens_median": int(np.median(lengths)),
        "best_s": best,
        "equal_length_over_padded": best["equal_length"] / best["padded"],
    }


def main() -> None:
    out_path = Path(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    reps = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    rows = int(sys.argv[4]) if len(sys.argv) > 4 else n * 4
    result = {
        "cpu": cpu_model(),
        "flags": cpu_flags(),
        "load_before": os.getloadavg(),
        "torch": torch.__version__,
        "equality": equality(n) if n else None,
        "speed": speed(rows, reps),
        "load_after": os.getloadavg(),
    }
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
