"""The per-project push lock (fast: no server; the real concurrent pushes are in
tests/integration/test_concurrency.py)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from annotate.errors import StudioError
from annotate.studio.lock import LOCK_DIR_ENV, lock_path, project_lock

URL = "http://127.0.0.1:8080"


@pytest.fixture(autouse=True)
def lock_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(LOCK_DIR_ENV, str(tmp_path))
    return tmp_path


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ((URL, "p"), (URL, "p"), True),
        ((URL, "p"), (URL + "/", "p"), True),
        ((URL, "p"), (URL, "q"), False),
        ((URL, "p"), ("http://other:8080", "p"), False),
    ],
)
def test_one_lock_per_server_and_project(a: tuple[str, str], b: tuple[str, str], same: bool):
    assert (lock_path(*a) == lock_path(*b)) is same


def test_a_second_push_fails_clearly_when_told_not_to_wait() -> None:
    with (
        project_lock(URL, "p"),
        pytest.raises(StudioError, match="another `annotate push`"),
        project_lock(URL, "p", wait_s=0),
    ):
        pass
    with project_lock(URL, "q", wait_s=0):  # another project is not blocked
        pass


def test_a_second_push_waits_for_the_first() -> None:
    order: list[str] = []
    held = threading.Event()

    def first() -> None:
        with project_lock(URL, "p"):
            held.set()
            time.sleep(0.5)
            order.append("first done")

    thread = threading.Thread(target=first)
    thread.start()
    held.wait(5)
    with project_lock(URL, "p", wait_s=30):
        order.append("second in")
    thread.join()
    assert order == ["first done", "second in"]


def test_a_push_killed_with_sigkill_leaves_an_empty_file_but_no_lock(lock_dir: Path) -> None:
    """The lock is an advisory flock: the kernel drops it with the killed process; the
    empty file it leaves is not a stale lock (annotate/studio/lock.py)."""
    proc = _holder_process(lock_dir)
    try:
        busy = pytest.raises(StudioError, match="another `annotate push`")  # really held
        with busy, project_lock(URL, "p", wait_s=0):
            pass
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    assert lock_path(URL, "p").is_file() and lock_path(URL, "p").stat().st_size == 0
    with project_lock(URL, "p", wait_s=0):  # taken at once, no waiting, no clean-up
        pass
    assert not lock_path(URL, "p").exists()  # and its file removed on release


def _holder_process(lock_dir: Path) -> subprocess.Popen[bytes]:
    holder = (
        "import sys, time\n"
        "from annotate.studio.lock import project_lock\n"
        f"with project_lock({URL!r}, 'p', wait_s=0):\n"
        "    print('held', flush=True)\n"
        "    time.sleep(60)\n"
    )
    env = {**os.environ, LOCK_DIR_ENV: str(lock_dir)}
    proc = subprocess.Popen([sys.executable, "-c", holder], stdout=subprocess.PIPE, env=env)
    assert proc.stdout is not None and proc.stdout.readline().strip() == b"held"
    return proc


def test_a_push_kept_waiting_names_the_process_holding_the_lock(
    lock_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A push waiting on another (suspended) push said only that another was running: it
    names the holder's pid and how to proceed, waiting and when it gives up."""
    proc = _holder_process(lock_dir)
    try:
        proc.send_signal(signal.SIGSTOP)  # suspended, as with Ctrl-Z
        with pytest.raises(StudioError) as exc, project_lock(URL, "p", wait_s=0.3):
            pass
        warned = caplog.text
        assert f"pid {proc.pid}" in warned and f"kill -CONT {proc.pid}" in warned, warned
        assert "waiting up to 0 s for it to finish" in warned, warned
        said = str(exc.value)
        assert f"held by `annotate push`, pid {proc.pid}, since " in said, said
        assert f"`kill -CONT {proc.pid}`" in said, said
        assert f"(`kill {proc.pid}; kill -CONT {proc.pid}`" in said, said
        assert "\n" not in said
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    # the killed holder's record is not taken for a live one, and is cleaned up
    with project_lock(URL, "p", wait_s=0):
        assert json.loads(lock_path(URL, "p").with_suffix(".holder").read_text())["pid"] == (
            os.getpid()
        )
    assert not list(lock_dir.glob("*.holder"))


def test_a_stale_holder_record_is_not_named(lock_dir: Path) -> None:
    from annotate.studio.lock import holder_of

    path = lock_path(URL, "p")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait(30)
    record = {"pid": dead.pid, "host": socket.gethostname(), "command": "c", "since": "t"}
    path.with_suffix(".holder").write_text(json.dumps(record))
    assert holder_of(path) is None
    record["pid"] = os.getpid()
    path.with_suffix(".holder").write_text(json.dumps(record))
    assert holder_of(path) is not None and f"pid {os.getpid()}" in str(holder_of(path))


def test_project_deletions_on_one_server_run_one_at_a_time(tmp_path, monkeypatch) -> None:
    """Label Studio 1.23.2 deletes a project with every signal of its process stashed and
    put back by a context manager that is not thread-safe: two deletions at the same moment
    left them disconnected until a restart (answers stopped counting; export refused)."""
    from annotate.studio.client import StudioClient

    monkeypatch.setenv("ANNOTATE_LOCK_DIR", str(tmp_path / "locks"))
    active, most = [0], [0]
    guard = threading.Lock()

    def slow_delete(self, path: str, action: str) -> None:
        with guard:
            active[0] += 1
            most[0] = max(most[0], active[0])
        time.sleep(0.3)
        with guard:
            active[0] -= 1

    monkeypatch.setattr(StudioClient, "_delete", slow_delete)
    clients = []
    for _ in range(2):
        client = StudioClient.__new__(StudioClient)  # no server: the request is faked
        client.url = "http://127.0.0.1:8080"
        clients.append(client)
    start = threading.Barrier(2)

    def delete(client: StudioClient, pid: int) -> None:
        start.wait()
        client.delete_project(pid)

    threads = [threading.Thread(target=delete, args=(c, i)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most[0] == 1
    assert not list((tmp_path / "locks").glob("delete-*.lock"))  # released, removed
