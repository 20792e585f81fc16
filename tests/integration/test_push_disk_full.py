"""A push whose temporary folder is full: DuckDB's scratch database (push's staging, in the
system's temporary folder) fails with its own IO error, which the CLI did not know, so the
lead got a traceback. Now it is the one-line disk error, naming the file and how to move
the temporary folder (TMPDIR), and no scratch folder is left. The disk is made "full" for
real with a file-size limit (RLIMIT_FSIZE, as `ulimit -f` sets it): writes past it fail
with EFBIG, no mount needed. Against the session's Label Studio."""

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
    assert f"free space in the temporary folder {tmp}, or point TMPDIR" in errors[0], out
    assert list(tmp.iterdir()) == []  # the scratch folder is gone
