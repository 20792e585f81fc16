"""An export whose request for a snapshot loses its answer between annotate and the real
Label Studio (a proxy drops the connection after the server made the snapshot, or
answers 502): the snapshot the lost request made is found by its title and used, so the
export completes with every reviewed passage and leaves no extra snapshot on the server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.studio.client import StudioClient
from annotate.studio.push import push

from .fault_proxy import Faults
from .helpers import PRELABELS, CliRun, choices, tasks_by_passage

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("fault", ["drop-after", "502-after"])
def test_an_export_whose_snapshot_answer_is_lost_completes(
    fault: str, client: StudioClient, project_name: str, tmp_path: Path, cli_run: CliRun
) -> None:
    result = push(PRELABELS, project_name, client=client)
    tasks = tasks_by_passage(client, result.project_id)
    reviewed = sorted(tasks)[:3]
    me = int(client.whoami()["id"])
    for pid in reviewed:
        client.sdk.annotations.create(
            id=int(tasks[pid]["id"]), result=[choices("category", ["none"])], completed_by=me
        )
    faults = Faults("/exports/", 1, fault, method="POST", times=1)  # the first snapshot
    out = tmp_path / "corpus"
    code, err = cli_run(["export", "--project", project_name, "--out", str(out)], faults)
    assert len(faults.faulted) == 1, faults.faulted
    assert code == 0, err
    assert "Traceback" not in err
    rows = [json.loads(x) for x in (out / "jsonl" / "train.jsonl").read_text().splitlines()]
    rows += [
        json.loads(x)
        for split in ("validation", "test")
        for x in (out / "jsonl" / f"{split}.jsonl").read_text().splitlines()
    ]
    assert sorted(r["id"] for r in rows) == reviewed
    # the snapshot the lost request made was used (and deleted): none is left behind
    left = client._get(f"api/projects/{result.project_id}/exports/", "listing snapshots")
    assert left == [], left
