"""A push or ingest killed outright (kill -9, an out-of-memory kill) left its temporary
folder (a push's spool holds every task's passage text) in the temporary directory for
good; 47 were found on the project's machine. The next run of the same kind removes the
folders of processes that are gone."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from annotate._util.scratch import scratch_dir
from annotate.studio.staging import staging


@pytest.fixture
def tmpdir_base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _left(base: Path, name: str) -> Path:
    folder = base / name
    folder.mkdir()
    (folder / "tasks.spool").write_text("a passage's text", encoding="utf-8")
    return folder


def test_a_killed_pushs_folder_is_removed_by_the_next_push(tmpdir_base: Path) -> None:
    stale = _left(tmpdir_base, f"annotate-push-{_dead_pid()}-abc_123x")
    with staging() as stage:
        assert Path(stage.spool.name).parent.name.startswith(f"annotate-push-{os.getpid()}-")
        assert not stale.exists()
    assert list(tmpdir_base.iterdir()) == []


def test_folders_of_running_processes_other_kinds_and_old_names_stay(tmpdir_base: Path) -> None:
    dead = _dead_pid()
    running = _left(tmpdir_base, f"annotate-push-{os.getpid()}-running1")
    other_kind = _left(tmpdir_base, f"annotate-ingest-db-{dead}-abcdefgh")
    unnamed = _left(tmpdir_base, "annotate-push-2e6n57cn")  # an earlier version's: no pid
    with scratch_dir("push"):
        pass
    assert running.exists() and other_kind.exists() and unnamed.exists()
    with scratch_dir("ingest"):  # "ingest" is not "ingest-db"
        pass
    assert other_kind.exists()
    with scratch_dir("ingest-db"):
        pass
    assert not other_kind.exists()


def test_the_removal_is_said_as_the_readme_says(
    tmpdir_base: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """README: the next push or ingest removes a killed run's folder "and says so", as it
    says so of a partial output; it was logged at info level, shown only under -v."""
    pid = _dead_pid()
    stale = _left(tmpdir_base, f"annotate-push-{pid}-abc_123x")
    with caplog.at_level("WARNING", logger="annotate"), scratch_dir("push"):
        pass
    said = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(said) == 1 and str(stale) in said[0] and f"process {pid}" in said[0], said
