"""Scale: ingest of many short passages and push of many tasks, peak RSS against a small run.

    .venv/bin/python benchmarks/bench_scale.py ingest --n 10000 --n 1000000
    .venv/bin/python benchmarks/bench_scale.py push --n 10000 --n 50000 --n 200000

Each measured command runs as its own process (``benchmarks/_peak.py`` runs the
`annotate` CLI and records its own peak RSS, VmHWM: not ``ru_maxrss``, which a child
inherits from the process that spawned it), so figures are the command's own, not this
script's. ``push`` first imports 200 tasks into a scratch project (a fresh server loads
its import code on the first import) and pushes the same 200 with the CLI (which caches
the bytecode of what it imports, see ``run_cli``), then, for each size, pushes, and imports the same
tasks into a fresh project with Label Studio's raw bulk import: the tasks serialised to
JSON beforehand (not timed), then ONE ``POST /api/projects/ID/import`` carrying all of
them (no checks, no resume, no ordering, no client-side encoding: the server's floor; a
body over the server's 250 MB upload limit is split into the fewest equal requests under
it), and reports push throughput as a ratio to it. ``--sdk-raw`` also times the same
import through the SDK's ``projects.import_tasks`` (which encodes the request in Python
first). Runs against $LABEL_STUDIO_URL (with $LABEL_STUDIO_API_KEY), else a fresh local
server in benchmarks/.work. Results: benchmarks/.work/bench_scale_{ingest,push}.json.
With the local server, each push and raw import also records CPU seconds (the push
command's own, and the server's during each side) and ``push_vs_raw_cpu``: on a shared
machine wall times swing with the other jobs' load, CPU seconds much less.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import time
import uuid
from pathlib import Path
from typing import Any

from _machine import cpu_flags
from _measure import run_annotate
from _studio import (
    WORDS,
    WORK,
    machine,
    studio,
    synthetic_prelabels,
    synthetic_tasks,
    write_jsonl,
)

from annotate.review.view import link_neighbours
from annotate.studio.connection import URL_ENV, read_state, studio_paths
from annotate.taxonomy import load_taxonomy

HERE = Path(__file__).resolve().parent


def run_cli(args: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run `annotate ARGS` in its own process (:func:`_measure.run_annotate`: bytecode
    cached, its own peak RSS): wall seconds, CPU seconds, peak RSS (MiB), output; exits
    naming the command where it fails."""
    run = run_annotate(args, WORK, env)
    proc = run.proc
    if proc.returncode != 0 or run.peak_rss_mib is None:
        raise SystemExit(f"annotate {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return {
        "wall_s": round(run.wall_s, 1),
        "cpu_s": round(run.cpu_s, 2),
        "peak_rss_mib": round(run.peak_rss_mib, 1),
        "output": (proc.stdout + proc.stderr)[-2000:],
    }


def server_pid() -> int | None:
    """The local Label Studio's process id (None: a server given by $LABEL_STUDIO_URL)."""
    if os.environ.get(URL_ENV):
        return None
    state = read_state(studio_paths(WORK / "studio"))
    pid = (state or {}).get("pid")
    return pid if isinstance(pid, int) else None


def process_cpu_s(pid: int | None) -> float:
    """CPU seconds (user + system, its waited-for children included) of a process so far;
    0.0 without one. On this shared machine a side's wall time swings with the other jobs'
    load, its CPU time much less: the server's CPU per side says where a difference goes."""
    if pid is None:
        return 0.0
    with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


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
        target.unlink(missing_ok=True)  # a run before wrote it: ingest refuses to replace it
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


RAW_BODY_LIMIT = 240 * 1024 * 1024  # Label Studio's DATA_UPLOAD_MAX_MEMORY_SIZE is 250 MiB


