"""A push whose temporary folder cannot take its scratch database: DuckDB's scratch database
(push's staging, in the system's temporary folder) fails with its own IO error, which the
CLI did not know, so the lead got a traceback. Now it is one error line naming the file,
and no scratch folder is left. The write is made to fail for real with a file-size limit
(RLIMIT_FSIZE, as `ulimit -f` sets it: writes past it fail with EFBIG, no mount needed);
since stop 60 (s60-faults) the line names that limit and how to raise it instead of telling
the user to free space in TMPDIR, which would not help (a full disk, ENOSPC, still gets the
TMPDIR fix: tests/test_cli_file_too_large.py). Against the session's Label Studio."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from annotate.studio.connection import KEY_ENV, URL_ENV, Connection

from .helpers import PRELABELS

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


def _small_files() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails, no signal
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


def test_a_full_temporary_folder_is_one_line_not_a_traceback(
    studio: Connection, tmp_path: Path
) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {
        **os.environ,
        URL_ENV: studio.url,
        KEY_ENV: studio.api_key,
        "TMPDIR": str(tmp),
        "PYTHONPATH": str(ROOT),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    done = subprocess.run(
        [sys.executable, "-m", "annotate", "push", str(PRELABELS), "--project", "disk full"],
        env=env,
        cwd=tmp_path,
        preexec_fn=_small_files,
        capture_output=True,
        text=True,
        timeout=300,
    )
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    assert "Traceback" not in out, out
    errors = [line for line in out.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, out
    assert f"File too large writing {tmp}" in errors[0], out
    assert "(`ulimit -f` is 4, in KiB): raise it" in errors[0], out
    assert "free space" not in errors[0], out
    assert list(tmp.iterdir()) == []  # the scratch folder is gone
