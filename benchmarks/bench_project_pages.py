"""Project listings read in id order and checked whole (StudioClient.list_projects:
annotate/studio/project_pages.py) against paging by number in the server's own order (how
StudioClient read them before), on the same server in the same run, alternating. The
check is what keeps a listing whole while projects are deleted
(tests/integration/test_stable_project_pages.py); this measures its cost.

    PYTHONPATH=.:benchmarks .venv/bin/python benchmarks/bench_project_pages.py [--n 250]

Setup (not timed): ``--n`` empty projects. Timed: the listing of every project's id, title
and description (``LIST_FIELDS``: what finding a name's projects reads), 100 a page.
Uses ``$LABEL_STUDIO_URL``/``$LABEL_STUDIO_API_KEY`` when set, else starts a server. Writes
benchmarks/results/project_pages.json. The projects are deleted afterwards.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
import uuid
from typing import Any

from _machine import load_average, run_header
from _studio import ROOT, machine, studio

from annotate.studio.client import StudioClient
from annotate.studio.projects import LIST_FIELDS

CONFIG = '<View><Text name="text" value="$text"/></View>'


def by_number(client: StudioClient) -> list[dict[str, Any]]:
    """The listing as StudioClient read it before: page after page by number."""
    out: list[dict[str, Any]] = []
    page = 1
    while True:
        data = client._get(
            "api/projects/", "listing projects", page=page, page_size=100, include=LIST_FIELDS
        )
        out += data.get("results", [])
        if not data.get("next"):
            return out
        page += 1


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=250)
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args()
    with studio() as client:
        tag = uuid.uuid4().hex[:8]
        made = [int(client.create_project(f"bench-{tag}-{i}", CONFIG)["id"]) for i in range(args.n)]
        try:
            out: dict[str, Any] = {"machine": machine(), **run_header(), "created": args.n}
            times: dict[str, list[float]] = {"by_id_checked": [], "by_number": []}
            reads = {
                "by_id_checked": lambda: client.list_projects(include=LIST_FIELDS),
                "by_number": lambda: by_number(client),
            }
            for _ in range(args.rounds):
                for key, read in reads.items():
                    start = time.perf_counter()
                    listed = len(read())
                    times[key].append(round(time.perf_counter() - start, 3))
            med = {k: statistics.median(v) for k, v in times.items()}
            out.update(
                projects_listed=listed,
                **times,
                median_by_id_checked_s=med["by_id_checked"],
                median_by_number_s=med["by_number"],
                ratio=round(med["by_id_checked"] / med["by_number"], 3),
                load_after=load_average(),
            )
            print(json.dumps(out, indent=1))
        finally:
            for pid in made:
                client.sdk.projects.delete(pid)
    path = ROOT / "benchmarks" / "results" / "project_pages.json"
    path.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(f"-> {path}")


if __name__ == "__main__":
    main()
