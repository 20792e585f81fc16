"""A first start on a busy machine: `make demo` gave up after 240 s while Label Studio was
still running its migrations (stop 63, load ~10 on 2 cores). The wait now goes on while
the server process keeps using CPU, up to ``START_HARD_CAP_S``; a server that stops using
CPU without answering still fails after the timeout. The clock and the CPU readings are
stand-ins (nothing is timed); ``process_cpu_seconds`` is also read off a real process."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from annotate.errors import StudioUnavailableError
from annotate.studio import server
from annotate.studio.connection import studio_paths


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture()
def clock(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> _Clock:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(server, "read_credentials", lambda p: SimpleNamespace(token="t"))
    monkeypatch.setattr(server, "health", lambda url: False)
    monkeypatch.setattr(server, "pid_alive", lambda pid: True)
    c = _Clock()
    monkeypatch.setattr(server.time, "monotonic", c.monotonic)
    monkeypatch.setattr(server.time, "sleep", c.sleep)
    return c


def _wait(clock: _Clock, cpu: object, monkeypatch: pytest.MonkeyPatch) -> float:
    monkeypatch.setattr(server, "process_cpu_seconds", cpu)
    with pytest.raises(StudioUnavailableError) as err:
        server._wait_ready(studio_paths(), 4242, "http://127.0.0.1:9", 240.0)
    assert "did not answer" in str(err.value)
    assert "run the same command again" in str(err.value)
    return clock.now


def test_a_server_using_cpu_is_waited_for_up_to_the_cap(
    clock: _Clock, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger=server.__name__):
        waited = _wait(clock, lambda pid: clock.now, monkeypatch)  # one CPU s a second
    assert server.START_HARD_CAP_S - 2 <= waited <= server.START_HARD_CAP_S + 2
    # said once, as a warning (the CLI shows warnings), not at every extension
    said = [r.getMessage() for r in caplog.records if "still starting" in r.getMessage()]
    assert len(said) == 1 and "waiting up to 1200 s" in said[0], said


def test_an_idle_server_that_never_answers_fails_after_the_timeout(
    clock: _Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert 238 <= _wait(clock, lambda pid: 3.0, monkeypatch) <= 242


def test_a_server_that_stops_working_fails_a_timeout_after_it_stopped(
    clock: _Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    waited = _wait(clock, lambda pid: min(clock.now, 300.0), monkeypatch)
    assert 300 + 238 <= waited <= 300 + 242 + 240


def test_without_cpu_readings_the_timeout_holds(
    clock: _Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert 238 <= _wait(clock, lambda pid: None, monkeypatch) <= 242


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_process_cpu_seconds_grows_while_a_real_process_works() -> None:
    busy = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nt = time.process_time()\n"
            "while time.process_time() - t < 0.6: pass\nsys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
    )
    try:
        first = server.process_cpu_seconds(busy.pid)
        assert first is not None
        import time

        deadline = time.monotonic() + 60
        later = first
        while later < first + 0.3 and time.monotonic() < deadline:
            time.sleep(0.1)
            later = server.process_cpu_seconds(busy.pid) or later
        assert later >= first + 0.3
    finally:
        busy.kill()
        busy.wait()
    assert server.process_cpu_seconds(busy.pid) is None
    assert server.process_cpu_seconds(None) is None
