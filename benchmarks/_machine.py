"""What the benchmarks ran on (written next to every result)."""

from __future__ import annotations

import platform
from pathlib import Path


def cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo, else what platform says."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "cpu"


SIMD_FLAGS = ("avx2", "fma", "avx512f", "avx512_bf16", "amx_bf16", "amx_int8", "avx512_vnni")


def cpu_flags(wanted: tuple[str, ...] = SIMD_FLAGS) -> list[str]:
    """The ``wanted`` flags this CPU reports in /proc/cpuinfo (read, never assumed)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("flags"):
                have = set(line.split(":", 1)[1].split())
                return [f for f in wanted if f in have]
    except OSError:
        pass
    return []


# environment variables that cap the instruction set torch's libraries use (emulation)
ISA_ENV = ("ONEDNN_MAX_CPU_ISA", "MKL_ENABLE_INSTRUCTIONS", "ATEN_CPU_CAPABILITY")


def isa_caps() -> dict[str, str]:
    """The instruction-set caps set in the environment (empty: native)."""
    import os

    return {k: os.environ[k] for k in ISA_ENV if os.environ.get(k)}


def load_average() -> str:
    """The 1, 5 and 15 minute load averages (what `uptime` shows)."""
    import os

    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


def run_header() -> dict[str, object]:
    """What a results file records of the run's start: UTC time, CPU model, its SIMD flags
    and the load averages."""
    import time

    return {
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "cpu": cpu_model(),
        "cpu_flags": cpu_flags(),
        "load_average_start": load_average(),
    }
