"""A JSONL row nested very deeply (adversarial content, or a broken exporter) ended
`annotate ingest` in a RecursionError traceback: a few hundred levels in the check for
lone surrogates, a few thousand in Python's JSON reader. The first is read, the second
is an error naming the line."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from annotate.errors import InputError
from annotate.ingestion import ingest

TEXT = "The council met on Tuesday to discuss the bus timetable."


def _row(depth: int) -> str:
    return f'{{"id": "d1", "text": "{TEXT}", "extra": {"[" * depth}{"]" * depth}}}\n'


def test_a_value_nested_hundreds_deep_is_read(tmp_path: Path) -> None:
    src = tmp_path / "posts.jsonl"
    src.write_text(_row(600), encoding="utf-8")
    ingest([src], tmp_path / "p.parquet")
    rows = pd.read_parquet(tmp_path / "p.parquet")
    assert list(rows["text"]) == [TEXT]
    assert json.loads(rows["meta"].iloc[0])["extra"][0][0][0][0]  # kept in meta


def test_a_row_nested_too_deep_to_read_is_an_error_naming_its_line(tmp_path: Path) -> None:
    src = tmp_path / "posts.jsonl"
    src.write_text('{"id": "d0", "text": "fine"}\n' + _row(100_000), encoding="utf-8")
    with pytest.raises(InputError) as err:
        ingest([src], tmp_path / "p.parquet")
    assert f"{src}: line 2 nests arrays or objects too deeply" in err.value.what
    assert "delete or flatten that line" in (err.value.fix or "")
