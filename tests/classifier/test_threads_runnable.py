"""The default thread rule counts the tasks other processes keep running now
(``procs_running`` in /proc/stat, sampled, less this process's running threads) instead
of the 1-minute load average, which lags: a machine whose last job has just ended still
has a high load average, one that has just become busy a low one."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.classifier import threads as th

STAT = """cpu  1 2 3 4 5 6 7 0 0 0
intr 12345 0 0
ctxt 999
btime 1764600000
processes 4242
procs_running {running}
procs_blocked 0
"""


def test_procs_running_is_read_from_proc_stat(tmp_path: Path) -> None:
    stat = tmp_path / "stat"
    stat.write_text(STAT.format(running=7))
    assert th.procs_running(stat) == 7
    stat.write_text("cpu 1 2 3\n")
    assert th.procs_running(stat) is None
    assert th.procs_running(tmp_path / "missing") is None


def test_own_running_counts_this_process_threads_in_state_r(tmp_path: Path) -> None:
    for tid, line in {
        "100": "100 (python) R 1 100 100 0",
        "101": "101 (pt worker (2)) S 1 100 100 0",  # a name with spaces and brackets
        "102": "102 (pt worker (3)) R 1 100 100 0",
    }.items():
        (tmp_path / tid).mkdir()
        (tmp_path / tid / "stat").write_text(line + "\n")
    assert th.own_running(tmp_path) == 2
    assert th.own_running(tmp_path / "missing") == 1  # the thread that asks


def test_runnable_others_averages_samples_less_this_process() -> None:
    reads = iter([5, 3, 4, 2])
    slept: list[float] = []
    others = th.runnable_others(
        4, 0.05, read=lambda: next(reads), own=lambda: 2, sleep=slept.append
    )
    assert others == pytest.approx((3 + 1 + 2 + 0) / 4)
    assert slept == [0.05, 0.05, 0.05]  # between reads, not before the first
    assert th.runnable_others(3, 0.0, read=lambda: 1, own=lambda: 3, sleep=slept.append) == 0.0
    assert th.runnable_others(3, 0.0, read=lambda: None, own=lambda: 1) is None


def test_a_just_freed_machine_gets_every_cpu_though_its_load_average_is_high(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Load average 2.6 right after two busy processes stopped (as measured in
    benchmarks/README.md, "Which load signal"); nothing else runs: 4 threads, not 1."""
    monkeypatch.setattr(th, "cgroup_cpu_quota", lambda root=None: None)
    monkeypatch.setattr(th.os, "sched_getaffinity", lambda pid: set(range(4)), raising=False)
    monkeypatch.setattr(th.os, "getloadavg", lambda: (2.6, 1.0, 0.5), raising=False)
    monkeypatch.setattr(th, "runnable_others", lambda: 0.0)
    chosen = th.resolve_threads(environ={})
    assert chosen.count == 4
    assert chosen.source == "default: 4 usable CPUs, 0.0 other tasks running"


def test_a_just_loaded_machine_leaves_their_cpus_though_its_load_average_is_low(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(th, "cgroup_cpu_quota", lambda root=None: None)
    monkeypatch.setattr(th.os, "sched_getaffinity", lambda pid: set(range(4)), raising=False)
    monkeypatch.setattr(th.os, "getloadavg", lambda: (0.1, 0.0, 0.0), raising=False)
    monkeypatch.setattr(th, "runnable_others", lambda: 2.3)
    assert th.resolve_threads(environ={}).count == 2
