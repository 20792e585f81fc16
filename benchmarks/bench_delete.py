"""Time StudioClient.delete_tasks: bulk (Data Manager action, chunks of 500) against one
request per task, on the server that $LABEL_STUDIO_URL / $LABEL_STUDIO_API_KEY name (or
the local one).

    python benchmarks/bench_delete.py --n 2000 --one-by-one 200
"""

from __future__ import annotations

import argparse
import json
import time
import uuid

from annotate.studio.client import StudioClient
from annotate.studio.connection import resolve_connection

CONFIG = '<View><Text name="text" value="$text"/></View>'


def _load() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def _project(client: StudioClient, n: int) -> tuple[int, list[int]]:
    pid = int(client.create_project(f"bench-delete-{uuid.uuid4()}", CONFIG)["id"])
    ids: list[int] = []
    for start in range(0, n, 1000):
        part = [{"data": {"text": f"passage {i}"}} for i in range(start, min(n, start + 1000))]
        ids += client.import_tasks(pid, part).task_ids
    return pid, ids


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000, help="tasks deleted in bulk")
    ap.add_argument("--one-by-one", type=int, default=200, help="tasks deleted one by one")
    ap.add_argument(
        "--empty", action="store_true", help="delete every task of the project (tabs restored)"
    )
    args = ap.parse_args()
    keep = 0 if args.empty else 1
    client = StudioClient(resolve_connection())
    out: dict[str, object] = {"load_before": _load()}
    for mode, n in (("bulk", args.n), ("one_by_one", args.one_by_one)):
        if n == 0:
            continue
        # keep one task: deleting a whole project's tasks takes the server's other branch
        pid, ids = _project(client, n + keep)
        t0 = time.perf_counter()
        client.delete_tasks(ids[:n], project_id=pid if mode == "bulk" else None)
        dt = time.perf_counter() - t0
        left = sum(1 for _ in client.iter_tasks(pid, include="id"))
        assert left == keep, left
        out[mode] = {"tasks": n, "seconds": round(dt, 2), "tasks_per_s": round(n / dt, 1)}
        client.delete_project(pid)
    out["load_after"] = _load()
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
