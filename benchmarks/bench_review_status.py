"""`annotate review status`'s exposure on a large review set: the export's reader (every
task of every queue, as status read it before) against the reads of what changed since
``--since`` (annotate.review.recent), counting HTTP requests, bytes and seconds.

    .venv/bin/python benchmarks/bench_review_status.py [--n 2000] [--reviewers 4] [--today 50]

Setup (not timed): ``--reviewers`` accounts, a review set of ``--n`` passages pushed with
-k 2 (2n tasks), every task but ``--today`` per queue answered in bulk (Label Studio's
"predictions to annotations" action: an admin's answers, as the history of the round),
then a cut time, then ``--today`` answers per queue given through the API as the queue's
reviewer. Timed: the exposure since the cut (the day's work), since before the setup
(every answer is recent: the new reader's worst case), and the whole `review status`
CLI of both trees (``--before DIR``: a checkout of the older tree, run as a subprocess).
Uses ``$LABEL_STUDIO_URL``/``$LABEL_STUDIO_API_KEY`` when set, else starts a server.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from _studio import ROOT, WORK, machine, studio, synthetic_prelabels, write_jsonl

from annotate.review.collect import collect
from annotate.review.exposure import exposure
from annotate.review.fanout import push_review
from annotate.review.live_exposure import live_exposure, reviewer_exposure
from annotate.review.queue_tasks import reviewer_projects
from annotate.review.reviewers import add_reviewer
from annotate.studio.client import StudioClient
from annotate.taxonomy import load_taxonomy

SALT = "bench-salt"


class Counted:
    """Counts the requests and response bytes of a client's HTTP calls."""

    def __init__(self, client: StudioClient) -> None:
        self.requests = 0
        self.bytes = 0
        http = client._http
        original = http.request

        def request(*args: Any, **kwargs: Any) -> Any:
            resp = original(*args, **kwargs)
            self.requests += 1
            self.bytes += len(resp.content)
            return resp

        http.request = request

    def take(self) -> tuple[int, int]:
        out = (self.requests, self.bytes)
        self.requests = self.bytes = 0
        return out


def old_exposure(client: StudioClient, project: str, since: datetime) -> list[Any]:
    """What `review status` did before: the export's reader over the whole review set."""
    tax = load_taxonomy()
    got = collect(client, project, tax, salt=SALT)
    record = exposure(
        [*got.rows, *got.gold_rows], tax.severity_names, got.adjudications, counted_from=since
    )
    return reviewer_exposure(record, 25)


def timed(label: str, fn: Any, counter: Counted, results: dict[str, Any]) -> Any:
    counter.take()
    t0 = time.perf_counter()
    out = fn()
    seconds = time.perf_counter() - t0
    requests, size = counter.take()
    results[label] = {"s": round(seconds, 2), "requests": requests, "mb": round(size / 1e6, 2)}
    print(label, results[label], flush=True)
    return out


def bulk_answer(client: StudioClient, project_id: int, keep_open: list[int]) -> None:
    """Every task of the project but ``keep_open`` answered with its prediction (one
    Data Manager action; the answers are the token owner's)."""
    resp = client._send(
        "api/dm/actions",
        method="POST",
        action="bulk answers",
        params={"id": "predictions_to_annotations", "project": project_id},
        json={"selectedItems": {"all": True, "excluded": keep_open}},
    )
    resp.raise_for_status()


def answer_as(client: StudioClient, task: dict[str, Any], user: int) -> None:
    pred = task["predictions"][0]["result"] if task.get("predictions") else []
    result = [{k: v for k, v in r.items() if k != "score"} for r in pred]
    resp = client._send(
        f"api/tasks/{task['id']}/annotations/",
        method="POST",
        action="an answer",
        json={"result": result, "completed_by": user},
    )
    resp.raise_for_status()


