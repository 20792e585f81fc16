"""The lead's skips in ``NAME · adjudication`` are counted (``review.skipped_in_adjudication``:
tasks, skips, passages no lead answered since, who by pseudonym), and the passages only
skipped by reviewers name who skipped them (``passages_skipped_without_answer_by``).
Before, a lead's skip was counted nowhere. Snapshot-shaped tasks; the real-server test is
tests/integration/test_export_ingest_runs_and_lead_skips.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from annotate.corpus.export import export
from annotate.corpus.resolve import pseudonym
from tests.audit.fakes import (
    NEWS,
    THREAT,
    FakeStudio,
    StudioWithLead,
    annotation,
    lead_task,
    reviewed_tasks,
    task,
)
from tests.integration.helpers import choices


def _skip(ann_id: int, user: int) -> dict[str, Any]:
    return {**annotation(ann_id, user, [], minute=50, lead_time=1.0), "was_cancelled": True}


def _export(tmp_path: Path, client: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    out = tmp_path / "c"
    export("p", out, client=client, salt="s")
    rows = {
        r["id"]: r
        for f in (out / "jsonl").glob("*.jsonl")
        for r in (json.loads(line) for line in f.read_text().splitlines())
    }
    return rows, json.loads((out / "manifest.json").read_text())


def test_the_leads_skips_are_counted_with_who_skipped(tmp_path: Path) -> None:
    skipped_only = lead_task("doc-a-p1", THREAT, [])
    skipped_only["annotations"] = [_skip(902, 4)]  # the lead skipped it; nobody answered
    skipped_then_answered = lead_task("doc-a-p0", NEWS, [choices("category", ["none"])])
    skipped_then_answered["id"] = 91
    skipped_then_answered["annotations"].insert(0, _skip(903, 4))  # skipped, then answered
    studio = StudioWithLead(reviewed_tasks(), [skipped_only, skipped_then_answered])
    rows, manifest = _export(tmp_path, studio)
    assert manifest["review"]["skipped_in_adjudication"] == {
        "tasks": 2,
        "skips": 2,
        "passages_without_lead_answer": 1,
        "passages_without_lead_answer_undecided": 0,  # doc-a-p1's vote decides it
        "by": {pseudonym(4, "s"): 2},
    }
    assert rows["doc-a-p1"]["resolution"] != "adjudicated"  # a skip decides nothing
    assert rows["doc-a-p0"]["resolution"] == "adjudicated"
    assert manifest["adjudication_answers"] == 1
    # reviewers' skips are counted apart, as before
    assert manifest["review"]["skipped_by_reviewers"] == {"tasks": 0, "skips": 0}


def test_an_adjudication_project_without_skips_counts_zero(tmp_path: Path) -> None:
    lead = lead_task("doc-a-p1", THREAT, [choices("category", ["incitement"])])
    _, manifest = _export(tmp_path / "a", StudioWithLead(reviewed_tasks(), [lead]))
    assert manifest["review"]["skipped_in_adjudication"] == {
        "tasks": 0,
        "skips": 0,
        "passages_without_lead_answer": 0,
        "passages_without_lead_answer_undecided": 0,
        "by": {},
    }
    _, manifest = _export(tmp_path / "b", FakeStudio(reviewed_tasks()))
    assert manifest["review"]["skipped_in_adjudication"] is None  # no adjudication project


def test_passages_only_skipped_name_who_skipped_them(tmp_path: Path) -> None:
    tasks = reviewed_tasks()
    tasks[1]["annotations"].append(_skip(201, 5))  # answered by others: in the corpus
    only = task(16, "doc-d-p0", "A passage everyone skipped.", doc="doc-d", index=0,
                model_labels=["none"], annotations=[_skip(204, 4), _skip(205, 5)])  # fmt: skip
    also = task(17, "doc-e-p0", "Another one.", doc="doc-e", index=0,
                model_labels=["none"], annotations=[_skip(206, 4)])  # fmt: skip
    _, manifest = _export(tmp_path, FakeStudio([*tasks, only, also]))
    assert manifest["passages_skipped_without_answer"] == 2
    assert manifest["passages_skipped_without_answer_by"] == {
        pseudonym(4, "s"): 2,
        pseudonym(5, "s"): 1,
    }
