"""Lock files do not pile up (annotate/_util/lockfiles.py): a push lock's file is removed
when it is released, and so are the folder's leftovers no process holds (a killed push's,
an older annotate's, which kept one per project for good), while a lock another process
holds is never removed and two processes never hold one lock at once. Real processes, no
server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotate._util import lockfiles
from annotate.errors import StudioError
from annotate.studio.lock import LOCK_DIR_ENV, lock_path, project_lock

URL = "http://127.0.0.1:8080"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def lock_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(LOCK_DIR_ENV, str(tmp_path))
    return tmp_path


def _lock_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != lockfiles.GATE_NAME)


def _holder(lock_dir: Path, code: str) -> subprocess.Popen[bytes]:
    """A process running ``code`` (which prints ``held`` once it holds its lock)."""
    env = {**os.environ, LOCK_DIR_ENV: str(lock_dir), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, env=env)
    assert proc.stdout is not None and proc.stdout.readline().strip() == b"held"
    return proc


def test_a_released_lock_leaves_no_file(lock_dir: Path) -> None:
    for project in ("Batch 1", "Batch 2", "Batch 3"):
        with project_lock(URL, project):
            assert lock_path(URL, project).is_file()
    assert _lock_files(lock_dir) == []  # one gate file per folder, nothing per project


def test_leftovers_are_removed_but_never_a_held_lock(lock_dir: Path) -> None:
    """A push killed earlier and an older annotate left lock files; another process (an
    older annotate: plain filelock, no gate) holds one of them now."""
    for name in ("push-aaaa.lock", "push-bbbb.lock"):
        (lock_dir / name).touch()
    (lock_dir / "notes.txt").write_text("not a lock")
    held = lock_path(URL, "in use")
    proc = _holder(
        lock_dir,
        "import time\nfrom filelock import FileLock\n"
        f"lock = FileLock({str(held)!r}); lock.acquire()\n"
        "print('held', flush=True)\ntime.sleep(60)\n",
    )
    try:
        with project_lock(URL, "mine"):
            pass
        assert _lock_files(lock_dir) == sorted([held.name, "notes.txt"])
        with (
            pytest.raises(StudioError, match="still running"),
            project_lock(URL, "in use", wait_s=0),
        ):
            pass  # still held: the sweep did not take it away from its holder
    finally:
        proc.kill()
        proc.wait(30)
    with project_lock(URL, "mine"):
        pass
    assert _lock_files(lock_dir) == ["notes.txt"]  # its holder gone, its file went too


def test_a_lock_held_by_another_annotate_keeps_its_file(lock_dir: Path) -> None:
    proc = _holder(
        lock_dir,
        "import time\nfrom annotate.studio.lock import project_lock\n"
        f"with project_lock({URL!r}, 'theirs', wait_s=0):\n"
        "    print('held', flush=True)\n    time.sleep(60)\n",
    )
    try:
        with project_lock(URL, "mine"):
            pass
        assert lock_path(URL, "theirs").is_file()
        with pytest.raises(StudioError), project_lock(URL, "theirs", wait_s=0):
            pass
    finally:
        proc.kill()
        proc.wait(30)


COUNTER = """
import sys, time
from pathlib import Path
from annotate.studio.lock import project_lock
counter = Path(sys.argv[1])
print('held', flush=True)
for _ in range(int(sys.argv[2])):
    with project_lock({url!r}, 'shared', wait_s=60):
        n = int(counter.read_text())
        time.sleep(0.001)
        counter.write_text(str(n + 1))
"""


def test_removing_lock_files_never_lets_two_processes_in(lock_dir: Path) -> None:
    """Four processes increment one counter under one lock, whose file each release
    removes and the next take makes again: not one increment is lost."""
    counter = lock_dir.parent / "counter"
    counter.write_text("0")
    env = {**os.environ, LOCK_DIR_ENV: str(lock_dir), "PYTHONPATH": str(ROOT)}
    code = COUNTER.format(url=URL)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(counter), "40"], stdout=subprocess.PIPE, env=env
        )
        for _ in range(4)
    ]
    for proc in procs:
        proc.wait(180)
        assert proc.returncode == 0
    assert counter.read_text() == "160"
    assert _lock_files(lock_dir) == []


def test_a_held_lock_times_out_and_then_is_taken(lock_dir: Path) -> None:
    path = lock_dir / "x.lock"
    first = lockfiles.acquire(path, 0)
    with pytest.raises(lockfiles.Timeout):
        lockfiles.acquire(path, 0.2)
    lockfiles.release(path, first)
    assert not path.exists()
    with lockfiles.held(path, 0):
        assert path.exists()
    assert not path.exists()
