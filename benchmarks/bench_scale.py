"""Scale: ingest of many short passages and push of many tasks, peak RSS against a small run.

    .venv/bin/python benchmarks/bench_scale.py ingest --n 10000 --n 1000000
    .venv/bin/python benchmarks/bench_scale.py push --n 10000 --n 50000

Each measured command runs as its own process (``benchmarks/_peak.py`` runs the
`annotate` CLI and records its peak RSS), so figures are the command's own, not this
script's. ``push`` also imports the same tasks into a fresh project with ONE
``projects.import_tasks`` request through the SDK (Label Studio's raw bulk import, no
checks, no resume, no ordering) and reports push throughput as a ratio to it. Runs
against $LABEL_STUDIO_URL (with $LABEL_STUDIO_API_KEY), else a fresh local server in
benchmarks/.work. Results: benchmarks/.work/bench_scale_{ingest,push}.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from _machine import cpu_flags
from _studio import WORDS, WORK, machine, studio, synthetic_prelabels, write_jsonl

from annotate.review.view import link_neighbours
from annotate.studio.label_config import parse_label_config
from annotate.studio.tasks import row_to_task
from annotate.taxonomy import load_taxonomy

HERE = Path(__file__).resolve().parent


def run_cli(args: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run `annotate ARGS` in its own process: wall seconds, peak RSS (MiB), output."""
    peak = WORK / f"peak-{uuid.uuid4().hex[:8]}.txt"
    full_env = {**os.environ, **(env or {}), "PEAK_RSS_FILE": str(peak)}
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(HERE / "_peak.py"), *args],
        env=full_env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"annotate {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    rss = int(peak.read_text()) / 1024
    peak.unlink()
    output = (proc.stdout + proc.stderr)[-2000:]
    return {"wall_s": round(wall, 1), "peak_rss_mib": round(rss, 1), "output": output}


def write_documents(path: Path, n: int, seed: int = 0) -> Path:
    """``n`` one-passage documents of 12-25 words; 1 % are near-copies of an earlier one
    (one word changed), so the near-duplicate search has groups to find."""
    rng = random.Random(seed)
    recent: list[str] = []
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            if recent and rng.random() < 0.01:
                words = rng.choice(recent).split()
                words[rng.randrange(len(words))] = rng.choice(WORDS)
                text = " ".join(words)
            else:
                text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 25)))
                text = text.capitalize() + f" {i}."  # the number keeps documents distinct
            if len(recent) < 1000:
                recent.append(text)
            else:
                recent[rng.randrange(1000)] = text
            fh.write(json.dumps({"id": f"d{i:07d}", "text": text}) + "\n")
    return path


def bench_ingest(sizes: list[int], near_dups: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"machine": machine(), "cpu_flags": cpu_flags(), "runs": []}
    for n in sizes:
        docs = write_documents(WORK / f"docs-{n}.jsonl", n)
        target = WORK / f"passages-{n}.parquet"
        args = ["ingest", str(docs), "--out", str(target), "--min-chars", "0", "--quiet"]
        if not near_dups:
            args.append("--no-near-dups")
        run = run_cli(args)
        run.update(n_documents=n, near_dups=near_dups, command=" ".join(["annotate", *args]))
        m = re.search(r"-> (\d+) passages", run["output"])
        run["passages"] = int(m.group(1)) if m else None
        run["passages_per_s"] = round((run["passages"] or 0) / run["wall_s"], 1)
        out["runs"].append(run)
        print(json.dumps(run), flush=True)
        docs.unlink()
        target.unlink()
    small, big = out["runs"][0], out["runs"][-1]
    out["rss_ratio_largest_vs_smallest"] = round(big["peak_rss_mib"] / small["peak_rss_mib"], 2)
    return out


def bench_push(sizes: list[int], batch_size: int, repush: bool = True) -> dict[str, Any]:
    tax = load_taxonomy()
    config = parse_label_config(tax.render_label_config())
    out: dict[str, Any] = {"machine": machine(), "cpu_flags": cpu_flags(), "runs": []}
    with studio() as client:
        env = {"LABEL_STUDIO_URL": client.url, "LABEL_STUDIO_API_KEY": client.conn.api_key}
        for n in sizes:
            rows = synthetic_prelabels(tax, n, seed=n)
            path = write_jsonl(WORK / f"prelabels-{n}.jsonl", rows)
            project = f"bench-scale-{n}-{uuid.uuid4().hex[:6]}"
            args = ["push", str(path), "--project", project, "--quiet"]
            args += ["--batch-size", str(batch_size)]
            run = run_cli(args, env)
            run.update(n=n, command=" ".join(["annotate", *args]))
            if repush:
                run["repush_noop_s"] = run_cli(args, env)["wall_s"]

            tasks = [row_to_task(r, tax, config, where="bench") for r in rows]
            link_neighbours(tasks, tax)
            del rows
            raw = client.create_project(
                f"bench-raw-{n}-{uuid.uuid4().hex[:6]}", tax.render_label_config()
            )
            t0 = time.perf_counter()
            answer = client.sdk.projects.import_tasks(
                raw["id"], request=tasks, return_task_ids=False, request_options={"max_retries": 0}
            )
            raw_s = time.perf_counter() - t0
            assert int(answer.task_count or 0) == n, answer
            del tasks
            run["raw_bulk_import_s"] = round(raw_s, 1)
            run["push_tasks_per_s"] = round(n / run["wall_s"], 1)
            run["raw_tasks_per_s"] = round(n / raw_s, 1)
            run["push_vs_raw_throughput"] = round(raw_s / run["wall_s"], 2)
            out["runs"].append(run)
            print(json.dumps(run), flush=True)
            path.unlink()
    small, big = out["runs"][0], out["runs"][-1]
    out["rss_ratio_largest_vs_smallest"] = round(big["peak_rss_mib"] / small["peak_rss_mib"], 2)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("what", choices=["ingest", "push"])
    parser.add_argument("--n", type=int, action="append", required=True)
    parser.add_argument("--no-near-dups", action="store_true")
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--no-repush", action="store_true", help="skip the no-op re-push")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    uptime_before = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    if args.what == "ingest":
        results = bench_ingest(args.n, not args.no_near_dups)
    else:
        results = bench_push(args.n, args.batch_size, not args.no_repush)
    results["uptime_before"] = uptime_before
    results["uptime_after"] = subprocess.run(
        ["uptime"], capture_output=True, text=True
    ).stdout.strip()
    results["elapsed_s"] = round(time.time() - t0, 1)
    target = WORK / f"bench_scale_{args.what}.json"
    target.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps({k: v for k, v in results.items() if k != "runs"}, indent=2))


if __name__ == "__main__":
    main()
