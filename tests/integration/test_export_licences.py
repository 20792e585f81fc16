"""Against a real Label Studio: a passage held by two tasks (a second one imported later,
as a concurrent push of a file ingested again under another licence makes) is exported
under the later task's licence, with both listed in the manifest; an export over the
previous one says which passages' licences changed since (a task's licence edited in the
Data Manager), in the manifest, the report and the command's output."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from annotate.studio.client import StudioClient
from annotate.studio.push import push

from .helpers import PRELABELS, answer_of, choices, new_reviewer, tasks_by_passage
from .review_team import run

pytestmark = pytest.mark.integration


def _rows(out: Path) -> dict[str, dict[str, Any]]:
    return {
        r["id"]: r
        for f in sorted((out / "jsonl").glob("*.jsonl"))
        for r in (json.loads(line) for line in f.read_text(encoding="utf-8").splitlines())
    }


def test_licences_of_duplicate_tasks_and_changes_since_the_previous_export(
    client: StudioClient, project_name: str, tmp_path: Path
) -> None:
    rows = [json.loads(line) for line in PRELABELS.read_text(encoding="utf-8").splitlines()]
    licensed = tmp_path / "licensed.jsonl"
    licensed.write_text("".join(json.dumps({**r, "license": "MIT"}) + "\n" for r in rows))
    pushed = push(licensed, project_name, client=client)
    tasks = tasks_by_passage(client, pushed.project_id)
    ana, ben = new_reviewer(client, "ana"), new_reviewer(client, "ben")
    twin = {**tasks["doc-a-p0"]["data"], "license": "CC-BY-4.0"}
    client.import_tasks(pushed.project_id, [{"data": twin}])
    (later,) = [
        t
        for t in client.iter_tasks(pushed.project_id)
        if t["data"]["passage_id"] == "doc-a-p0" and t["id"] != tasks["doc-a-p0"]["id"]
    ]
    assert later["id"] > tasks["doc-a-p0"]["id"]
    for task_id, user in ((tasks["doc-a-p0"]["id"], ana), (later["id"], ben)):
        answer_of(client, task_id, user, [choices("category", ["news_reporting"])])
    answer_of(client, tasks["doc-a-p1"]["id"], ana, [choices("category", ["none"])])

    out = tmp_path / "corpus"
    said = " ".join(run("export", "--project", project_name, "--out", str(out)).split())
    got = _rows(out)
    assert got["doc-a-p0"]["license"] == "CC-BY-4.0" and got["doc-a-p1"]["license"] == "MIT"
    licences = json.loads((out / "manifest.json").read_text())["licenses"]
    assert licences["passages_with_several"]["examples"] == [
        {"passage": "doc-a-p0", "licenses": ["MIT", "CC-BY-4.0"], "exported": "CC-BY-4.0"}
    ]
    assert licences["changed_since_previous_export"] is None
    assert "warning: 1 passage(s) were pushed under more than one licence (e.g. doc-a-p0: " in said
    assert "another licence than in the previous export" not in said

    # doc-a-p1's licence corrected in the Data Manager, then exported over the previous
    data = {**tasks["doc-a-p1"]["data"], "license": "CC0-1.0"}
    client.update_task_data(tasks["doc-a-p1"]["id"], data)
    said = " ".join(
        run("export", "--project", project_name, "--out", str(out), "--overwrite").split()
    )
    changed = json.loads((out / "manifest.json").read_text())["licenses"][
        "changed_since_previous_export"
    ]
    assert changed["changed"] == 1 and changed["changes"] == {"MIT -> CC0-1.0": 1}
    assert changed["passages_compared"] == 2
    assert (
        f"warning: 1 passage(s) have another licence than in the previous export in {out} "
        "(MIT -> CC0-1.0: 1; e.g. doc-a-p1)"
    ) in said
    report = (out / "report" / "report.md").read_text()
    assert "**1 of 2 passage(s) have another licence than in the previous export**" in report
    run("verify", str(out))
