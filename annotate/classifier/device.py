"""Where a model runs and whether bf16 is worth trying there: one rule for the
encoder, the sequence classifier and training. Reads CPU flags, never assumes them."""

from __future__ import annotations

import torch


def cpu_has_bf16() -> bool:
    """True when the CPU executes bf16 matmuls natively (AVX512-BF16 or AMX)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            flags = fh.read()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


def pick_device(device: str | None = None) -> torch.device:
    """``device`` when given (e.g. "cpu", "cuda:1"), else CUDA when available, else CPU."""
    return torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))


def bf16_worth_trying(requested: str, device: torch.device) -> bool:
    """Whether precision ``requested`` ("auto", "bf16", "fp32", ...) should try bf16 on
    ``device``: asked for bf16, or "auto" on a GPU or a CPU with native bf16. The
    caller still checks bf16 against fp32 on a probe batch before using it."""
    if requested == "bf16":
        return True
    return requested == "auto" and (device.type != "cpu" or cpu_has_bf16())
