"""The CPU quota of this process's cgroup (Linux): how many CPUs' worth of time per
period a container limited with ``docker run --cpus=1.5`` (or a systemd ``CPUQuota=``)
may use. The affinity mask does not show it: such a container still sees every host CPU
in ``os.sched_getaffinity``.

Read from this process's cgroups (``/proc/self/cgroup``), under where their hierarchies
are mounted (``/proc/self/mountinfo``; ``/sys/fs/cgroup`` when that cannot be read):

- cgroup v2: ``cpu.max``, ``"150000 100000"`` (quota, period in microseconds) or
  ``"max 100000"`` (no limit);
- cgroup v1, the ``cpu`` controller: ``cpu.cfs_quota_us`` (``-1``: no limit) over
  ``cpu.cfs_period_us``.

A parent cgroup's quota limits its children too, so the quota is the smallest found from
the process's own cgroup up to the root of the mounted hierarchy, over v2 and v1 (a hybrid
host mounts both). Everything is read under ``root`` (``/`` by default; tests pass a
directory of fake files). Nothing unreadable is an error: it is no quota.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

V2_FILE = "cpu.max"
V1_QUOTA = "cpu.cfs_quota_us"
V1_PERIOD = "cpu.cfs_period_us"


@dataclass(frozen=True)
class CpuQuota:
    """A cgroup CPU quota: ``cpus`` CPUs' worth of time (quota / period), read from
    ``path`` (as the process sees it, e.g. ``/sys/fs/cgroup/cpu.max``)."""

    cpus: float
    path: str


@dataclass(frozen=True)
class _Hierarchy:
    version: int  # 1 or 2
    mount_root: str  # the cgroup shown at the mount point ("/" unless namespaced away)
    mount_point: str


def _unescape(field: str) -> str:
    """mountinfo writes space, tab, newline and backslash as octal escapes (\\040 ...)."""
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def _hierarchies(root: Path) -> list[_Hierarchy]:
    """The cgroup v2 mount and the v1 mounts that carry the ``cpu`` controller."""
    try:
        lines = (root / "proc/self/mountinfo").read_text().splitlines()
    except OSError:
        return [_Hierarchy(2, "/", "/sys/fs/cgroup"), _Hierarchy(1, "/", "/sys/fs/cgroup/cpu")]
    found: list[_Hierarchy] = []
    for line in lines:
        head, sep, tail = line.partition(" - ")
        fields, rest = head.split(), tail.split()
        if not sep or len(fields) < 5 or len(rest) < 1:
            continue
        mount_root, mount_point = _unescape(fields[3]), _unescape(fields[4])
        if rest[0] == "cgroup2":
            found.append(_Hierarchy(2, mount_root, mount_point))
        elif rest[0] == "cgroup" and len(rest) >= 3 and "cpu" in rest[2].split(","):
            found.append(_Hierarchy(1, mount_root, mount_point))
    return found


def _own_cgroups(root: Path) -> dict[int, str]:
    """This process's cgroup path per version: v2 (``0::/path``) and v1's ``cpu``
    controller (``4:cpu,cpuacct:/path``)."""
    try:
        lines = (root / "proc/self/cgroup").read_text().splitlines()
    except OSError:
        return {}
    paths: dict[int, str] = {}
    for line in lines:
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        hid, controllers, path = parts
        if hid == "0" and controllers == "":
            paths.setdefault(2, path)
        elif "cpu" in controllers.split(","):
            paths.setdefault(1, path)
    return paths


def _read(path: Path) -> str | None:
    try:
        return path.read_text().strip()
    except OSError:
        return None


def _quota_in(directory: Path, version: int) -> float | None:
    """The quota set on one cgroup directory, in CPUs (None: no limit or unreadable)."""
    if version == 2:
        text = _read(directory / V2_FILE)
        parts = text.split() if text else []
        if len(parts) != 2 or parts[0] == "max":
            return None
        quota_text, period_text = parts
    else:
        quota_text = _read(directory / V1_QUOTA) or ""
        period_text = _read(directory / V1_PERIOD) or ""
    try:
        quota, period = int(quota_text), int(period_text)
    except ValueError:
        return None
    if quota <= 0 or period <= 0:  # v1 writes -1 for no limit
        return None
    return quota / period


def _chain(h: _Hierarchy, cgroup: str) -> list[PurePosixPath]:
    """The directories, as the process sees them, from its cgroup up to the mount point.
    A cgroup outside what the mount shows (a container that sees only its own cgroup, at
    the mount point, without a cgroup namespace) is read at the mount point."""
    own, mroot = PurePosixPath(cgroup), PurePosixPath(h.mount_root)
    try:
        rel = own.relative_to(mroot)
    except ValueError:
        rel = PurePosixPath(".")
    if ".." in rel.parts:
        rel = PurePosixPath(".")
    top = PurePosixPath(h.mount_point)
    chain = [top / rel]
    while chain[-1] != top:
        chain.append(chain[-1].parent)
    return chain


def cgroup_cpu_quota(root: Path | str = "/") -> CpuQuota | None:
    """The tightest CPU quota on this process's cgroups, v2 and v1 (module doc), or None
    when none is set or nothing can be read (not Linux, no cgroup filesystem)."""
    base = Path(root)
    own = _own_cgroups(base)
    best: CpuQuota | None = None
    for h in _hierarchies(base):
        if h.version not in own:
            continue
        file = V2_FILE if h.version == 2 else V1_QUOTA
        for directory in _chain(h, own[h.version]):
            cpus = _quota_in(base / str(directory).lstrip("/"), h.version)
            if cpus is not None and (best is None or cpus < best.cpus):
                best = CpuQuota(cpus, str(directory / file))
    return best
