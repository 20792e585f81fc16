"""`annotate train|evaluate --data passages.parquet` (ingest's passages, not yet reviewed)
said "row 1 needs a non-empty 'text' and 'labels'", as if one row lacked a value, when the
table has no labels at all: the error now says so and names the review steps."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from annotate.cli import app
from annotate.errors import TrainingError
from annotate.ingestion import ingest
from annotate.training.sources import read_native


def test_ingest_output_is_named_as_unlabeled(tmp_path, taxonomy):
    doc = tmp_path / "docs" / "a.txt"
    doc.parent.mkdir()
    doc.write_text("Police said the suspect threatened to burn the council office.\n")
    passages = tmp_path / "passages.parquet"
    ingest([doc.parent], passages)
    with pytest.raises(TrainingError, match="has no 'labels' column") as err:
        read_native(passages, taxonomy, 13)
    msg = str(err.value)
    assert "`annotate ingest` output" in msg and "annotate export" in msg and "\n" not in msg


def test_a_table_of_other_columns_names_them(tmp_path, taxonomy):
    table = tmp_path / "forum.csv"
    pd.DataFrame({"post_id": ["1"], "Body": ["hello"]}).to_csv(table, index=False)
    with pytest.raises(TrainingError, match="found 'post_id', 'Body'") as err:
        read_native(table, taxonomy, 13)
    assert "--mapping FILE" in str(err.value)


def test_a_labeled_table_is_still_read(tmp_path, taxonomy):
    table = tmp_path / "labeled.jsonl"
    table.write_text(json.dumps({"text": "See you at the game.", "labels": ["none"]}) + "\n")
    (ex,) = read_native(table, taxonomy, 13)
    assert set(ex.labels) == {"none"}


def test_the_cli_prints_one_line(tmp_path):
    table = tmp_path / "passages.jsonl"
    table.write_text(
        json.dumps({"id": "p1", "doc_id": "d", "passage_index": 0, "text": "x"}) + "\n"
    )
    result = CliRunner().invoke(app, ["train", "--data", str(table), "--out", str(tmp_path / "m")])
    assert result.exit_code == 1, result.output
    (line,) = [x for x in result.output.splitlines() if x.startswith("error:")]
    assert "has no 'labels' column" in line and "Fix:" in line
