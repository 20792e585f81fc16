"""A used-up disk quota (EDQUOT, "Disk quota exceeded") while writing an output: it was
handled as a full disk by the CLI, but only ENOSPC was named by the output (faults60 #2)
and the fix said "free disk space", which a quota does not show (``df`` may show room).
Now a bare EDQUOT is named by the output when a small probe write on the output's disk
is refused for the quota too, and the fix names the quota (faults61 #2)."""

from __future__ import annotations

import errno
import importlib
import os
from pathlib import Path

import pytest

import annotate._util.atomic as atomic
from annotate._util.atomic import atomic_output
from tests.audit.cli_run import run_cli

cli_app = importlib.import_module("annotate.cli.app")  # the module, not its Typer app


def _quota() -> OSError:
    return OSError(errno.EDQUOT, os.strerror(errno.EDQUOT))


def _quota_used_up_in(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Writes of more than a few bytes into ``folder`` are refused for the quota."""
    real_write = os.write

    def write(fd: int, data: bytes) -> int:
        if len(data) > 16 and Path(os.readlink(f"/proc/self/fd/{fd}")).parent == folder:
            raise _quota()
        return real_write(fd, data)

    monkeypatch.setattr(atomic.os, "write", write)


def test_a_bare_quota_error_is_named_by_the_output_on_that_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "export"
    with pytest.raises(OSError) as err, atomic_output(out) as tmp:
        tmp.mkdir()
        (tmp / "part.parquet").write_text("some rows")
        _quota_used_up_in(monkeypatch, tmp)
        raise _quota()
    assert err.value.errno == errno.EDQUOT
    assert err.value.filename == str(out)
    assert not out.exists() and list(tmp_path.iterdir()) == []  # no probe left either


def test_a_bare_quota_error_elsewhere_is_left_unnamed(tmp_path: Path) -> None:
    with pytest.raises(OSError) as err, atomic_output(tmp_path / "export") as tmp:
        tmp.mkdir()
        raise _quota()  # the probe writes here: the quota used up is another disk's
    assert err.value.filename is None
    assert list(tmp_path.iterdir()) == []


def test_a_file_inside_the_partial_is_named_by_the_output(tmp_path: Path) -> None:
    out = tmp_path / "export"
    with pytest.raises(OSError) as err, atomic_output(out) as tmp:
        tmp.mkdir()
        raise OSError(errno.EDQUOT, "Disk quota exceeded", str(tmp / "report"))
    assert err.value.filename == str(out)


def test_the_fix_names_the_quota(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(cli_app.tempfile, "tempdir", None)
    inside = cli_app.disk_full_fix(tmp_path / "annotate-push-1" / "push.duckdb", errno.EDQUOT)
    assert "quota" in inside and "TMPDIR" in inside and str(tmp_path) in inside
    assert "quota -s" in cli_app.disk_full_fix(None, errno.EDQUOT)
    assert cli_app.disk_full_fix(None) == (
        "free disk space (or write to another disk) and run the command again."
    )


def test_the_cli_names_the_output_and_the_quota(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``annotate ingest`` writes its passages through TableWriter; the rename into place
    refused for the quota: one line naming the output and the quota's fix."""
    import annotate.tables as tables

    src = tmp_path / "docs.jsonl"
    src.write_text('{"id": "d1", "text": "A short document to ingest."}\n')
    out = tmp_path / "out" / "passages.jsonl"
    out.parent.mkdir()

    def refused(partial: Path, target: Path, **kw: object) -> None:
        _quota_used_up_in(monkeypatch, partial.parent)
        raise _quota()

    monkeypatch.setattr(tables, "commit_durably", refused)
    monkeypatch.setattr(tables, "commit", refused)
    code, err = run_cli(["ingest", str(src), "-o", str(out)], capsys)
    assert code == 1, err
    assert "Traceback" not in err
    errors = [ln for ln in err.splitlines() if ln.startswith("error:")]
    assert len(errors) == 1, err
    assert errors[0].startswith(f"error: Disk quota exceeded writing {out};"), errors[0]
    assert "quota -s" in errors[0]
    assert not out.exists()
