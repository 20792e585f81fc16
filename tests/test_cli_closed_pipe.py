"""`annotate export ... 2>&1 | head -2` exited 1 without a word although the export was
written (passH53 H13): a message to the closed pipe raised BrokenPipeError, which click
turns into exit 1, and the work stopped at that message. Messages to a reader that has
gone are dropped now, and the command ends as its work does."""

from __future__ import annotations

import errno
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotate.cli.closed_pipe import DroppedOnceClosed

ROOT = Path(__file__).resolve().parents[1]


def test_a_command_whose_reader_has_gone_finishes_its_work_and_exits_0(tmp_path: Path) -> None:
    src = tmp_path / "posts.csv"
    src.write_text("Body\nYou have 24 hours to take this down.\nSee you at the meeting.\n")
    out = tmp_path / "p.jsonl"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    argv = [sys.executable, "-m", "annotate", "ingest", str(src), "--out", str(out)]
    # its warnings (no id column, no licence) and summary all go to the closed pipe
    proc = subprocess.Popen(
        [*argv, "--text-column", "Body"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env
    )
    assert proc.stdout is not None
    proc.stdout.close()  # the reader is gone before the first message (`| head -0`)
    assert proc.wait(timeout=300) == 0
    assert len(out.read_text().splitlines()) == 2
    # a user mistake still fails, and says so where someone reads
    ran = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=300)
    assert ran.returncode == 1 and "error: " in ran.stderr and "Traceback" not in ran.stderr


class _Closed(io.StringIO):
    def __init__(self, exc: OSError) -> None:
        super().__init__()
        self.exc = exc

    def write(self, text: str) -> int:
        raise self.exc

    def fileno(self) -> int:
        raise io.UnsupportedOperation("no descriptor")


def test_only_a_closed_reader_or_a_full_disk_is_dropped() -> None:
    gone = DroppedOnceClosed(_Closed(BrokenPipeError(errno.EPIPE, "Broken pipe")))
    assert gone.write("a line\n") == 7 and gone.write("another\n") == 8
    gone.flush()
    assert gone.full is None
    no_space = OSError(errno.ENOSPC, "No space left on device")
    full = DroppedOnceClosed(_Closed(no_space), drop_full=True)  # standard error's
    assert full.write("a line\n") == 7 and full.write("another\n") == 8
    assert full.full is not None and full.full.errno == errno.ENOSPC
    with pytest.raises(OSError, match="No space"):  # standard output's: the result
        DroppedOnceClosed(_Closed(no_space)).write("a line\n")
    broken = DroppedOnceClosed(_Closed(OSError(errno.EIO, "Input/output error")))
    with pytest.raises(OSError, match="Input/output"):
        broken.write("a line\n")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_messages_to_a_full_device_are_said_lost_not_the_files(tmp_path: Path) -> None:
    """break9 N14: `ingest ... 2>/dev/full` exited 1 ("files it was writing were removed")
    although its output was written in full: only its messages were lost."""
    src = tmp_path / "posts.csv"
    src.write_text("Body\nYou have 24 hours to take this down.\nSee you at the meeting.\n")
    out = tmp_path / "p.jsonl"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    argv = [sys.executable, "-m", "annotate", "ingest", str(src), "--out", str(out)]
    with open("/dev/full", "w") as full:
        ran = subprocess.run(
            [*argv, "--text-column", "Body"],
            stdout=subprocess.PIPE,
            stderr=full,
            text=True,
            env=env,
            timeout=300,
        )
    assert ran.returncode == 0, ran.stdout
    assert len(out.read_text().splitlines()) == 2
    said = " ".join(ran.stdout.split())
    assert "messages to standard error could not be written (No space left on device)" in said
    assert "were removed" not in said
