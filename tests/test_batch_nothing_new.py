"""A weekly batch whose every passage is a copy of an earlier run's (`ingest --previous`)
is written empty; prelabel then said "the file is empty. Fix: re-run `annotate ingest`",
which writes it empty again. Prelabel's error names that case (for JSONL, written as an
empty file, and Parquet, of no rows); ingest's own note: tests/test_ingest_nothing_new.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotate.cli import app

POST = "The council met on Tuesday to discuss the new bus lane on Harbour Road and the market."


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_a_batch_of_copies_says_there_is_nothing_new(tmp_path: Path, suffix: str) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(POST + "\n")
    runner = CliRunner()
    week1, week2 = tmp_path / "w1.jsonl", tmp_path / f"w2{suffix}"
    assert runner.invoke(app, ["ingest", str(docs), "--out", str(week1), "-q"]).exit_code == 0
    again = runner.invoke(
        app, ["ingest", str(docs), "--out", str(week2), "--previous", str(week1), "-q"]
    )
    assert again.exit_code == 0, again.output
    assert "there is nothing to pre-label or push" in " ".join(again.output.split())

    out = tmp_path / "p.jsonl"
    pre = runner.invoke(app, ["prelabel", str(week2), "--out", str(out), "-q"])
    line = " ".join(pre.output.split())
    assert pre.exit_code == 1, pre.output
    assert f"{week2} holds no passage, so there is nothing to pre-label" in line
    assert "this batch has nothing new to review" in line and "Traceback" not in pre.output
    assert not out.exists()
