"""An output folder the user may not write in (a read-only folder or file system, another
user's folder) is one `error: … Fix: …` line, never a traceback; `train`, `evaluate` and
`report` refuse it before any work (a training run used to end in a PermissionError
traceback after it was done), and a read-only file system no longer says "free disk
space". Simulated: the tests may run as root, whom permissions do not stop."""

from __future__ import annotations

import errno
import tempfile
from pathlib import Path

import pytest

from annotate.cli.app import access_error
from tests.test_cli import _error_line, run


def test_a_refused_partial_names_the_folder_and_the_fix():
    exc = PermissionError(errno.EACCES, "Permission denied", "/srv/ro/.pre.parquet.partial-1-ab")
    line = access_error(exc)
    assert line.startswith("error: cannot write in /srv/ro (permission denied)")
    assert "Fix: pass an output path in a folder you can write to" in line
    # pyarrow names the file only in its message
    exc = PermissionError(
        errno.EACCES,
        "Failed to open local file '/srv/ro/.pre.parquet.partial-9-cd'. Detail: [errno 13]",
    )
    assert access_error(exc).startswith("error: cannot write in /srv/ro (permission denied)")
    ro = OSError(errno.EROFS, "Read-only file system", "/mnt/ro/.corpus.partial-2-ef")
    assert "read-only file system" in access_error(ro) and "disk space" not in access_error(ro)


def test_an_unreadable_input_is_named(tmp_path: Path):
    line = access_error(PermissionError(errno.EACCES, "Permission denied", "/data/in.csv"))
    assert line.startswith("error: permission denied: /data/in.csv. Fix:")


def test_ingest_into_an_unwritable_folder_is_one_line(tmp_path: Path, monkeypatch):
    doc = tmp_path / "doc.txt"
    doc.write_text("A passage of text that is long enough to be one passage of its own.\n")

    def refused(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path / ".p.partial-1"))

    monkeypatch.setattr("annotate.ingestion.ingest", refused)
    line = _error_line(run("ingest", str(doc), "--out", str(tmp_path / "p.parquet"), "-q"))
    assert line.startswith(f"error: cannot write in {tmp_path} (permission denied)")


@pytest.mark.parametrize("command", ["train", "evaluate"])
def test_train_and_evaluate_refuse_an_unwritable_out_before_any_work(
    tmp_path: Path, monkeypatch, command
):
    def refused(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    data = tmp_path / "rows.jsonl"
    data.write_text('{"text": "hello there", "labels": ["none"]}\n', encoding="utf-8")
    out = tmp_path / "ro" / "out"
    line = _error_line(run(command, "--data", str(data), "--out", str(out), "-q"))
    assert f"cannot write in {tmp_path} (permission denied), where --out {out}" in line
    assert "Fix: pass an --out in a folder you can write to" in line
    assert not out.exists()
