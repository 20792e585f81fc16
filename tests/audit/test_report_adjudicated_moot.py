"""report.md (and report.json) name the passages a lead decided although their reviewers
no longer dispute them (``review.adjudicated_no_longer_disputed`` of the manifest): the
manifest counted them, the report said nothing, and an auditor reading a passage resolved
``adjudicated`` whose reviewers agree could not tell why the lead's answer won."""

from __future__ import annotations

import json
from pathlib import Path

from annotate.corpus.export import export
from tests.audit.fakes import MUSEUM, StudioWithLead, lead_task, reviewed_tasks
from tests.integration.helpers import choices


def test_the_report_names_lead_decisions_on_passages_no_longer_disputed(tmp_path: Path) -> None:
    tasks = reviewed_tasks()  # doc-b-p0: "none" from users 2 and 3, no dispute (any more)
    decided = lead_task("doc-b-p0", MUSEUM, [choices("category", ["news_reporting"])])
    out = tmp_path / "corpus"
    export("p", out, client=StudioWithLead(tasks, [decided]), salt="s")  # type: ignore[arg-type]
    assert (
        json.loads((out / "manifest.json").read_text())["review"]["adjudicated_no_longer_disputed"]
        == 1
    )
    md = (out / "report" / "report.md").read_text()
    assert "Decided by a lead after the dispute ended: 1 passage(s) resolved `adjudicated`" in md
    assert (
        json.loads((out / "report" / "report.json").read_text())["adjudicated_no_longer_disputed"]
        == 1
    )


def test_an_export_without_such_passages_says_nothing_of_them(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    export("p", out, client=StudioWithLead(reviewed_tasks(), []), salt="s")  # type: ignore[arg-type]
    assert (
        "Decided by a lead after the dispute ended"
        not in (out / "report" / "report.md").read_text()
    )
