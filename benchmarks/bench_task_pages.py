"""Task listings read by id (each page: the tasks past the last id read, ordered by id)
against paging by number (page=1, 2, ...: how StudioClient read them before), on the same
project in the same run, alternating. Reading by id is what keeps a listing whole while
reviewers answer (tests/integration/test_stable_task_pages.py); this measures its cost.

    PYTHONPATH=. .venv/bin/python benchmarks/bench_task_pages.py [--n 3000] [--rounds 3]

Setup (not timed): one project of ``--n`` tasks, each with an answer. Timed: the answered
tasks in full (``iter_answered_tasks``, 200 a page: what `review status` reads for
exposure) and every task's id and data (``iter_tasks``, 1,000 a page: status, pushes and
hand-overs). Uses ``$LABEL_STUDIO_URL``/``$LABEL_STUDIO_API_KEY`` when set, else starts a
server. Writes benchmarks/results/task_pages.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
import uuid
from collections.abc import Iterator
from typing import Any

from _machine import load_average, run_header
from _studio import ROOT, machine, studio

from annotate.studio import client as client_mod
from annotate.studio.client import StudioClient

CONFIG = (
    '<View><Text name="text" value="$text"/><Choices name="category" toName="text">'
    '<Choice value="none"/><Choice value="graphic_violence"/></Choices></View>'
)
RESULT = [
    {"from_name": "category", "to_name": "text", "type": "choices", "value": {"choices": ["none"]}}
]


def by_number(client: StudioClient, action: str, **params: Any) -> Iterator[dict[str, Any]]:
    """The listing as StudioClient read it before: page after page by number, until as
    many as the first page's ``total`` have come."""
    page, seen = 1, 0
    while True:
        data = client._get("api/tasks/", action, page=page, **params)
        tasks = data.get("tasks", [])
        yield from tasks
        seen += len(tasks)
        if not tasks or seen >= int(data.get("total", 0)):
            return
        page += 1


def timed(read: Any) -> tuple[float, int]:
    start = time.perf_counter()
    n = sum(1 for _ in read())
    return time.perf_counter() - start, n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    with studio() as client:
        pid = int(client.create_project(f"bench-pages-{uuid.uuid4().hex[:8]}", CONFIG)["id"])
        try:
            me = int(client.whoami()["id"])
            for start in range(0, args.n, 1000):
                client.import_tasks(
                    pid,
                    [
                        {
                            "data": {"text": f"text {i}", "passage_id": f"p{i}"},
                            "annotations": [{"result": RESULT, "completed_by": me}],
                        }
                        for i in range(start, min(args.n, start + 1000))
                    ],
                )
            query = client_mod._answered_query([])
            reads = {
                "answered, full (200 a page)": (
                    lambda: client.iter_answered_tasks(pid, []),
                    lambda: by_number(
                        client,
                        "reading answered tasks",
                        project=pid,
                        page_size=client_mod.FULL_PAGE_SIZE,
                        fields="all",
                        query=query,
                    ),
                ),
                "every task, id and data (1,000 a page)": (
                    lambda: client.iter_tasks(pid),
                    lambda: by_number(
                        client,
                        "listing tasks",
                        project=pid,
                        page_size=client_mod.LIST_PAGE_SIZE,
                        fields="task_only",
                        include="id,data",
                    ),
                ),
            }
            out: dict[str, Any] = {
                "machine": machine(),
                **run_header(),
                "tasks": args.n,
                "rounds": args.rounds,
                "reads": {},
            }
            for name, (by_id, numbered) in reads.items():
                times: dict[str, list[float]] = {"by_id": [], "by_number": []}
                for _ in range(args.rounds):
                    for key, read in (("by_id", by_id), ("by_number", numbered)):
                        seconds, n = timed(read)
                        assert n == args.n, (name, key, n)
                        times[key].append(round(seconds, 3))
                med = {k: statistics.median(v) for k, v in times.items()}
                out["reads"][name] = {
                    **times,
                    "median_by_id_s": med["by_id"],
                    "median_by_number_s": med["by_number"],
                    "ratio_by_id_over_by_number": round(med["by_id"] / med["by_number"], 3),
                }
                print(name, json.dumps(out["reads"][name]))
            out["load_after"] = load_average()
        finally:
            client.delete_project(pid)
    path = ROOT / "benchmarks" / "results" / "task_pages.json"
    path.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(f"-> {path}")


if __name__ == "__main__":
    main()
