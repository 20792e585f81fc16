"""A full disk while writing an output whose writer names no file (pyarrow's Parquet and
Arrow writes, datasets' save_to_disk, Pillow's PNG, Python's close of a buffered file all
raise a bare ``OSError(ENOSPC)``): the error said "No space left on device; files it was
writing were removed" without saying which disk, though --out and the temporary folder
are often on two (faults60 #2). Now the output is named when its disk is the full one, and
a file inside its partial (a nested output's) is named by the output, not the hidden
partial that is gone; a disk mounted under the temporary folder is not taken for it."""

from __future__ import annotations

import errno
import importlib
import os
from pathlib import Path
from types import SimpleNamespace

import pytest

import annotate._util.atomic as atomic
from annotate._util.atomic import atomic_output
from annotate.corpus.export import export
from tests.audit.cli_run import run_cli
from tests.audit.fakes import FakeStudio, reviewed_tasks

cli_app = importlib.import_module("annotate.cli.app")  # the module, not its Typer app


def _free(monkeypatch: pytest.MonkeyPatch, free_bytes: int) -> None:
    monkeypatch.setattr(
        atomic.os,
        "statvfs",
        lambda _path: SimpleNamespace(f_bavail=free_bytes // 4096, f_frsize=4096),
    )


def _bare_full_disk() -> OSError:
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_bare_full_disk_is_named_by_the_output_on_that_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _free(monkeypatch, 8192)
    out = tmp_path / "export"
    with pytest.raises(OSError) as err, atomic_output(out) as tmp:
        tmp.mkdir()
        (tmp / "part.parquet").write_text("some rows")
        raise _bare_full_disk()
    assert err.value.errno == errno.ENOSPC
    assert err.value.filename == str(out)
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_a_bare_full_disk_elsewhere_is_left_unnamed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _free(monkeypatch, 50 << 30)  # room here: the full disk is another (TMPDIR's)
    with pytest.raises(OSError) as err, atomic_output(tmp_path / "export") as tmp:
        tmp.mkdir()
        raise _bare_full_disk()
    assert err.value.filename is None


def test_a_file_inside_the_partial_is_named_by_the_output(tmp_path: Path) -> None:
    out = tmp_path / "export"
    with pytest.raises(OSError) as err, atomic_output(out) as tmp:
        tmp.mkdir()
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp / "report"))
    assert err.value.filename == str(out)
    # another file (the temporary folder's scratch) stays as it was
    scratch = tmp_path / "scratch.duckdb"
    with pytest.raises(OSError) as err, atomic_output(out):
        raise OSError(errno.ENOSPC, "No space left on device", str(scratch))
    assert err.value.filename == str(scratch)


def test_a_disk_mounted_under_the_temporary_folder_is_not_the_temporary_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(cli_app.tempfile, "tempdir", None)
    mounted = tmp_path / "small-disk"
    mounted.mkdir()
    assert "TMPDIR" in cli_app.disk_full_fix(mounted / "out")  # same disk: TMPDIR moves it
    real = cli_app._device
    monkeypatch.setattr(
        cli_app, "_device", lambda p: real(p) + (1 if p.is_relative_to(mounted) else 0)
    )
    assert cli_app.disk_full_fix(mounted / "out") == (
        "free disk space (or write to another disk) and run the command again."
    )


def test_report_on_a_full_disk_names_the_report_and_keeps_the_old_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "corpus"
    export("p", corpus, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    before = {p: p.read_bytes() for p in (corpus / "report").rglob("*") if p.is_file()}

    def full(fig: object, path: Path) -> Path:
        raise _bare_full_disk()  # as Pillow's close of the PNG raises it

    import annotate.audit.plots as plots

    monkeypatch.setattr(plots, "_save", full)
    _free(monkeypatch, 0)
    code, err = run_cli(["report", str(corpus)], capsys)
    assert code == 1, err
    assert "Traceback" not in err
    errors = [ln for ln in err.splitlines() if ln.startswith("error:")]
    assert len(errors) == 1, err
    assert errors[0].startswith(f"error: No space left on device writing {corpus / 'report'};")
    after = {p: p.read_bytes() for p in (corpus / "report").rglob("*") if p.is_file()}
    assert after == before


@pytest.mark.parametrize("when", ["writing", "closing"])
def test_a_table_writer_on_a_full_disk_names_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    """prelabel's parts and ingest's passages go through TableWriter: pyarrow's error
    ("Error writing bytes to file. Detail: [errno 28] No space left on device", no file)
    is named by the file, in the system's words."""
    from annotate.tables import TableWriter

    _free(monkeypatch, 4096)
    out = tmp_path / ".out.parquet.resume" / "part-000001.parquet"
    pyarrows = OSError(errno.ENOSPC, "Error writing bytes to file. Detail: [errno 28] No space")
    with pytest.raises(OSError) as err, TableWriter(out) as writer:
        writer.write([{"id": "1", "text": "x"}])
        if when == "writing":
            raise pyarrows
        real = writer._pq

        class Failing:
            def close(self) -> None:
                real.close()
                raise pyarrows

        writer._pq = Failing()
    assert err.value.filename == str(out)
    assert err.value.strerror == "No space left on device"
    assert list(out.parent.iterdir()) == []
