"""How many CPU threads torch (and the ONNX Runtime / OpenVINO engines, which read
``torch.get_num_threads()``) may use for the encoder's forward passes.

One rule for ``annotate prelabel``, ``train``, ``evaluate`` and ``demo``
(:func:`resolve_threads`; ``prelabel --engine ray`` takes 1-3 per actor, and instead of
4 gives each actor 1 thread, the one CPU it reserves of Ray's; a local Ray whose actors
would run more threads than the CPUs of 4 is warned about):

1. ``--threads N`` when given;
2. else ``$ANNOTATE_THREADS``;
3. else ``$OMP_NUM_THREADS`` when the user set it (torch already took it);
4. else the CPUs this process may use less the tasks other processes keep running on
   the machine (rounded half up), at least 1. In full:

   - *CPUs it may use* (:func:`cpu_limit`): its affinity mask (``os.sched_getaffinity``,
     not the machine's core count: ``taskset`` and container cpusets shrink it), capped
     by its cgroup's CPU quota rounded **down** (``docker run --cpus=1.5`` gives 1; see
     :mod:`annotate.classifier.cgroup`), at least 1. Down, not up: the quota is shared
     by every thread of the container (Python's own, the tokenizer's, other processes),
     and OpenMP threads spin while they wait at a barrier, burning quota; once it is
     spent, the kernel stops every thread of the cgroup until the next period (100 ms),
     the one the others wait for included. Rounding down gives up less than one CPU;
     rounding up oversubscribes, which cost 2.8-3.6x on 2 shared cores (below).
   - *Tasks other processes keep running* (:func:`runnable_others`): ``procs_running``
     in /proc/stat (the machine's threads running or waiting for a CPU now) read 6 times
     0.05 s apart, less this process's own running threads, averaged. Where /proc/stat
     cannot be read (not Linux), the 1-minute load average instead.

Why the load: torch runs one OpenMP thread per core by default, and OpenMP threads
spin-wait on each other at every barrier, so one thread that shares its core with
another busy process holds up all of them. Measured on 2 shared cores at load 6-11
(benchmarks/README.md, "Threads on a busy machine"): 1 thread scored 2.8-3.6x the
passages per second of 2, with and without extra busy processes, and identical scores.
On an idle machine (fewer than 0.5 other tasks running) the rule gives every usable
CPU, torch's own default.

Why the running tasks and not the load average: the load average is a 1-minute mean, so
a machine that has just become busy looks idle and one whose last job (an earlier
annotate command, say) has just ended looks busy. Measured (benchmarks/README.md, "Which
load signal", a shared 2-CPU machine): 0-30 s after two busy loops started, the load
average was 0.9-3.4 tasks below what ``ps`` saw running, and 0-30 s after they stopped
1.0-2.6 above; the sampled ``procs_running`` stayed within 0.55 of ``ps`` throughout.
It is a snapshot: a job that starts after the command does is not seen (nor by the load
average, for a minute); ``--threads`` settles it. Sampling takes 0.25 s. In a
container, /proc/stat and the load average are usually the host's, so other containers'
tasks count too (fewer threads, never more).

Nothing here prints: the chosen count and why are logged at INFO.
"""

from __future__ import annotations

import logging
import math
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from annotate.classifier.cgroup import CpuQuota, cgroup_cpu_quota
from annotate.errors import InputError
from annotate.settings import THREADS_ENV

log = logging.getLogger(__name__)

OMP_ENV = "OMP_NUM_THREADS"


@dataclass(frozen=True)
class Threads:
    """A thread count and where it came from (``--threads``, ``$ANNOTATE_THREADS``,
    ``$OMP_NUM_THREADS`` or the default rule, with its inputs)."""

    count: int
    source: str
    by_default: bool = False  # chosen by the default rule (nothing explicit was set)


