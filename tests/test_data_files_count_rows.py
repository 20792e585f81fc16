"""A data file's rows as the model card records them: a Parquet table's come from its
footer through :func:`annotate.tables.row_count` (one reader of Parquet footers), and a
file that cannot be read is still recorded, with a warning naming it."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pandas as pd
import pytest

from annotate import tables
from annotate.training import data_files
from annotate.training.data_files import count_rows


def test_parquet_rows_are_counted_by_tables_row_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "train.parquet"
    pd.DataFrame({"id": [f"p{i}" for i in range(7)], "text": ["x"] * 7}).to_parquet(path)
    calls: list[Path] = []

    def spy(p: Path) -> int | None:
        calls.append(Path(p))
        return tables.row_count(p)

    monkeypatch.setattr(data_files, "row_count", spy)
    assert count_rows(path) == len(pd.read_parquet(path)) == 7
    assert calls == [path]


def test_an_unreadable_parquet_file_is_not_counted_and_is_named(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"PAR1 not a parquet file at all")
    with caplog.at_level(logging.WARNING, logger="annotate.training.data_files"):
        assert count_rows(path) is None
    (record,) = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert record.getMessage() == f"{path}: rows not counted (not a readable Parquet file)"


def test_json_lines_saved_as_json_are_counted_by_line(tmp_path, caplog):
    rows = [{"text": f"reply {i}", "label": i % 2} for i in range(5)]
    lines = tmp_path / "Train.json"
    lines.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    listed = tmp_path / "list.json"
    listed.write_text(json.dumps(rows), encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text('{"text": "cut', encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        assert count_rows(lines) == len(pd.read_json(lines, lines=True)) == 5
        assert count_rows(listed) == 5
        assert not caplog.records
        assert count_rows(broken) is None
    assert "broken.json" in caplog.text
