"""How fast do the load signals see a machine become busy, and idle again?

The default thread rule (annotate/classifier/threads.py) subtracts the machine's other
work from its usable CPUs. Two signals for that work are compared here, tick by tick,
against the tasks ``ps`` sees in state R at the same moment (other users of a shared
machine included, so the comparison is relative, not absolute):

- ``load1``: the 1-minute load average (``os.getloadavg()[0]``), an exponential mean
  (time constant 60 s) of the runnable and uninterruptible tasks;
- ``runnable``: :func:`annotate.classifier.threads.runnable_others`, ``procs_running``
  from /proc/stat read 6 times 0.05 s apart, less this process's running threads, averaged
  (``runnable1``: a single read).

Phases: ``--before`` seconds as the machine is; then ``--busy`` busy-loop processes
(``python -c 'while True: pass'``) for ``--during`` seconds; then they are killed (by
their process ids) and the signals watched for ``--after`` seconds. A tick every
``--tick`` seconds. ``ps_r`` counts the threads in state R (``ps -eLo pid,stat``) other
than ``ps`` itself and this benchmark's own process.

Run: ``nice -n 5 .venv/bin/python benchmarks/bench_load_signal.py [--busy 2]
[--json benchmarks/results/load_signal.json]``. Prints a per-phase summary and writes
every tick to the JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from annotate.classifier.threads import procs_running, runnable_others, usable_cpus

ROOT = Path(__file__).resolve().parent.parent
BUSY = "while True: pass"
FLAGS = ("avx2", "avx512f", "avx512_bf16", "amx_bf16")


def cpu_flags() -> list[str]:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("flags"):
            have = set(line.split(":", 1)[1].split())
            return sorted(f for f in FLAGS if f in have)
    return []


def ps_running() -> int:
    """Threads in state R other than ``ps`` itself and this process's."""
    proc = subprocess.Popen(
        ["ps", "-eLo", "pid,stat", "--no-headers"], stdout=subprocess.PIPE, text=True
    )
    out, _ = proc.communicate()
    skip = {proc.pid, os.getpid()}
    count = 0
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].startswith("R") and int(parts[0]) not in skip:
            count += 1
    return count


def tick(t0: float, phase: str, own_busy: int) -> dict:
    runnable = runnable_others()
    single = procs_running()
    return {
        "t": round(time.monotonic() - t0, 2),
        "phase": phase,
        "own_busy": own_busy,
        "load1": round(os.getloadavg()[0], 2),
        "runnable": runnable,
        "runnable1": None if single is None else max(0, single - 1),
        "ps_r": ps_running(),
    }


def watch(rows: list, t0: float, phase: str, seconds: float, step: float, own: int) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        started = time.monotonic()
        row = tick(t0, phase, own)
        rows.append(row)
        print(json.dumps(row), flush=True)
        time.sleep(max(0.0, step - (time.monotonic() - started)))


def summary(rows: list, phase: str, first: float, last: float) -> dict:
    """Means over the ticks of ``phase`` between ``first`` and ``last`` seconds into it."""
    ticks = [r for r in rows if r["phase"] == phase]
    if not ticks:
        return {}
    start = ticks[0]["t"]
    sel = [r for r in ticks if first <= r["t"] - start < last]
    if not sel:
        return {}

    def mean(key: str) -> float:
        return round(statistics.fmean(r[key] for r in sel), 2)

    return {
        "phase": phase,
        "window_s": [first, last],
        "ticks": len(sel),
        "ps_r": mean("ps_r"),
        "runnable": mean("runnable"),
        "runnable1": mean("runnable1"),
        "load1": mean("load1"),
        "runnable_minus_ps": round(statistics.fmean(r["runnable"] - r["ps_r"] for r in sel), 2),
        "load1_minus_ps": round(statistics.fmean(r["load1"] - r["ps_r"] for r in sel), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--busy", type=int, default=2)
    parser.add_argument("--before", type=float, default=30.0)
    parser.add_argument("--during", type=float, default=90.0)
    parser.add_argument("--after", type=float, default=120.0)
    parser.add_argument("--tick", type=float, default=1.0)
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks/results/load_signal.json")
    args = parser.parse_args()

    rows: list[dict] = []
    t0 = time.monotonic()
    started = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    watch(rows, t0, "before", args.before, args.tick, 0)
    procs = [subprocess.Popen([sys.executable, "-c", BUSY]) for _ in range(args.busy)]
    try:
        watch(rows, t0, "busy", args.during, args.tick, args.busy)
    finally:
        for p in procs:
            p.kill()
        for p in procs:
            p.wait()
    watch(rows, t0, "after", args.after, args.tick, 0)

    windows = [("before", 0, args.before)]
    for phase, length in (("busy", args.during), ("after", args.after)):
        windows += [(phase, 0, 10), (phase, 10, 30), (phase, 30, 60), (phase, 60, length)]
    result = {
        "command": "nice -n 5 python benchmarks/bench_load_signal.py " + " ".join(sys.argv[1:]),
        "started": started,
        "finished": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
        "machine": {
            "cpu_flags": cpu_flags(),
            "usable_cpus": usable_cpus(),
            "cpu_count": os.cpu_count(),
            "nice": os.nice(0),
        },
        "summary": [s for w in windows if (s := summary(rows, *w))],
        "ticks": rows,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=1) + "\n")
    print("\n| phase | seconds in | ps R | runnable | runnable - ps | load1 | load1 - ps |")
    print("|---|---|---|---|---|---|---|")
    for s in result["summary"]:
        a, b = s["window_s"]
        print(
            f"| {s['phase']} | {a:g}-{b:g} | {s['ps_r']} | {s['runnable']} | "
            f"{s['runnable_minus_ps']:+} | {s['load1']} | {s['load1_minus_ps']:+} |"
        )


if __name__ == "__main__":
    main()
