"""Push 10,000 pre-labelled passages vs importing them one request each through the SDK.

    .venv/bin/python benchmarks/bench_push.py [--n 10000] [--baseline 300]

The one-by-one baseline imports the same tasks (same data and prediction) with one
``projects.import_tasks`` call per task, on a subset, and is extrapolated linearly to
``--n``. Runs against $LABEL_STUDIO_URL, else a fresh local server in benchmarks/.work.
"""

from __future__ import annotations

import argparse
import json
import time
import uuid

from _studio import WORK, machine, studio, synthetic_prelabels, write_jsonl

from annotate.studio.label_config import parse_label_config
from annotate.studio.push import push
from annotate.studio.tasks import row_to_task
from annotate.taxonomy import load_taxonomy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--baseline", type=int, default=300)
    parser.add_argument("--batch-size", type=int, default=1000)
    args = parser.parse_args()

    tax = load_taxonomy()
    rows = synthetic_prelabels(tax, args.n)
    path = write_jsonl(WORK / f"prelabels-{args.n}.jsonl", rows)
    results: dict[str, object] = {"n": args.n, "machine": machine()}
    with studio() as client:
        project = f"bench-push-{uuid.uuid4().hex[:8]}"
        t0 = time.perf_counter()
        pushed = push(path, project, client=client, batch_size=args.batch_size)
        results["push_s"] = round(time.perf_counter() - t0, 2)
        assert pushed.created == args.n, pushed
        t0 = time.perf_counter()
        again = push(path, project, client=client, batch_size=args.batch_size)
        results["repush_noop_s"] = round(time.perf_counter() - t0, 2)
        assert again.created == 0 and again.skipped == args.n, again

        config = parse_label_config(tax.render_label_config())
        tasks = [row_to_task(r, tax, config, where="bench") for r in rows[: args.baseline]]
        base = client.create_project(
            f"bench-one-by-one-{uuid.uuid4().hex[:8]}", tax.render_label_config()
        )
        t0 = time.perf_counter()
        for task in tasks:
            client.sdk.projects.import_tasks(
                base["id"], request=[task], return_task_ids=True, request_options={"max_retries": 0}
            )
        one_s = time.perf_counter() - t0
        results["one_by_one_subset"] = args.baseline
        results["one_by_one_subset_s"] = round(one_s, 2)
        results["one_by_one_extrapolated_s"] = round(one_s / args.baseline * args.n, 1)
        results["push_tasks_per_s"] = round(args.n / results["push_s"], 1)  # type: ignore[operator]
        results["one_by_one_tasks_per_s"] = round(args.baseline / one_s, 1)
        results["speedup"] = round(results["one_by_one_extrapolated_s"] / results["push_s"], 1)  # type: ignore[operator]
        for title in (project, base["title"]):
            found = client.find_project(title)
            if found:
                client.sdk.projects.delete(int(found["id"]))
    (WORK / "bench_push.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
