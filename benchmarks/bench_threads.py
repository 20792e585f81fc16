"""Torch threads on an idle and a busy machine: is a load-aware default worth it?

The default model (models/default) scores the same passages with 1 and with 2 torch
threads (``torch.set_num_threads``, in one process, the model loaded once), first with
no busy process of this benchmark's own, then beside 1 and 2 busy-loop processes
(``python -c 'while True: pass'``) that the benchmark starts, gives ``--settle`` seconds
for the 1-minute load average to see them, and kills by their process ids. Thread counts
alternate 1, 2, 2, 1, ... so drifts in the machine's other load fall on both. Each row
records the 1-minute load average before it (other users of a shared machine included),
and each condition what the default rule (:func:`annotate.classifier.threads.resolve_threads`)
would pick at that moment.

In the same run: the largest score difference between 1 and 2 threads, at the model's
precision (auto) and at fp32 (a second classifier).

Run: ``nice -n 5 .venv/bin/python benchmarks/bench_threads.py [--n 256] [--reps 2]
[--busy 0 1 2] [--settle 60] [--json benchmarks/results/threads.json]``.
Prints a Markdown table and writes the JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench_prelabel import passages

ROOT = Path(__file__).resolve().parent.parent
BUSY = "while True: pass"


def cpu_flags() -> list[str]:
    from annotate.classifier.device import cpu_flags as flags

    return sorted({"avx2", "avx512f", "avx512_bf16", "amx_bf16"} & flags())


def load1() -> float:
    return round(os.getloadavg()[0], 2)


def timed_predict(clf, inputs, threads: int) -> tuple[float, list]:
    import torch

    torch.set_num_threads(threads)
    clf.predict(inputs[:8])  # warm at this thread count
    t0 = time.perf_counter()
    preds = clf.predict(inputs)
    return time.perf_counter() - t0, preds


def max_score_diff(a: list, b: list) -> float:
    return max(
        abs(float(p.scores[k]) - float(q.scores[k]))
        for p, q in zip(a, b, strict=True)
        for k in p.scores
    )


def wait_for_quiet(below: float | None, wait_max: float) -> float | None:
    """Wait (up to ``wait_max`` seconds) until the 1-minute load average is below
    ``below``: the other users of a shared machine paused. Returns the seconds waited,
    None when it never got that quiet (the condition then runs anyway, its load recorded)."""
    if below is None:
        return 0.0
    t0 = time.monotonic()
    while load1() >= below:
        if time.monotonic() - t0 > wait_max:
            return None
        time.sleep(5)
    return round(time.monotonic() - t0, 1)


def condition(
    clf, inputs, busy: int, reps: int, settle: float, quiet_below: float | None, wait_max: float
) -> dict:
    from annotate.classifier.threads import resolve_threads

    waited = wait_for_quiet(quiet_below, wait_max)
    background = load1()  # before this benchmark's busy loops start
    procs = [
        subprocess.Popen([sys.executable, "-c", BUSY], stdin=subprocess.DEVNULL)
        for _ in range(busy)
    ]
    try:
        if busy:
            time.sleep(settle)
        rule = resolve_threads(environ={})
        rows = []
        order = [1, 2, 2, 1] * ((reps + 1) // 2)
        for t in order[: 2 * reps]:
            before = load1()
            secs, _ = timed_predict(clf, inputs, t)
            rows.append(
                {
                    "threads": t,
                    "passages_per_s": round(len(inputs) / secs, 1),
                    "seconds": round(secs, 2),
                    "load1_before": before,
                    "load1_after": load1(),
                }
            )
            print(f"busy {busy}: {rows[-1]}", file=sys.stderr, flush=True)
    finally:
        for p in procs:
            p.kill()
            p.wait()
    med = {
        t: statistics.median(r["passages_per_s"] for r in rows if r["threads"] == t) for t in (1, 2)
    }
    return {
        "busy_loops": busy,
        "background_load1": background,
        "waited_for_quiet_s": waited,
        "rule_picks": rule.count,
        "rule_source": rule.source,
        "rows": rows,
        "median_passages_per_s": {str(t): round(v, 1) for t, v in med.items()},
        "ratio_1_over_2": round(med[1] / med[2], 2),
        "load1_range": [min(r["load1_before"] for r in rows), max(r["load1_after"] for r in rows)],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=256, help="passages per timed run")
    ap.add_argument("--reps", type=int, default=2, help="timed runs per thread count")
    ap.add_argument("--busy", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--settle", type=float, default=60.0, help="seconds after starting busy loops")
    ap.add_argument(
        "--quiet-below",
        type=float,
        default=None,
        help="before each condition, wait until the 1-minute load average is below this",
    )
    ap.add_argument("--wait-max", type=float, default=900.0, help="longest such wait (s)")
    ap.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results" / "threads.json")
    args = ap.parse_args()

    import torch

    from annotate.classifier import PassageInput, load_classifier
    from annotate.classifier.threads import usable_cpus
    from annotate.taxonomy import load_taxonomy

    tax = load_taxonomy(ROOT / "labels.yaml")
    rows = passages(args.n)
    inputs = [
        PassageInput(
            id=r["id"], text=r["text"], doc_id=r["doc_id"], passage_index=r["passage_index"]
        )
        for r in rows
    ]
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    clf = load_classifier(None, tax)
    result: dict = {
        "command": "nice -n 5 python benchmarks/bench_threads.py " + " ".join(sys.argv[1:]),
        "started": started,
        "machine": {
            "cpu_flags": cpu_flags(),
            "usable_cpus": usable_cpus(),
            "cpu_count": os.cpu_count(),
            "nice": os.nice(0),
            "python": platform.python_version(),
            "torch": torch.__version__,
        },
        "model": clf.version,
        "precision": clf.encoder.precision,
        "n_passages": args.n,
        "conditions": [
            condition(clf, inputs, b, args.reps, args.settle, args.quiet_below, args.wait_max)
            for b in args.busy
        ],
    }
    # scores do not depend on the thread count (within float noise): same passages
    sample = inputs[:64]
    _, p1 = timed_predict(clf, sample, 1)
    _, p2 = timed_predict(clf, sample, 2)
    fp32 = load_classifier(None, tax, precision="fp32")
    _, f1 = timed_predict(fp32, sample, 1)
    _, f2 = timed_predict(fp32, sample, 2)
    result["max_abs_score_diff_1_vs_2_threads"] = {
        clf.encoder.precision: max_score_diff(p1, p2),
        "fp32": max_score_diff(f1, f2),
        "passages": len(sample),
    }
    result["finished"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=1) + "\n")

    flags = " ".join(result["machine"]["cpu_flags"])
    print(f"\nCPU flags {flags}; precision {result['precision']}")
    print(
        "| busy loops | background load1 | load1 during | rule picks | 1 thread p/s "
        "| 2 threads p/s | 1/2 |"
    )
    print("|---|---|---|---|---|---|---|")
    for c in result["conditions"]:
        m = c["median_passages_per_s"]
        lo, hi = c["load1_range"]
        print(
            f"| {c['busy_loops']} | {c['background_load1']} | {lo}-{hi} | {c['rule_picks']} "
            f"| {m['1']} | {m['2']} | "
            f"{c['ratio_1_over_2']} |"
        )
    diff = result["max_abs_score_diff_1_vs_2_threads"]
    print(f"max |score(1 thread) - score(2 threads)|: {diff}")


if __name__ == "__main__":
    main()
