"""dropping_lines leaves out of fd 2 only the lines holding a marker: a native
library's other errors, Python's writes, a progress bar's redraws and a last line
without its newline all reach the real standard error, in order. Run in a child process
whose stderr the test reads (the filter works on the process's fd 2)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTICE = (
    "[2026-12-03 06:06:15,462 E 11522 11522] core_worker.cc:2465: Actor with class name: "
    "'MapWorker(MapBatches(_Labeler))' and ID: '0656d2' has constructor arguments in the "
    "object store and max_restarts > 0. If the arguments in the object store go out of "
    "scope or are lost, the actor restart will fail. See "
    "https://github.com/ray-project/ray/issues/53727 for more details.\n"
)
OTHER_ERROR = "[2026-12-03 06:06:16,001 E 11522 11530] core_worker.cc:900: Actor died.\n"

CHILD = textwrap.dedent(
    """
    import os, sys
    from annotate._util.stderr_lines import dropping_lines
    from annotate.prelabeling_ray import RESTART_ARGS_NOTICE

    notice, other = sys.argv[1], sys.argv[2]
    os.write(2, b"before\\n")
    with dropping_lines([RESTART_ARGS_NOTICE]):
        os.write(2, b"\\rprelabel: 1/4")            # a bar's redraw, no newline
        os.write(2, notice.encode())                # Ray's line, as its logger writes it
        os.write(2, other.encode())                 # another error of Ray's: kept
        print("python says", file=sys.stderr)
        os.write(2, notice[:40].encode())           # the line in two writes
        os.write(2, notice[40:].encode())
        os.write(2, b"\\rprelabel: 3/4" + notice.encode())  # one write: the bar stays
        os.write(2, b"\\rprelabel: 4/4\\n")
        os.write(2, b"[no newline at the end")
    os.write(2, b"\\nafter\\n")
    """
)


def test_only_the_marked_lines_are_left_out() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, NOTICE, OTHER_ERROR],
        capture_output=True,
        env=env,
        timeout=120,
        check=True,
    )
    assert proc.stderr.decode() == (
        "before\n\rprelabel: 1/4" + OTHER_ERROR + "python says\n\rprelabel: 3/4\rprelabel: 4/4\n"
        "[no newline at the end\nafter\n"
    )


def run_child(code: str, *, timeout: float = 60, **kwargs: object) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        env=env,
        timeout=timeout,
        **kwargs,  # type: ignore[arg-type]
    )


def test_a_line_written_just_before_the_process_dies_comes_through() -> None:
    """A native library's fatal message (Ray's failed check, then abort or _exit): the
    copier thread died with the process before it copied the line."""
    proc = run_child(
        """
        import os
        from annotate._util.stderr_lines import dropping_lines
        with dropping_lines(["notice"]):
            os.write(2, b"a notice\\n")
            os.write(2, b"[E core_worker.cc] Check failed: the raylet died\\n")
            os._exit(3)
        """
    )
    assert proc.returncode == 3
    assert proc.stderr.decode() == "[E core_worker.cc] Check failed: the raylet died\n"


def test_a_standard_error_nobody_reads_any_more_does_not_hang_the_run() -> None:
    """Its reader gone (a closed pipe): the copier thread died on the broken pipe and the
    run hung on the next 64 KiB written to fd 2, a full pipe nobody read."""
    code = textwrap.dedent(
        """
        import os
        from annotate._util.stderr_lines import dropping_lines
        with dropping_lines(["notice"]):
            for _ in range(2000):
                os.write(2, b"x" * 99 + b"\\n")
        print("done", flush=True)
        """
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert child.stderr is not None
    child.stderr.close()
    try:
        out, _ = child.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise AssertionError("the run hung writing to fd 2") from None
    assert out == b"done\n" and child.returncode == 0


def test_ctrl_c_mid_run_shows_its_traceback_after_what_came_before() -> None:
    """Ctrl-C reaches the whole process group, the copier too: its traceback must still
    come through, whole and after the lines written before."""
    code = textwrap.dedent(
        """
        import os, sys, time
        from annotate._util.stderr_lines import dropping_lines
        with dropping_lines(["notice"]):
            os.write(2, b"a notice\\n")
            os.write(2, b"before\\n")
            print("ready", flush=True)
            time.sleep(60)
        """
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        start_new_session=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline() == b"ready\n"
    os.killpg(child.pid, signal.SIGINT)
    _, err = child.communicate(timeout=60)
    text = err.decode()
    assert text.startswith("before\nTraceback (most recent call last):\n")
    assert text.rstrip().endswith("KeyboardInterrupt") and "notice" not in text


def test_a_closed_fd_2_runs_the_block_unfiltered_without_a_stray_error() -> None:
    """No fd 2: the block runs as it is, and an error raised in it is not shown as raised
    while handling the failed dup of fd 2 (it was yielded inside that except block)."""
    proc = run_child(
        """
        import os
        from annotate._util.stderr_lines import dropping_lines
        os.close(2)
        try:
            with dropping_lines(["notice"]):
                raise ValueError("the run's own error")
        except ValueError as exc:
            print(repr(exc.__context__))
        """
    )
    assert proc.stdout.decode() == "None\n"


def test_under_pytests_fd_capture(capfd: pytest.CaptureFixture[str]) -> None:
    """In this process, fd 2 being pytest's capture file: the lines reach it, in order,
    before the block ends; fd 2 is the capture file again afterwards. (Pytest's
    sys.stderr writes to that file itself, not through fd 2: written there, a line's
    order against fd 2's is not kept, filter or not.)"""
    from annotate._util.stderr_lines import dropping_lines

    before = os.fstat(2)
    with dropping_lines(["notice"]):
        os.write(2, b"one\n[x] a notice\n")
        os.write(2, b"two\n")
    os.write(2, b"three\n")
    assert capfd.readouterr().err == "one\ntwo\nthree\n"
    after = os.fstat(2)
    assert (after.st_dev, after.st_ino) == (before.st_dev, before.st_ino)
