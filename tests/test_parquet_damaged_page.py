"""A Parquet file whose footer is intact but a data page is damaged (a bad copy, a
flipped disk block): pyarrow opens it and fails only when the rows are read. Reading it
is one InputError naming the file and how far it got, never pyarrow's OSError."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from annotate.cli import app
from annotate.errors import InputError
from annotate.tables import iter_rows


def _damaged(path: Path, rows: int = 3000) -> Path:
    """A documents table of ``rows`` rows in row groups of 1,000, with bytes of its
    second row group flipped (the footer left as it was)."""
    table = pa.table(
        {
            "doc_id": [f"d{i}" for i in range(rows)],
            "text": [f"Passage number {i} says something ordinary." for i in range(rows)],
        }
    )
    pq.write_table(table, path, row_group_size=1000, compression="snappy")
    meta = pq.ParquetFile(path).metadata
    col = meta.row_group(1).column(1)
    start = col.data_page_offset
    data = bytearray(path.read_bytes())
    for i in range(start + 40, start + col.total_compressed_size - 8, 3):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))
    return path


def test_reading_a_damaged_data_page_is_an_input_error(tmp_path: Path) -> None:
    src = _damaged(tmp_path / "docs.parquet")
    pq.ParquetFile(src)  # the footer still reads: only the rows fail
    with pytest.raises(InputError) as err:
        list(iter_rows(src))
    text = str(err.value)
    assert f"{src}: not a readable Parquet file" in text
    assert "after row 1,000 of 3,000" in text


def test_ingest_of_a_damaged_parquet_file_is_one_error_line(tmp_path: Path) -> None:
    src = _damaged(tmp_path / "docs.parquet")
    out = tmp_path / "passages.parquet"
    result = CliRunner().invoke(app, ["ingest", str(src), "--out", str(out)])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # the traceback a user would see
    assert result.exit_code == 1, result.stdout + result.stderr
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == 1, result.stderr
    assert "not a readable Parquet file" in errors[0]
    assert not out.exists()
