"""Provenance for audits: a passage reviewed blind lives in one task per reviewer project;
the export names every task and, per answer, its Label Studio project, task and
annotation; a lead-decided row carries the lead's answer, whose time is the row's last
review (and the decision record's date)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from annotate.audit.stats import workload
from annotate.corpus.export import export
from annotate.corpus.resolve import pseudonym
from tests.audit.fakes import THREAT, lead_task
from tests.integration.helpers import choices
from tests.test_export_pseudonymous_projects import NAME, ReviewSetStudio

LEAD_PROJECT = {"id": 9, "title": f"{NAME} · adjudication"}
LEAD_DAY = "2026-06-03T09:15:00Z"  # two days after the reviewers' answers


class BlindReviewStudio(ReviewSetStudio):
    """Each reviewer project holds its own copy of each passage (task id 100 * project +
    n, as Label Studio numbers tasks across projects), plus the lead's project."""

    def __init__(self) -> None:
        super().__init__()
        lead = lead_task("doc-a-p1", THREAT, [choices("category", ["incitement"])])
        lead["annotations"][0].update(created_at=LEAD_DAY, updated_at=LEAD_DAY)
        self.lead = [lead]

    def find_project(self, title: str) -> dict[str, Any] | None:
        return LEAD_PROJECT if title == LEAD_PROJECT["title"] else None

    def get_project(self, project_id: int) -> dict[str, Any]:
        if project_id == LEAD_PROJECT["id"]:
            return LEAD_PROJECT
        return super().get_project(project_id)

    def export_snapshot(self, project_id: int) -> list[dict[str, Any]]:
        if project_id == LEAD_PROJECT["id"]:
            return self.lead
        return [{**t, "id": 100 * project_id + t["id"]} for t in self._mine(project_id)]


def _rows(out: Path) -> dict[str, dict[str, Any]]:
    rows = [json.loads(line) for f in (out / "jsonl").glob("*.jsonl") for line in f.open()]
    return {r["id"]: r for r in rows}


def test_every_answer_and_task_is_traceable_and_the_lead_time_counts(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    export(NAME, out, client=BlindReviewStudio(), salt="s", decision_records=True)  # type: ignore[arg-type]
    row = _rows(out)["doc-a-p1"]  # answered by users 1, 2, 3 (projects 21, 22, 23)
    assert row["ls_tasks"] == [
        {"project_id": 21, "task_id": 2112},
        {"project_id": 22, "task_id": 2212},
        {"project_id": 23, "task_id": 2312},
        {"project_id": 9, "task_id": 90},
    ]
    by_reviewer = {
        a["reviewer"]: (a["ls_project_id"], a["ls_task_id"], a["ls_annotation_id"])
        for a in row["annotations"]
    }
    assert by_reviewer == {
        pseudonym(1, "s"): (21, 2112, 102),
        pseudonym(2, "s"): (22, 2212, 103),
        pseudonym(3, "s"): (23, 2312, 104),
    }
    assert row["resolution"] == "adjudicated"
    assert row["adjudication"] == {
        "reviewer": pseudonym(4, "s"),
        "created_at": LEAD_DAY,
        "updated_at": LEAD_DAY,
        "lead_time": 8.0,
        "ls_project_id": 9,
        "ls_task_id": 90,
        "ls_annotation_id": 901,
        "comment": "",  # the lead wrote none
        # the lead's answer as given: a category only, overturning the vote's
        # violent_threat, so neither the vote's severity nor its spans (break3 B17)
        "categories": ["incitement"],
        "severity": "",
        "spans": [],
        "severity_from": "none (the lead gave none and overturned the reviewers' categories)",
        "spans_from": "lead",
        "parent_prediction": None,  # the answer records no start
        "started_from": None,
        "decided_on": [],  # the adjudication task shows no reviewer's answer here
    }
    assert row["last_annotated_at"] == LEAD_DAY
    records = [json.loads(line) for line in (out / "decision_records.jsonl").open()]
    record = next(r for r in records if r["annotate"]["passage_id"] == "doc-a-p1")
    assert record["application_date"] == "2026-06-03"
    assert record["annotate"]["ls_tasks"] == row["ls_tasks"]
    # a row nobody adjudicated: one task, no lead, the reviewers' last answer
    museum = _rows(out)["doc-b-p0"]
    assert museum["adjudication"] is None
    assert museum["ls_tasks"] == [
        {"project_id": 22, "task_id": 2213},
        {"project_id": 23, "task_id": 2313},
    ]
    assert museum["last_annotated_at"] == max(a["updated_at"] for a in museum["annotations"])
    # the HF copy holds the same provenance
    from datasets import load_from_disk

    hf = [r for ds in load_from_disk(str(out / "hf")).values() for r in ds]
    hf_row = next(r for r in hf if r["id"] == "doc-a-p1")
    assert hf_row["ls_tasks"] == row["ls_tasks"]
    assert hf_row["adjudication"]["ls_annotation_id"] == 901


def test_the_report_counts_the_leads_time_and_reads_older_rows() -> None:
    base = {"labels": ["violent_threat"], "severity": "high", "annotations": []}
    new = {**base, "adjudicator": "r-lead", "adjudication": {"lead_time": 8.0}}
    old = {**base, "adjudicator": "r-old"}  # an export made before ``adjudication``
    found = workload([new, old], ["violent_threat"])
    assert found["r-lead"]["lead_time_s"] == 8.0
    assert found["r-old"]["lead_time_s"] is None and found["r-old"]["adjudications"] == 1