def parse_threads(value: object, where: str) -> int:
    """``value`` (an int or the text of one) as a thread count of 1 or more; ``where``
    names it in the error (``--threads``, ``ANNOTATE_THREADS``). Raises InputError."""
    text = str(value).strip()
    try:
        count = int(text)
    except ValueError:
        count = 0
        ok = False
    else:
        ok = count >= 1
    if not ok:
        raise InputError(
            f"{where} {text!r} is not a thread count; expected a whole number, 1 or more.",
            fix=f"give {where} a number such as 1 (a busy machine) or the CPUs it may use "
            f"({usable_cpus()} here), or leave it out to let annotate choose.",
        )
    return count


def affinity_cpus() -> int:
    """The CPUs in this process's affinity mask (``os.cpu_count`` where the platform has
    no ``sched_getaffinity``)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class CpuLimit:
    """The CPUs this process may use: ``cpus``, the smaller of its ``affinity`` mask and
    its cgroup ``quota`` rounded down, at least 1 (module doc: why down)."""

    cpus: int
    affinity: int
    quota: CpuQuota | None = None

    @property
    def capped(self) -> bool:
        """Whether the quota, not the affinity mask, set the count."""
        return self.quota is not None and self.cpus < self.affinity

    def said(self) -> str:
        """``2 usable CPUs``, or ``1 usable CPU (cgroup CPU quota 1.50 of 16 in its
        affinity)``."""
        text = f"{self.cpus} usable CPU{'s' if self.cpus != 1 else ''}"
        if self.capped and self.quota is not None:
            text += f" (cgroup CPU quota {self.quota.cpus:.2f} of {self.affinity} in its affinity)"
        return text


def cpu_limit(root: Path | str = "/") -> CpuLimit:
    """This process's :class:`CpuLimit`: its affinity mask and the CPU quota of its
    cgroups (read under ``root``; tests pass a directory of fake files)."""
    affinity = affinity_cpus()
    quota = cgroup_cpu_quota(root)
    cpus = affinity if quota is None else max(1, min(affinity, math.floor(quota.cpus)))
    return CpuLimit(cpus, affinity, quota)


def usable_cpus() -> int:
    """The CPUs this process may use (:func:`cpu_limit`: its affinity mask, capped by its
    cgroup's CPU quota)."""
    return cpu_limit().cpus


def load_average() -> float | None:
    """The 1-minute load average (None where the platform has none)."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return None


PROC_STAT = Path("/proc/stat")
OWN_TASKS = Path("/proc/self/task")
RUNNABLE_SAMPLES = 6  # reads of procs_running ...
RUNNABLE_INTERVAL_S = 0.05  # ... this far apart (0.25 s in all)


def procs_running(stat: Path = PROC_STAT) -> int | None:
    """The machine's tasks (threads) running or waiting for a CPU now (``procs_running``
    in /proc/stat; the reading thread is one of them). None where it cannot be read."""
    try:
        text = stat.read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("procs_running "):
            try:
                return int(line.split()[1])
            except (IndexError, ValueError):
                return None
    return None


def own_running(tasks: Path = OWN_TASKS) -> int:
    """This process's threads running or waiting for a CPU (state R in
    /proc/self/task/*/stat), at least 1: the thread that asks."""
    count = 0
    try:
        for stat in tasks.glob("*/stat"):
            try:
                text = stat.read_text()
            except OSError:
                continue
            state = text.rpartition(")")[2].split()[:1]  # the name may hold spaces
            count += state == ["R"]
    except OSError:
        pass
    return max(1, count)


def runnable_others(
    samples: int = RUNNABLE_SAMPLES,
    interval: float = RUNNABLE_INTERVAL_S,
    *,
    read: Callable[[], int | None] = procs_running,
    own: Callable[[], int] = own_running,
    sleep: Callable[[float], None] = time.sleep,
) -> float | None:
    """The tasks of other processes that want a CPU now: ``procs_running`` less this
    process's running threads, read ``samples`` times ``interval`` seconds apart and
    averaged. None where /proc/stat cannot be read."""
    seen: list[int] = []
    for i in range(samples):
        if i:
            sleep(interval)
        value = read()
        if value is None:
            return None
        seen.append(max(0, value - own()))
    return sum(seen) / len(seen) if seen else None


