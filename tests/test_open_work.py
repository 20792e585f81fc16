"""The report tells an auditor what is still open: passages sent to the lead and not yet
decided, and tasks reviewers skipped (a skip is a cancelled annotation, left out of the
snapshot, so nothing in the export said so before)."""

from __future__ import annotations

import json
from pathlib import Path

from annotate.corpus.export import export
from tests.audit.fakes import (
    MUSEUM,
    PERSONAL,
    THREAT,
    StudioWithLead,
    annotation,
    lead_task,
    reviewed_tasks,
)
from tests.integration.helpers import choices


def test_the_report_counts_passages_waiting_for_the_lead_and_skipped_tasks(
    tmp_path: Path,
) -> None:
    tasks = reviewed_tasks()
    skip = annotation(199, 1, [], minute=9, lead_time=2.0)
    skip["was_cancelled"] = True  # user 1 skipped doc-b-p0 (two others answered it)
    tasks[2]["annotations"].append(skip)
    decided = lead_task("doc-a-p1", THREAT, [choices("category", ["violent_threat"])])
    waiting = {**lead_task("doc-c-p0", PERSONAL, []), "id": 91, "annotations": []}
    waiting_too = {**lead_task("doc-b-p0", MUSEUM, []), "id": 92, "annotations": []}
    studio = StudioWithLead(tasks, [decided, waiting, waiting_too])
    out = tmp_path / "corpus"
    export("p", out, client=studio, salt="s")  # type: ignore[arg-type]
    review = json.loads((out / "manifest.json").read_text())["review"]
    assert review["awaiting_adjudication"] == 2
    assert review["skipped_by_reviewers"] == {"tasks": 1, "skips": 1}
    md = (out / "report" / "report.md").read_text()
    assert "Waiting for the lead: 2 passage(s) sent to adjudication and not yet decided" in md
    assert "Skipped by reviewers: 1 task(s) (1 skip(s))" in md
    numbers = json.loads((out / "report" / "report.json").read_text())
    assert numbers["awaiting_adjudication"] == 2
