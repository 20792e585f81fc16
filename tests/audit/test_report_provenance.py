"""The audit report shows who skipped what (the rows' ``skipped_by``, the passages only
skipped and the lead's skips), how many documents carry their source hash
(``document_sha256``) and the ingest runs that cut the passages (``ingest_runs``); an
export made before a field says "not recorded". Before, the report showed none of them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from annotate.audit import provenance
from annotate.audit.report import to_markdown
from annotate.corpus.export import export
from annotate.corpus.resolve import pseudonym
from tests.audit.fakes import FakeStudio, annotation, reviewed_tasks, task
from tests.corpus.test_ingest_runs_export import record


def _skip(ann_id: int, user: int) -> dict[str, Any]:
    return {**annotation(ann_id, user, [], minute=50, lead_time=1.0), "was_cancelled": True}


def _report(tmp_path: Path) -> tuple[dict[str, Any], str]:
    tasks = reviewed_tasks()
    tasks[1]["annotations"].append(_skip(201, 5))  # doc-a-p1: answered, and skipped by 5
    only = task(16, "doc-d-p0", "A passage everyone skipped.", doc="doc-d", index=0,
                model_labels=["none"], annotations=[_skip(204, 4)])  # fmt: skip
    for t in tasks:
        doc = t["data"]["doc_id"]
        if doc == "doc-a" or t["data"]["passage_id"] == "doc-c-p0":  # doc-c: one row of two
            t["data"]["document_sha256"] = "cd" * 32 if doc == "doc-a" else "ef" * 32
        if doc == "doc-a":
            t["data"]["ingest_run"] = json.dumps(record("ingest-aaaa", 700))
    out = tmp_path / "c"
    export("p", out, client=FakeStudio([*tasks, only]), salt="s")  # type: ignore[arg-type]
    return (
        json.loads((out / "report" / "report.json").read_text()),
        (out / "report" / "report.md").read_text(),
    )


def test_the_report_counts_skips_source_hashes_and_ingest_runs(tmp_path: Path) -> None:
    numbers, text = _report(tmp_path)
    skips = numbers["skips"]
    assert skips["in_corpus"] == {"passages": 1, "by": {pseudonym(5, "s"): 1}}
    assert skips["without_answer"] == {"total": 1, "by": {pseudonym(4, "s"): 1}}
    assert skips["in_adjudication"] is None  # no adjudication project
    assert numbers["document_sha256"] == {
        "recorded": True,
        "documents": 3,
        "with_hash": 1,  # doc-a
        "without_hash": 1,  # doc-b
        "partly": 1,  # doc-c
        "several_hashes": 0,
        "rows_without": 2,
        "left_out_by_export_redact": False,
    }
    (run,) = numbers["ingest_runs"]["runs"]
    assert (run["run"], run["rows"], run["rows_in_corpus"]) == ("ingest-aaaa", 2, 2)
    assert numbers["ingest_runs"]["rows_without_record"] == 3
    assert (
        f"Passages in the corpus that a reviewer skipped (another answered them): 1; "
        f"skipped by (passages): {pseudonym(5, 's')} (1)."
    ) in text
    assert (
        "Passages skipped and answered by nobody (not in the corpus): 1; skipped by "
        f"(passages): {pseudonym(4, 's')} (1)."
    ) in text
    assert (
        "Source-document hashes (`document_sha256`): 3 document(s); 1 with their hash on "
        "every row, 1 without one (ingested before ingest recorded it), 1 on some rows only; "
        "2 row(s) without a hash."
    ) in text
    assert "## Ingest: how the passages were cut" in text
    assert "| `ingest-aaaa` | 2 | 0.1.0 | 700/80, splitter 1 |" in text
    # the inputs' digest as text: backticks mid-cell were escaped, shown literally
    assert f"| 1, {'ab' * 8} |" in text and "\\`" not in text
    assert "3 row(s) carry no ingest record" in text


def test_an_export_made_before_the_fields_says_not_recorded() -> None:
    rows = [{"id": "x", "doc_id": "d", "labels": []}]  # no skipped_by, document_sha256
    manifest: dict[str, Any] = {"passages_skipped_without_answer": 2}
    skips = provenance.skip_numbers(rows, manifest)
    assert skips["in_corpus"] is None
    assert skips["without_answer"] == {"total": 2, "by": None}
    assert provenance.document_hash_numbers(rows, manifest) == {"recorded": False}
    assert provenance.ingest_run_numbers(rows, manifest) is None
    text = " ".join(
        [
            *provenance.skip_lines(skips),
            *provenance.document_hash_lines({"recorded": False}),
            *provenance.ingest_run_lines(None),
        ]
    )
    assert "Skips per passage: not recorded" in text
    assert "skipped by (passages): not recorded" in text
    assert "Source-document hashes: not recorded" in text
    assert "Not recorded: an export made before the manifest listed the ingest runs." in text


def test_the_leads_skips_are_shown() -> None:
    lead = {"tasks": 2, "skips": 3, "passages_without_lead_answer": 1, "by": {"r-lead": 2}}
    skips = provenance.skip_numbers([], {"review": {"skipped_in_adjudication": lead}})
    assert skips["in_adjudication"] == lead
    (line, _) = provenance.skip_lines(skips)
    assert (
        "Skipped by the lead in adjudication: 2 task(s) (3 skip(s)), 1 not answered by a lead "
        "since (the reviewers' vote decides them); by (passages): r-lead (2)."
    ) in line


def test_to_markdown_needs_no_new_numbers_from_an_older_report_json(tmp_path: Path) -> None:
    numbers, _ = _report(tmp_path)
    for key in ("skips", "document_sha256", "ingest_runs"):
        numbers.pop(key)
    text = to_markdown(numbers)
    assert "Source-document hashes: not recorded" in text
    assert "Not recorded: an export made before the manifest listed the ingest runs." in text


def test_an_empty_corpus_is_not_called_an_older_export(tmp_path: Path) -> None:
    """A project nobody has answered yet exports an empty corpus; its report said the
    source hashes, input files, licences and skips were "not recorded (an export made
    before ...)", wrong of a current export: there is no row to count. Now it counts 0."""
    open_task = task(1, "doc-a-p0", "Nobody answered this yet.", doc="doc-a", index=0,
                     model_labels=["none"], annotations=[])  # fmt: skip
    out = tmp_path / "empty"
    export("p", out, client=FakeStudio([open_task]), salt="s")  # type: ignore[arg-type]
    text = (out / "report" / "report.md").read_text()
    numbers = json.loads((out / "report" / "report.json").read_text())
    assert "made before `document_sha256`" not in text
    assert "made before `input_file`" not in text
    assert "made before `annotate ingest` recorded each document's licence" not in text
    assert "made before `skipped_by`" not in text
    assert numbers["document_sha256"]["recorded"] is True
    assert numbers["document_sha256"]["documents"] == 0
    assert numbers["input_files"]["recorded"] is True
    assert numbers["licenses"]["recorded"] is True
    assert numbers["licenses"]["unknown"]["documents"] == 0
