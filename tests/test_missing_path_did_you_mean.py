"""A mistyped input path (``annotate ingest corpuss/``, ``prelabel passages.parquett``)
names the file or folder beside it with a close name; it said only "check the path"."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotate._util.near_paths import near_paths
from annotate.cli import app


def _run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 1, result.output
    return " ".join(result.output.split())


def test_ingest_of_a_mistyped_folder_names_the_near_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.txt").write_text("some text\n")
    monkeypatch.chdir(tmp_path)
    out = _run("ingest", "corpuss/", "--out", "p.parquet")
    assert "corpuss: no such file or folder. Fix: did you mean 'corpus/'? Otherwise" in out, out
    out = _run("ingest", str(tmp_path / "Corpus"), "--out", "p.parquet")
    assert f"did you mean '{tmp_path}/corpus/'?" in out, out
    out = _run("ingest", "elsewhere", "--out", "p.parquet")
    assert "Fix: check the path." in out and "did you mean" not in out, out


def test_prelabel_and_tables_name_a_near_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "passages.parquet").write_bytes(b"")
    monkeypatch.chdir(tmp_path)
    out = _run("prelabel", "passages.parquett", "--out", "o.parquet")
    assert "did you mean 'passages.parquet'?" in out, out
    out = _run("push", "passage.parquet", "--project", "p")
    assert "passage.parquet: no such file. Fix: did you mean 'passages.parquet'?" in out, out
    assert near_paths(tmp_path / ".hidden") == []
