"""An install killed with SIGKILL leaves its lock file and holder record beside the venv
(``.<venv>.install.lock``, ``.<venv>.install.holder``; note60): harmless (the kernel
dropped the lock, the record's process is gone), but a start that finds the venv
installed took no lock, so nothing ever removed them. Each start now removes them when no
process holds the lock, and leaves them while one does."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from annotate.studio import lock, server
from annotate.studio.connection import VENV_ENV, studio_paths
from tests.studio.install_fake import fake_install


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("ANNOTATE_LOCK_DIR", str(tmp_path / "locks"))
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv(VENV_ENV, str(tmp_path / "venvs" / "ls"))
    return tmp_path


def _installer(venv: Path) -> subprocess.Popen[bytes]:
    """A process holding the install lock of ``venv`` (as an install does), until killed."""
    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from annotate.studio.lock import install_lock\n"
        f"with install_lock(Path({str(venv)!r}), wait_s=0):\n"
        "    print('held', flush=True)\n"
        "    time.sleep(60)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, env=os.environ)
    assert proc.stdout is not None and proc.stdout.readline().strip() == b"held"
    return proc


def test_a_killed_installs_lock_files_go_with_the_next_start(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = fake_install(monkeypatch)
    paths = studio_paths()
    server.install(paths)
    assert server.is_installed(paths) and len(fake.calls) == 1
    path = lock.install_lock_path(paths.venv)
    record = lock.holder_path(path)
    proc = _installer(paths.venv)
    try:
        assert path.is_file() and record.is_file()
        server.install(paths)  # held by a live process: left as they are
        assert path.is_file() and record.is_file()
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    assert path.is_file() and record.is_file()  # what kill -9 leaves
    assert lock.holder_of(path) is None  # harmless: its process is gone
    server.install(paths)  # installed: nothing installed, the leftovers removed
    assert len(fake.calls) == 1
    assert not path.exists() and not record.exists()
    names = sorted(p.name for p in paths.venv.parent.iterdir())
    assert names == [f".{paths.venv.name}.install.gate", paths.venv.name], names
