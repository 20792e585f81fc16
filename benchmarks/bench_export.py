"""Export 10,000 reviewed tasks: snapshot, resolve, write HF + Parquet + JSONL + manifest.

    .venv/bin/python benchmarks/bench_export.py [--n 10000]

Setup (not timed in the export figure): a project whose tasks are imported with an
annotation and a prediction already attached, in batches of 1,000.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
import uuid
from typing import Any

from _studio import WORK, machine, reviewed_result, studio, synthetic_prelabels

from annotate.corpus.export import export
from annotate.studio.label_config import parse_label_config
from annotate.studio.tasks import row_to_task
from annotate.taxonomy import load_taxonomy


def annotation(task: dict[str, Any], user: int, i: int) -> dict[str, Any]:
    """A reviewer's annotation: the model's result, with every 7th passage relabelled."""
    return {"result": reviewed_result(task, i), "completed_by": user, "lead_time": 5.0 + i % 30}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=10_000)
    args = parser.parse_args()

    tax = load_taxonomy()
    config = parse_label_config(tax.render_label_config())
    rows = synthetic_prelabels(tax, args.n, seed=1)
    results: dict[str, object] = {"n": args.n, "machine": machine()}
    with studio() as client:
        user = int(client.whoami()["id"])
        title = f"bench-export-{uuid.uuid4().hex[:8]}"
        project = client.create_project(title, tax.render_label_config())
        t0 = time.perf_counter()
        for start in range(0, args.n, 1000):
            batch = []
            for i, row in enumerate(rows[start : start + 1000], start=start):
                task = row_to_task(row, tax, config, where="bench")
                task["annotations"] = [annotation(task, user, i)]
                batch.append(task)
            client.import_tasks(int(project["id"]), batch)
        results["setup_import_with_annotations_s"] = round(time.perf_counter() - t0, 2)

        t0 = time.perf_counter()
        snapshot = client.export_snapshot(int(project["id"]))
        results["snapshot_only_s"] = round(time.perf_counter() - t0, 2)
        assert len(snapshot) == args.n

        out = WORK / "export-bench"
        shutil.rmtree(out, ignore_errors=True)
        t0 = time.perf_counter()
        exported = export(title, out, client=client, salt="bench")
        results["export_s"] = round(time.perf_counter() - t0, 2)
        results["rows"] = exported.rows
        results["splits"] = exported.splits
        results["out_mb"] = round(
            sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 1e6, 1
        )
        assert exported.rows == args.n
        client.sdk.projects.delete(int(project["id"]))
    (WORK / "bench_export.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
