"""`annotate prelabel` of a table without rows says so in one wording whatever its
format: an empty file or an empty Parquet table said "holds no passage", a JSONL file of
blank lines "the file has no rows. Fix: pass a non-empty file.", a CSV header alone "the
CSV has a header but no rows. Fix: add rows."."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from annotate.cli import app


def _write(path: Path) -> None:
    if path.suffix == ".parquet":
        columns = {"id": pa.array([], pa.string()), "text": pa.array([], pa.string())}
        pq.write_table(pa.table(columns), path)
    elif path.stem == "blank":
        path.write_text("\n\n")
    elif path.stem == "header":
        path.write_text("id\ttext\n" if path.suffix == ".tsv" else "id,text\n")
    else:
        path.write_text("")


@pytest.mark.parametrize(
    "name",
    ["empty.jsonl", "blank.jsonl", "empty.csv", "header.csv", "header.tsv", "empty.parquet"],
)
def test_a_table_without_rows_gets_one_error_in_every_format(tmp_path: Path, name: str) -> None:
    table = tmp_path / name
    _write(table)
    ran = CliRunner().invoke(app, ["prelabel", str(table), "--out", str(tmp_path / "o.jsonl")])
    assert ran.exit_code == 1, ran.output
    assert "Traceback" not in ran.output
    said = " ".join(ran.output.split()).replace(str(table), "TABLE")
    assert said == (
        "error: TABLE holds no passage, so there is nothing to pre-label: it has no rows "
        "(expected a table with one passage per row). Fix: if its `annotate ingest` dropped "
        "every passage as a copy of a --previous file (its summary says so), this batch has "
        "nothing new to review; otherwise re-run `annotate ingest` on the documents, or add "
        "the passages to the table."
    )
    assert not (tmp_path / "o.jsonl").exists()
