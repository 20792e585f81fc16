"""A run killed outright (kill -9, an out-of-memory kill) runs no handler, so its hidden
partial output stayed beside the output for good, and every such run left one more (a
whole export folder each). The next write of the same output removes those of this
machine whose process is gone, and nothing else."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from annotate._util.atomic import _HOST, atomic_output, temp_sibling
from annotate.tables import write_table


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _left_by(pid: int, out: Path, *, host: str = _HOST, folder: bool = False) -> Path:
    partial = out.with_name(f".{out.name}.partial-{pid}-abcdef@{host}")
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
