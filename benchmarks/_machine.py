"""What the benchmarks ran on (written next to every result)."""

from __future__ import annotations

import os
import platform
from pathlib import Path

# flags that decide which dense-matmul kernels a CPU can run
MATMUL_FLAGS = (
    "avx2",
    "fma",
    "avx512f",
    "avx512_vnni",
    "avx_vnni",
    "avx512_bf16",
    "amx_bf16",
    "amx_int8",
)
# environment variables that cap the instruction set torch's libraries use (emulation)
ISA_ENV = ("ONEDNN_MAX_CPU_ISA", "MKL_ENABLE_INSTRUCTIONS", "ATEN_CPU_CAPABILITY")


def cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo, else what platform says."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "cpu"


def matmul_flags() -> list[str]:
    """Which of :data:`MATMUL_FLAGS` this CPU reports (read from /proc/cpuinfo)."""
    from annotate.classifier.device import cpu_flags

    flags = cpu_flags()
    return [f for f in MATMUL_FLAGS if f in flags]


def isa_caps() -> dict[str, str]:
    """The instruction-set caps set in the environment (empty: native)."""
    return {k: os.environ[k] for k in ISA_ENV if os.environ.get(k)}


def load_average() -> str:
    """The 1, 5 and 15 minute load averages (what `uptime` shows)."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"