def raw_import(client: Any, project_id: int, tasks: list[dict[str, Any]]) -> tuple[float, int]:
    """Label Studio's bulk import of ``tasks`` as plain HTTP POSTs of ready JSON: (seconds
    of the requests alone, number of requests)."""
    blobs = [json.dumps(t, ensure_ascii=False, separators=(",", ":")) for t in tasks]
    size = sum(len(b.encode("utf-8")) + 1 for b in blobs)
    parts = -(-size // RAW_BODY_LIMIT)
    step = -(-len(blobs) // parts)
    bodies = [
        ("[" + ",".join(blobs[i : i + step]) + "]").encode("utf-8")
        for i in range(0, len(blobs), step)
    ]
    del blobs
    http = client.sdk._client_wrapper.httpx_client
    created = 0
    t0 = time.perf_counter()
    for body in bodies:
        resp = http.request(
            f"api/projects/{project_id}/import",
            method="POST",
            content=body,
            headers={"Content-Type": "application/json"},
            request_options={"max_retries": 0, "timeout_in_seconds": 3600},
        )
        assert resp.status_code == 201, resp.text[:500]
        created += int(resp.json()["task_count"])
    seconds = time.perf_counter() - t0
    assert created == len(tasks), (created, len(tasks))
    return seconds, len(bodies)


def bench_push(
    sizes: list[int],
    batch_size: int | None,
    repush_max: int,
    sdk_raw: bool,
    with_raw: bool,
    rounds: int = 1,
    rounds_max: int = 10_000,
    baseline: Path | None = None,
) -> dict[str, Any]:
    tax = load_taxonomy()
    # --baseline: the same push with another checkout's code, on the same server, in
    # the same rounds (its own bytecode cache: run_cli's cache is keyed by source path)
    base_env = None if baseline is None else {"PYTHONPATH": str(baseline.resolve())}
    out: dict[str, Any] = {"machine": machine(), "cpu_flags": cpu_flags(), "runs": []}
    with studio() as client:
        env = {"LABEL_STUDIO_URL": client.url, "LABEL_STUDIO_API_KEY": client.conn.api_key}
        spid = server_pid()

        def timed_push(push_args: list[str], push_env: dict[str, str]) -> dict[str, Any]:
            before = process_cpu_s(spid)
            done = run_cli(push_args, push_env)
            done["server_cpu_s"] = round(process_cpu_s(spid) - before, 2)
            return done

        def timed_raw(project_id: int, tasks: list[dict[str, Any]]) -> tuple[float, int, float]:
            before = process_cpu_s(spid)
            seconds, requests = raw_import(client, project_id, tasks)
            return seconds, requests, round(process_cpu_s(spid) - before, 2)

        # a fresh server loads its import code on the first import: warm it up first, so
        # neither side of the first comparison pays for that
        warm = client.create_project(
            f"bench-warm-{uuid.uuid4().hex[:6]}", tax.render_label_config()
        )
        warm_rows = synthetic_prelabels(tax, 200, seed=1)
        raw_import(client, int(warm["id"]), synthetic_tasks(tax, warm_rows, where="w"))
        # and a push of the same rows: the server's paths a push takes, and the bytecode
        # of the modules the command imports (see run_cli)
        warm_path = write_jsonl(WORK / "prelabels-warm.jsonl", warm_rows)
        out["warm_push"] = run_cli(
            ["push", str(warm_path), "--project", f"bench-warm-push-{uuid.uuid4().hex[:6]}", "-q"],
            env,
        )
        if base_env is not None:
            title = f"bench-warm-base-{uuid.uuid4().hex[:6]}"
            out["warm_push_baseline"] = run_cli(
                ["push", str(warm_path), "--project", title, "-q"], {**env, **base_env}
            )
        warm_path.unlink()
        for n in sizes:
            rows = synthetic_prelabels(tax, n, seed=n)
            path = write_jsonl(WORK / f"prelabels-{n}.jsonl", rows)
            project = f"bench-scale-{n}-{uuid.uuid4().hex[:6]}"
            args = ["push", str(path), "--project", project, "--quiet"]
            if batch_size:
                args += ["--batch-size", str(batch_size)]
            load_first = round(os.getloadavg()[0], 2)
            run = timed_push(args, env)
            run.update(n=n, command=" ".join(["annotate", *args]))
            if n <= repush_max:
                again = run_cli(args, env)
                run["repush_noop_s"] = again["wall_s"]
                run["repush_noop_peak_rss_mib"] = again["peak_rss_mib"]

            if not with_raw:
                out["runs"].append(run)
                print(json.dumps(run), flush=True)
                path.unlink()
                continue
            tasks = synthetic_tasks(tax, rows)
            link_neighbours(tasks, tax)
            del rows
            raw = client.create_project(
                f"bench-raw-{n}-{uuid.uuid4().hex[:6]}", tax.render_label_config()
            )
            raw_s, requests, raw_cpu = timed_raw(int(raw["id"]), tasks)
            run["raw_bulk_import_s"] = round(raw_s, 1)
            run["raw_requests"] = requests
            run["raw_server_cpu_s"] = raw_cpu
            # CPU: the server's for the raw import against the server's plus the push's own
            run["push_vs_raw_cpu"] = _cpu_ratio(raw_cpu, run["server_cpu_s"], run["cpu_s"])
            run["push_tasks_per_s"] = round(n / run["wall_s"], 1)
            run["raw_tasks_per_s"] = round(n / raw_s, 1)
            run["push_vs_raw_throughput"] = round(raw_s / run["wall_s"], 2)
            if rounds > 1 and n <= rounds_max:
                run["rounds"] = [
                    {
                        "push_s": run["wall_s"],
                        "raw_s": run["raw_bulk_import_s"],
                        "push_cpu_s": run["cpu_s"],
                        "push_server_cpu_s": run["server_cpu_s"],
                        "raw_server_cpu_s": raw_cpu,
                        "load_1m": load_first,
                    }
                ]
                sides = ["push", "raw"] + (["baseline"] if base_env is not None else [])
                for k in range(1, rounds):
                    # rotate which side goes first, so drift in the load cancels out
                    order = sides[k % len(sides) :] + sides[: k % len(sides)]
                    # the 1-minute load average as the round starts (other jobs share the cores)
                    one: dict[str, Any] = {"order": order, "load_1m": round(os.getloadavg()[0], 2)}
                    for side in order:
                        if side in ("push", "baseline"):
                            again_args = [*args]
                            again_args[again_args.index("--project") + 1] = (
                                f"bench-scale-{n}-{uuid.uuid4().hex[:6]}"
                            )
                            side_env = env if side == "push" else {**env, **(base_env or {})}
                            done = timed_push(again_args, side_env)
                            one[f"{side}_s"] = done["wall_s"]
                            one[f"{side}_cpu_s"] = done["cpu_s"]
                            one[f"{side}_server_cpu_s"] = done["server_cpu_s"]
                        else:
                            other = client.create_project(
                                f"bench-raw-{n}-{uuid.uuid4().hex[:6]}",
                                tax.render_label_config(),
                            )
                            raw_s, _, raw_cpu = timed_raw(int(other["id"]), tasks)
                            one["raw_s"], one["raw_server_cpu_s"] = round(raw_s, 1), raw_cpu
                    run["rounds"].append(one)
                    print(json.dumps({"n": n, "round": k, **one}), flush=True)
                ratios = sorted(r["raw_s"] / r["push_s"] for r in run["rounds"])
                run["push_vs_raw_rounds"] = [
                    round(r["raw_s"] / r["push_s"], 2) for r in run["rounds"]
                ]
                run["push_vs_raw_median"] = round(ratios[len(ratios) // 2], 2)
                if spid is not None:
                    cpu = sorted(
                        _cpu_ratio(r["raw_server_cpu_s"], r["push_server_cpu_s"], r["push_cpu_s"])
                        for r in run["rounds"]
                    )
                    run["push_vs_raw_cpu_median"] = cpu[len(cpu) // 2]
                if base_env is not None:
                    timed = [r for r in run["rounds"] if "baseline_s" in r]
                    base = sorted(r["raw_s"] / r["baseline_s"] for r in timed)
                    run["baseline_vs_raw_rounds"] = [
                        round(r["raw_s"] / r["baseline_s"], 2) for r in timed
                    ]
                    run["baseline_vs_raw_median"] = round(base[len(base) // 2], 2)
            if sdk_raw:
                sdk = client.create_project(
                    f"bench-sdk-{n}-{uuid.uuid4().hex[:6]}", tax.render_label_config()
                )
                t0 = time.perf_counter()
                answer = client.sdk.projects.import_tasks(
                    sdk["id"], request=tasks, request_options={"max_retries": 0}
                )
                run["sdk_import_s"] = round(time.perf_counter() - t0, 1)
                assert int(answer.task_count or 0) == n, answer
            del tasks
            out["runs"].append(run)
            print(json.dumps(run), flush=True)
            path.unlink()
    small, big = out["runs"][0], out["runs"][-1]
    out["rss_ratio_largest_vs_smallest"] = round(big["peak_rss_mib"] / small["peak_rss_mib"], 2)
    return out


def _cpu_ratio(raw_server: float, push_server: float, push_client: float) -> float | None:
    """CPU seconds of the raw import (the server's) over the push's (the server's and the
    push command's own): the throughput ratio on a machine whose cores are all busy,
    where every CPU second of either process costs wall time; None without a local
    server."""
    total = push_server + push_client
    return round(raw_server / total, 2) if raw_server and total else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("what", choices=["ingest", "push"])
    parser.add_argument("--n", type=int, action="append", required=True)
    parser.add_argument("--no-near-dups", action="store_true")
    parser.add_argument("--batch-size", type=int, default=None, help="default: push's own")
    parser.add_argument(
        "--repush-max", type=int, default=10**9, help="no-op re-push only up to this size"
    )
    parser.add_argument("--sdk-raw", action="store_true", help="also time the SDK's import")
    parser.add_argument("--no-raw", action="store_true", help="push only (peak RSS)")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="push and raw import this many times each (alternating which goes first) at "
        "sizes up to --rounds-max; reports every round's ratio and their median",
    )
    parser.add_argument("--rounds-max", type=int, default=10_000)
    parser.add_argument(
        "--baseline",
        type=Path,
        default=None,
        help="another checkout of annotate (e.g. `git worktree add /tmp/base main`): from "
        "the second round on, each round also pushes with its code (rounds rotate push, "
        "raw, baseline), for a like-for-like comparison on one server",
    )
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    uptime_before = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    if args.what == "ingest":
        results = bench_ingest(args.n, not args.no_near_dups)
    else:
        results = bench_push(
            args.n,
            args.batch_size,
            args.repush_max,
            args.sdk_raw,
            not args.no_raw,
            args.rounds,
            args.rounds_max,
            args.baseline,
        )
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
