"""`annotate prelabel --engine ray --threads N`: each actor runs its model on N torch
threads and reserves N CPUs (a local Ray is started with workers x N + 1), with the
local engine's scores (that run on a real Ray: tests/test_prelabel_ray.py, whose tests share
a Ray started for one actor of two threads)."""

from __future__ import annotations

import pyarrow as pa
import pytest
import torch

from annotate.prelabeling_ray import _Labeler, ray_session
from annotate.taxonomy import load_taxonomy

pytest.importorskip("ray")


@pytest.mark.parametrize("threads", [1, 2])
def test_an_actor_sets_its_thread_count_before_its_model_loads(threads: int) -> None:
    before = torch.get_num_threads()
    try:
        torch.set_num_threads(3 - threads)  # the other count: the actor must change it
        _Labeler(None, load_taxonomy(None), 4, pa.schema([]), threads)
        assert torch.get_num_threads() == threads
    finally:
        torch.set_num_threads(before)


class _FakeRay:
    """Stands in for ``ray`` in :func:`ray_session` (nothing starts)."""

    def __init__(self) -> None:
        self.init_args: dict = {}

    def is_initialized(self) -> bool:
        return False

    def init(self, **kwargs) -> None:
        self.init_args = kwargs

    def shutdown(self) -> None:
        pass


@pytest.mark.parametrize(
    ("workers", "threads", "warned"), [(2, 1, True), (1, 2, True), (1, 1, False)]
)
def test_a_local_ray_with_more_actor_threads_than_the_cpu_quota_is_warned(
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    workers: int,
    threads: int,
    warned: bool,
) -> None:
    """A container with 16 host CPUs in its affinity mask and a 1.5-CPU quota: the same
    usable count (1) the local engine warns against."""
    import logging

    import annotate.prelabeling_ray as pr
    from annotate.classifier import threads as th
    from annotate.classifier.cgroup import CpuQuota

    fake = _FakeRay()
    monkeypatch.setattr(pr, "_ray", lambda: fake)
    monkeypatch.setattr(th.os, "sched_getaffinity", lambda pid: set(range(16)), raising=False)
    monkeypatch.setattr(th, "cgroup_cpu_quota", lambda root=None: CpuQuota(1.5, "/x/cpu.max"))
    monkeypatch.setenv("RAY_USAGE_STATS_ENABLED", "0")  # ray_session sets it: restored after
    with (
        caplog.at_level(logging.WARNING, logger="annotate.prelabeling_ray"),
        ray_session(workers=workers, threads=threads),
    ):
        pass
    assert fake.init_args["num_cpus"] == workers * threads + 1
    said = f"{workers} actors x {threads} thread{'s' if threads != 1 else ''} on 1 usable CPU"
    assert (said in caplog.text) is warned, caplog.text
    if warned:
        assert "(cgroup CPU quota 1.50 of 16 in its affinity)" in caplog.text
