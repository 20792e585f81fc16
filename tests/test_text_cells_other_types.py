"""Cells of ingest's text columns that a JSONL table holds as numbers or objects (a
``"title": 5``, a ``"date": 20240101``, a news API's ``"source": {"id": ..., "name": ...}``):
prelabel writes them as text, as ingest does (it failed with a pyarrow traceback,
"Expected bytes, got a 'int' object"); ingest writes an object as its JSON (it wrote
Python's ``{'a': 1}``); a ``doc_id`` that is an object is an error naming the row."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from annotate.errors import InputError
from annotate.ingestion import ingest
from annotate.prelabeling import prelabel
from tests.fakes import KeywordClassifier

ROWS = [
    {"id": "a", "text": "a first passage", "title": 5, "date": 20240101, "source": {"a": 1}},
    {"id": "b", "text": "a second one", "title": "t", "date": "2024-01-02", "source": "s"},
    {"id": "c", "text": "a third one", "title": None, "meta": {"k": [1, 2]}, "doc_id": 7},
]


def _jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


@pytest.mark.parametrize("suffix", [".parquet", ".jsonl"])
def test_prelabel_writes_numbers_and_objects_of_text_columns_as_text(
    tmp_path: Path, taxonomy, suffix: str
) -> None:
    src = _jsonl(tmp_path / "p.jsonl", ROWS)
    out = tmp_path / f"o{suffix}"
    prelabel(src, out, classifier=KeywordClassifier(taxonomy.category_names))
    if suffix == ".parquet":
        got = pq.read_table(out).to_pylist()
    else:
        got = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r.get("title") for r in got] == ["5", "t", None]
    assert [r.get("date") for r in got] == ["20240101", "2024-01-02", None]
    assert [r.get("source") for r in got] == ['{"a": 1}', "s", None]
    assert [r.get("meta") for r in got] == [None, None, '{"k": [1, 2]}']
    assert [r.get("doc_id") for r in got] == [None, None, "7"]


def test_an_object_for_doc_id_is_an_error_naming_the_row(tmp_path: Path, taxonomy) -> None:
    src = _jsonl(tmp_path / "p.jsonl", [{"id": "a", "text": "x", "doc_id": {"d": 1}}])
    with pytest.raises(InputError, match=r"line 1 \(id 'a'\) has a dict in 'doc_id'"):
        prelabel(src, tmp_path / "o.parquet", classifier=KeywordClassifier(taxonomy.category_names))


def test_ingest_writes_an_object_as_its_json_and_numbers_as_digits(tmp_path: Path) -> None:
    src = _jsonl(tmp_path / "d.jsonl", ROWS[:2])
    out = tmp_path / "p.parquet"
    ingest([src], out, min_chars=0)
    got = pq.read_table(out).to_pylist()
    assert [(r["title"], r["date"], r["source"]) for r in got] == [
        ("5", "2024-01-01", '{"a": 1}'),  # a date, read as one (ISO's basic form)
        ("t", "2024-01-02", "s"),
    ]
