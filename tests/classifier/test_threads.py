"""The encoder's thread count: --threads, $ANNOTATE_THREADS, $OMP_NUM_THREADS, else the
CPUs this process may use less the machine's load (annotate.classifier.threads; the
cgroup quota and the running-task sampler: test_threads_cgroup, test_threads_runnable)."""

from __future__ import annotations

import logging

import pytest
import torch

from annotate.classifier import threads as th
from annotate.errors import InputError


@pytest.mark.parametrize("value", ["0", "-1", "1.5", "two", "", 0, -3])
def test_a_count_below_one_or_not_a_whole_number_is_refused(value: object) -> None:
    with pytest.raises(InputError) as err:
        th.parse_threads(value, "ANNOTATE_THREADS")
    message = str(err.value)
    assert message.startswith(f"ANNOTATE_THREADS {str(value).strip()!r} is not a thread count")
    assert "expected a whole number, 1 or more" in message
    assert "\n" not in message


@pytest.mark.parametrize(("value", "count"), [("1", 1), (" 3 ", 3), (2, 2)])
def test_a_whole_number_is_a_count(value: object, count: int) -> None:
    assert th.parse_threads(value, "--threads") == count


@pytest.mark.parametrize(
    ("cpus", "load", "expected"),
    [
        (2, None, 2),  # no load average on this platform: every usable CPU
        (2, 0.0, 2),
        (2, 0.45, 2),  # an idle machine's background noise
        (2, 0.5, 1),  # one process's worth of load: leave its CPU to it
        (2, 1.3, 1),
        (2, 8.6, 1),  # the shared machine of issue 11: never below 1
        (16, 3.4, 13),
        (16, 40.0, 1),
        (1, 0.0, 1),
    ],
)
def test_the_default_is_the_usable_cpus_less_the_load(
    cpus: int, load: float | None, expected: int
) -> None:
    assert th.default_threads(cpus, load) == expected


def test_usable_cpus_are_the_affinity_mask_not_the_core_count(monkeypatch) -> None:
    monkeypatch.setattr(th, "cgroup_cpu_quota", lambda root=None: None)  # no quota
    monkeypatch.setattr(th.os, "sched_getaffinity", lambda pid: {4, 5, 6}, raising=False)
    monkeypatch.setattr(th.os, "cpu_count", lambda: 64)
    assert th.usable_cpus() == 3


def test_the_rule_reads_affinity_and_load_average(monkeypatch) -> None:
    """Where /proc/stat cannot be read (not Linux), the load average stands in."""
    monkeypatch.setattr(th, "cgroup_cpu_quota", lambda root=None: None)
    monkeypatch.setattr(th, "runnable_others", lambda: None)
    monkeypatch.setattr(th.os, "sched_getaffinity", lambda pid: {0, 1, 2, 3}, raising=False)
    monkeypatch.setattr(th.os, "getloadavg", lambda: (2.2, 5.0, 5.0), raising=False)
    chosen = th.resolve_threads(environ={})
    assert chosen.count == 2
    assert chosen.by_default
    assert chosen.source == "default: 4 usable CPUs, load average 2.20"


def test_precedence_flag_then_annotate_threads_then_omp(monkeypatch) -> None:
    env = {"ANNOTATE_THREADS": "3", "OMP_NUM_THREADS": "5"}
    assert th.resolve_threads(2, environ=env, cpus=8, load=0.0) == th.Threads(2, "--threads")
    assert th.resolve_threads(None, environ=env, cpus=8, load=0.0) == th.Threads(
        3, "ANNOTATE_THREADS"
    )
    only_omp = {"OMP_NUM_THREADS": "5"}
    assert th.resolve_threads(None, environ=only_omp, cpus=8, load=0.0) == th.Threads(
        5, "OMP_NUM_THREADS"
    )
    blank = {"ANNOTATE_THREADS": " ", "OMP_NUM_THREADS": ""}  # set but empty: not set
    assert th.resolve_threads(None, environ=blank, cpus=8, load=0.0).count == 8


def test_a_bad_environment_value_names_the_variable() -> None:
    with pytest.raises(InputError, match=r"^ANNOTATE_THREADS '0' is not a thread count"):
        th.resolve_threads(None, environ={"ANNOTATE_THREADS": "0"}, cpus=2, load=0.0)
    with pytest.raises(InputError, match=r"^OMP_NUM_THREADS 'four' is not a thread count"):
        th.resolve_threads(None, environ={"OMP_NUM_THREADS": "four"}, cpus=2, load=0.0)


def test_use_threads_sets_torch_and_logs_the_count(monkeypatch, caplog) -> None:
    before = torch.get_num_threads()
    monkeypatch.delenv("ANNOTATE_THREADS", raising=False)
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    monkeypatch.setattr(th, "cgroup_cpu_quota", lambda root=None: None)
    monkeypatch.setattr(th, "runnable_others", lambda: None)  # the load average stands in
    monkeypatch.setattr(th.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(th.os, "getloadavg", lambda: (1.2, 1.0, 1.0), raising=False)
    try:
        with caplog.at_level(logging.INFO, logger="annotate.classifier.threads"):
            chosen = th.use_threads(None)
        assert chosen.count == 1 and torch.get_num_threads() == 1
        assert "torch threads: 1 (default: 2 usable CPUs, load average 1.20)" in caplog.text
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="annotate.classifier.threads"):
            th.use_threads(3)
        assert torch.get_num_threads() == 3
        assert "3 threads on 2 usable CPUs" in caplog.text  # more threads than CPUs: warned
    finally:
        torch.set_num_threads(before)
