"""An input file written while ingest reads it (faults58 #3): the run record's SHA-256 of
the file (``ingest_run.inputs``) is taken before the passages are cut, so an edit in
between gave passages of one content and a record of another, with exit 0. Now the run
refuses in one line and writes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import annotate.ingestion as ingestion
from tests.test_cli import _error_line, run


def rows(n: int) -> str:
    return "".join(
        json.dumps({"id": f"d{i}", "text": f"Row {i}: the council met on Tuesday to vote."}) + "\n"
        for i in range(n)
    )


def edit_after_hashing(monkeypatch: pytest.MonkeyPatch, path: Path, text: str) -> None:
    real = ingestion.build_record

    def build_then_edit(*args: object, **kwargs: object) -> object:
        record = real(*args, **kwargs)
        path.write_text(text, encoding="utf-8")
        return record

    monkeypatch.setattr(ingestion, "build_record", build_then_edit)


@pytest.mark.parametrize("as_folder", [False, True])
def test_an_input_written_after_it_was_hashed_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, as_folder: bool
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    src = folder / "posts.jsonl"
    src.write_text(rows(5), encoding="utf-8")
    edit_after_hashing(monkeypatch, src, rows(7))  # two rows appended
    out = tmp_path / "p.parquet"
    line = _error_line(run("ingest", str(folder if as_folder else src), "--out", str(out)))
    assert "posts.jsonl changed while this ingest read it" in line and "Fix:" in line
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]


def test_an_earlier_output_stays_when_an_overwrite_run_finds_its_input_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "posts.jsonl"
    src.write_text(rows(5), encoding="utf-8")
    out = tmp_path / "p.jsonl"
    assert run("ingest", str(src), "--out", str(out), "-q").returncode == 0
    before = out.read_bytes()
    edit_after_hashing(monkeypatch, src, rows(6))
    _error_line(run("ingest", str(src), "--out", str(out), "--overwrite", "-q"))
    assert out.read_bytes() == before
