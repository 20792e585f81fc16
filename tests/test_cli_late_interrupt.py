"""A Ctrl-C that lands once a command has run (new-user pass 62 finding 8:
`timeout -s INT 5 annotate push ...` printed the whole summary, then exited 130 without
the "interrupted" line, as if stopped midway) is ignored: the command's exit code stands.
The signal is sent right after ``main`` returned, not timed against a running command."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = """
import os, signal, sys
from annotate.cli import main
try:
    main(["taxonomy", "check", "--labels", sys.argv[1], "--quiet"])
except SystemExit as exc:
    code = exc.code
os.kill(os.getpid(), getattr(signal, sys.argv[2]))
print("exited", code)
"""


def run_then_signal(name: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, str(ROOT / "labels.yaml"), name],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_ctrl_c_after_the_command_ran_is_ignored() -> None:
    done = run_then_signal("SIGINT")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("exited 0"), done.stdout
    assert "Traceback" not in done.stderr


def test_sigterm_after_the_command_ran_ends_the_process_without_a_traceback() -> None:
    """A supervisor's SIGTERM still stops a finished command whose shutdown hangs: the
    system's default action (-15 here: killed by the signal), not 130 through typer."""
    done = run_then_signal("SIGTERM")
    assert done.returncode == -signal.SIGTERM, (done.returncode, done.stderr)
    assert "exited" not in done.stdout
    assert "Traceback" not in done.stderr


def test_in_process_runs_keep_their_handlers() -> None:
    """A test's CliRunner (no ``main``) leaves the process's own Ctrl-C handler alone."""
    from typer.testing import CliRunner

    from annotate.cli import app

    before = signal.getsignal(signal.SIGINT)
    CliRunner().invoke(app, ["taxonomy", "check", "--labels", str(ROOT / "labels.yaml")])
    assert signal.getsignal(signal.SIGINT) is before
