"""A Ctrl-C that lands once a command has run (new-user pass 62 finding 8:
`timeout -s INT 5 annotate push ...` printed the whole summary, then exited 130 without
the "interrupted" line, as if stopped midway) is ignored: the command's exit code stands.
That rule is the ``annotate`` program's alone (:func:`annotate.cli.console_main`, what
pyproject's script and ``python -m annotate`` run): ``main()`` called in-process (a test,
a notebook) leaves Ctrl-C's handler as it was, or it stayed ignored there and in every
process started from there (reader 62 finding 1). The signal is sent right after the
entry point returned, not timed against a running command."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = """
import os, signal, sys
from annotate.cli import console_main
sys.argv = ["annotate", "taxonomy", "check", "--labels", sys.argv[1], "--quiet"]
try:
    console_main()
except SystemExit as exc:
    code = exc.code
os.kill(os.getpid(), getattr(signal, os.environ["LATE_SIGNAL"]))
print("exited", code)
"""


def run_then_signal(name: str) -> subprocess.CompletedProcess[str]:
    """The program's entry point run on a command, then ``name`` sent to itself (in an
    environment variable: console_main reads sys.argv)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LATE_SIGNAL": name}
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, str(ROOT / "labels.yaml")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_the_program_is_console_main() -> None:
    """pyproject's ``annotate`` script and ``python -m annotate`` both run console_main."""
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '\nannotate = "annotate.cli:console_main"\n' in pyproject
    assert "console_main()" in (ROOT / "annotate" / "__main__.py").read_text(encoding="utf-8")


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


def test_python_dash_m_annotate_ignores_a_late_ctrl_c() -> None:
    """``python -m annotate``: the same program, the same rule (the Ctrl-C is sent by
    an atexit hook, once the command has run)."""
    hook = (
        "import atexit, os, runpy, signal, sys\n"
        "atexit.register(lambda: os.kill(os.getpid(), signal.SIGINT))\n"
        "sys.argv = ['annotate', *sys.argv[1:]]\n"
        "runpy.run_module('annotate', run_name='__main__', alter_sys=True)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", hook, "taxonomy", "check", "--labels", str(ROOT / "labels.yaml")],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert done.returncode == 0, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr


def test_main_in_process_leaves_the_signal_handlers_as_they_were() -> None:
    """``main([...])`` in a program (66 test files, a notebook) gives Ctrl-C's and
    SIGTERM's handlers back as they were: armed by main itself, Ctrl-C stayed ignored
    here and in every child process (a Ctrl-C test run after it waited 60 s in vain)."""
    from annotate.cli import main

    sigint, sigterm = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    try:
        main(["taxonomy", "check", "--labels", str(ROOT / "labels.yaml"), "--quiet"])
    except SystemExit as exc:
        assert exc.code in (0, None)
    assert signal.getsignal(signal.SIGINT) is sigint
    assert signal.getsignal(signal.SIGTERM) is sigterm
    child = subprocess.run(
        [sys.executable, "-c", "import signal; print(signal.getsignal(signal.SIGINT))"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "default_int_handler" in child.stdout, child.stdout


def test_in_process_runs_keep_their_handlers() -> None:
    """A test's CliRunner (no ``main``) leaves the process's own Ctrl-C handler alone."""
    from typer.testing import CliRunner

    from annotate.cli import app

    before = signal.getsignal(signal.SIGINT)
    CliRunner().invoke(app, ["taxonomy", "check", "--labels", str(ROOT / "labels.yaml")])
    assert signal.getsignal(signal.SIGINT) is before