def cli_status(tree: Path, project: str, since: str) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(tree), "ANNOTATE_PSEUDONYM_SALT": SALT}
    cmd = [sys.executable, "-m", "annotate", "review", "status", "--project", project]
    t0 = time.perf_counter()
    out = subprocess.run([*cmd, "--since", since], env=env, capture_output=True, text=True)
    return {
        "s": round(time.perf_counter() - t0, 2),
        "rc": out.returncode,
        "tail": (out.stdout + out.stderr).strip().splitlines()[-3:],
    }


def setup(
    client: StudioClient, args: argparse.Namespace, results: dict[str, Any]
) -> tuple[str, datetime, datetime]:
    """The review set measured (see the module): its title, a time before it, the cut."""
    tax = load_taxonomy()
    start = datetime.now(timezone.utc) - timedelta(seconds=5)
    tag = uuid.uuid4().hex[:6]
    emails = [f"r{i}-{tag}@bench.test" for i in range(args.reviewers)]
    for email in emails:
        add_reviewer(client, email)
    users = {u["email"]: int(u["id"]) for u in client._get("api/users/", "users")}
    path = write_jsonl(WORK / f"status-prelabels-{args.n}.jsonl", synthetic_prelabels(tax, args.n))
    title = f"bench-status-{tag}"
    t0 = time.perf_counter()
    push_review(path, title, 2, reviewers=emails, client=client, salt=SALT)
    queues = {e: int(p["id"]) for e, p in reviewer_projects(client, title).items()}
    today: dict[str, list[int]] = {}
    for email, pid in queues.items():
        tasks = list(client.iter_tasks(pid, include="id"))
        keep = [int(t["id"]) for t in tasks[: args.today]]
        bulk_answer(client, pid, keep)
        today[email] = keep
    results["setup_s"] = round(time.perf_counter() - t0, 2)
    time.sleep(1.5)
    cut = datetime.now(timezone.utc)
    time.sleep(1.5)
    for email in queues:
        for task_id in today[email]:
            task = client._get(f"api/tasks/{task_id}/", "a task")
            answer_as(client, task, users[email])
    results["answers_after_cut"] = args.today * len(queues)

    return title, start, cut


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--reviewers", type=int, default=4)
    parser.add_argument("--today", type=int, default=50)
    parser.add_argument("--before", type=Path, help="a checkout of the older tree")
    parser.add_argument(
        "--reuse",
        nargs=3,
        metavar=("TITLE", "START", "CUT"),
        help="measure a set an earlier run made (its title, start and cut times: the JSON's)",
    )
    args = parser.parse_args()
    os.environ["ANNOTATE_PSEUDONYM_SALT"] = SALT
    tax = load_taxonomy()
    results: dict[str, Any] = {"n": args.n, "reviewers": args.reviewers, "machine": machine()}
    with studio() as client:
        if args.reuse:
            title, first, second = args.reuse
            start, cut = datetime.fromisoformat(first), datetime.fromisoformat(second)
        else:
            title, start, cut = setup(client, args, results)
        results.update(title=title, start=start.isoformat(), cut=cut.isoformat())
        queues = [int(p["id"]) for p in reviewer_projects(client, title).values()]
        results["tasks"] = sum(len(list(client.iter_tasks(p, include="id"))) for p in queues)
        counter = Counted(client)
        for label, since in (("since_cut", cut), ("since_start", start)):
            new = timed(
                f"new_{label}",
                lambda s=since: live_exposure(client, title, tax, salt=SALT, since=s, limit=25),
                counter,
                results,
            )
            old = timed(
                f"old_{label}", lambda s=since: old_exposure(client, title, s), counter, results
            )
            assert new == old, (label, new, old)  # the same counts either way
            results[f"{label}_reviewers"] = {r.reviewer: r.answers for r in new}
        since = cut.isoformat(timespec="seconds")
        results["cli_new"] = cli_status(ROOT, title, since)
        if args.before:
            # the older tree takes a day only: today's (every answer of the setup is today's)
            results["cli_old"] = cli_status(args.before, title, cut.date().isoformat())
        print(json.dumps(results, indent=2))
    out = WORK / "bench_review_status.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
