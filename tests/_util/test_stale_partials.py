"""A run killed outright (kill -9, an out-of-memory kill) runs no handler, so its hidden
partial output stayed beside the output for good, and every such run left one more (a
whole export folder each). The next write of the same output removes those of this
machine whose process is gone and whose lock file no process holds, and nothing else: a
writer in another PID namespace (a container with the host's name sharing the folder) looks
gone by its process id, and its live partial model folder was removed (break7 L6)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotate._util.atomic import (
    _HOST,
    atomic_output,
    discard_stale_partials,
    lock_path,
    temp_sibling,
)
from annotate.tables import write_table


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _left_by(
    pid: int, out: Path, *, host: str = _HOST, folder: bool = False, lock: bool = True
) -> Path:
    """A partial as a killed run leaves it: with its lock file, which nobody holds
    (``lock=False``: as an earlier version left it, without one)."""
    partial = out.with_name(f".{out.name}.partial-{pid}-abcdef@{host}")
    if lock:
        lock_path(partial).write_text("", encoding="utf-8")
    if folder:
        (partial / "parquet").mkdir(parents=True)
        (partial / "parquet" / "train.parquet").write_bytes(b"x" * 100)
    else:
        partial.write_text('{"id": "half a row', encoding="utf-8")
    return partial


def test_a_killed_runs_partial_file_is_removed_by_the_next_write(tmp_path: Path) -> None:
    out = tmp_path / "prelabels.jsonl"
    stale = _left_by(_dead_pid(), out)
    write_table(out, [{"id": "p1", "text": "a"}])
    assert not stale.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["prelabels.jsonl"]


def test_a_killed_runs_partial_folder_is_removed_by_the_next_export(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    stale = _left_by(_dead_pid(), out, folder=True)
    with atomic_output(out) as tmp:
        tmp.mkdir()
        (tmp / "manifest.json").write_text("{}", encoding="utf-8")
    assert not stale.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus"]


def test_partials_of_running_processes_other_machines_and_other_outputs_stay(
    tmp_path: Path,
) -> None:
    out = tmp_path / "passages.parquet"
    running = _left_by(os.getpid(), out)  # this process: still writing
    elsewhere = _left_by(_dead_pid(), out, host="other-machine")  # a shared folder
    other_output = _left_by(_dead_pid(), tmp_path / "prelabels.parquet")
    old = out.with_name(f".{out.name}.old-{_dead_pid()}-abcdef@{_HOST}")  # may be the only copy
    old.write_text("previous", encoding="utf-8")
    write_table(out, [{"id": "p1", "text": "a"}])
    assert running.exists() and elsewhere.exists() and other_output.exists() and old.exists()


def test_a_partial_names_its_process_and_machine(tmp_path: Path) -> None:
    name = temp_sibling(tmp_path / "x.parquet").name
    assert name.startswith(f".x.parquet.partial-{os.getpid()}-")
    assert name.endswith(f"@{_HOST}")


_HOLD = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
print("locked", flush=True)
sys.stdin.read()
"""


@pytest.mark.skipif(sys.platform == "win32", reason="flock")
def test_a_live_writer_in_another_pid_namespace_keeps_its_partial(tmp_path: Path) -> None:
    out = tmp_path / "cc"
    # its process id means nothing here (another PID namespace: looks gone), but the
    # writer holds its lock file
    live = _left_by(_dead_pid(), out, folder=True)
    writer = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(lock_path(live))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "locked"
        assert discard_stale_partials(out) == []
        assert live.is_dir() and lock_path(live).exists()
    finally:
        writer.communicate("")  # the writer ends: its lock goes with it
    assert discard_stale_partials(out) == [live]
    assert list(tmp_path.iterdir()) == []  # the partial and its lock file


@pytest.mark.skipif(sys.platform == "win32", reason="flock")
def test_this_process_holds_its_partials_lock_until_it_is_in_place(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    with atomic_output(out) as tmp:
        tmp.mkdir()
        (tmp / "manifest.json").write_text("{}", encoding="utf-8")
        dead = tmp.with_name(tmp.name.replace(f"-{os.getpid()}-", f"-{_dead_pid()}-"))
        os.rename(tmp, dead)  # as seen from another PID namespace: a gone process id
        os.rename(lock_path(tmp), lock_path(dead))
        assert discard_stale_partials(out) == []  # a second open file description: held
        os.rename(dead, tmp)
        os.rename(lock_path(dead), lock_path(tmp))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus"]  # no lock file left


@pytest.mark.skipif(sys.platform == "win32", reason="no lock files there: process ids decide")
def test_a_partial_without_a_lock_file_is_left_and_said(tmp_path: Path, caplog) -> None:
    out = tmp_path / "prelabels.jsonl"
    older = _left_by(_dead_pid(), out, lock=False)
    with caplog.at_level(logging.WARNING):
        write_table(out, [{"id": "p1", "text": "a"}])
    assert older.exists()
    assert f"{older} looks like the partial output of an interrupted run" in caplog.text
    assert "has no lock file" in caplog.text
