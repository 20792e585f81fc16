"""`annotate review status`'s contradiction listing (annotate.review.contradictions) on a
project of a few thousand answered tasks: a second run reading every answered task again
(before: no record) against one reading only the tasks changed since the first (the
record in the work folder, annotate.review.contradiction_memory); requests, MB, seconds.

    PYTHONPATH=. .venv/bin/python benchmarks/bench_status_contradictions.py [--n 3000]
        [--changed 20] [--before DIR]

Setup (not timed): a plain project of ``--n`` passages pushed, every task answered in bulk
(Label Studio's "predictions to annotations" action: the token owner's answers), then,
``--gap`` seconds later (75: past the minute a run re-reads before its mark), the
first 5 edited to a contradiction (``none`` with severity ``high``). Timed: a run
with no record (what every run did before), the first run with a record (reads all and
writes it), a second run (nothing changed), then ``--changed`` answers edited (PATCH:
half corrected, half made contradictions) and a third run; each listing compared with a
full read's. ``--before DIR``: also the whole `review status` CLI, second run, of that
checkout and of this one (subprocesses). Uses ``$LABEL_STUDIO_URL``/``$LABEL_STUDIO_API_KEY``
when set, else starts a server in benchmarks/.work.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from _studio import ROOT, WORK, machine, studio, synthetic_prelabels, write_jsonl
from bench_review_status import Counted, bulk_answer, timed

from annotate.review.contradictions import open_contradictions
from annotate.studio.client import StudioClient
from annotate.studio.connection import KEY_ENV, URL_ENV
from annotate.studio.push import push
from annotate.taxonomy import load_taxonomy

SALT = "bench-salt"
NONE_HIGH = [
    {"from_name": "category", "to_name": "text", "type": "choices", "value": {"choices": ["none"]}},
    {"from_name": "severity", "to_name": "text", "type": "choices", "value": {"choices": ["high"]}},
]
NONE_NONE = [
    {"from_name": "category", "to_name": "text", "type": "choices", "value": {"choices": ["none"]}},
    {"from_name": "severity", "to_name": "text", "type": "choices", "value": {"choices": ["none"]}},
]


def edit(client: StudioClient, task_id: int, result: list[dict[str, Any]]) -> None:
    """The task's first answer's result replaced (PATCH, as the labeling view's Update)."""
    task = client._get(f"api/tasks/{task_id}/", "a task")
    ann = task["annotations"][0]
    resp = client._send(
        f"api/annotations/{ann['id']}/", method="PATCH", action="an edit", json={"result": result}
    )
    resp.raise_for_status()


class Slowest:
    """Each request's path, query and seconds while ``on`` (where a run's time goes)."""

    def __init__(self, client: StudioClient) -> None:
        self.on = False
        self.calls: list[tuple[float, str]] = []
        http = client._http
        original = http.request

        def request(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            resp = original(*args, **kwargs)
            if self.on:
                where = [*args, kwargs.get("method"), kwargs.get("url")]
                params = sorted((kwargs.get("params") or {}).items())
                what = f"{' '.join(str(w) for w in where if w)} {params}"
                self.calls.append((round(time.perf_counter() - t0, 2), what[:300]))
            return resp

        http.request = request


def summary(found: Any) -> dict[str, Any]:
    return {
        "harmful_severity_none": found.harmful_severity_none.total,
        "severity_without_harm": found.severity_without_harm.total,
        "named": [*found.harmful_severity_none.named, *found.severity_without_harm.named],
        "unreadable": found.unreadable.total,
    }


def cli_second_run(client: StudioClient, tree: Path, title: str) -> float:
    """Seconds of a second `review status` of ``tree`` (a first run, untimed, before)."""
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "PYTHONPATH": str(tree), "ANNOTATE_PSEUDONYM_SALT": SALT}
        env.update({"ANNOTATE_HOME": home, URL_ENV: client.conn.url, KEY_ENV: client.conn.api_key})
        cmd = [sys.executable, "-m", "annotate", "review", "status", "--project", title]
        subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
        t0 = time.perf_counter()
        subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
        return round(time.perf_counter() - t0, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--changed", type=int, default=20)
    parser.add_argument("--gap", type=float, default=75.0, help="seconds between answers and edits")
    parser.add_argument("--before", type=Path, help="a checkout of the older tree")
    args = parser.parse_args()
    os.environ["ANNOTATE_PSEUDONYM_SALT"] = SALT
    tax = load_taxonomy()
    results: dict[str, Any] = {"n": args.n, "changed": args.changed, "machine": machine()}
    with studio() as client, tempfile.TemporaryDirectory() as tmp:
        title = f"bench-contra-{uuid.uuid4().hex[:6]}"
        path = write_jsonl(
            WORK / f"contra-prelabels-{args.n}.jsonl", synthetic_prelabels(tax, args.n)
        )
        t0 = time.perf_counter()
        push(path, title, client=client)
        pid = int(client.require_project(title)["id"])
        bulk_answer(client, pid, [])
        ids = sorted(int(t["id"]) for t in client.iter_tasks(pid, include="id"))
        # the history apart from the last edits: a run re-reads the tasks touched within
        # a minute (and its own duration) of the latest one it read (MARGIN_S)
        time.sleep(args.gap)
        for task_id in ids[:5]:
            edit(client, task_id, NONE_HIGH)
        results["setup_s"] = round(time.perf_counter() - t0, 2)
        results["tasks"] = len(ids)
        slowest = Slowest(client)
        counter = Counted(client)
        memory = Path(tmp) / "record.json"

        def run(**kw: Any) -> Any:
            return open_contradictions(client, title, tax, salt=SALT, **kw)

        full = timed("no_record_every_run", run, counter, results)
        timed("first_run_with_record", lambda: run(memory=memory), counter, results)
        slowest.on = True
        second = timed("second_run_nothing_changed", lambda: run(memory=memory), counter, results)
        slowest.on = False
        results["second_run_requests"] = slowest.calls
        assert summary(second) == summary(full), (summary(second), summary(full))
        results["second_run_tasks_read"] = second.tasks
        half = args.changed // 2
        for task_id in ids[:half]:  # corrected: their contradictions must go
            edit(client, task_id, NONE_NONE)
        for task_id in ids[-(args.changed - half) :]:  # new contradictions
            edit(client, task_id, NONE_HIGH)
        third = timed("third_run_after_edits", lambda: run(memory=memory), counter, results)
        results["third_run_tasks_read"] = third.tasks
        again = run()
        assert summary(third) == summary(again), (summary(third), summary(again))
        results["listing"] = summary(third)
        if args.before:
            results["cli_second_run_before_s"] = cli_second_run(client, args.before, title)
            results["cli_second_run_now_s"] = cli_second_run(client, ROOT, title)
            print("cli", results["cli_second_run_before_s"], results["cli_second_run_now_s"])
    out = ROOT / "benchmarks" / "results" / "status_contradictions.json"
    out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