def machine_load() -> tuple[float | None, str]:
    """The other tasks that want a CPU, and how that was measured for a log line:
    :func:`runnable_others` (``0.3 other tasks running``), else the 1-minute load
    average (``load average 1.20``), else None (``load unknown``)."""
    others = runnable_others()
    if others is not None:
        return others, f"{others:.1f} other tasks running"
    avg = load_average()
    return avg, "load unknown" if avg is None else f"load average {avg:.2f}"


def default_threads(cpus: int, load: float | None) -> int:
    """The default thread count: ``cpus`` less the other tasks that want a CPU
    (``load``, rounded half up), at least 1 and at most ``cpus``. Tasks the machine's
    other CPUs could absorb still count: neither signal says which CPUs they run on."""
    if load is None or load <= 0:
        return cpus
    return max(1, min(cpus, cpus - math.floor(load + 0.5)))


def resolve_threads(
    requested: int | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    cpus: int | None = None,
    load: float | None = None,
) -> Threads:
    """The thread count to run the encoder with (module doc: the rule). ``requested``:
    ``--threads`` (None: not given); ``environ``, ``cpus`` and ``load`` (the other tasks
    that want a CPU) default to this process's environment, :func:`cpu_limit` and
    :func:`machine_load` (tests pass their own). Raises InputError for a count below 1
    or not a number."""
    env = os.environ if environ is None else environ
    if requested is not None:
        return Threads(parse_threads(requested, "--threads"), "--threads")
    if (value := env.get(THREADS_ENV, "").strip()) != "":
        return Threads(parse_threads(value, THREADS_ENV), THREADS_ENV)
    if (value := env.get(OMP_ENV, "").strip()) != "":
        return Threads(parse_threads(value, OMP_ENV), OMP_ENV)
    limit = cpu_limit() if cpus is None else CpuLimit(cpus, cpus)
    if limit.capped and limit.quota is not None:
        log.info(
            "cgroup CPU quota %.2f CPUs (%s): %d usable of the %d in the affinity mask",
            limit.quota.cpus,
            limit.quota.path,
            limit.cpus,
            limit.affinity,
        )
    others, said = machine_load() if load is None else (load, f"{load:.1f} other tasks running")
    count = default_threads(limit.cpus, others)
    return Threads(count, f"default: {limit.said()}, {said}", True)


def use_threads(requested: int | None = None, *, resumed: int | None = None) -> Threads:
    """Resolve the thread count (:func:`resolve_threads`) and give it to torch (intra-op
    threads; the ONNX Runtime and OpenVINO engines read it when they are built). Logs
    the count and its source at INFO, and warns when it exceeds the usable CPUs (the
    affinity mask capped by the cgroup's CPU quota). ``resumed``: the count of the parts
    an interrupted prelabel kept (:func:`annotate.prelabel_parts.recorded_threads`),
    taken instead of the default rule's (nothing explicit set), so that the resumed
    run's scores are those of the run it continues."""
    import torch

    threads = resolve_threads(requested)
    if threads.by_default and resumed is not None and resumed != threads.count:
        threads = Threads(resumed, "the interrupted run's, resumed")
    if torch.get_num_threads() != threads.count:
        torch.set_num_threads(threads.count)
    log.info("torch threads: %d (%s)", threads.count, threads.source)
    limit = cpu_limit()
    if threads.count > limit.cpus:
        log.warning(
            "%d threads on %s: the threads wait on each other (--threads %d or less is faster)",
            threads.count,
            limit.said(),
            limit.cpus,
        )
    return threads
