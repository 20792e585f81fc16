"""`ingest --previous` reads the earlier file's ``ingest_run`` column by pyarrow when it
is a small JSONL file (no DuckDB database started for a few hundred rows: 0.02 s, not
0.2-0.3 s) and by DuckDB when it is large or Parquet (grouped as it streams: memory does
not grow with the file); both give the same counts, and a line either cannot read is
read again row by row."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from annotate.ingestion import column_counts as cc
from annotate.ingestion.record import recorded_runs

RUN_A = json.dumps({"run": "ingest-aaaaaaaaaaaaaaaa", "settings": {"max_chars": 700}})
RUN_B = json.dumps({"run": "ingest-bbbbbbbbbbbbbbbb", "settings": {"max_chars": 120}})
ROWS = [
    {"id": "p1", "doc_id": "d1", "text": "a", "ingest_run": RUN_A},
    {"id": "p2", "doc_id": "d1", "text": "b", "ingest_run": RUN_A},
    {"id": "p3", "doc_id": "d2", "text": "c", "ingest_run": RUN_B},
    {"id": "p4", "doc_id": "d3", "text": "d", "ingest_run": None},
    {"id": "p5", "doc_id": "d4", "text": "e"},  # no value at all (an edited row)
]
EXPECTED = {RUN_A: 2, RUN_B: 1, None: 2}


def _write(tmp_path: Path, fmt: str) -> Path:
    if fmt == "parquet":
        path = tmp_path / "p.parquet"
        pq.write_table(pa.Table.from_pylist([{"ingest_run": None, **r} for r in ROWS]), path)
    else:
        path = tmp_path / "p.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in ROWS), encoding="utf-8")
    return path


def _refuse(*args: Any) -> None:
    raise AssertionError("this reader was not to be used for this file size")


def test_a_small_jsonl_file_is_read_by_pyarrow(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cc, "_by_duckdb", _refuse)
    assert dict(cc.column_counts(_write(tmp_path, "jsonl"), "ingest_run", "jsonl")) == EXPECTED


def test_a_parquet_file_is_read_by_duckdb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """(pyarrow's first Parquet read of a process took longer than DuckDB's whole read.)"""
    monkeypatch.setattr(cc, "_by_pyarrow", _refuse)
    assert dict(cc.column_counts(_write(tmp_path, "parquet"), "ingest_run", "parquet")) == EXPECTED


def test_a_large_jsonl_file_is_read_by_duckdb_with_the_same_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path, "jsonl")
    monkeypatch.setattr(cc, "SMALL_FILE_BYTES", path.stat().st_size - 1)
    monkeypatch.setattr(cc, "_by_pyarrow", _refuse)
    assert dict(cc.column_counts(path, "ingest_run", "jsonl")) == EXPECTED


def test_recorded_runs_of_a_small_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cc, "_by_duckdb", _refuse)
    found = recorded_runs(_write(tmp_path, "jsonl"))
    assert sorted(found.records) == ["ingest-aaaaaaaaaaaaaaaa", "ingest-bbbbbbbbbbbbbbbb"]
    assert found.rows_without == 2


@pytest.mark.parametrize("large", [False, True])
def test_an_object_value_is_read_again_row_by_row_as_its_json(
    tmp_path: Path, large: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A JSONL whose ingest_run is an object, not the JSON text ingest writes (a hand-made
    or re-serialised file): pyarrow refuses it as text; the rows are read one by one."""
    path = tmp_path / "p.jsonl"
    record = {"run": "ingest-cccccccccccccccc", "settings": {"max_chars": 300}}
    path.write_text(json.dumps({"id": "p1", "ingest_run": record}) + "\n", encoding="utf-8")
    if large:
        monkeypatch.setattr(cc, "SMALL_FILE_BYTES", 0)
    [(value, rows)] = cc.column_counts(path, "ingest_run", "jsonl")
    assert json.loads(value) == record and rows == 1
