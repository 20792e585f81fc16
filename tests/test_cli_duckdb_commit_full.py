"""A full disk (or a file-size limit) met when DuckDB commits to its write-ahead log.

Ingest's and push's scratch databases write their ``.wal`` when a statement commits;
on a full disk DuckDB raises ``TransactionException`` ("Failed to commit: Could not
write file ...: No space left on device"), not the ``IOException`` of a failed data
write. Found with ``TMPDIR`` on a 300 KiB tmpfs (faults58 #1): a traceback, where the
user should get the one-line full-disk error naming TMPDIR.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

import annotate.ingestion.near_dups as near_dups
from annotate.cli.app import duckdb_disk_error
from tests.test_cli import _error_line, run

WAL = "/tmp/annotate-ingest-db-1-x/ingest.duckdb.wal"


@pytest.mark.parametrize(
    ("why", "errno_name"),
    [("No space left on device", "ENOSPC"), ("File too large", "EFBIG")],
)
def test_a_commit_that_cannot_write_its_log_is_a_disk_error(why: str, errno_name: str) -> None:
    import errno

    exc = duckdb.TransactionException(
        f'TransactionContext Error: Failed to commit: Could not write file "{WAL}": {why}'
    )
    full = duckdb_disk_error(exc)
    assert full is not None and full.errno == getattr(errno, errno_name)
    assert full.filename == WAL


def test_a_transaction_error_of_another_kind_is_not_a_disk_error() -> None:
    exc = duckdb.TransactionException("TransactionContext Error: Conflict on tuple deletion!")
    assert duckdb_disk_error(exc) is None


def test_ingest_on_a_full_temporary_folder_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*args: object, **kwargs: object) -> None:
        raise duckdb.TransactionException(
            "TransactionContext Error: Failed to commit: Could not write file "
            f'"{WAL}": No space left on device'
        )

    monkeypatch.setattr(near_dups, "insert", full)
    src = tmp_path / "in.txt"
    src.write_text("Officials said the attack on the depot killed nine people today. " * 5)
    out = tmp_path / "p.parquet"
    line = _error_line(run("ingest", str(src), "--out", str(out)))
    assert "No space left on device" in line and "TMPDIR" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.txt"]
