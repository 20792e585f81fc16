"""How many CPU threads torch (and the ONNX Runtime / OpenVINO engines, which read
``torch.get_num_threads()``) may use for the encoder's forward passes.

One rule for ``annotate prelabel``, ``train`` and ``evaluate`` (:func:`resolve_threads`):

1. ``--threads N`` when given;
2. else ``$ANNOTATE_THREADS``;
3. else ``$OMP_NUM_THREADS`` when the user set it (torch already took it);
4. else the CPUs this process may run on (``os.sched_getaffinity``, not the machine's
   core count: ``taskset`` and container cpusets shrink it) less the load other
   processes put on them (the 1-minute load average when the command starts, rounded),
   at least 1.

Why the load: torch runs one OpenMP thread per core by default, and OpenMP threads
spin-wait on each other at every barrier, so one thread that shares its core with
another busy process holds up all of them. Measured on 2 shared cores at load 6-11
(benchmarks/README.md, "Threads on a busy machine"): 1 thread scored 2.8-3.6x the
passages per second of 2, with and without extra busy processes, and identical scores.
On an idle machine (load below 0.5) the rule gives every usable CPU, torch's own
default. The load average lags (a 1-minute mean): a machine that has just become busy
looks idle for a while, and one whose previous job (another annotate command, say) has
just ended looks busy; ``--threads`` settles it.

Nothing here prints: the chosen count and why are logged at INFO.
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass

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


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity mask; ``os.cpu_count`` where the
    platform has no ``sched_getaffinity``)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def load_average() -> float | None:
    """The 1-minute load average (None where the platform has none)."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return None


def default_threads(cpus: int, load: float | None) -> int:
    """The default thread count: ``cpus`` less the processes already running on the
    machine (``load``, the 1-minute load average, rounded half up), at least 1 and at
    most ``cpus``. A load the machine's other CPUs could absorb still counts: the load
    average does not say which CPUs it runs on."""
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
    ``--threads`` (None: not given); ``environ``, ``cpus`` and ``load`` default to this
    process's environment, :func:`usable_cpus` and :func:`load_average` (tests pass
    their own). Raises InputError for a count below 1 or not a number."""
    env = os.environ if environ is None else environ
    if requested is not None:
        return Threads(parse_threads(requested, "--threads"), "--threads")
    if (value := env.get(THREADS_ENV, "").strip()) != "":
        return Threads(parse_threads(value, THREADS_ENV), THREADS_ENV)
    if (value := env.get(OMP_ENV, "").strip()) != "":
        return Threads(parse_threads(value, OMP_ENV), OMP_ENV)
    n_cpus = usable_cpus() if cpus is None else cpus
    avg = load_average() if load is None else load
    count = default_threads(n_cpus, avg)
    shown = "unknown" if avg is None else f"{avg:.2f}"
    return Threads(count, f"default: {n_cpus} usable CPUs, load average {shown}", True)


def use_threads(requested: int | None = None) -> Threads:
    """Resolve the thread count (:func:`resolve_threads`) and give it to torch (intra-op
    threads; the ONNX Runtime and OpenVINO engines read it when they are built). Logs
    the count and its source at INFO, and warns when it exceeds the usable CPUs."""
    import torch

    threads = resolve_threads(requested)
    if torch.get_num_threads() != threads.count:
        torch.set_num_threads(threads.count)
    log.info("torch threads: %d (%s)", threads.count, threads.source)
    cpus = usable_cpus()
    if threads.count > cpus:
        log.warning(
            "%d threads on %d usable CPUs: the threads wait on each other (--threads %d or "
            "less is faster)",
            threads.count,
            cpus,
            cpus,
        )
    return threads
