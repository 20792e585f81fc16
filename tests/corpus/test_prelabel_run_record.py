"""prelabel records its run (passM55 finding 10): pre-labels had a model version per row
but no record of when prelabel ran, on which input, with which settings, unlike ingest's
``ingest_run``. Every row now carries ``prelabel_run`` (the same compact JSON on every
row of a run: input SHA-256, model, taxonomy digest, window and threads; like ingest's,
no time, so a resumed run still writes an uninterrupted run's bytes),
push puts it in the task, and the export manifest lists each run once
(``prelabel_runs``), as it does the ingest runs."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from annotate.corpus.export import export
from annotate.prelabeling import prelabel
from annotate.studio.label_config import parse_label_config, render_label_config
from annotate.studio.tasks import row_to_task
from annotate.tables import iter_rows
from annotate.taxonomy import load_taxonomy
from tests.audit.fakes import FakeStudio, reviewed_tasks
from tests.fakes import KeywordClassifier


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_the_prelabel_run_goes_from_prelabel_to_the_manifest(tmp_path: Path, suffix: str) -> None:
    tax = load_taxonomy()
    src = tmp_path / "passages.jsonl"
    src.write_text(
        "".join(
            json.dumps({"id": i, "text": t}) + "\n"
            for i, t in (("a", "They said they would kill."), ("b", "Gardens in spring."))
        )
    )
    out = tmp_path / f"pre{suffix}"
    classifier = KeywordClassifier(tax.category_names)
    prelabel(src, out, classifier=classifier, taxonomy=tax, chunk_size=7)
    rows = list(iter_rows(out))
    assert len({r["prelabel_run"] for r in rows}) == 1  # one run, one record
    record = json.loads(rows[0]["prelabel_run"])
    assert record["run"].startswith("pr-")
    assert record["input"] == {
        "name": "passages.jsonl",
        "bytes": src.stat().st_size,
        "sha256": hashlib.sha256(src.read_bytes()).hexdigest(),
    }
    assert record["model_version"] == classifier.version and "chunk_size" not in record
    assert record["taxonomy_sha256"] == tax.content_sha256 and record["engine"] == "local"
    assert str(tmp_path) not in rows[0]["prelabel_run"]  # no folder of the user's machine
    # deterministic: the same input and settings give the same record (resume relies on it)
    again = tmp_path / f"again{suffix}"
    prelabel(src, again, classifier=classifier, taxonomy=tax, chunk_size=7)
    assert next(iter(iter_rows(again)))["prelabel_run"] == rows[0]["prelabel_run"]
    # pushed: the task carries it
    task = row_to_task(rows[0], tax, parse_label_config(render_label_config(tax)), where="row 1")
    assert json.loads(task["data"]["prelabel_run"]) == record
    # exported: listed once in the manifest
    tasks = reviewed_tasks()
    for t in tasks:
        t["data"]["prelabel_run"] = task["data"]["prelabel_run"]
    export("p", tmp_path / "c", client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
    manifest = json.loads((tmp_path / "c" / "manifest.json").read_text())
    assert manifest["prelabel_runs"] == {record["run"]: record}


def test_an_export_of_tasks_without_a_record_lists_none(tmp_path: Path) -> None:
    tasks = reviewed_tasks()
    tasks[0]["data"]["prelabel_run"] = "{not json"
    export("p", tmp_path / "c", client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
    manifest = json.loads((tmp_path / "c" / "manifest.json").read_text())
    assert manifest["prelabel_runs"] == {}
