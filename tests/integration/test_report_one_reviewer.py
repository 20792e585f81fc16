"""One reviewer per passage (a plain push, K = 1): the export's report called every
single answer "unanimous" and its agreement line said "0 passages, 0 reviewers". It now
says agreement cannot be measured with one answer per passage, and how to get it
(--reviewers-per-task). Against the session's real Label Studio."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.audit.report import SINGLE_ANSWER
from annotate.studio.client import StudioClient
from annotate.studio.projects import project_set

from .helpers import PRELABELS, choices
from .review_team import run

pytestmark = pytest.mark.integration


def test_one_reviewer_per_passage_is_no_agreement(
    client: StudioClient, name: str, tmp_path: Path
) -> None:
    run("push", str(PRELABELS), "--project", name, "-q")
    (project,) = project_set(client, name).projects
    me = int(client.whoami()["id"])
    answered = 0
    for task in client.iter_tasks(int(project["id"])):
        result = [choices("category", ["none"]), choices("severity", ["none"])]
        client.sdk.annotations.create(id=task["id"], result=result, completed_by=me)
        answered += 1
    out = tmp_path / "corpus"
    run("export", "--project", name, "--out", str(out), "-q")
    report = (out / "report" / "report.md").read_text(encoding="utf-8")
    section = report[report.index("## Agreement and gold") :]
    assert "Agreement cannot be measured" in section and "--reviewers-per-task" in section
    assert "| unanimous |" not in section and f"| {SINGLE_ANSWER} | {answered} |" in section
    assert "0 passages, 0 reviewers" not in section
