"""The fixed cost of CLI commands: wall and CPU time of fresh `python -m annotate ...`
processes on tiny inputs, and which heavy libraries each one imports.

    python benchmarks/bench_startup.py                      # this tree, 5 runs of each
    python benchmarks/bench_startup.py --tree old=/tmp/old --tree new=. --runs 7
    python benchmarks/bench_startup.py --skip prelabel --json startup.json

Every run is its own process (as a user's or a test's), with the tree on PYTHONPATH,
HF_HUB_OFFLINE=1 and a scratch working directory (no Label Studio there: `studio status`
says "stopped"). Trees are run alternately (old, new, old, new, ...), so load from other
jobs falls on both alike. Wall: perf_counter around the process; CPU: its user + sys
time (wait4). Then one `-X importtime` run of each command per tree lists the heavy
libraries it imported and the import time (the sum of every module's own time).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _machine import cpu_flags, cpu_model, load_average

HEAVY = (
    "torch",
    "transformers",
    "datasets",
    "scipy",
    "sklearn",
    "pandas",
    "pyarrow",
    "duckdb",
    "datasketch",
    "label_studio_sdk",
    "matplotlib",
    "ray",
)

DOCS = {
    "a.txt": "The council met on Tuesday to discuss the new bus routes through the east side "
    "of town.\nResidents asked for more frequent service in the mornings.\n\nThe mayor said "
    "a decision would come next month after a public consultation.\n",
    "b.txt": "A storm knocked out power to several thousand homes overnight.\nCrews worked "
    "through the morning to restore the lines near the river.\n\nSchools in the district "
    "opened two hours late.\n",
    "c.txt": "The council met on Tuesday to discuss the new bus routes through the east side "
    "of the town.\nResidents asked for more frequent service in the mornings and evenings."
    "\n\nLocal bakery wins regional award for its sourdough bread.\n",
}

# name -> argv after `python -m annotate`; {out} is a fresh output path per run
COMMANDS: dict[str, list[str]] = {
    "help": ["--help"],
    "export --help": ["export", "--help"],
    "studio status": ["studio", "status"],
    "ingest 1 file": ["ingest", "docs/a.txt", "-o", "{out}.jsonl", "-q"],
    "ingest 3 files": ["ingest", "docs", "-o", "{out}.jsonl", "-q"],
    "ingest 3 files --no-near-dups": [
        *("ingest", "docs", "-o", "{out}.jsonl", "-q", "--no-near-dups")
    ],
    "prelabel 5 passages": ["prelabel", "five.jsonl", "-o", "{out}.jsonl", "-q"],
    "review status (no server)": ["review", "status", "--project", "P"],
}
# a command that talks to Label Studio, timed to the point where it finds no server
# (a closed port): its imports and set-up, plus the connection's retries
NO_SERVER = {"LABEL_STUDIO_URL": "http://127.0.0.1:9", "LABEL_STUDIO_API_KEY": "x"}


def _work_dir() -> Path:
    work = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    (work / "docs").mkdir()
    for name, text in DOCS.items():
        (work / "docs" / name).write_text(text)
    return work


def _env(tree: Path, name: str = "") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LABEL_STUDIO_")}
    env.update(PYTHONPATH=str(tree), HF_HUB_OFFLINE="1")
    return {**env, **NO_SERVER} if "no server" in name else env


def _argv(name: str, out: Path) -> list[str]:
    return [a.replace("{out}", str(out)) for a in COMMANDS[name]]


def run_once(tree: Path, name: str, work: Path, n: int) -> tuple[float, float, int]:
    """(wall s, CPU s = user + sys, exit status) of one fresh process."""
    cmd = [sys.executable, "-m", "annotate", *_argv(name, work / f"out{n}")]
    t = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=work, env=_env(tree, name), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime, proc.returncode


def imports_of(tree: Path, name: str, work: Path) -> dict[str, object]:
    """One ``-X importtime`` run: import time (s, sum of self times), modules, heavy
    top-level packages imported (with their own modules' summed self time, s)."""
    cmd = [sys.executable, "-X", "importtime", "-m", "annotate", *_argv(name, work / "imp")]
    env = _env(tree, name)
    err = subprocess.run(
        cmd, cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    ).stderr
    total, modules, heavy = 0, 0, {}
    for line in err.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, _, mod = line[len("import time:") :].split("|", 2)
        total += int(own)
        modules += 1
        top = mod.strip().split(".")[0]
        if top in HEAVY:
            heavy[top] = heavy.get(top, 0) + int(own)
    for f in work.glob("imp*"):
        f.unlink()
    return {
        "import_s": round(total / 1e6, 3),
        "modules": modules,
        "heavy": {k: round(v / 1e6, 3) for k, v in sorted(heavy.items(), key=lambda kv: -kv[1])},
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--tree",
        action="append",
        default=[],
        metavar="LABEL=PATH",
        help="a source tree to time (repeat to compare; default: this one)",
    )
    ap.add_argument("--runs", type=int, default=5, help="runs of each command per tree")
    ap.add_argument("--skip", action="append", default=[], help="skip commands containing this")
    ap.add_argument("--json", type=Path, help="write the figures here too")
    args = ap.parse_args()
    trees = [
        (t.split("=", 1)[0], Path(t.split("=", 1)[1]).resolve())
        for t in args.tree or [f"this={Path(__file__).resolve().parents[1]}"]
    ]
    names = [n for n in COMMANDS if not any(s in n for s in args.skip)]
    work = _work_dir()
    first_tree = trees[0][1]
    if any(n.startswith("prelabel") for n in names):  # five passages: the three files'
        subprocess.run(
            [sys.executable, "-m", "annotate", "ingest", "docs", "-o", "five.jsonl", "-q"],
            cwd=work,
            env=_env(first_tree),
            stdout=subprocess.DEVNULL,
            check=True,
        )
    header = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "cpu": cpu_model(),
        "cpu_count": os.cpu_count(),
        "cpu_flags": cpu_flags(),
        "python": sys.version.split()[0],
        "load_average_start": load_average(),
        "runs": args.runs,
    }
    print(json.dumps(header))
    results: dict[str, dict[str, dict[str, object]]] = {}
    n = 0
    for name in names:
        walls: dict[str, list[float]] = {label: [] for label, _ in trees}
        cpus: dict[str, list[float]] = {label: [] for label, _ in trees}
        codes: dict[str, set[int]] = {label: set() for label, _ in trees}
        loads = []
        for _ in range(args.runs):
            for label, tree in trees:
                n += 1
                wall, cpu, code = run_once(tree, name, work, n)
                walls[label].append(wall)
                cpus[label].append(cpu)
                codes[label].add(code)
                loads.append(os.getloadavg()[0])
        for label, tree in trees:
            row = {
                "wall_median_s": round(statistics.median(walls[label]), 3),
                "wall_min_s": round(min(walls[label]), 3),
                "cpu_median_s": round(statistics.median(cpus[label]), 3),
                "cpu_min_s": round(min(cpus[label]), 3),
                "exit": sorted(codes[label]),
                "load_1min": [round(min(loads), 2), round(max(loads), 2)],
                **imports_of(tree, name, work),
            }
            results.setdefault(name, {})[label] = row
            heavy = ", ".join(f"{k} {v:.2f}" for k, v in row["heavy"].items()) or "-"
            print(
                f"{name:32s} {label:6s} wall {row['wall_median_s']:6.2f} (min "
                f"{row['wall_min_s']:5.2f}) s  CPU {row['cpu_median_s']:6.2f} (min "
                f"{row['cpu_min_s']:5.2f}) s  imports {row['import_s']:5.2f} s, "
                f"{row['modules']} modules; heavy: {heavy}  exit {row['exit']}",
                flush=True,
            )
    header["load_average_end"] = load_average()
    print(json.dumps({"load_average_end": header["load_average_end"]}))
    if args.json:
        args.json.write_text(json.dumps({**header, "results": results}, indent=1) + "\n")


if __name__ == "__main__":
    main()
