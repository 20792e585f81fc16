"""A file that grows past the file-size limit (``ulimit -f``: EFBIG, "File too large")
was reported as a full disk: "Fix: free space in the temporary folder /tmp, or point
TMPDIR at a folder on a disk with room", which does not help (faults60 #4). Now the
fix names the limit and how to raise it; with no limit set, the file system's own."""

from __future__ import annotations

import errno
import resource

import pytest

from tests.test_cli import _error_line, run


def _ingest_failing_with_efbig(tmp_path, monkeypatch) -> str:
    import annotate.tables as tables

    real_write = tables.TableWriter.write

    def too_large(self, rows):
        real_write(self, rows)
        raise OSError(errno.EFBIG, "File too large")

    monkeypatch.setattr(tables.TableWriter, "write", too_large)
    src = tmp_path / "in.txt"
    src.write_text("Officials said the attack on the depot killed nine people today. " * 5)
    line = _error_line(run("ingest", str(src), "--out", str(tmp_path / "p.jsonl")))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.txt"]
    return line


def test_a_file_past_ulimit_f_names_the_limit_not_a_full_disk(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(resource, "getrlimit", lambda which: (204800, resource.RLIM_INFINITY))
    line = _ingest_failing_with_efbig(tmp_path, monkeypatch)
    assert line.startswith("error: File too large")
    assert "at most 204,800 bytes (`ulimit -f` is 200, in KiB)" in line
    assert "ulimit -f unlimited" in line
    assert "free space" not in line and "free disk space" not in line


def test_without_a_limit_the_file_systems_own_is_named(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        resource, "getrlimit", lambda which: (resource.RLIM_INFINITY, resource.RLIM_INFINITY)
    )
    line = _ingest_failing_with_efbig(tmp_path, monkeypatch)
    assert "the file system holding the file limits a file's size" in line
    assert "free space" not in line and "free disk space" not in line


def test_a_full_temporary_folder_still_gets_the_tmpdir_fix(tmp_path, monkeypatch) -> None:
    """ENOSPC (not EFBIG) on a file in the temporary folder: free it or move TMPDIR; the
    integration test (tests/integration/test_push_disk_full.py) now makes the write fail
    with a file-size limit, so this is where the TMPDIR advice is checked."""
    import tempfile

    from annotate.cli.app import disk_full_fix

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    fix = disk_full_fix(tmp_path / "annotate-push-1" / "push.duckdb")
    assert f"free space in the temporary folder {tmp_path}, or point TMPDIR" in fix
    assert disk_full_fix(None).startswith("free disk space")
