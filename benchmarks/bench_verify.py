"""`annotate verify` on synthetic exports of N rows: wall time and peak RSS, per code tree.

    .venv/bin/python benchmarks/bench_verify.py --n 10000 --n 100000 [--code before=/tmp/vs_old]

Each size's export is written once, without Label Studio: ``benchmarks/_studio.py``'s
synthetic prelabel rows (10 passages per document, every 7th relabelled by the reviewer;
offsets as ingest writes them and one stand-in ingest run, so verify checks every row's
offsets, as on an export of ingest's passages) turned into snapshot-shaped tasks and
exported through ``tests/audit/fakes.py``'s ``FakeStudio`` with export's defaults (its own
near-duplicate search on). Then `annotate verify DIR --quiet` runs on it in its own
process (``benchmarks/_peak.py``: peak RSS is the command's own VmHWM) with this tree's
code and, with ``--old PATH``, with the code of other checkouts (``--code NAME=PATH``,
made with ``git worktree add PATH COMMIT``; run through PYTHONPATH=PATH), one after the
other on the same export. Results: benchmarks/.work/bench_verify.json, with the machine's
CPU flags and the load averages.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from _machine import load_average, run_header
from _measure import run_annotate
from _studio import WORK, reviewed_result, synthetic_prelabels, synthetic_tasks

from annotate.corpus.export import export
from annotate.taxonomy import load_taxonomy

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from tests.audit.fakes import FakeStudio, annotation  # noqa: E402  (the tests' fake studio)


def synthetic_export(n: int, out: Path) -> dict[str, Any]:
    """Export ``n`` reviewed synthetic tasks to ``out``: rows, splits, seconds, MB."""
    tax = load_taxonomy()
    tasks = synthetic_tasks(tax, synthetic_prelabels(tax, n, seed=1, ingest_run=True))
    for i, task in enumerate(tasks):
        task["id"] = i + 1
        task["annotations"] = [
            annotation(i + 1, 1 + i % 3, reviewed_result(task, i), minute=i % 60, lead_time=5.0)
        ]
    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    done = export("bench-verify", out, client=FakeStudio(tasks), salt="bench")
    seconds = time.perf_counter() - t0
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 1e6
    return {
        "rows": done.rows,
        "splits": done.splits,
        "export_s": round(seconds, 1),
        "mb": round(size, 1),
    }


def run_verify(corpus: Path, code: Path) -> dict[str, Any]:
    """`annotate verify CORPUS --quiet` with the code of ``code``: wall s, CPU s, peak RSS
    MiB, exit code and the output's tail."""
    run = run_annotate(["verify", str(corpus), "--quiet"], WORK, {"PYTHONPATH": str(code)})
    rss = run.peak_rss_mib
    return {
        "wall_s": round(run.wall_s, 1),
        "cpu_s": round(run.cpu_s, 1),
        "peak_rss_mib": None if rss is None else round(rss, 1),
        "rc": run.proc.returncode,
        "output": (run.proc.stdout + run.proc.stderr)[-600:],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, action="append", help="rows (repeat); default 10000")
    parser.add_argument(
        "--code",
        action="append",
        default=[],
        help="NAME=PATH: another checkout to time too (repeat); this tree is 'this'",
    )
    parser.add_argument(
        "--export",
        type=Path,
        action="append",
        default=[],
        help="an export written before (synthetic_export) to verify instead of writing one "
        "(repeat; kept afterwards)",
    )
    args = parser.parse_args()
    results: dict[str, Any] = {**run_header(), "runs": []}
    codes = {n: Path(p) for n, p in (c.split("=", 1) for c in args.code)} | {"this": ROOT}
    jobs: list[tuple[int | None, Path]] = [(None, p) for p in args.export]
    for n, out in jobs or [(n, WORK / f"verify-export-{n}") for n in args.n or [10_000]]:
        if n is None:  # given: its rows from its manifest
            rows = json.loads((out / "manifest.json").read_text())["rows"]
            run: dict[str, Any] = {"n": rows["total"], "export": {"dir": str(out), **rows}}
        else:
            run = {"n": n, "export": synthetic_export(n, out)}
        for name, code in codes.items():
            run[name] = {**run_verify(out, code), "load_average": load_average()}
            print(n, name, {k: v for k, v in run[name].items() if k != "output"}, flush=True)
        results["runs"].append(run)
        if n is not None:
            shutil.rmtree(out, ignore_errors=True)
    results["load_average_end"] = load_average()
    (WORK / "bench_verify.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
