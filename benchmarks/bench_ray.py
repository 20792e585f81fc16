"""Ray engine against the local engine, and prelabel memory on one long document.

1. Throughput (one run, same input, same machine): `prelabel` (local engine) and
   `prelabel --engine ray` with 1 and 2 workers on a Ray started once for both, in
   passages/s; the outputs are compared (same ids, labels, span boundaries; largest score
   difference printed).
2. Memory: `annotate prelabel` in its own process on one synthetic document of about
   10 MB, with this checkout (windows of passages with neighbour context) and with an
   older revision (``--old-rev``: documents whole, cut at 8,192 passages), sampling VmRSS
   every 0.5 s; ``--memory-seconds`` stops each run after that long (0: run to the end).

Results go to benchmarks/.work/bench_ray.json and stderr; benchmarks/README.md quotes them.

    .venv/bin/python benchmarks/bench_ray.py                     # --n 240 --doc-mb 10
    .venv/bin/python benchmarks/bench_ray.py --skip-memory
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / ".work"
MODEL = ROOT / "models" / "default"
FLAGS = ("avx2", "avx512f", "avx512_bf16", "amx_bf16", "amx_int8", "avx512_vnni", "avx_vnni")

SUBJECTS = ["The council", "A spokesperson", "The club", "Residents", "The school board"]
VERBS = ["said", "announced", "confirmed", "reported", "explained"]
OBJECTS = [
    "that the bus routes would change in the spring",
    "that the bridge repairs are running two weeks late",
    "a new timetable for the evening trains",
    "that the library will open on Sundays again",
    "plans to plant three hundred trees along the ring road",
]


def cpu_flags() -> list[str]:
    """The CPU flags that decide the matmul path (read from /proc/cpuinfo, never assumed)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _machine import cpu_flags as read_flags

    return read_flags(FLAGS)


def machine() -> dict:
    import torch

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _machine import cpu_model

    return {
        "cpu": cpu_model(),
        "cpu_flags": cpu_flags(),
        "cores": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "uptime": subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(),
    }


def sentence(i: int) -> str:
    k = len(SUBJECTS)
    return (
        f"{SUBJECTS[i % k]} {VERBS[(i // k) % k]} {OBJECTS[(i // k // k) % k]}, "
        f"item {i} of the weekly notice."
    )


def throughput_input(n: int) -> Path:
    """``n`` passages of 3 sentences (~40 words), 6 passages per document."""
    from annotate.tables import write_table

    path = WORK / f"ray_{n}.parquet"
    if not path.is_file():
        rows = []
        for i in range(n):
            rows.append(
                {
                    "id": f"r{i}",
                    "text": " ".join(sentence(3 * i + j) for j in range(3)),
                    "doc_id": f"doc{i // 6}",
                    "title": f"Weekly notice {i // 6}",
                    "passage_index": i % 6,
                }
            )
        write_table(path, rows)
    return path


def compare(a_path: Path, b_path: Path) -> dict:
    import pyarrow.parquet as pq

    a = sorted(pq.read_table(a_path).to_pylist(), key=lambda r: r["id"])
    b = sorted(pq.read_table(b_path).to_pylist(), key=lambda r: r["id"])
    same_ids = [r["id"] for r in a] == [r["id"] for r in b]
    diff = max(
        (
            abs(x["scores"][k] - y["scores"][k])
            for x, y in zip(a, b, strict=False)
            for k in x["scores"]
        ),
        default=0.0,
    )
    labels = sum(x["labels"] == y["labels"] for x, y in zip(a, b, strict=False))
    spans = sum(
        [(s["start"], s["end"], s["label"]) for s in x["spans"]]
        == [(s["start"], s["end"], s["label"]) for s in y["spans"]]
        for x, y in zip(a, b, strict=False)
    )
    return {
        "same_ids": same_ids,
        "max_score_diff": round(diff, 6),
        "same_labels": f"{labels}/{len(a)}",
        "same_spans": f"{spans}/{len(a)}",
    }


def throughput(n: int) -> dict:
    from annotate.prelabeling import prelabel
    from annotate.prelabeling_ray import prelabel_ray, ray_session

    src = throughput_input(n)
    res: dict = {"passages": n}
    out_local = WORK / "ray_local.parquet"
    t = time.perf_counter()
    prelabel(src, out_local, model=MODEL)
    secs = time.perf_counter() - t
    res["local"] = {"seconds": round(secs, 1), "passages_per_s": round(n / secs, 2)}
    print(f"local: {res['local']}", file=sys.stderr)
    t = time.perf_counter()
    with ray_session(workers=2):
        res["ray_start_seconds"] = round(time.perf_counter() - t, 1)
        for w in (1, 2):
            out = WORK / f"ray_w{w}.parquet"
            t = time.perf_counter()
            prelabel_ray(src, out, model=MODEL, workers=w)
            secs = time.perf_counter() - t
            res[f"ray_{w}_workers"] = {
                "seconds": round(secs, 1),
                "passages_per_s": round(n / secs, 2),
                "vs_local": round(res["local"]["seconds"] / secs, 2),
                **compare(out_local, out),
            }
            print(f"ray {w} workers: {res[f'ray_{w}_workers']}", file=sys.stderr)
    return res


