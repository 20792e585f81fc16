"""Run the `annotate` CLI and write its peak RSS (KiB) to $PEAK_RSS_FILE at exit.

The peak is this process's own high-water mark, ``VmHWM`` of /proc/self/status (with
the peak of any child it waited for, if larger). Not ``getrusage(RUSAGE_SELF).ru_maxrss``:
on Linux that keeps the largest RSS of the process *before* ``execve``, and Python's
``subprocess`` starts a child with vfork/fork + exec, so a child's ``ru_maxrss`` starts at
the RSS of the parent that spawned it. ``bench_scale.py`` holds the benchmark's rows in
memory when it spawns the push, so ``ru_maxrss`` reported the benchmark's own size for
large pushes (563 MiB at 200,000 tasks), not the push's.
"""

from __future__ import annotations

import atexit
import os
import resource
import sys


def own_peak_kib() -> int:
    """VmHWM of this process (KiB): the peak RSS of its own address space."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status (Linux only)")


def _write() -> None:
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    with open(os.environ["PEAK_RSS_FILE"], "w") as fh:
        fh.write(str(max(own_peak_kib(), children)))


if __name__ == "__main__":
    atexit.register(_write)
    from annotate.cli import console_main

    sys.argv = ["annotate", *sys.argv[1:]]
    console_main()
