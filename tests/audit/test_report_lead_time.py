"""The workload table counts the lead's lead time from each row's `adjudication` record,
while the paragraph above it said the lead's lead time "is not in the corpus": an auditor
read a number the text said could not exist."""

from __future__ import annotations

import json
from pathlib import Path

from annotate.corpus.export import export
from annotate.corpus.resolve import pseudonym
from tests.audit.fakes import PERSONAL, StudioWithLead, lead_task, reviewed_tasks
from tests.integration.helpers import choices

LEAD = pseudonym(4, "s")  # lead_task's user


def test_the_report_does_not_deny_the_lead_time_it_shows(tmp_path: Path) -> None:
    result = [choices("category", ["incitement"]), choices("severity", ["high"])]
    studio = StudioWithLead(reviewed_tasks(), [lead_task("doc-c-p0", PERSONAL, result)])
    out = tmp_path / "corpus"
    export("p", out, client=studio, salt="s")  # type: ignore[arg-type]
    numbers = json.loads((out / "report" / "report.json").read_text())
    assert numbers["workload"][LEAD]["lead_time_s"] == 8.0  # lead_task's answer
    md = " ".join((out / "report" / "report.md").read_text().split())
    assert "lead time is not in the corpus" not in md
    assert "its lead time is the one each row's `adjudication` record carries" in md
    (row,) = [
        json.loads(line)
        for p in (out / "jsonl").glob("*.jsonl")
        for line in p.read_text().splitlines()
        if json.loads(line)["id"] == "doc-c-p0"
    ]
    assert row["adjudication"]["lead_time"] == 8.0
