"""Overhead of prelabel's checkpoints (parts beside --out) against the code before them.

Each run is its own process that loads the default model, then times one ``prelabel``
call (model loading left out) on the same passages (data/project, documents whole, in
order), on one torch thread: the checkpointed code of this tree against the code of git
revision ``--base`` (extracted to benchmarks/.work/resume_base), alternating, ``--repeat``
times each. Also times, in the same process, the SHA-256 of the input and the assembly
of the output from the parts (what a checkpointed run adds besides writing the parts),
and one part-sized file written atomically with and without the flushes to the disk
(``durable``: fsync before and after the rename, four per part with its state.json),
alternating, ``--writes`` times each (median ms per write).

Run: ``.venv/bin/python benchmarks/bench_prelabel_resume.py [--n 3000] [--repeat 2]``.
Writes benchmarks/results/prelabel_resume.json (``--result NAME``: NAME.json) and prints a
summary. ``--chunk-size`` sets the window (so the number of parts: the default 2048 gives
3 parts for 5,000 passages); each ``--base`` is extracted to its own folder.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from _machine import cpu_flags, cpu_model

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks/.work"

CHILD = r"""
import json, os, sys, time, resource
sys.path.insert(0, sys.argv[1])
import torch
torch.set_num_threads(1)
from annotate.classifier import load_classifier
from annotate.prelabeling import prelabel
from annotate.taxonomy import load_taxonomy
tax = load_taxonomy(sys.argv[4])
if sys.argv[5] == "constant":  # no model: what the checkpoints cost besides scoring
    from annotate.classifier.base import Prediction
    class Constant:
        version = "constant@0"
        context_passages = 1
        labels = tax.category_names
        def predict(self, passages, *, progress=None):
            out = [Prediction(scores={k: 0.1 for k in self.labels}, labels=["none"], spans=[])
                   for _ in passages]
            if progress:
                progress(len(passages))
            return out
    clf = Constant()
else:
    clf = load_classifier(sys.argv[5], tax)
t0, c0 = time.perf_counter(), time.process_time()
stats = prelabel(sys.argv[2], sys.argv[3], classifier=clf, taxonomy=tax,
                 chunk_size=int(sys.argv[6]))
print(json.dumps({"wall_s": time.perf_counter() - t0, "cpu_s": time.process_time() - c0,
                  "passages": stats.passages, "load1": os.getloadavg()[0]}))
"""


def passages(path: Path, n: int) -> int:
    """The first ``n`` passages of data/project/*.jsonl as a passages table (JSONL)."""
    rows: list[dict] = []
    for src in sorted((ROOT / "data/project").glob("*.jsonl")):
        for k, line in enumerate(src.open(encoding="utf-8")):
            raw = json.loads(line)
            rows.append(
                {
                    "id": f"{src.stem}-{k}",
                    "doc_id": f"{src.stem}/{raw.get('doc_id')}",
                    "passage_index": raw.get("passage_index") or 0,
                    "title": raw.get("title"),
                    "text": raw["text"],
                }
            )
    rows = rows[:n]
    first: dict[str, int] = {}
    for k, r in enumerate(rows):
        first.setdefault(r["doc_id"], k)
    rows.sort(key=lambda r: (first[r["doc_id"]], r["passage_index"]))
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return len(rows)


def run(code: Path, src: Path, out: Path, model: str = "", chunk_size: int = 2048) -> dict:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(code)}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            CHILD,
            str(code),
            str(src),
            str(out),
            str(ROOT / "labels.yaml"),
            model or str(ROOT / "models/default"),
            str(chunk_size),
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--base", default="cac157a")
    ap.add_argument(
        "--constant",
        type=int,
        default=0,
        help="instead: N passages (the data/project ones repeated) through a constant "
        "classifier, so only reading, checkpoints and writing are timed",
    )
    ap.add_argument("--chunk-size", type=int, default=2048, help="passages per window (part)")
    ap.add_argument("--writes", type=int, default=50, help="atomic writes timed, each kind")
    ap.add_argument("--result", default="", help="results/NAME.json (default: by classifier)")
    args = ap.parse_args()
    base = WORK / f"resume_base_{args.base}"
    if not (base / "annotate").is_dir():
        base.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "archive", args.base, "annotate"], cwd=ROOT, capture_output=True, check=True
        )
        subprocess.run(["tar", "-x", "-C", str(base)], input=archive.stdout, check=True)
    src = WORK / "resume_passages.jsonl"
    n = passages(src, args.n)
    model = ""
    if args.constant:
        model = "constant"
        rows = src.read_text(encoding="utf-8").splitlines()
        big = []
        for k in range(args.constant):
            row = json.loads(rows[k % len(rows)])
            row["id"] = f"{row['id']}#{k // len(rows)}"
            row["doc_id"] = f"{row['doc_id']}#{k // len(rows)}"
            big.append(json.dumps(row))
        src = WORK / "resume_passages_constant.jsonl"
        src.write_text("\n".join(big) + "\n", encoding="utf-8")
        n = args.constant
    runs: dict[str, list[dict]] = {"before": [], "checkpointed": []}
    for _ in range(args.repeat):
        for name, code in (("before", base), ("checkpointed", ROOT)):
            out = WORK / f"resume_{name}.parquet"
            runs[name].append(run(code, src, out, model, args.chunk_size))
            print(name, runs[name][-1], flush=True)
    # the checkpointed run's own additions, apart: the input's digest, the assembly
    sys.path.insert(0, str(ROOT))
    from annotate._util.digest import sha256_file

    t0 = time.perf_counter()
    sha256_file(src)
    digest_s = time.perf_counter() - t0
    from annotate._util.atomic import atomic_write_text

    parts = max(1, -(-n // args.chunk_size))
    text = "x" * (src.stat().st_size // parts)
    write_ms: dict[str, list[float]] = {"plain": [], "durable": []}
    for _ in range(args.writes):
        for kind in ("plain", "durable"):
            t0 = time.perf_counter()
            atomic_write_text(WORK / f"write_{kind}.txt", text, durable=kind == "durable")
            write_ms[kind].append(1000 * (time.perf_counter() - t0))
    median = {k: sorted(v)[len(v) // 2] for k, v in write_ms.items()}
    best = {k: min(r["wall_s"] for r in v) for k, v in runs.items()}
    cpu = {k: min(r["cpu_s"] for r in v) for k, v in runs.items()}
    result = {
        "cpu": cpu_model(),
        "flags": cpu_flags(),
        "passages": n,
        "input_bytes": src.stat().st_size,
        "runs": runs,
        "best_wall_s": best,
        "best_cpu_s": cpu,
        "wall_ratio": best["checkpointed"] / best["before"],
        "cpu_ratio": cpu["checkpointed"] / cpu["before"],
        "input_sha256_s": digest_s,
        "part_bytes": len(text),
        "atomic_write_median_ms": median,
        "load1_before_writes": os.getloadavg()[0],
    }
    result["classifier"] = model or "models/default"
    result["base"] = args.base
    result["chunk_size"] = args.chunk_size
    result["load1_end"] = os.getloadavg()[0]
    tag = "_constant" if model else ""
    dest = ROOT / f"benchmarks/results/{args.result or 'prelabel_resume' + tag}.json"
    dest.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(
        json.dumps(
            {
                k: result[k]
                for k in (
                    "best_wall_s",
                    "best_cpu_s",
                    "wall_ratio",
                    "cpu_ratio",
                    "input_sha256_s",
                    "atomic_write_median_ms",
                )
            }
        )
    )


if __name__ == "__main__":
    main()
