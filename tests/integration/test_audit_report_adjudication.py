"""What an auditor reads in report.md about a review in a real Label Studio: two
reviewers tie on one passage and split on a category of another; `annotate adjudicate`
sends both to the lead, who decides one with a comment naming an e-mail address; the
export runs with --redact. report.md lists the decision with the lead's comment masked,
the tie still undecided with the category split on, the category table's undecided
column, and what --redact masked. The lead's answer, started from the second reviewer's
answer, is recorded with the lead's own categories and that start, and is not credited to
the model (audit49 A2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.audit.redact import RedactionSettings
from annotate.corpus.export import export
from annotate.corpus.resolve import pseudonym
from annotate.review.adjudication import adjudicate
from annotate.studio.client import StudioClient

from .helpers import (
    SALT,
    TAX,
    answer_result,
    comment,
    give_answer,
    new_reviewer,
    pushed_tasks,
    tasks_by_passage,
)

pytestmark = pytest.mark.integration
REASON = "Endorses the call; checked with jane.doe@example.org"


def test_report_md_answers_an_auditor(client: StudioClient, name: str, tmp_path: Path) -> None:
    admin, second = int(client.whoami()["id"]), new_reviewer(client)
    _, tasks = pushed_tasks(client, name)
    votes = {
        # split on incitement, agreed on violent_threat: a tie the lead decides
        "doc-a-p1": (["violent_threat"], ["violent_threat", "incitement"]),
        # split on the category itself: a tie left undecided
        "doc-b-p1": (["extremist_propaganda"], ["none"]),
        "doc-b-p0": (["none"], ["none"]),
    }
    for pid, (first, other) in votes.items():
        for user, cats in ((admin, first), (second, other)):
            sev = "none" if cats == ["none"] else "high"
            give_answer(client, tasks[pid]["id"], user, cats, sev)
    sent = adjudicate(client, name, TAX, salt=SALT)
    assert sent.project_id is not None
    lead_tasks = tasks_by_passage(client, sent.project_id)
    assert set(lead_tasks) == {"doc-a-p1", "doc-b-p1"}
    # the lead starts from the second reviewer's answer (a prediction of the task)
    start = next(
        p
        for p in client.sdk.tasks.get(str(lead_tasks["doc-a-p1"]["id"])).predictions
        if p.model_version == pseudonym(second, SALT)
    )
    client.sdk.annotations.create(
        id=lead_tasks["doc-a-p1"]["id"],
        result=[*answer_result(["incitement"], "high"), comment(REASON)],
        completed_by=admin,
        parent_prediction=start.id,
    )
    out = tmp_path / "corpus"
    export(name, out, client=client, salt=SALT, redact=RedactionSettings())
    md = (out / "report" / "report.md").read_text(encoding="utf-8")
    numbers = json.loads((out / "report" / "report.json").read_text(encoding="utf-8"))
    section = md.split("### Adjudication", 1)[1].split("\n## ", 1)[0]
    (decided,) = numbers["adjudications"]["decided"]
    assert decided["id"] == "doc-a-p1" and decided["labels"] == ["incitement"]
    assert decided["comment"] == "Endorses the call; checked with [EMAIL-1]"
    assert "| doc-a-p1 |" in section and "checked with [EMAIL-1] |" in section
    assert "jane.doe" not in md
    (open_,) = numbers["adjudications"]["undecided"]
    assert open_["id"] == "doc-b-p1"
    assert open_["categories"] == ["extremist_propaganda", "none"]
    # high against none: the severity is tied too
    assert "| doc-b-p1 | extremist_propaganda, none | yes | 2 |" in section
    decisions = numbers["counts"]["by_category_decision"]
    assert decisions["extremist_propaganda"]["undecided"] == 1
    assert decisions["none"] == {"yes": 1, "no": 1, "undecided": 1}
    masked = json.loads((out / "manifest.json").read_text())["redaction"]["masked_at_export"]
    assert masked["placeholders"]["lead_comment"]["email"] == 1
    assert "lead comment: email 1" in " ".join(md.split())
    rows = [
        json.loads(line)
        for f in (out / "jsonl").glob("*.jsonl")
        for line in f.read_text(encoding="utf-8").splitlines()
    ]
    (adj,) = [r["adjudication"] for r in rows if r["adjudication"]]
    assert adj["categories"] == ["incitement"] and adj["severity"] == "high"
    assert adj["parent_prediction"] == start.id
    assert adj["started_from"] == pseudonym(second, SALT)
    assert adj["severity_from"] == "lead"
    lead = numbers["reviewer_answers"][pseudonym(admin, SALT)]
    assert lead["adjudication_started_from"] == {pseudonym(second, SALT): 1}
    # the admin's own reviewer answers (made through the API) record no start either
    assert lead["started_from"] == {} and lead["no_start_recorded"] == 3
