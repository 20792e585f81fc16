"""Export lists the ingest runs that cut the corpus (``ingest_runs``: each run's record
once, with its rows) and names each row's run (``ingest_run``); rows whose task carries
no readable record are counted and noted, never given a guessed one. On snapshot-shaped
tasks; the real-server test is tests/integration/test_export_ingest_runs_and_lead_skips.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from annotate.corpus.export import export
from tests.audit.fakes import FakeStudio, reviewed_tasks


def record(run: str, max_chars: int) -> dict[str, Any]:
    """An ingest record as annotate.ingestion.record writes it (shape, not content)."""
    return {
        "run": run,
        "annotate_version": "0.1.0",
        "settings": {"max_chars": max_chars, "min_chars": 80, "near_dup_threshold": 0.8},
        "inputs": {"files": 1, "bytes": 10, "sha256": "ab" * 32, "listed": []},
        "previous": [],
    }


def _export(tmp_path: Path, tasks: list[dict[str, Any]]) -> tuple[dict, dict]:
    out = tmp_path / "c"
    export("p", out, client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
    rows = {
        r["id"]: r
        for f in (out / "jsonl").glob("*.jsonl")
        for r in (json.loads(line) for line in f.read_text().splitlines())
    }
    return rows, json.loads((out / "manifest.json").read_text())


def test_each_ingest_run_is_listed_once_and_named_per_row(tmp_path: Path) -> None:
    tasks = reviewed_tasks()
    first, second = record("ingest-aaaa", 700), record("ingest-bbbb", 300)
    by_doc = {"doc-a": first, "doc-b": second}
    for t in tasks:
        if t["data"]["doc_id"] in by_doc:
            t["data"]["ingest_run"] = json.dumps(by_doc[t["data"]["doc_id"]])
    rows, manifest = _export(tmp_path, tasks)
    runs = manifest["ingest_runs"]["runs"]
    counts = {
        run: sum(r["doc_id"] == doc for r in rows.values())
        for doc, run in (("doc-a", "ingest-aaaa"), ("doc-b", "ingest-bbbb"))
    }
    assert runs == [
        {**first, "rows": counts["ingest-aaaa"]},
        {**second, "rows": counts["ingest-bbbb"]},
    ]
    for r in rows.values():
        want = {"doc-a": "ingest-aaaa", "doc-b": "ingest-bbbb"}.get(r["doc_id"])
        assert r["ingest_run"] == want, r["id"]
    assert (
        manifest["ingest_runs"]["rows_without_record"]
        == sum(r["doc_id"] not in by_doc for r in rows.values())
        > 0
    )


def test_an_unreadable_or_missing_record_is_counted_not_guessed(tmp_path: Path) -> None:
    tasks = reviewed_tasks()
    tasks[0]["data"]["ingest_run"] = "{not json"
    rows, manifest = _export(tmp_path, tasks)
    assert manifest["ingest_runs"] == {"runs": [], "rows_without_record": len(rows)}
    assert all(r["ingest_run"] is None for r in rows.values())


def test_the_cli_notes_rows_without_an_ingest_record(tmp_path: Path, monkeypatch) -> None:
    from tests.test_open_work import export_cli

    tasks = reviewed_tasks()
    tasks[0]["data"]["ingest_run"] = json.dumps(record("ingest-aaaa", 700))
    studio = FakeStudio(tasks)
    ran = export_cli(studio, tmp_path / "c", monkeypatch)
    assert ran.exit_code == 0, ran.stderr
    assert "note: 4 of 5 passage(s) carry no ingest record" in ran.stderr, ran.stderr