def long_document(mb: float) -> Path:
    """One document of ``mb`` MB of text (paragraphs of 3 sentences), ingested."""
    from annotate.ingestion import ingest

    out = WORK / f"long_{mb:g}mb.parquet"
    if out.is_file():
        return out
    docs = WORK / f"long_{mb:g}mb"
    docs.mkdir(parents=True, exist_ok=True)
    paras, size, i = [], 0, 0
    while size < mb * 1_000_000:
        p = " ".join(sentence(i + j) for j in range(3))
        paras.append(p)
        size += len(p) + 2
        i += 3
    (docs / "long.txt").write_text("\n\n".join(paras) + "\n", encoding="utf-8")
    ingest([docs], out, dedupe=False)
    return out


OLD_PATHS = ("annotate", "models/default", "labels.yaml")


def old_tree(rev: str) -> Path:
    """The ``annotate`` package, default model and labels.yaml of ``rev`` (git archive),
    for the before figure: old code with the model it shipped."""
    dest = WORK / f"old_{rev}"
    if not (dest / "models" / "default").is_dir():
        dest.mkdir(parents=True, exist_ok=True)
        tar = WORK / f"old_{rev}.tar"
        subprocess.run(
            ["git", "-C", str(ROOT), "archive", "-o", str(tar), rev, *OLD_PATHS],
            check=True,
        )
        with tarfile.open(tar) as tf:
            tf.extractall(dest, filter="data")
    return dest


def peak_rss(src: Path, code: Path, limit_s: float) -> dict:
    """Run `annotate prelabel` from ``code`` (its package, default model and labels.yaml)
    on ``src``; VmRSS sampled every 0.5 s. The process runs in ``code``, since
    ``python -m`` puts the working folder ahead of PYTHONPATH."""
    dst = (WORK / f"{src.stem}.{code.name}.prelabels.parquet").resolve()
    dst.unlink(missing_ok=True)  # a run before wrote it: prelabel refuses to replace it
    env = {**os.environ, "PYTHONPATH": str(code)}
    cmd = [sys.executable, "-m", "annotate", "prelabel", str(src.resolve()), "--out", str(dst)]
    cmd += [
        "-q",
        "--model",
        str(code / "models" / "default"),
        "--labels",
        str(code / "labels.yaml"),
    ]
    from _measure import run_sampling_rss

    run = run_sampling_rss(cmd, interval=0.5, limit_s=limit_s, env=env, cwd=code)
    samples, secs, stopped = run.samples, run.seconds, run.stopped
    if run.status != 0 and not stopped:
        raise SystemExit(f"prelabel failed: {run.proc.stderr.read().decode()[-2000:]}")
    marks = {}
    for at in (30, 60, 120, 240, 480):
        before = [r for s, r in samples if s <= at]
        if before and at <= secs:
            marks[f"rss_at_{at}s_mib"] = round(before[-1], 1)
    return {
        "max_rss_mib": round(run.max_rss_mib, 1),
        "seconds": round(secs, 1),
        "completed": not stopped,
        **marks,
    }


def memory(mb: float, old_rev: str, limit_s: float) -> dict:
    import pyarrow.parquet as pq

    src = long_document(mb)
    res: dict = {
        "document_mb": round(
            sum(len(t) for t in pq.read_table(src, columns=["text"])[0].to_pylist()) / 1e6, 2
        ),
        "passages": pq.ParquetFile(src).metadata.num_rows,
        "limit_seconds": limit_s,
    }
    res["windows"] = peak_rss(src, ROOT, limit_s)
    print(f"memory, windows: {res['windows']}", file=sys.stderr)
    res[f"old_{old_rev}"] = peak_rss(src, old_tree(old_rev), limit_s)
    print(f"memory, {old_rev}: {res[f'old_{old_rev}']}", file=sys.stderr)
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=240, help="passages for the throughput runs")
    ap.add_argument("--doc-mb", type=float, default=10.0, help="size of the long document")
    ap.add_argument("--old-rev", default="409ed06", help="revision for the before figure")
    ap.add_argument("--memory-seconds", type=float, default=0, help="stop each memory run")
    ap.add_argument("--skip-ray", action="store_true")
    ap.add_argument("--skip-memory", action="store_true")
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    WORK.mkdir(parents=True, exist_ok=True)
    res: dict = {"machine": machine()}
    print(f"machine: {res['machine']}", file=sys.stderr)
    if not args.skip_ray:
        res["throughput"] = throughput(args.n)
    if not args.skip_memory:
        res["memory"] = memory(args.doc_mb, args.old_rev, args.memory_seconds)
    res["uptime_after"] = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    (WORK / "bench_ray.json").write_text(json.dumps(res, indent=2) + "\n")
    print(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
