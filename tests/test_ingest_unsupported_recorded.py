"""Files of a folder given whose type ingest does not read (a compressed export, a PDF)
were passed over with a warning only: the run record fingerprinted them among the
`inputs` it read and said nothing of them, so an audit of the passages could not tell
that `posts.jsonl.gz` was never read. They are listed in `skipped_files` (problem
`unsupported type '.gz'`), not in `inputs`; the warning of a compressed file gives the
command that unpacks it."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from annotate.ingestion import ingest

TEXT = "The council met on Tuesday to discuss the bus timetable and the river bridge."


def test_a_folders_unsupported_files_are_listed_as_skipped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    docs = tmp_path / "delivery"
    docs.mkdir()
    (docs / "notes.txt").write_text(TEXT + "\n", encoding="utf-8")
    packed = gzip.compress(json.dumps({"id": 1, "text": TEXT}).encode() + b"\n")
    (docs / "posts.jsonl.gz").write_bytes(packed)
    (docs / "report.pdf").write_bytes(b"%PDF-1.4 ...")
    with caplog.at_level("WARNING", logger="annotate"):
        ingest([docs], tmp_path / "p.parquet")
    record = json.loads(pd.read_parquet(tmp_path / "p.parquet")["ingest_run"].iloc[0])
    skipped = {f["file"]: f for f in record["skipped_files"]}
    assert set(skipped) == {"delivery/posts.jsonl.gz", "delivery/report.pdf"}
    assert skipped["delivery/posts.jsonl.gz"]["problem"] == "unsupported type '.gz'"
    assert skipped["delivery/posts.jsonl.gz"]["sha256"] == hashlib.sha256(packed).hexdigest()
    assert record["inputs"]["files"] == 1  # notes.txt, the one file read
    said = " ".join(r.getMessage() for r in caplog.records)
    assert f"gunzip -k {docs / 'posts.jsonl.gz'}" in said
