"""Opt-in ``torch.compile`` of the frozen encoder (inductor's CPU backend).

``ANNOTATE_COMPILE=1`` (or ``Encoder(compile=True)``) compiles the encoder's forward
pass with inductor: bias adds, GELU, residual adds and LayerNorm are fused into C++
loops around the GEMMs, and weights are frozen (constant-folded, packed for the GEMM
library). One graph serves every batch (dynamic batch and sequence length). Measured
on MiniLM-L6 (benchmarks/README.md, "Pre-label against the machine's roofline"): fp32
on an AVX2-only CPU +4 to +8 % passages per CPU second in A/B runs, -6 % in another;
bf16 on AMX no faster than eager. Hence opt-in. Compiling takes ~1-2 minutes of one
core on first use (inductor's cache lives under the annotate cache directory), so it
can pay only on long runs.

Needs a C++ compiler (``g++``, or ``$CXX`` as inductor reads it); without one, or when
compiling fails, the encoder logs a warning and runs eagerly: same results, never an
error.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable
from typing import Any

import torch

from annotate.settings import cache_dir

log = logging.getLogger(__name__)

COMPILE_ENV = "ANNOTATE_COMPILE"  # "1": compile the encoder (inductor, CPU)


def compile_requested(flag: bool | None) -> bool:
    """``flag`` when given, else ``ANNOTATE_COMPILE`` is "1", "true" or "yes"."""
    if flag is not None:
        return flag
    return os.environ.get(COMPILE_ENV, "").strip().lower() in ("1", "true", "yes")


def cxx_compiler() -> str | None:
    """The C++ compiler inductor will call (its ``cpp.cxx`` setting, read from ``$CXX``
    when inductor is first imported, else ``g++``), when installed."""
    from torch._inductor import config

    cxx = config.cpp.cxx
    for name in cxx if isinstance(cxx, (list, tuple)) else (cxx,):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def compile_model(model: torch.nn.Module, device: torch.device) -> Callable[..., Any] | None:
    """``model`` compiled for inference on ``device`` (lazily: the first call compiles),
    or None when it cannot be (no C++ compiler for a CPU model; the reason is logged)."""
    if device.type == "cpu" and cxx_compiler() is None:
        log.warning(
            "%s is set but no C++ compiler (g++ or $CXX) is installed: running eagerly",
            COMPILE_ENV,
        )
        return None
    # inductor's cache (compiled kernels) next to annotate's other caches, not in /tmp
    os.environ.setdefault("TORCHINDUCTOR_CACHE_DIR", str(cache_dir() / "inductor"))
    return torch.compile(model, dynamic=True, options={"freezing": True})


class CompiledForward:
    """Calls a compiled model, falling back to the eager one for good when compiling or
    running the compiled graph fails (logged once as a warning)."""

    def __init__(self, eager: torch.nn.Module, compiled: Callable[..., Any]) -> None:
        self.eager = eager
        self.compiled: Callable[..., Any] | None = compiled

    @property
    def active(self) -> bool:
        """Whether calls still go to the compiled graph."""
        return self.compiled is not None

    def __call__(self, **inputs: torch.Tensor) -> Any:
        if self.compiled is not None:
            try:
                return self.compiled(**inputs)
            except Exception as exc:  # inductor/compiler failure: same results eagerly
                log.warning("torch.compile failed (%s): running eagerly", str(exc)[:200])
                self.compiled = None
        return self.eager(**inputs)
