"""The cgroup CPU quota caps the CPUs the default thread rule counts (a container run
with ``--cpus=1.5`` still sees every host CPU in its affinity mask). The reader takes a
root directory, so these tests lay out fake /proc and /sys/fs/cgroup files."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from annotate.classifier import threads as th
from annotate.classifier.cgroup import CpuQuota, cgroup_cpu_quota

V2_MOUNT = "30 23 0:26 {root} /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw\n"
V1_MOUNT = "32 31 0:29 {root} {point} rw,relatime - cgroup cgroup rw,{controllers}\n"
OTHER_MOUNTS = "22 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw\n"


def _write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def v2(root: Path, cgroup: str = "/", mount_root: str = "/", **files: str) -> Path:
    """A cgroup v2 host: ``files`` maps a directory under /sys/fs/cgroup ("." for the
    mount point) to its cpu.max."""
    _write(root, "proc/self/cgroup", f"0::{cgroup}\n")
    _write(root, "proc/self/mountinfo", OTHER_MOUNTS + V2_MOUNT.format(root=mount_root))
    for directory, text in files.items():
        _write(root, f"sys/fs/cgroup/{directory}/cpu.max".replace("/./", "/"), text)
    return root


def v1(
    root: Path,
    cgroup: str,
    dirs: dict[str, tuple[str, str]],
    *,
    mount_root: str = "/",
    point: str = "/sys/fs/cgroup/cpu,cpuacct",
) -> Path:
    """A cgroup v1 host with cpu and cpuacct on one hierarchy; ``dirs`` maps a directory
    under the mount point to (cfs_quota_us, cfs_period_us)."""
    _write(
        root,
        "proc/self/cgroup",
        f"12:memory:{cgroup}\n4:cpu,cpuacct:{cgroup}\n1:name=systemd:{cgroup}\n0::/\n",
    )
    mounts = OTHER_MOUNTS + V1_MOUNT.format(root=mount_root, point=point, controllers="cpu,cpuacct")
    mounts += V1_MOUNT.format(root="/", point="/sys/fs/cgroup/memory", controllers="memory")
    _write(root, "proc/self/mountinfo", mounts)
    for directory, (quota, period) in dirs.items():
        base = f"{point.lstrip('/')}/{directory}".rstrip("/.")
        _write(root, f"{base}/cpu.cfs_quota_us", quota + "\n")
        _write(root, f"{base}/cpu.cfs_period_us", period + "\n")
    return root


def test_v2_quota_of_a_container_with_its_own_cgroup_namespace(tmp_path: Path) -> None:
    root = v2(tmp_path, **{".": "150000 100000\n"})
    assert cgroup_cpu_quota(root) == CpuQuota(1.5, "/sys/fs/cgroup/cpu.max")


def test_v2_max_is_no_limit(tmp_path: Path) -> None:
    assert cgroup_cpu_quota(v2(tmp_path, **{".": "max 100000\n"})) is None


def test_v2_the_tightest_quota_from_the_process_cgroup_up_counts(tmp_path: Path) -> None:
    root = v2(
        tmp_path,
        cgroup="/system.slice/job.service",
        **{
            "system.slice/job.service": "max 100000",
            "system.slice": "250000 100000",  # a parent's quota limits its children
            ".": "max 100000",
        },
    )
    assert cgroup_cpu_quota(root) == CpuQuota(2.5, "/sys/fs/cgroup/system.slice/cpu.max")
    (root / "sys/fs/cgroup/system.slice/job.service/cpu.max").write_text("50000 100000")
    assert cgroup_cpu_quota(root) == CpuQuota(
        0.5, "/sys/fs/cgroup/system.slice/job.service/cpu.max"
    )


def test_v1_quota_over_period(tmp_path: Path) -> None:
    root = v1(tmp_path, "/", {".": ("150000", "100000")})
    assert cgroup_cpu_quota(root) == CpuQuota(1.5, "/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us")


def test_v1_minus_one_is_no_limit(tmp_path: Path) -> None:
    assert cgroup_cpu_quota(v1(tmp_path, "/", {".": ("-1", "100000")})) is None


def test_v1_container_without_a_cgroup_namespace_reads_its_mount_point(tmp_path: Path) -> None:
    """Docker on cgroup v1: /proc/self/cgroup names /docker/<id>, and the container sees
    that cgroup at the mount point (mountinfo's root is /docker/<id>)."""
    root = v1(tmp_path, "/docker/abc", {".": ("300000", "200000")}, mount_root="/docker/abc")
    assert cgroup_cpu_quota(root) == CpuQuota(1.5, "/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us")


def test_v1_host_path_under_the_mount(tmp_path: Path) -> None:
    root = v1(
        tmp_path,
        "/user.slice/job",
        {"user.slice/job": ("100000", "100000"), ".": ("-1", "100000")},
    )
    assert cgroup_cpu_quota(root) == CpuQuota(
        1.0, "/sys/fs/cgroup/cpu,cpuacct/user.slice/job/cpu.cfs_quota_us"
    )


def test_hybrid_host_takes_the_smaller_of_v1_and_v2(tmp_path: Path) -> None:
    root = v1(tmp_path, "/", {".": ("400000", "100000")})
    mounts = (root / "proc/self/mountinfo").read_text()
    (root / "proc/self/mountinfo").write_text(
        mounts + "41 31 0:38 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n"
    )
    _write(root, "sys/fs/cgroup/unified/cpu.max", "120000 100000\n")
    assert cgroup_cpu_quota(root) == CpuQuota(1.2, "/sys/fs/cgroup/unified/cpu.max")


@pytest.mark.parametrize("text", ["", "garbage", "150000", "0 100000", "150000 0"])
def test_unreadable_or_odd_cpu_max_is_no_limit(tmp_path: Path, text: str) -> None:
    assert cgroup_cpu_quota(v2(tmp_path, **{".": text})) is None


def test_no_cgroup_files_is_no_limit(tmp_path: Path) -> None:
    assert cgroup_cpu_quota(tmp_path) is None


def test_without_mountinfo_the_usual_mount_points_are_read(tmp_path: Path) -> None:
    _write(tmp_path, "proc/self/cgroup", "0::/\n")
    _write(tmp_path, "sys/fs/cgroup/cpu.max", "200000 100000\n")
    assert cgroup_cpu_quota(tmp_path) == CpuQuota(2.0, "/sys/fs/cgroup/cpu.max")


def test_a_mount_point_with_a_space_is_unescaped(tmp_path: Path) -> None:
    _write(tmp_path, "proc/self/cgroup", "0::/\n")
    _write(tmp_path, "proc/self/mountinfo", "30 23 0:26 / /cg\\040fs rw - cgroup2 cgroup2 rw\n")
    _write(tmp_path, "cg fs/cpu.max", "100000 100000\n")
    assert cgroup_cpu_quota(tmp_path) == CpuQuota(1.0, "/cg fs/cpu.max")


@pytest.mark.parametrize(
    ("affinity", "cpu_max", "expected"),
    [
        (16, "150000 100000", 1),  # --cpus=1.5: rounded down (module doc: why)
        (16, "250000 100000", 2),
        (16, "50000 100000", 1),  # half a CPU: still one thread
        (2, "400000 100000", 2),  # the affinity mask is tighter
        (4, "max 100000", 4),
    ],
)
def test_the_usable_cpus_are_the_affinity_capped_by_the_quota_rounded_down(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, affinity: int, cpu_max: str, expected: int
) -> None:
    monkeypatch.setattr(th.os, "sched_getaffinity", lambda pid: set(range(affinity)), raising=False)
    limit = th.cpu_limit(v2(tmp_path, **{".": cpu_max}))
    assert (limit.cpus, limit.affinity) == (expected, affinity)


def test_the_default_rule_counts_the_quota_and_logs_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    root = v2(tmp_path, **{".": "150000 100000\n"})
    monkeypatch.setattr(th.os, "sched_getaffinity", lambda pid: set(range(16)), raising=False)
    monkeypatch.setattr(th, "cgroup_cpu_quota", lambda root_=None: cgroup_cpu_quota(root))
    monkeypatch.setattr(th, "runnable_others", lambda: 0.0)
    with caplog.at_level(logging.INFO, logger="annotate.classifier.threads"):
        chosen = th.resolve_threads(environ={})
    assert chosen.count == 1 and chosen.by_default
    assert chosen.source == (
        "default: 1 usable CPU (cgroup CPU quota 1.50 of 16 in its affinity), "
        "0.0 other tasks running"
    )
    assert "cgroup CPU quota 1.50 CPUs (/sys/fs/cgroup/cpu.max): 1 usable of the 16" in caplog.text
    assert th.usable_cpus() == 1


def test_more_threads_than_the_quota_allows_are_warned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import torch

    root = v2(tmp_path, **{".": "100000 100000\n"})
    monkeypatch.setattr(th.os, "sched_getaffinity", lambda pid: set(range(8)), raising=False)
    monkeypatch.setattr(th, "cgroup_cpu_quota", lambda root_=None: cgroup_cpu_quota(root))
    before = torch.get_num_threads()
    try:
        with caplog.at_level(logging.WARNING, logger="annotate.classifier.threads"):
            th.use_threads(2)
    finally:
        torch.set_num_threads(before)
    assert "2 threads on 1 usable CPU (cgroup CPU quota 1.00 of 8 in its affinity)" in caplog.text
