"""Two ingests writing one --out at once (faults58 #2): both were checked before any
work (no file yet), and the one that finished last replaced the other's passages; both
said they wrote them. Without --overwrite, a file that appears at --out while a run
works is now kept and the run says so; with --overwrite it is replaced, as asked."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

import annotate.tables as tables
from annotate._util.atomic import commit, temp_sibling
from tests.test_cli import _error_line, run

TEXT = "Officials said the attack on the depot killed nine people today. " * 5


def other_run_writes(out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another run's file lands at ``out`` just before this run's rows are renamed."""
    real_close = tables.TableWriter._close

    def close_then_other(self: tables.TableWriter) -> None:
        real_close(self)
        if self.path == out:
            out.write_text('{"id": "other-run"}\n', encoding="utf-8")

    monkeypatch.setattr(tables.TableWriter, "_close", close_then_other)


@pytest.mark.parametrize("suffix", ["jsonl", "parquet"])
def test_a_file_written_meanwhile_is_kept_without_overwrite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    src = tmp_path / "in.txt"
    src.write_text(TEXT)
    out = tmp_path / f"p.{suffix}"
    other_run_writes(out, monkeypatch)
    line = _error_line(run("ingest", str(src), "--out", str(out), "-q"))
    assert "written by another process while this ingest ran" in line and "--overwrite" in line
    assert out.read_text(encoding="utf-8") == '{"id": "other-run"}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.txt", out.name]


def test_with_overwrite_a_file_written_meanwhile_is_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "in.txt"
    src.write_text(TEXT)
    out = tmp_path / "p.jsonl"
    other_run_writes(out, monkeypatch)
    ran = run("ingest", str(src), "--out", str(out), "--overwrite", "-q")
    assert ran.returncode == 0, ran.stderr
    assert "other-run" not in out.read_text(encoding="utf-8")


def test_commit_without_replace_takes_a_missing_file_name_only(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    tmp = temp_sibling(path)
    tmp.write_text("new\n")
    path.write_text("old\n")
    with pytest.raises(FileExistsError) as err:
        commit(tmp, path, replace=False)
    assert err.value.errno == errno.EEXIST and err.value.filename == str(path)
    assert path.read_text() == "old\n" and tmp.read_text() == "new\n"
    path.unlink()
    commit(tmp, path, replace=False)
    assert path.read_text() == "new\n" and not tmp.exists()
