"""Against a real Label Studio: the ingest record of each passage (``ingest_run``, written
by a real ``annotate ingest``) travels through push into the export's manifest
(``ingest_runs``, one entry per run, rows without one counted), a lead's skip in
``NAME · adjudication`` (a cancelled annotation there) is counted in
``review.skipped_in_adjudication``, and the audit report shows both with the rows'
skips and source-document hashes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from annotate.corpus.export import export
from annotate.corpus.resolve import pseudonym
from annotate.ingestion import ingest
from annotate.review.adjudication import adjudicate
from annotate.studio.client import StudioClient
from annotate.studio.push import push
from annotate.studio.run_folders import without_folders

from .helpers import PRELABELS, SALT, TAX, answer_of, choices, new_reviewer, tasks_by_passage

pytestmark = pytest.mark.integration


def _ingest_record(tmp_path: Path, label: str, **kwargs: Any) -> dict[str, Any]:
    """The ``ingest_run`` record a real ingest writes (of a one-file input)."""
    folder = tmp_path / label
    folder.mkdir()
    (folder / "doc.txt").write_text(f"The {label} batch of documents.\n", encoding="utf-8")
    out = tmp_path / f"{label}.jsonl"
    ingest([folder], out, **kwargs)
    row = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    return json.loads(row["ingest_run"])


def _prelabels(tmp_path: Path, runs: dict[str, dict[str, Any]]) -> Path:
    """The fixture pre-labels, doc-a's and doc-b's carrying an ingest record (and doc-a's
    a document_sha256), doc-c's none (as an ingest from before either)."""
    rows = [json.loads(line) for line in PRELABELS.read_text(encoding="utf-8").splitlines()]
    for r in rows:
        if r["doc_id"] in runs:
            r["ingest_run"] = json.dumps(runs[r["doc_id"]])
        if r["doc_id"] == "doc-a":
            r["document_sha256"] = "ab" * 32
    path = tmp_path / "prelabels.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_ingest_runs_and_the_leads_skips_reach_the_manifest_and_report(
    client: StudioClient, name: str, tmp_path: Path
) -> None:
    first = _ingest_record(tmp_path, "first")
    second = _ingest_record(tmp_path, "second", max_chars=300, near_dup_threshold=None)
    assert first["run"] != second["run"]
    pushed = push(_prelabels(tmp_path, {"doc-a": first, "doc-b": second}), name, client=client)
    tasks = tasks_by_passage(client, pushed.project_id)
    # without the absolute folders of the lead's machine, which reviewers can read in the
    # task's data (passL54 finding 6): push recorded them here, and the export below
    # (on this machine) names them again
    assert json.loads(tasks["doc-a-p0"]["data"]["ingest_run"]) == without_folders(first)
    assert str(tmp_path) not in json.dumps(tasks["doc-a-p0"]["data"])
    assert "ingest_run" not in tasks["doc-c-p0"]["data"]

    admin, other = int(client.whoami()["id"]), new_reviewer(client)
    lead = new_reviewer(client, "lead")
    for passage, mine, theirs in (
        ("doc-a-p0", ["news_reporting"], ["news_reporting"]),
        ("doc-a-p1", ["violent_threat"], ["none"]),  # disputed: goes to the lead
        ("doc-b-p0", ["none"], ["none"]),
        ("doc-c-p0", ["none"], ["none"]),
    ):
        for user, cats in ((admin, mine), (other, theirs)):
            answer_of(
                client,
                tasks[passage]["id"],
                user,
                [choices("category", cats), choices("severity", ["none"])],
            )
    sent = adjudicate(client, name, TAX, salt=SALT)
    assert sent.passages == ["doc-a-p1"]
    (lead_task,) = tasks_by_passage(client, sent.project_id).values()
    answer_of(client, lead_task["id"], lead, [], was_cancelled=True)

    out = tmp_path / "corpus"
    export(name, out, client=client, salt=SALT)
    manifest = json.loads((out / "manifest.json").read_text())
    runs = manifest["ingest_runs"]
    assert sorted(runs["runs"], key=lambda r: r["rows"]) == [
        {**second, "rows": 1},
        {**first, "rows": 2},
    ]
    assert runs["rows_without_record"] == 1  # doc-c-p0
    review = manifest["review"]
    assert review["skipped_in_adjudication"] == {
        "tasks": 1,
        "skips": 1,
        "passages_without_lead_answer": 1,
        "passages_without_lead_answer_undecided": 1,  # violent_threat vs none: a tie
        "by": {pseudonym(lead, SALT): 1},
    }
    assert review["awaiting_adjudication"] == 1  # a skip decides nothing
    assert review["skipped_by_reviewers"] == {"tasks": 0, "skips": 0}
    # the skip itself is on its row: who, where and when (audit49 A14)
    rows = {
        r["id"]: r
        for f in (out / "jsonl").glob("*.jsonl")
        for r in (json.loads(line) for line in f.read_text().splitlines())
    }
    (skip,) = rows["doc-a-p1"]["skips"]
    assert skip["reviewer"] == pseudonym(lead, SALT) and skip["adjudication"] is True
    assert (skip["project_id"], skip["task_id"]) == (sent.project_id, lead_task["id"])
    assert skip["skipped_at"]
    assert all(r["skips"] == [] for k, r in rows.items() if k != "doc-a-p1")

    numbers = json.loads((out / "report" / "report.json").read_text())
    assert numbers["skips"]["in_adjudication"] == review["skipped_in_adjudication"]
    assert {r["run"]: r["rows_in_corpus"] for r in numbers["ingest_runs"]["runs"]} == {
        first["run"]: 2,
        second["run"]: 1,
    }
    assert numbers["document_sha256"]["with_hash"] == 1  # doc-a
    assert numbers["document_sha256"]["without_hash"] == 2  # doc-b, doc-c
    text = (out / "report" / "report.md").read_text()
    assert "Skipped by the lead in adjudication: 1 task(s)" in text
    assert f"`{first['run']}`" in text and "1 row(s) carry no ingest record" in text
