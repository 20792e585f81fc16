"""`annotate ingest news.jsonl --out news.jsonl` replaced the user's documents with their
passages (exit 0: the source file was gone), and `annotate ingest docs/ --out
docs/passages.jsonl` read its own earlier output as documents on the next run. Both are
refused before any work, naming the fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.errors import InputError
from annotate.ingestion import ingest
from tests.test_cli import _error_line, run

TEXT = "Officials said the attack on the depot killed nine people, police confirmed today."


def _table(path: Path) -> Path:
    path.write_text(json.dumps({"id": "7", "text": TEXT}) + "\n", encoding="utf-8")
    return path


def test_an_out_that_is_the_input_is_refused_and_the_input_kept(tmp_path: Path) -> None:
    src = _table(tmp_path / "news.jsonl")
    before = src.read_bytes()
    with pytest.raises(InputError, match="is also an input") as err:
        ingest([src], src)
    assert "news.passages.jsonl" in str(err.value.fix)
    assert src.read_bytes() == before


def test_the_same_file_typed_another_way_is_refused(tmp_path: Path, monkeypatch) -> None:
    src = _table(tmp_path / "news.jsonl")
    monkeypatch.chdir(tmp_path)
    line = _error_line(run("ingest", "./news.jsonl", "--out", str(src), "-q"))
    assert "is also an input" in line and "Fix: pass another --out" in line
    assert json.loads(src.read_text(encoding="utf-8"))["text"] == TEXT


@pytest.mark.parametrize("under", ["passages.jsonl", "out/passages.parquet"])
def test_an_out_inside_an_input_folder_is_refused(tmp_path: Path, under: str) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(TEXT, encoding="utf-8")
    with pytest.raises(InputError, match="inside the input folder") as err:
        ingest([docs], docs / under)
    assert f"--out {Path(under).name}" in str(err.value.fix)
    assert sorted(p.name for p in docs.iterdir()) == ["a.txt"]


def test_an_out_beside_the_inputs_is_written(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(TEXT, encoding="utf-8")
    src = _table(tmp_path / "news.jsonl")
    stats = ingest([docs, src], tmp_path / "passages.jsonl")
    assert stats.documents == 2


def test_an_out_inside_the_current_folder_given_as_dot_gets_a_fix_outside_it(
    tmp_path: Path, monkeypatch
) -> None:
    """`cd docs && annotate ingest . --out passages.parquet` said "Fix: write it outside
    the folder, e.g. --out passages.parquet": the very path refused."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(TEXT, encoding="utf-8")
    monkeypatch.chdir(docs)
    with pytest.raises(InputError, match="inside the input folder") as err:
        ingest([Path(".")], Path("passages.parquet"))
    assert "--out ../passages.parquet" in err.value.fix, err.value.fix
    stats = ingest([Path(".")], Path("../passages.parquet"))  # the fix, as printed
    assert stats.documents == 1 and (tmp_path / "passages.parquet").is_file()
