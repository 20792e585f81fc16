"""A local Ray run of `annotate prelabel --engine ray` killed outright (``kill -9``)
cannot remove its session folder (``annotate-ray-*``: Ray's logs and session record):
each such run left one in the temporary directory for good. The folder now records its
process (a file in it: its name must stay short for Ray's socket paths), and the next
local Ray run removes those of processes that are gone, as push and ingest do with
theirs; a running process's folder, and one without the record, stay. Fakes: no Ray
starts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import annotate.prelabeling_ray as pr
from tests.test_prelabel_ray_files import _RecordingRay

pytest.importorskip("ray")


def _gone_pid() -> int:
    """The id of a process that has ended."""
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(done.stdout)


def test_the_next_local_ray_removes_a_killed_runs_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(pr, "_scratch_base", lambda: str(tmp_path))  # where Ray's go
    for key in ("RAY_AUTH_MODE", "RAY_AUTH_TOKEN", "RAY_AUTH_TOKEN_PATH"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("RAY_USAGE_STATS_ENABLED", "0")
    killed = tmp_path / "annotate-ray-abcd1234"
    (killed / "session_1" / "logs").mkdir(parents=True)
    (killed / "annotate.pid").write_text(f"{_gone_pid()}\n")
    running = tmp_path / "annotate-ray-efgh5678"
    running.mkdir()
    (running / "annotate.pid").write_text(f"{os.getppid()}\n")  # our parent runs
    older = tmp_path / "annotate-ray-ijkl9012"  # an older annotate's: no record
    older.mkdir()
    fake = _RecordingRay()
    monkeypatch.setattr(pr, "_ray", lambda: fake)
    with pr.ray_session(workers=1):
        scratch = Path(fake.init_args["_temp_dir"])
        assert scratch.parent == tmp_path
        assert (scratch / "annotate.pid").read_text() == f"{os.getpid()}\n"
    assert not killed.exists() and running.exists() and older.exists()
    assert not scratch.exists()
    assert f"removed {killed}, the temporary folder of an interrupted ray run" in caplog.text
