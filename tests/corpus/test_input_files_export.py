"""Export keeps each row's ``input_file`` and ``input_row`` (pushed in the task's data)
in the JSONL, Parquet and HF outputs, counts the rows per input file in the manifest's
``input_files``, masks the file names a part of the path at a time under ``--redact``, and
the audit report counts them. Rows pushed before ingest recorded them export null,
counted as missing, never guessed; an export made before the columns reports "not
recorded"."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from datasets import load_from_disk

from annotate.audit import provenance
from annotate.audit.redact import RedactionSettings
from annotate.audit.report import to_markdown
from annotate.audit.verify import verify
from annotate.corpus.export import export
from annotate.corpus.input_files import INPUT_FILES_OF, INPUT_ROW_COUNTED
from annotate.corpus.schema import corpus_features
from annotate.taxonomy import load_taxonomy
from tests.audit.fakes import FakeStudio, reviewed_tasks

ADDRESS = "jane.doe@example.org"
# doc-a: a text file named by an e-mail address (one document: no row); doc-b: a CSV
# row; doc-c: pushed from an ingest before the columns (the task has neither)
WHERE = {"doc-a": (f"inbox/{ADDRESS}.txt", None), "doc-b": ("posts.csv", "row 2 (line 3)")}


def _export(tmp_path: Path, name: str, redact: bool = False) -> Path:
    tasks = reviewed_tasks()
    for t in tasks:
        file, row = WHERE.get(t["data"]["doc_id"], (None, None))
        if file is not None:
            t["data"]["input_file"] = file
        if row is not None:
            t["data"]["input_row"] = row
    out = tmp_path / name
    settings = RedactionSettings() if redact else None
    export("p", out, client=FakeStudio(tasks), salt="s", redact=settings)  # type: ignore[arg-type]
    return out


def _jsonl(out: Path) -> dict[str, dict[str, Any]]:
    return {
        r["id"]: r
        for f in sorted((out / "jsonl").glob("*.jsonl"))
        for r in (json.loads(line) for line in f.read_text(encoding="utf-8").splitlines())
    }


def _where(rows: Any) -> dict[str, tuple[Any, Any]]:
    return {r["id"]: (r["input_file"], r["input_row"]) for r in rows}


def test_every_format_keeps_them_and_the_manifest_counts_them(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assert {"input_file", "input_row"} <= set(corpus_features(load_taxonomy()))
    with caplog.at_level(logging.INFO, logger="annotate.corpus.input_files"):
        out = _export(tmp_path, "c")
    want = {
        "doc-a-p0": (f"inbox/{ADDRESS}.txt", None),
        "doc-a-p1": (f"inbox/{ADDRESS}.txt", None),
        "doc-b-p0": ("posts.csv", "row 2 (line 3)"),
        "doc-c-p0": (None, None),  # null, counted, never guessed from source or doc_id
        "doc-c-p1": (None, None),
    }
    assert _where(_jsonl(out).values()) == want
    parquet = [r for p in (out / "parquet").glob("*.parquet") for r in pq.read_table(p).to_pylist()]
    assert _where(parquet) == want
    hf = load_from_disk(str(out / "hf"))
    assert _where(r for split in hf.values() for r in split) == want
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["input_files"] == {
        "of": INPUT_FILES_OF,
        "input_row_counted": INPUT_ROW_COUNTED,
        "files": {f"inbox/{ADDRESS}.txt": 2, "posts.csv": 1},
        "rows_without": 2,
        "rows_without_row": 2,  # doc-a's: a text file is one document
        "masked_by_export_redact": False,
    }
    said = [r.getMessage() for r in caplog.records if "input_file" in r.getMessage()]
    assert len(said) == 1 and said[0].startswith("2 of 5 row(s) have no input_file"), said
    # exported without --redact: the address in a file name is counted like doc_id's
    assert manifest["redaction"]["rows_with_email_addresses"]["input_file"] == 2
    verify(out)  # the formats agree, the checksums match

    report = json.loads((out / "report" / "report.json").read_text())["input_files"]
    assert report == {
        "recorded": True,
        "files": 2,
        "rows_with_file": 3,
        "rows_with_row": 1,
        "rows_without": 2,
        "by_file": {f"inbox/{ADDRESS}.txt": 2, "posts.csv": 1},
        "masked_by_export_redact": False,
    }
    text = (out / "report" / "report.md").read_text()
    assert (
        "Input files (`input_file`, `input_row`): 2 file(s); 3 row(s) name the input file "
        "their document was read from, 1 of them the row or line in it (a text file is one "
        "document); 2 row(s) name none (ingested before ingest recorded it)."
    ) in text
    assert "| posts.csv | 1 |" in text
    # a report.json written before the numbers: rendered, saying so
    older = json.loads((out / "report" / "report.json").read_text())
    older.pop("input_files")
    assert "Input files: not recorded" in to_markdown(older)


def test_redact_masks_the_file_names_a_part_at_a_time(tmp_path: Path) -> None:
    out = _export(tmp_path, "r", redact=True)
    rows = _jsonl(out)
    assert rows["doc-a-p0"]["input_file"] == "inbox/[EMAIL]"  # the folder stays
    assert rows["doc-b-p0"]["input_file"] == "posts.csv"  # nothing to mask
    assert rows["doc-b-p0"]["input_row"] == "row 2 (line 3)"  # annotate's count: kept
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["input_files"]["files"] == {"inbox/[EMAIL]": 2, "posts.csv": 1}
    assert manifest["input_files"]["masked_by_export_redact"] is True
    masked = manifest["redaction"]["masked_at_export"]["placeholders"]["input_file"]
    assert masked["email"] == 2
    hf = load_from_disk(str(out / "hf"))
    assert {r["input_file"] for split in hf.values() for r in split} == {
        "inbox/[EMAIL]",
        "posts.csv",
        None,
    }
    leaked = [
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and ADDRESS.encode() in p.read_bytes()
    ]
    assert leaked == []  # rows of every format, manifest, report
    report = json.loads((out / "report" / "report.json").read_text())["input_files"]
    assert report["masked_by_export_redact"] is True
    assert (
        "File names are as `export --redact` masked them."
        in (out / "report" / "report.md").read_text()
    )
    verify(out)


def test_an_export_made_before_the_columns_says_not_recorded() -> None:
    rows = [{"id": "x", "doc_id": "d", "labels": []}]  # no input_file, input_row
    numbers = provenance.input_file_numbers(rows, {})
    assert numbers == {"recorded": False}
    assert provenance.input_file_lines(numbers)[0] == (
        "Input files: not recorded (an export made before `input_file` and `input_row`)."
    )
